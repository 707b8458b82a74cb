"""Score a free answer against claims: credit for each claim stated, a cost for each misconception stated.

    score = clamp((weight of claims earned, bonus included - weight of misconceptions stated) / core weight, 0, 1)

A claim is earned when one of its patterns is stated with the pattern's polarity, not as an echo of the prompt.
A misconception stated makes the claim it contradicts unearned and costs its weight (default: that claim's).
Bonus claims add credit but are not in the core weight, so they never block full credit. Every verdict
quotes the sentence that earned or contradicted a claim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from questions.claims.matcher import MAX_SPAN, MISCONCEPTION_SPAN, Occurrence, find
from questions.claims.pattern import Pattern, compile_pattern
from questions.claims.text import Analysis, analyse

EARNED, MISSING, NEGATED, ECHO, CONTRADICTED = "earned", "missing", "negated", "echo", "contradicted"


class MisconceptionSpec(Protocol):
    claim: str
    match: Sequence[str]
    weight: float | None


class ClaimSpec(Protocol):
    claim: str
    match: Sequence[str]
    weight: float
    bonus: bool
    misconceptions: Sequence[MisconceptionSpec]


@dataclass(frozen=True)
class ClaimResult:
    """What became of one rubric claim, with the learner's sentence that decided it (if any)."""

    claim: str
    weight: float
    bonus: bool
    status: str  # earned | missing | negated | echo | contradicted
    evidence: str = ""


@dataclass(frozen=True)
class Contradiction:
    """A misconception the answer states: what it says, which claim it contradicts, the sentence, its cost."""

    misconception: str
    claim: str
    evidence: str
    cost: float


@dataclass(frozen=True)
class Verdict:
    score: float
    claims: tuple[ClaimResult, ...]
    contradictions: tuple[Contradiction, ...]
    core_weight: float

    @property
    def earned(self) -> tuple[ClaimResult, ...]:
        return tuple(c for c in self.claims if c.status == EARNED)

    @property
    def missed(self) -> tuple[ClaimResult, ...]:
        return tuple(c for c in self.claims if c.status != EARNED)


@lru_cache(maxsize=2048)
def _compiled(texts: tuple[str, ...]) -> tuple[Pattern, ...]:
    return tuple(compile_pattern(t) for t in texts)


def rubric_words(rubric: Iterable[ClaimSpec]) -> frozenset[str]:
    """Every word the rubric's patterns use (the spelling corrector's targets)."""
    words: set[str] = set()
    for claim in rubric:
        for p in _compiled(tuple(claim.match)):
            words |= p.words()
        for m in claim.misconceptions:
            for p in _compiled(tuple(m.match)):
                words |= p.words()
    return frozenset(words)


@lru_cache(maxsize=512)
def prompt_words(prompt: str) -> frozenset[str]:
    """The canonical words of the prompt: a claim made only of them (and not negated) is an echo."""
    return analyse(prompt).words()


def _stated(patterns: Sequence[Pattern], answer: Analysis, prompt: frozenset[str],
            max_span: int = MAX_SPAN) -> tuple[str, Occurrence | None]:
    """(status, occurrence) of the best way the answer states one of `patterns`."""
    best: dict[str, Occurrence] = {}
    for pattern in patterns:
        for occ in find(pattern, answer, prompt, max_span):
            status = ECHO if occ.echo else (EARNED if occ.negated == pattern.negated else NEGATED)
            best.setdefault(status, occ)
    for status in (EARNED, NEGATED, ECHO):
        if status in best:
            return status, best[status]
    return MISSING, None


def grade_claims(rubric: Sequence[ClaimSpec], answer: str, prompt: str = "") -> Verdict:
    """Grade `answer` against the claims of `rubric` (the question's `prompt` defines what an echo is)."""
    analysis = analyse(answer or "", rubric_words(rubric))
    said = prompt_words(prompt)

    def quote(occ: Occurrence | None) -> str:
        return analysis.sentences[occ.clause.sentence] if occ is not None else ""

    results, contradictions = [], []
    for claim in rubric:
        status, occ = _stated(_compiled(tuple(claim.match)), analysis, said)
        evidence = quote(occ)
        for wrong in claim.misconceptions:
            w_status, w_occ = _stated(_compiled(tuple(wrong.match)), analysis, said, MISCONCEPTION_SPAN)
            if w_status == EARNED:
                cost = wrong.weight if wrong.weight is not None else claim.weight
                contradictions.append(Contradiction(wrong.claim, claim.claim, quote(w_occ), cost))
                status, evidence = CONTRADICTED, quote(w_occ)
        results.append(ClaimResult(claim.claim, claim.weight, claim.bonus, status, evidence))
    core = sum(c.weight for c in rubric if not c.bonus) or 1.0
    earned = sum(r.weight for r in results if r.status == EARNED)
    cost = sum(c.cost for c in contradictions)
    score = min(1.0, max(0.0, (earned - cost) / core))
    return Verdict(score, tuple(results), tuple(contradictions), core)
