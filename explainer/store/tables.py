"""The schema as SQLAlchemy ORM classes: classes, learners, attempts, review cards, uploaded banks, presets, lessons
and live sessions with their answers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in Python, naive UTC in the column: identical on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the database itself; `schema_version` drives migrations."""

    __tablename__ = "gl_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ClassRoom(Base):
    """A class an instructor runs; learners join it with its code (only a hash of the code is stored)."""

    __tablename__ = "gl_classes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Learner(Base):
    """One learner. Found only by a resume-key hash or an OIDC subject hash, never by the display name."""

    __tablename__ = "gl_learners"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(60))
    class_id: Mapped[int | None] = mapped_column(ForeignKey("gl_classes.id", ondelete="SET NULL"), index=True)
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    oidc_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attempt(Base):
    """One answered question. `uid` is chosen by the client, so a retried write is recorded once."""

    __tablename__ = "gl_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("gl_learners.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    answer: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float | None] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The learner's own rating after seeing the model answer (fsrs: 1 Again, 2 Hard, 3 Good, 4 Easy); None when
    # they did not rate (choice questions, or a skipped rating). `score` stays the automatic grade.
    self_rating: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_gl_attempts_learner_time", "learner_id", "answered_at"),)


class ReviewCard(Base):
    """A learner's fsrs card for one question: the library's own JSON plus `due` for querying."""

    __tablename__ = "gl_review_cards"
    learner_id: Mapped[int] = mapped_column(ForeignKey("gl_learners.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    card_json: Mapped[str] = mapped_column(Text)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)  # answers rated Again
    last_score: Mapped[float] = mapped_column(Float)

    __table_args__ = (Index("ix_gl_review_cards_learner_due", "learner_id", "due"),)


class UploadedBank(Base):
    """A question bank an instructor uploaded: served by every replica that shares the database."""

    __tablename__ = "gl_banks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    yaml_text: Mapped[str] = mapped_column(Text)
    question_count: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Preset(Base):
    """Something the instructor pinned for the class: an experiment URL or a quiz (topics, length, seed)."""

    __tablename__ = "gl_presets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "experiment" or "quiz"
    title: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(600))  # app-relative, built and validated by store.presets
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LessonRow(Base):
    """A lesson the instructor built: its validated YAML (explainer.live.lesson_yaml), named by its slug."""

    __tablename__ = "gl_lessons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    yaml_text: Mapped[str] = mapped_column(Text)
    step_count: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LiveSession(Base):
    """A lesson being presented: which step is on the projector, which question steps were revealed.

    Every replica reads the same row, so learners on any replica follow the presenter; `version` grows with
    each change, so a polling page compares one number. The lesson is copied in: editing it mid-class is safe.
    """

    __tablename__ = "gl_live_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    lesson_slug: Mapped[str] = mapped_column(String(80))
    lesson_yaml: Mapped[str] = mapped_column(Text)
    step: Mapped[int] = mapped_column(Integer, default=0)
    revealed: Mapped[str] = mapped_column(Text, default="")  # comma-separated step indices
    class_id: Mapped[int | None] = mapped_column(ForeignKey("gl_classes.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class LiveAnswer(Base):
    """One learner's answer to one question step of a live session (at most one: the unique key). The same
    answer is an ordinary attempt (`attempt_uid`), so it reaches the dashboard and the learner's reviews."""

    __tablename__ = "gl_live_answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    live_id: Mapped[int] = mapped_column(ForeignKey("gl_live_sessions.id", ondelete="CASCADE"))
    step: Mapped[int] = mapped_column(Integer)
    learner_id: Mapped[int] = mapped_column(ForeignKey("gl_learners.id", ondelete="CASCADE"))
    answer_json: Mapped[str] = mapped_column(Text)  # explainer.live.tally.encode of the form's value
    score: Mapped[float] = mapped_column(Float)
    attempt_uid: Mapped[str] = mapped_column(String(36))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("live_id", "step", "learner_id", name="uq_gl_live_answers_once"),)
