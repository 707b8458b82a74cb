"""Lessons as YAML: load with one located error per problem (source, line, field), dump so that loading gives back
the same lesson. The YAML reader and the error lines are the question bank's own (questions.loader).

    title: Why deep sigmoid nets stall
    steps:
      - learn: vanishing
        anchor: cause-1-the-sigmoid-s-derivative-is-at-most-1-4
      - question: van-sigmoid-max
      - lab: lab-activations
        params: {activation: sigmoid, depth: 30}
"""

from __future__ import annotations

from collections.abc import Container

import yaml
from pydantic import ValidationError

from explainer.live.lessons import STEP_KINDS, Lesson
from questions.loader import BankError, _line_of, _message, _parse

MAX_LESSON_BYTES = 64 * 1024  # 60 steps of a few lines each is ~5 KB
TOP_KEYS = ("title", "steps")


def _field(loc: tuple) -> tuple:
    """A pydantic error location without the union tag: ("steps", 2, "lab", "params") -> ("steps", 2, "params")."""
    if len(loc) >= 3 and loc[0] == "steps" and loc[2] in STEP_KINDS:
        return (*loc[:2], *loc[3:])
    return loc


def load_lesson_text(text: str, source: str, questions: Container[str] | None = None
                     ) -> tuple[Lesson | None, list[BankError]]:
    """The lesson in `text`, or None and every problem, each naming `source`, its line and the field.

    questions: the ids of the questions being served; a question step naming another id is an error
    (None: ids are not checked, e.g. when no bank is at hand)."""
    if len(text.encode("utf-8", "replace")) > MAX_LESSON_BYTES:
        return None, [BankError(source, None, f"lesson is larger than {MAX_LESSON_BYTES // 1024} KB")]
    data, root, errors = _parse(text, source)
    if errors:
        return None, errors
    if not isinstance(data, dict):
        return None, [BankError(source, _line_of(root, ()), "a lesson is a mapping with 'title:' and a 'steps:' list")]
    lesson = None
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = _field(tuple(err["loc"]))
            top = len(loc) == 1 and err["type"] == "extra_forbidden"
            message = "unknown top-level key; allowed: title, steps" if top else _message(err)
            errors.append(BankError(source, _line_of(root, loc), message, field=".".join(map(str, loc)) or None))
    except RecursionError:
        return None, [BankError(source, None, "nested too deeply")]
    if questions is not None:
        errors += _unknown_questions(data.get("steps"), questions, source, root)
    return (None, errors) if errors else (lesson, [])


def _unknown_questions(steps: object, questions: Container[str], source: str, root) -> list[BankError]:
    """A located error for each question step whose id is not among the questions being served."""
    if not isinstance(steps, list):
        return []
    return [BankError(source, _line_of(root, ("steps", i, "question")), f"no question {step['question']!r} in the "
                      "banks being served", field=f"steps.{i}.question")
            for i, step in enumerate(steps)
            if isinstance(step, dict) and isinstance(step.get("question"), str) and step["question"] not in questions]


def dump_lesson(lesson: Lesson) -> str:
    """The lesson as YAML, steps in order and only the fields that differ from their defaults."""
    body = yaml.safe_dump(lesson.model_dump(mode="json", exclude_defaults=True), sort_keys=False, allow_unicode=True,
                          width=110)
    return f"# Gradient Lab lesson (present it at /present?lesson={lesson.slug})\n{body}"
