"""One question read from a Moodle XML or GIFT file, as bank fields plus what could not be mapped (not validated)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from questions.interop.lms import read_feedback, read_fractions, read_tags, slug
from questions.interop.markup import from_html, math_to_dollars

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")  # questions.schema.Slug
# Key order of the YAML written by an import (the order authors use in questions/bank/*.yaml).
ORDER = ("id", "type", "topic", "difficulty", "tags", "prompt", "preset", "options", "answer", "answers", "shuffle",
         "value", "tolerance", "relative", "unit", "accept", "model_answer", "rubric", "time_limit_s", "explanation",
         "learn", "source")


@dataclass
class Draft:
    """Bank fields of one imported question; problems are (field, message) pairs that block it."""

    line: int | None
    label: str  # the question's id, or its name in the file, for error messages
    data: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    category: str | None = None
    extra: dict[str, object] = field(default_factory=dict)  # tag fields only some types use (accept, unit, ...)

    def ordered(self) -> dict[str, object]:
        """The fields in authors' order, unknown keys last."""
        return {**{k: self.data[k] for k in ORDER if k in self.data},
                **{k: v for k, v in self.data.items() if k not in ORDER}}


def text_to_markdown(text: str, fmt: str) -> tuple[str, list[str]]:
    """An LMS text in its format (html, moodle_auto_format / moodle, markdown, plain_text / plain) as bank markdown."""
    if fmt == "markdown":
        return math_to_dollars(text).strip(), []
    if fmt in ("plain_text", "plain"):
        return text.strip(), []
    return from_html(text)


def question_id(name: str, idnumber: str | None, text: str = "") -> str:
    """The bank id: the idnumber or name when already a slug, else the name (or the text's first words) as one."""
    for candidate in (idnumber, name):
        if candidate and SLUG.match(candidate.strip()):
            return candidate.strip()
    return slug(idnumber or name or " ".join(text.split()[:6]))[:80].strip("-")


def start_draft(*, line: int | None, name: str, idnumber: str | None, qtype: str, prompt: str, prompt_format: str,
                feedback: str, feedback_format: str, tags: list[str], category: str | None) -> Draft:
    """The fields every question type shares, read from an LMS question's parts."""
    text, problems = text_to_markdown(prompt, prompt_format)
    qid = question_id(name, idnumber, text)
    draft = Draft(line, qid or name or f"at line {line}", category=category)
    draft.problems += [("prompt", p) for p in problems]
    if text:
        draft.data["prompt"] = text
    if qid:
        draft.data["id"] = qid
    draft.data["type"] = qtype
    meta = read_tags(tags)
    draft.problems += meta.problems
    draft.data.update({k: v for k, v in meta.fields.items() if k in ("topic", "difficulty", "learn")})
    if meta.tags:
        draft.data["tags"] = meta.tags
    if feedback_format in ("html", "moodle_auto_format", "moodle"):
        sections = read_feedback(feedback)
        draft.problems += sections.problems
        draft.data.update(sections.fields)
    else:
        explanation, problems = text_to_markdown(feedback, feedback_format)
        draft.problems += [("explanation", p) for p in problems]
        if explanation:
            draft.data["explanation"] = explanation
    draft.extra = {k: v for k, v in meta.fields.items() if k not in ("topic", "difficulty", "learn")}
    return draft


def finish_choice(draft: Draft, options: list[str], fractions: list[float], single: bool, shuffle: bool | None) -> None:
    """single_choice, predict (a single choice whose feedback links an experiment) or multiple_choice."""
    key, problem = read_fractions(fractions, single)
    if problem:
        draft.problems.append(("answer" if single else "answers", problem))
    if single:
        draft.data["type"] = "predict" if "preset" in draft.data else "single_choice"
    else:
        draft.data["type"] = "multiple_choice"
    draft.data["options"] = options
    if key is not None:
        draft.data["answer" if single else "answers"] = key
    if shuffle is None:
        shuffle = draft.extra.get("shuffle", True)
    if shuffle is False:
        draft.data["shuffle"] = False


def finish_numeric(draft: Draft, value: float, tolerance: float, unit: str | None) -> None:
    """numeric: the key, an absolute tolerance unless a relative-tolerance tag says otherwise, unit and forms."""
    draft.data["value"] = value
    if "relative_tolerance" in draft.extra:
        draft.data["tolerance"] = draft.extra["relative_tolerance"]
        draft.data["relative"] = True
    else:
        draft.data["tolerance"] = tolerance
    unit = unit or draft.extra.get("unit")
    if unit:
        draft.data["unit"] = unit
    if "accept" in draft.extra:
        draft.data["accept"] = draft.extra["accept"]


def finish_essay(draft: Draft) -> None:
    """free_response: model answer and rubric come from the feedback sections; the time limit from a tag."""
    if "time_limit_s" in draft.extra:
        draft.data["time_limit_s"] = draft.extra["time_limit_s"]
