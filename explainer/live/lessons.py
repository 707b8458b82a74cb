"""A lesson: a title and an ordered list of steps, each a Learn section, a lab preset or a bank question.

Every step is checked where it is declared: a Learn page and heading anchor that exist, lab params the lab page
uses as given (questions.presets.check_params, as for predict questions), a question id shaped like a bank id.
Whether that id is in the bank being served is checked when a lesson is loaded against it (lesson_yaml).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Discriminator, Field, Tag, ValidationInfo, field_validator

from explainer.core.sitemap import BY_PATH
from explainer.core.urls import check_value, experiment_url, lesson_slug, parse, split_url
from explainer.lab.specs import LABS
from explainer.learn import parser
from questions import presets
from questions.schema import LabPath, LearnPath, Short, Slug, Strict

MAX_STEPS = 60  # a lesson is one class period: 60 steps is already two hours of slides
STEP_KINDS = ("learn", "lab", "question")


def learn_doc(page: str) -> parser.Doc:
    """The parsed content of Learn page `page` (url paths use '-', content files '_')."""
    return parser.load(page.replace("-", "_"))


def section(doc: parser.Doc, anchor: str | None) -> parser.Doc:
    """The part of `doc` under the heading `anchor` (up to the next heading of the same or a higher level);
    the whole page when `anchor` is None. KeyError if the page has no such heading."""
    if anchor is None:
        return doc
    blocks = list(doc.blocks)
    start = next((i for i, b in enumerate(blocks) if isinstance(b, parser.Heading) and b.anchor == anchor), None)
    if start is None:
        raise KeyError(anchor)
    level = blocks[start].level
    end = next((j for j in range(start + 1, len(blocks))
                if isinstance(blocks[j], parser.Heading) and blocks[j].level <= level), len(blocks))
    return parser.Doc(doc.name, doc.title, tuple(blocks[start:end]))


def anchors(page: str) -> dict[str, str]:
    """anchor -> heading text of every `##` and `###` heading of Learn page `page`, in page order."""
    return {b.anchor: b.text for b in learn_doc(page).of(parser.Heading)}


class LearnStep(Strict):
    """Show a Learn page, or one section of it (the heading's anchor, as in the page's table of contents)."""

    learn: LearnPath = Field(description="url_path of a Learn page, e.g. 'vanishing'.")
    anchor: Annotated[str, Field(min_length=1, max_length=120)] | None = Field(
        default=None, description="Anchor of a ## or ### heading of that page; absent: the whole page.")
    title: Short | None = Field(default=None, description="What learners' phones show; default: the heading.")

    @field_validator("anchor")
    @classmethod
    def _anchor_exists(cls, anchor: str | None, info: ValidationInfo) -> str | None:
        page = info.data.get("learn")
        if anchor is not None and page is not None:
            known = anchors(page)
            if anchor not in known:
                raise ValueError(f"{anchor!r} is not a heading of {page}; its headings: {', '.join(known) or 'none'}")
        return anchor

    @property
    def label(self) -> str:
        heading = anchors(self.learn)[self.anchor] if self.anchor else None
        return self.title or (f"{BY_PATH[self.learn].title} › {heading}" if heading else BY_PATH[self.learn].title)


class LabStep(Strict):
    """Run a lab page's experiment with these settings and show its charts."""

    lab: LabPath = Field(description="url_path of a lab page, e.g. 'lab-activations'.")
    params: dict[str, str | bool | int | float] = Field(
        default_factory=dict, max_length=20, description="The lab's URL parameters; absent ones take its defaults.")
    title: Short | None = Field(default=None, description="What learners' phones show; default: the lab's title.")

    @field_validator("params")
    @classmethod
    def _params(cls, params: dict[str, object], info: ValidationInfo) -> dict[str, object]:
        """The params must be settings of this lab, with values the page uses as given (no clamping)."""
        problems = presets.check_params(info.data.get("lab", ""), params)
        if problems:
            raise ValueError("; ".join(problems))
        return params

    @property
    def url(self) -> str:
        return presets.preset_url(self.lab, self.params)

    @property
    def label(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return self.title or (f"{BY_PATH[self.lab].title} ({settings})" if settings else BY_PATH[self.lab].title)


class QuestionStep(Strict):
    """Ask a bank question: learners answer on their phones, the projector shows the tally, then the key."""

    question: Slug = Field(description="id of a question in a bank being served.")

    @property
    def label(self) -> str:
        return f"Question {self.question}"


def _kind(value: object) -> str | None:
    """Which kind of step a YAML mapping (or a step model) is: the one of STEP_KINDS it has as a key."""
    if isinstance(value, dict):
        return next((k for k in STEP_KINDS if k in value), None)
    return next((k for k in STEP_KINDS if hasattr(value, k)), None)


Step = Annotated[
    Annotated[LearnStep, Tag("learn")] | Annotated[LabStep, Tag("lab")] | Annotated[QuestionStep, Tag("question")],
    Discriminator(_kind, custom_error_type="step_kind",
                  custom_error_message="a step needs one of the keys learn:, lab: or question:"),
]


class Lesson(Strict):
    """What the presenter shows, one step at a time."""

    title: Short = Field(description="Shown on the projector; its slug names the lesson in URLs and the store.")
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)

    @property
    def slug(self) -> str:
        return lesson_slug(self.title)

    @property
    def question_ids(self) -> list[str]:
        return [s.question for s in self.steps if isinstance(s, QuestionStep)]


def lab_step_from_url(url: str, title: str | None = None) -> LabStep:
    """A lab step from an experiment address an instructor pasted (full URL or `/lab-init?depth=30`).

    Each value must be one the page uses as given (ValueError names the key and the allowed values); the lab
    pages' own `predict` switch is a way of showing the page, not a setting, and is dropped."""
    page, raw = split_url(experiment_url(url))
    specs = LABS[page].specs
    params: dict[str, object] = {}
    problems = []
    for key, value in raw:
        if key == "predict":
            continue
        spec = specs.get(key)
        notice = None if spec is None else check_value(spec, value)
        if spec is None:
            problems.append(f"{key!r} is not a setting of {page}; allowed: {', '.join(specs)}")
        elif notice is not None:
            problems.append(f"{key}={notice.raw!r} {notice.reason}")
        else:
            params[key] = parse(spec, value)
    if problems:
        raise ValueError("; ".join(problems))
    return LabStep(lab=page, params={k: v for k, v in params.items() if v is not None}, title=title or None)


def kind_of(step: Step) -> str:
    """"learn", "lab" or "question"."""
    return _kind(step) or ""
