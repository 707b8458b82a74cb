"""The schema as SQLAlchemy ORM classes: classes, learners, attempts, review cards, uploaded banks, presets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator
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
