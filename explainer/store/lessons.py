"""Lessons the instructor built, kept as their validated YAML so every replica presents the same steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, select

from explainer.core.urls import lesson_slug
from explainer.store.db import reading, writing
from explainer.store.tables import LessonRow, utcnow

MAX_LESSON_BYTES = 64 * 1024  # the same limit as explainer.live.lesson_yaml (the store does not import it)


@dataclass(frozen=True)
class LessonInfo:
    slug: str
    title: str
    step_count: int
    updated_at: datetime
    yaml_text: str


def save_lesson(engine: Engine, title: str, yaml_text: str, step_count: int) -> bool:
    """Insert or replace the lesson named by its title's slug (the caller validated the YAML); True if replaced."""
    if len(yaml_text.encode("utf-8")) > MAX_LESSON_BYTES:
        raise ValueError(f"lesson is larger than {MAX_LESSON_BYTES // 1024} KB")
    slug = lesson_slug(title)
    with writing(engine) as s:
        row = s.scalar(select(LessonRow).where(LessonRow.slug == slug))
        if row is None:
            s.add(LessonRow(slug=slug, title=title[:500], yaml_text=yaml_text, step_count=step_count,
                            updated_at=utcnow()))
        else:
            row.title, row.yaml_text, row.step_count, row.updated_at = title[:500], yaml_text, step_count, utcnow()
    return row is not None


def _info(row: LessonRow) -> LessonInfo:
    return LessonInfo(row.slug, row.title, row.step_count, row.updated_at, row.yaml_text)


def get_lesson(engine: Engine, slug: str) -> LessonInfo | None:
    with reading(engine) as s:
        row = s.scalar(select(LessonRow).where(LessonRow.slug == slug))
        return None if row is None else _info(row)


def list_lessons(engine: Engine) -> list[LessonInfo]:
    """Every stored lesson, by title."""
    with reading(engine) as s:
        return [_info(r) for r in s.scalars(select(LessonRow).order_by(LessonRow.title, LessonRow.slug)).all()]


def delete_lesson(engine: Engine, slug: str) -> bool:
    with writing(engine) as s:
        return s.execute(delete(LessonRow).where(LessonRow.slug == slug)).rowcount > 0
