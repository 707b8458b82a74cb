"""Calibration of the free-response grader: how often good answers pass and bad answers fail, per question.

A corpus file `questions/calibration/<question-id>.yaml` holds answers an interviewer would hear: `good`
answers (styles: plain words, math notation, terse bullets, spoken with fillers) that should score >= 0.6 and
`bad` ones (kinds: inverted facts, swapped causes and remedies, keyword salad, prompt echo, a misconception)
that should score < 0.5. `holdout/` holds a second set written before the grader was tuned, reported apart.
Reported like a search team reports precision and recall: the share of each that the grader gets right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import ValidationError

from questions.quiz import grade
from questions.schema import FreeResponse, Question, Slug, Strict, Text

CORPUS_DIR = Path(__file__).resolve().parent / "calibration"
HOLDOUT_DIR = CORPUS_DIR / "holdout"
GOOD_MIN = 0.6  # a good answer must score at least this
BAD_MAX = 0.5  # a bad answer must score below this
Style = Literal["plain", "math", "bullets", "spoken"]
Kind = Literal["inverted", "swapped", "salad", "echo", "misconception"]
STYLES: tuple[str, ...] = get_args(Style)
KINDS: tuple[str, ...] = get_args(Kind)


class GoodAnswer(Strict):
    style: Style
    text: Text


class BadAnswer(Strict):
    kind: Kind
    text: Text


class CorpusFile(Strict):
    """One question's calibration answers."""

    question: Slug
    good: list[GoodAnswer]
    bad: list[BadAnswer]


@dataclass(frozen=True)
class Scored:
    question_id: str
    label: str  # a good answer's style or a bad answer's kind
    good: bool
    score: float
    text: str

    @property
    def right(self) -> bool:
        return self.score >= GOOD_MIN if self.good else self.score < BAD_MAX


def load_corpus(directory: Path = CORPUS_DIR) -> dict[str, CorpusFile]:
    """Every corpus file in `directory`, by question id; a file that does not validate raises with its name."""
    out: dict[str, CorpusFile] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = CorpusFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (ValidationError, yaml.YAMLError) as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
        if data.question != path.stem:
            raise ValueError(f"{path.name}: 'question: {data.question}' does not match the file name")
        out[data.question] = data
    return out


def score_corpus(corpus: dict[str, CorpusFile], questions: dict[str, Question]) -> list[Scored]:
    """Grade every answer of the corpus with the question's own grader (questions missing from the bank skipped)."""
    rows = []
    for qid, entry in sorted(corpus.items()):
        q = questions.get(qid)
        if not isinstance(q, FreeResponse):
            continue
        rows += [Scored(qid, a.style, True, grade(q, a.text).score, a.text) for a in entry.good]
        rows += [Scored(qid, a.kind, False, grade(q, a.text).score, a.text) for a in entry.bad]
    return rows


def rates(rows: Iterable[Scored]) -> tuple[int, int, int, int]:
    """(good passed, good total, bad failed, bad total)."""
    rows = list(rows)
    good = [r for r in rows if r.good]
    bad = [r for r in rows if not r.good]
    return sum(r.right for r in good), len(good), sum(r.right for r in bad), len(bad)


def _share(k: int, n: int) -> str:
    return f"{k}/{n} {100 * k / n:5.1f}%" if n else "  -"


def report(rows: list[Scored], title: str, verbose: bool = False) -> list[str]:
    """The table `python -m questions calibrate` prints: per question, then overall."""
    lines = [title, f"{'question':28} {'good >= ' + str(GOOD_MIN):>16} {'bad < ' + str(BAD_MAX):>16}"]
    for qid in sorted({r.question_id for r in rows}):
        mine = [r for r in rows if r.question_id == qid]
        g, gn, b, bn = rates(mine)
        lines.append(f"{qid:28} {_share(g, gn):>16} {_share(b, bn):>16}")
        if verbose:
            lines += [f"    {'good' if r.good else 'bad '} {r.label:13} {r.score:4.2f}  {r.text[:90]!r}"
                      for r in mine if not r.right]
    g, gn, b, bn = rates(rows)
    lines.append(f"{'overall':28} {_share(g, gn):>16} {_share(b, bn):>16}")
    return lines


COMMAND = "calibrate"


def add_parser(sub) -> None:
    """The `python -m questions calibrate` subcommand."""
    p = sub.add_parser(COMMAND, help="rates of good answers passing and bad answers failing, per question")
    p.add_argument("--verbose", "-v", action="store_true", help="list every answer the grader gets wrong")
    p.add_argument("--min", type=float, default=0.0, metavar="SHARE",
                   help="exit 1 when either overall share of the main corpus is below SHARE (e.g. 0.9)")


def run(args) -> int:
    from questions.loader import default_paths, load_banks

    questions = load_banks(default_paths()).by_id
    rows = score_corpus(load_corpus(CORPUS_DIR), questions)
    print("\n".join(report(rows, f"Calibration corpus ({CORPUS_DIR.name}/)", args.verbose)))
    if HOLDOUT_DIR.is_dir():
        held = score_corpus(load_corpus(HOLDOUT_DIR), questions)
        print()
        print("\n".join(report(held, f"Held-out answers ({CORPUS_DIR.name}/{HOLDOUT_DIR.name}/, never tuned on)",
                               args.verbose)))
    g, gn, b, bn = rates(rows)
    return 1 if gn and bn and min(g / gn, b / bn) < args.min else 0
