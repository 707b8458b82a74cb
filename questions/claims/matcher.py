"""Where a compiled pattern is stated in an analysed answer: one clause, every term, the subject rule, polarity.

An occurrence is negated when a negation cue scopes over any of its terms ("no W and no tanh'" is not a double
negation, and real double negatives are rare in answers),
and is an echo when every word it used is a word of the prompt (an echo of the question states nothing new).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from questions.claims import lexicon
from questions.claims.pattern import Pattern, token_matches
from questions.claims.text import Analysis, Clause

MAX_SPAN = 36  # tokens between the first and last term of one occurrence
MISCONCEPTION_SPAN = 16  # a wrong claim costs credit only when stated compactly (benefit of the doubt)
NEAREST = 4  # candidate positions tried per term, nearest to the subject first
_COORDINATORS = frozenset({",", "and", "or", "nor", "over"})


@dataclass(frozen=True)
class Occurrence:
    """One place a pattern is stated: the clause, the token positions used, its polarity and whether it echoes."""

    clause: Clause
    positions: tuple[int, ...]
    negated: bool
    echo: bool

    @property
    def span(self) -> int:
        return max(self.positions) - min(self.positions)


def _finds(clause: Clause, alternatives: tuple[tuple[str, ...], ...]) -> list[tuple[int, ...]]:
    """Token positions of every place one of the alternatives occurs (contiguously) in the clause."""
    tokens, out = clause.tokens, []
    for alt in alternatives:
        n = len(alt)
        for i in range(len(tokens) - n + 1):
            if all(token_matches(w, h) for w, h in zip(alt, tokens[i : i + n], strict=True)):
                out.append(tuple(range(i, i + n)))
    return out


def _coordinated(clause: Clause, pos: int, group: frozenset[str]) -> set[int]:
    """`pos` and the rival-group words joined to it by 'and', 'or', commas ('sigmoid and tanh saturate')."""
    found, tokens = {pos}, clause.tokens
    for step in (-1, 1):
        i, last = pos + step, pos
        while 0 <= i < len(tokens) and abs(i - last) <= 2:
            if tokens[i] in group:
                found.add(i)
                last = i
            elif tokens[i] not in _COORDINATORS:
                break
            i += step
    return found


def _bound(clause: Clause, pos: int, group: frozenset[str]) -> int | None:
    """The rival-group word that the word at `pos` belongs to: the nearest before it in its own segment, else
    after it in the segment, else the one fewest segments away (ties: the one before it, then the nearest)."""
    others = [q for q, t in enumerate(clause.tokens) if t in group and q != pos]
    if not others:
        return None
    seg = clause.segments[pos]
    same = [q for q in others if clause.segments[q] == seg]
    if same:
        before = [q for q in same if q < pos]
        return max(before) if before else min(same)
    return min(others, key=lambda q: (abs(clause.segments[q] - seg), q > pos, abs(q - pos)))


def _belongs(clause: Clause, subject: tuple[int, ...], other: tuple[int, ...]) -> bool:
    """The subject rule: each other term belongs to the subject, not to a rival of it."""
    for group in lexicon.RIVALS:
        heads = [p for p in subject if clause.tokens[p] in group]
        if not heads:
            continue
        owners = set(subject).union(*(_coordinated(clause, p, group) for p in heads))
        for pos in other:
            if clause.tokens[pos] in group or pos < clause.header:  # a 'Header:' word belongs to every item
                continue
            bound = _bound(clause, pos, group)  # the same word again (another "sigmoid") is the same subject
            if bound is not None and clause.tokens[bound] not in {clause.tokens[p] for p in owners}:
                return False
    return True


def _occurrences(pattern: Pattern, clause: Clause, prompt: frozenset[str], max_span: int) -> list[Occurrence]:
    finds = [_finds(clause, term) for term in pattern.terms]
    if not all(finds):
        return []
    out = []
    for subject in finds[0]:
        centre = subject[0]
        nearest = [sorted(f, key=lambda p: abs(p[0] - centre))[:NEAREST] for f in finds[1:]]
        for combo in product(*nearest):
            parts = (subject, *combo)
            used = [p for part in parts for p in part]
            if len(set(used)) != len(used) or max(used) - min(used) > max_span:
                continue
            if not _belongs(clause, subject, tuple(part[0] for part in combo)):
                continue
            negated = any(clause.cues[p] for p in used)
            echo = not negated and all(clause.tokens[p] in prompt for p in used)
            out.append(Occurrence(clause, tuple(used), negated, echo))
    return out


def find(pattern: Pattern, analysis: Analysis, prompt: frozenset[str] = frozenset(),
         max_span: int = MAX_SPAN) -> list[Occurrence]:
    """Every occurrence of `pattern` in the answer within `max_span` tokens, tightest first."""
    found = [o for clause in analysis.clauses for o in _occurrences(pattern, clause, prompt, max_span)]
    return sorted(found, key=lambda o: (o.echo, o.span))
