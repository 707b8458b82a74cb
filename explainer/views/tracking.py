"""Seam between the practice pages and the progress store (the store issue fills these in).

Practice pages call these; they must never raise into a page.
"""

from __future__ import annotations


def record_attempt(question_id: str, topic: str, answer: str, score: float, seconds: float | None) -> None:
    """Persist one answered question for the current learner (score in [0, 1])."""


def extra_bank_sources() -> list[tuple[str, str]]:
    """Question banks stored outside the repo (instructor uploads): (source name, YAML text) pairs."""
    return []


def render_class_presets() -> None:
    """On the home page: experiment URLs and quizzes the instructor pinned for the class."""
