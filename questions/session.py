"""One quiz or mock interview in progress, as plain data: which question is current, what was answered, when.

Pure Python (the pages keep one of these in st.session_state); times come from the caller, so tests can
drive a run without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from questions.quiz import Grade, Result, missed
from questions.schema import Question


@dataclass
class Answered:
    """A graded answer: what the learner gave (raw and as text), its grade, and how long it took."""

    raw: object
    text: str
    grade: Grade
    seconds: float | None
    self_rating: int | None = None  # the learner's own rating after the model answer: 1 Again ... 4 Easy
    over_time: bool = False


@dataclass
class Run:
    """An ordered list of question ids, the index of the current one, and the answers so far."""

    ids: list[str]
    seed: int = 0
    label: str = "quiz"
    index: int = 0
    answers: dict[int, Answered] = field(default_factory=dict)
    shown_at: float | None = None  # when the current question was first shown (caller's clock)

    @property
    def done(self) -> bool:
        return self.index >= len(self.ids)

    @property
    def current_id(self) -> str:
        return self.ids[self.index]

    @property
    def answered(self) -> bool:
        """Whether the current question has been graded (feedback is showing)."""
        return self.index in self.answers

    def show(self, now: float) -> None:
        """Start the clock for the current question the first time it is displayed."""
        if self.shown_at is None:
            self.shown_at = now

    def elapsed(self, now: float) -> float:
        return max(0.0, now - self.shown_at) if self.shown_at is not None else 0.0

    def record(self, answered: Answered) -> None:
        """Store the current question's graded answer (a second submission of the same question is ignored)."""
        self.answers.setdefault(self.index, answered)

    def advance(self) -> None:
        """Move to the next question (only once the current one is answered) and reset its clock."""
        if self.answered and not self.done:
            self.index += 1
            self.shown_at = None

    def results(self, questions: dict[str, Question]) -> list[Result]:
        """One Result per answered question, in quiz order (ids missing from the bank are skipped)."""
        out = []
        for i, a in sorted(self.answers.items()):
            q = questions.get(self.ids[i])
            if q is not None:
                out.append(Result(q.id, q.topic, q.difficulty, a.grade.score, a.seconds, a.text))
        return out

    def retry_missed(self, questions: dict[str, Question]) -> Run:
        """A new run over the questions answered with less than full credit, in the same order."""
        return Run(missed(self.results(questions)), seed=self.seed, label=self.label)
