"""Live sessions: which lesson step is on the projector, which questions were revealed, and the class's answers.

The state lives here, not in a server process: the presenter on one replica moves a step, learners polling any
replica see it on their next poll, and a refreshed presenter page resumes where it was. At most one session is
live at a time on a server (starting one ends the previous). A learner answers a question step at most once, and
the answer is recorded as an ordinary attempt in the same transaction (it reaches the dashboard and reviews).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from explainer.core.urls import new_join_code, parse_join_code
from explainer.store.attempts import AttemptIn, add_attempt
from explainer.store.db import reading, writing
from explainer.store.tables import LiveAnswer, LiveSession, utcnow

CODE_TRIES = 8  # a fresh code colliding with any earlier one is ~1e-9 per try


class QuestionClosed(LookupError):
    """An answer for a step that is not the open question on the projector (moved on, revealed, or ended)."""


@dataclass(frozen=True)
class LiveState:
    """One live session as every page reads it."""

    id: int
    code: str
    lesson_slug: str
    lesson_yaml: str
    step: int
    revealed: frozenset[int]
    class_id: int | None
    version: int  # grows on every change: a page polling the store compares (id, version)
    started_at: datetime
    ended: bool

    @property
    def is_revealed(self) -> bool:
        """Whether the step on the projector has been revealed."""
        return self.step in self.revealed


def _state(row: LiveSession) -> LiveState:
    revealed = frozenset(int(x) for x in row.revealed.split(",") if x)
    return LiveState(row.id, row.join_code, row.lesson_slug, row.lesson_yaml, row.step, revealed, row.class_id,
                     row.version, row.started_at, row.ended_at is not None)


def start(engine: Engine, lesson_slug: str, lesson_yaml: str, class_id: int | None = None) -> LiveState:
    """End any live session and start `lesson_slug` (its YAML copied in) at step 0 with a fresh join code."""
    for attempt in range(CODE_TRIES):
        try:
            with writing(engine) as s:
                s.execute(update(LiveSession).where(LiveSession.ended_at.is_(None)).values(ended_at=utcnow()))
                row = LiveSession(join_code=new_join_code(), lesson_slug=lesson_slug, lesson_yaml=lesson_yaml, step=0,
                                  revealed="", class_id=class_id, version=0, started_at=utcnow())
                s.add(row)
                s.flush()
                return _state(row)
        except IntegrityError:
            if attempt == CODE_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def active(engine: Engine) -> LiveState | None:
    """The session live now (the newest one not ended), or None."""
    with reading(engine) as s:
        row = s.scalar(select(LiveSession).where(LiveSession.ended_at.is_(None)).order_by(LiveSession.id.desc())
                       .limit(1))
        return None if row is None else _state(row)


def get(engine: Engine, live_id: int) -> LiveState | None:
    with reading(engine) as s:
        row = s.get(LiveSession, live_id)
        return None if row is None else _state(row)


def by_code(engine: Engine, code: str | None) -> LiveState | None:
    """The live session with this join code (as typed: case, spaces and dashes ignored); None if none is live."""
    code = parse_join_code(code)
    if code is None:
        return None
    with reading(engine) as s:
        row = s.scalar(select(LiveSession).where(LiveSession.join_code == code, LiveSession.ended_at.is_(None)))
        return None if row is None else _state(row)


def _change(engine: Engine, live_id: int, change) -> LiveState:
    with writing(engine) as s:
        row = s.scalar(select(LiveSession).where(LiveSession.id == live_id).with_for_update())
        if row is None or row.ended_at is not None:
            raise LookupError("this live session has ended")
        change(row)
        row.version += 1
        return _state(row)


def go_to(engine: Engine, live_id: int, step: int, step_count: int) -> LiveState:
    """Put step `step` (clamped to the lesson's 0..step_count-1) on the projector."""
    def move(row: LiveSession) -> None:
        row.step = min(max(int(step), 0), step_count - 1)
    return _change(engine, live_id, move)


def reveal(engine: Engine, live_id: int) -> LiveState:
    """Reveal the step on the projector: its key is shown and it takes no more answers."""
    def mark(row: LiveSession) -> None:
        done = {int(x) for x in row.revealed.split(",") if x} | {row.step}
        row.revealed = ",".join(str(x) for x in sorted(done))
    return _change(engine, live_id, mark)


def end(engine: Engine, live_id: int) -> LiveState:
    def stop(row: LiveSession) -> None:
        row.ended_at = utcnow()
    return _change(engine, live_id, stop)


def answer(engine: Engine, live_id: int, step: int, learner_id: int, answer_json: str, attempt: AttemptIn) -> bool:
    """Record a learner's answer to question step `step` and the same answer as an attempt, in one transaction.

    False if this learner already answered this step (the first answer stands); QuestionClosed unless `step` is
    the unrevealed step on the projector of a session still live."""
    try:
        with writing(engine) as s:
            row = s.get(LiveSession, live_id)
            if row is None or row.ended_at is not None or row.step != step or str(step) in row.revealed.split(","):
                raise QuestionClosed("this question is closed")
            s.add(LiveAnswer(live_id=live_id, step=step, learner_id=learner_id, answer_json=answer_json,
                             score=float(attempt.score), attempt_uid=attempt.uid, answered_at=attempt.answered_at))
            s.flush()  # the unique key (live_id, step, learner_id) refuses a second answer here
            add_attempt(s, learner_id, attempt)
            return True
    except IntegrityError:
        if my_answer(engine, live_id, step, learner_id) is not None:
            return False
        raise  # something else clashed (two first reviews of one card at once): the caller may retry


def answers(engine: Engine, live_id: int, step: int) -> list[tuple[str, float]]:
    """(encoded answer, score) of every answer to step `step`, oldest first."""
    with reading(engine) as s:
        rows = s.execute(select(LiveAnswer.answer_json, LiveAnswer.score)
                         .where(LiveAnswer.live_id == live_id, LiveAnswer.step == step).order_by(LiveAnswer.id)).all()
    return [(a, float(score)) for a, score in rows]


def my_answer(engine: Engine, live_id: int, step: int, learner_id: int) -> tuple[str, float] | None:
    """This learner's (encoded answer, score) for step `step`, or None if they have not answered it."""
    with reading(engine) as s:
        row = s.execute(select(LiveAnswer.answer_json, LiveAnswer.score).where(
            LiveAnswer.live_id == live_id, LiveAnswer.step == step, LiveAnswer.learner_id == learner_id)).first()
    return None if row is None else (row[0], float(row[1]))
