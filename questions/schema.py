"""Question bank schema: one strict base (unknown keys refused) and a discriminated union on `type`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from explainer.core.sitemap import LAB_PATHS, LEARN_PATHS, TOPICS
from explainer.core.urls import Difficulty
from questions import presets
from questions.claims.grader import prompt_words
from questions.claims.pattern import PatternError, compile_pattern
from questions.normalize import NumberForm, parse_number

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", min_length=2, max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
if TYPE_CHECKING:  # the values come from the sitemap at run time, so a static checker only knows they are strings
    TopicSlug = str
    LearnPath = str
    LabPath = str
else:  # pydantic validates (and the JSON Schema lists) the sitemap's values
    TopicSlug = Literal[tuple(t.slug for t in TOPICS)]
    LearnPath = Literal[tuple(sorted(LEARN_PATHS))]
    LabPath = Literal[tuple(sorted(LAB_PATHS))]


class Strict(BaseModel):
    """Base of every bank model: unknown keys and silent type coercions are refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class QuestionBase(Strict):
    id: Slug = Field(description="Unique across every bank file: lower-case words joined by - or _.")
    topic: TopicSlug = Field(description="The Learn topic it tests (explainer.core.sitemap.TOPICS).")
    difficulty: Difficulty
    tags: list[Slug] = Field(default_factory=list, max_length=12)
    prompt: Text = Field(description="Markdown; LaTeX between $...$.")
    explanation: Text = Field(description="Shown after answering: why the key is right (markdown).")
    learn: list[LearnPath] = Field(min_length=1, max_length=4, description="Learn page url_paths it tests.")
    source: Short | None = Field(default=None, description="Citation, e.g. 'Glorot & Bengio 2010'.")


def _check_options(options: list[str]) -> list[str]:
    seen = set()
    for text in options:
        if text.casefold() in seen:
            raise ValueError(f"option {text!r} appears twice")
        seen.add(text.casefold())
    return options


def _check_index(index: int, info: ValidationInfo) -> int:
    options = info.data.get("options")
    if options is not None and not 0 <= index < len(options):
        raise ValueError(f"answer index {index} is out of range: {len(options)} options, so 0-{len(options) - 1}")
    return index


Options = Annotated[list[Short], Field(
    min_length=2, max_length=8, description="Authored order; learners see them shuffled unless shuffle is false.")]
Index = Annotated[int, Field(description="0-based index of the correct option (in the authored order).")]
Shuffle = Annotated[bool, Field(description="Shuffle the options for each quiz (default), so the key's position "
                                            "teaches nothing; false keeps the authored order, e.g. ordered ranges.")]


class SingleChoice(QuestionBase):
    type: Literal["single_choice"]
    options: Options
    answer: Index
    shuffle: Shuffle = True

    check_options = field_validator("options")(_check_options)
    check_answer = field_validator("answer")(_check_index)


class MultipleChoice(QuestionBase):
    type: Literal["multiple_choice"]
    options: Options
    answers: list[int] = Field(description="0-based indices of every correct option (at least one).")
    shuffle: Shuffle = True

    check_options = field_validator("options")(_check_options)

    @field_validator("answers")
    @classmethod
    def _answers(cls, answers: list[int], info: ValidationInfo) -> list[int]:
        if not answers:
            raise ValueError("a multiple-choice question needs at least one correct option in answers")
        if len(set(answers)) != len(answers):
            raise ValueError(f"answers {answers} repeat an index")
        for index in answers:
            _check_index(index, info)
        return sorted(answers)


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool


DEFAULT_FORMS: tuple[NumberForm, ...] = ("fraction", "scientific")  # besides plain decimals, unless a bank says


class Numeric(QuestionBase):
    type: Literal["numeric"]
    value: Annotated[float, WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}]})] = Field(
        description="The key; may be written as a string such as '1/4' or '9.54e-7'."
    )
    tolerance: float = Field(description="Accepted |answer - value| (absolute; a fraction of |value| if relative).")
    relative: bool = False
    unit: Annotated[str, StringConstraints(max_length=20)] | None = None
    accept: list[NumberForm] = Field(
        default_factory=lambda: list(DEFAULT_FORMS),
        description="Forms accepted besides plain decimals: fraction (1/4), percent (25%), scientific (1e-3).",
    )

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: object) -> object:
        if isinstance(value, str):  # YAML 1.1 reads "1e-3" as a string; let authors write "1/4" too
            return parse_number(value)
        return value

    @field_validator("tolerance")
    @classmethod
    def _tolerance(cls, tolerance: float) -> float:
        if tolerance < 0:
            raise ValueError(f"tolerance must be >= 0 (got {tolerance:g})")
        return tolerance


