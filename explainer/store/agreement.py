"""Where learners' self-ratings and the automatic grade disagree, per question (for the instructor dashboard).

A free answer stores both: `score` (the automatic grade) and `self_rating` (the learner's own 1-4 fsrs rating
after the model answer). The automatic grade suggests a rating (srs.rating_for); a question whose learners keep
rating themselves above the suggestion may have a rubric that misses valid wordings, below it a lenient one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from explainer.progress import srs
from explainer.store.db import reading
from explainer.store.tables import Attempt, Learner


@dataclass(frozen=True)
class Agreement:
    """One question's self-rated answers: how many, how many agree with the suggestion, and which way the rest go."""

    question_id: str
    rated: int
    agree: int
    higher: int  # the learner rated above the automatic suggestion
    lower: int
    mean_score: float  # automatic, in [0, 1]
    mean_self_rating: float  # 1 (Again) .. 4 (Easy)

    @property
    def agree_share(self) -> float:
        return self.agree / self.rated if self.rated else 0.0


def by_question(engine: Engine, class_id: int | None = None) -> list[Agreement]:
    """Per question with self-rated answers (`class_id=None`: every learner), most disagreement first."""
    stmt = (select(Attempt.question_id, Attempt.score, Attempt.seconds, Attempt.self_rating)
            .join(Learner, Learner.id == Attempt.learner_id).where(Attempt.self_rating.is_not(None)))
    if class_id is not None:
        stmt = stmt.where(Learner.class_id == class_id)
    with reading(engine) as s:
        rows = s.execute(stmt).all()
    groups: dict[str, list[tuple[float, int, int]]] = {}
    for qid, score, seconds, rating in rows:
        groups.setdefault(qid, []).append((float(score), int(srs.rating_for(float(score), seconds)), int(rating)))
    out = []
    for qid, items in groups.items():
        n = len(items)
        out.append(Agreement(qid, n, sum(s == r for _, s, r in items), sum(r > s for _, s, r in items),
                             sum(r < s for _, s, r in items), sum(x for x, _, _ in items) / n,
                             sum(r for _, _, r in items) / n))
    return sorted(out, key=lambda a: (a.agree_share, -a.rated, a.question_id))