def _check_pattern(text: str) -> str:
    try:
        compile_pattern(text)
    except PatternError as exc:
        raise ValueError(str(exc)) from None
    return text


Pattern = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                    AfterValidator(_check_pattern), Field(description=(
                        "Terms joined by ' + ' that one sentence must all contain; 'a | b' alternatives; a leading "
                        "'not:' for a negated claim; '~1e-6' for an approximate number (see questions/README.md)."))]
Patterns = Annotated[list[Pattern], Field(min_length=1, max_length=16)]


class Misconception(Strict):
    """A wrong claim real candidates make: stated in an answer, it costs credit and is named in the feedback."""

    claim: Short = Field(description="The wrong claim as the feedback names it, e.g. 'clipping fixes vanishing'.")
    match: Patterns
    weight: float | None = Field(default=None, gt=0, le=10,
                                 description="Credit it costs (default: the weight of the claim it contradicts).")


class Claim(Strict):
    """One claim a good answer states: a relation between terms, found by any of its `match` patterns."""

    claim: Short = Field(description="The claim as the feedback names it, e.g. \"sigmoid's slope is at most 1/4\".")
    match: Patterns
    weight: float = Field(default=1.0, gt=0, le=10)
    bonus: bool = Field(default=False, description="Extra credit: counts when stated, never needed for full credit.")
    misconceptions: list[Misconception] = Field(default_factory=list, max_length=8)

    @model_validator(mode="before")
    @classmethod
    def _old_format(cls, data: object) -> object:
        if isinstance(data, dict) and "phrases" in data:
            raise ValueError("keyword rubric items ('name' + 'phrases') are no longer graded: write a claim with "
                             "'claim' and 'match' patterns (questions/README.md, 'Free-response rubrics')")
        return data


def _echo_only(pattern: str, prompt: frozenset[str]) -> bool:
    """Whether every word any alternative of the pattern could use is a word of the prompt (never earnable)."""
    compiled = compile_pattern(pattern)
    return not compiled.negated and all(set(alt) <= prompt for term in compiled.terms for alt in term)


class FreeResponse(QuestionBase):
    type: Literal["free_response"]
    model_answer: Text
    rubric: list[Claim] = Field(max_length=12, description="The claims a good answer states, with weights.")
    time_limit_s: int = Field(default=120, ge=15, le=1800, description="Suggested answering time in seconds.")

    @field_validator("rubric")
    @classmethod
    def _rubric(cls, rubric: list[Claim], info: ValidationInfo) -> list[Claim]:
        if not rubric:
            raise ValueError("rubric is empty: add at least one claim with its patterns")
        if all(c.bonus for c in rubric):
            raise ValueError("every claim is a bonus: at least one claim must be required for full credit")
        names = [c.claim.casefold() for c in rubric]
        if dup := next((n for n in names if names.count(n) > 1), None):
            raise ValueError(f"claim {dup!r} appears twice")
        said = prompt_words(info.data.get("prompt") or "")
        for i, claim in enumerate(rubric):
            for j, pattern in enumerate(claim.match):
                if _echo_only(pattern, said):
                    raise ValueError(f"rubric.{i}.match.{j}: {pattern!r} uses only words of the prompt, so no answer "
                                     "could earn it (an echo of the prompt earns nothing): add a term the prompt "
                                     "does not contain")
        return rubric


class Preset(Strict):
    """An experiment to run after answering: a lab page and its URL parameters."""

    page: LabPath
    params: Annotated[dict[str, str | bool | int | float], WithJsonSchema(presets.json_schema())] = Field(
        default_factory=dict, max_length=20, description="Lab URL parameters (engine config field names)."
    )

    @field_validator("params")
    @classmethod
    def _params(cls, params: dict[str, object], info: ValidationInfo) -> dict[str, object]:
        """The params must be settings of this page, with values the page uses as given (no clamping)."""
        problems = presets.check_params(info.data.get("page", ""), params)
        if problems:
            raise ValueError("; ".join(problems))
        return params

    @property
    def url(self) -> str:
        return presets.preset_url(self.page, self.params)


class Predict(QuestionBase):
    type: Literal["predict"]
    preset: Preset
    options: Options
    answer: Index
    shuffle: Shuffle = True

    check_options = field_validator("options")(_check_options)
    check_answer = field_validator("answer")(_check_index)


Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Numeric | FreeResponse | Predict,
    Field(discriminator="type"),
]
QUESTION_ADAPTER: TypeAdapter[Question] = TypeAdapter(Question)


class BankFile(Strict):
    """One YAML bank file: an optional title and a list of questions."""

    title: Short | None = None
    questions: list[Question]


def json_schema() -> dict:
    """The JSON Schema of a bank file, for editors (yaml-language-server) and `python -m questions schema`."""
    schema = BankFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Gradient Lab question bank"
    return schema
