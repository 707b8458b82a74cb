"""What Moodle XML and GIFT share: metadata tags, the general-feedback sections, answer fractions, preset links.

A bank question carries more than an LMS question has fields for. The rest travels in two visible places,
so an instructor reading the question in Moodle sees it too and an import can read it back:
- tags `topic:..`, `difficulty:..`, `learn:..` (and, where the format has no field for them, `accept:..`,
  `relative-tolerance:..`, `unit:..`, `time-limit:..`, `shuffle:false`), next to the question's own tags;
- the general feedback: the explanation, then `<h4>` sections "Model answer", "Key concepts" (the rubric's claims),
  "Experiment" (a predict question's lab link) and "Source".
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from explainer.core.sitemap import LAB_PATHS
from explainer.core.urls import check_value, parse, split_url
from explainer.lab.specs import LABS
from questions.interop.markup import from_html, inline_html, to_html
from questions.schema import Claim, FreeResponse, MultipleChoice, Numeric, Predict, Question

MODEL_ANSWER, KEY_CONCEPTS, EXPERIMENT, SOURCE = "Model answer", "Key concepts", "Experiment", "Source"
SECTIONS = (MODEL_ANSWER, KEY_CONCEPTS, EXPERIMENT, SOURCE)
DEFAULT_TIME_LIMIT = 120  # questions.schema.FreeResponse.time_limit_s's default
CATEGORY_ROOT = "$course$/top/Gradient Lab"


def num(x: float) -> str:
    """Shortest text that reads back as the same float: 0.25 -> "0.25", 2.0 -> "2", 9.54e-07 -> "9.54e-07"."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def slug(text: str) -> str:
    """A foreign tag or name as a bank slug: "Chapter 3: Init" -> "chapter-3-init"."""
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))


# ---- metadata tags -------------------------------------------------------------------------------------------


def meta_tags(q: Question, *, native_units: bool = False, native_shuffle: bool = False) -> list[str]:
    """The question's own tags plus `key:value` tags for the fields a format has no place for."""
    tags = [f"topic:{q.topic}", f"difficulty:{q.difficulty}", *(f"learn:{p}" for p in q.learn)]
    if isinstance(q, Numeric):
        tags += [f"accept:{form}" for form in q.accept] or ["accept:none"]
        if q.relative:
            tags.append(f"relative-tolerance:{num(q.tolerance)}")
        if q.unit and not native_units:
            tags.append(f"unit:{q.unit}")
    if isinstance(q, FreeResponse) and q.time_limit_s != DEFAULT_TIME_LIMIT:
        tags.append(f"time-limit:{q.time_limit_s}")
    if getattr(q, "shuffle", True) is False and not native_shuffle:
        tags.append("shuffle:false")
    return [*q.tags, *tags]


@dataclass
class Meta:
    """What read_tags found: bank fields, the plain tags, and tags it could not read."""

    fields: dict[str, object] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message)


def read_tags(raw_tags: list[str]) -> Meta:
    """Inverse of meta_tags; a foreign tag becomes a slug ("Week 3" -> "week-3")."""
    meta = Meta()
    learn: list[str] = []
    accept: list[str] = []
    for raw in raw_tags:
        key, sep, value = raw.strip().partition(":")
        try:
            if not sep or not value:
                tag = slug(raw)
                if tag and tag not in meta.tags:
                    meta.tags.append(tag)
            elif key in ("topic", "difficulty"):
                meta.fields[key] = value
            elif key == "learn":
                learn.append(value)
            elif key == "accept":
                accept += [] if value == "none" else [value]
                meta.fields["accept"] = accept
            elif key == "relative-tolerance":
                meta.fields["relative_tolerance"] = float(value)
            elif key == "unit":
                meta.fields["unit"] = value
            elif key == "time-limit":
                meta.fields["time_limit_s"] = int(value)
            elif key == "shuffle":
                meta.fields["shuffle"] = value != "false"
            elif tag := slug(raw):
                meta.tags.append(tag)
        except ValueError:
            meta.problems.append((key.replace("-", "_"), f"tag {raw!r} does not hold a number"))
    if learn:
        meta.fields["learn"] = learn
    return meta


# ---- general feedback ----------------------------------------------------------------------------------------


MISCONCEPTION = "Misconception:"  # an item that belongs to the claim listed before it


def _codes(patterns: list[str]) -> str:
    return ", ".join(f"<code>{html.escape(p, quote=False)}</code>" for p in patterns)


def rubric_html(rubric: list[Claim]) -> str:
    """The rubric as a list: each claim (weight when not 1, 'bonus') with its patterns, then its misconceptions."""
    items = []
    for c in rubric:
        meta = ([f"weight {num(c.weight)}"] if c.weight != 1 else []) + (["bonus"] if c.bonus else [])
        note = f" ({', '.join(meta)})" if meta else ""
        items.append(f"<li><strong>{html.escape(c.claim, quote=False)}</strong>{note}: {_codes(c.match)}</li>")
        for m in c.misconceptions:
            note = f" (weight {num(m.weight)})" if m.weight is not None else ""
            items.append(f"<li>{MISCONCEPTION} <strong>{html.escape(m.claim, quote=False)}</strong>{note}: "
                         f"{_codes(m.match)}</li>")
    return "<ul>\n" + "\n".join(items) + "\n</ul>"


def preset_url(q: Predict, app_url: str | None) -> str:
    """The predict question's lab link, absolute when the app's public address is known."""
    return (app_url or "").rstrip("/") + q.preset.url


def feedback_html(q: Question, app_url: str | None = None) -> str:
    """General feedback: the explanation, then the sections an LMS has no field for."""
    parts = [to_html(q.explanation)]
    if isinstance(q, FreeResponse):
        parts.append(grader_html(q))
    if isinstance(q, Predict):
        url = html.escape(preset_url(q, app_url))
        parts += [f"<h4>{EXPERIMENT}</h4>", f'<p><a href="{url}">Run this experiment in Gradient Lab</a></p>']
    if q.source:
        parts += [f"<h4>{SOURCE}</h4>", f"<p>{inline_html(q.source)}</p>"]
    return "\n".join(parts)


def grader_html(q: FreeResponse) -> str:
    """What a Moodle grader sees beside an essay: the model answer and the rubric."""
    return "\n".join([f"<h4>{MODEL_ANSWER}</h4>", to_html(q.model_answer), f"<h4>{KEY_CONCEPTS}</h4>",
                      rubric_html(q.rubric)])


_H4 = re.compile(r"<h4>\s*(.*?)\s*</h4>", re.IGNORECASE | re.DOTALL)
_LI = re.compile(r"<li>(.*?)</li>", re.IGNORECASE | re.DOTALL)
_CONCEPT = re.compile(r"\s*(?P<wrong>Misconception:)?\s*<strong>(?P<name>.*?)</strong>(?:\s*\((?P<meta>[^)]*)\))?"
                      r"\s*:(?P<rest>.*)", re.DOTALL)
_HREF = re.compile(r"""<a\s[^>]*href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


@dataclass
class Feedback:
    """General feedback split back into bank fields; problems are (field, message) pairs."""

    fields: dict[str, object] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _split_sections(text: str) -> dict[str, str]:
    sections = {"": ""}
    current = ""
    pieces = _H4.split(text)
    sections[""] = pieces[0]
    for heading, body in zip(pieces[1::2], pieces[2::2], strict=True):
        name = html.unescape(re.sub(r"<[^>]+>", "", heading)).strip()
        if name in SECTIONS and name not in sections:
            current = name
            sections[current] = body
        else:  # someone else's heading: part of the section it sits in
            sections[current] += f"<h4>{heading}</h4>{body}"
    return sections


def read_rubric(text: str) -> tuple[list[dict], list[str]]:
    """Inverse of rubric_html: claim dicts (claim, match, weight, bonus, misconceptions) and problems."""
    rubric: list[dict] = []
    problems: list[str] = []
    for item in _LI.findall(text):
        m = _CONCEPT.match(item)
        if not m:
            problems.append(f"key concept {html.unescape(re.sub(r'<[^>]+>', '', item)).strip()[:60]!r} is not "
                            "written as '<strong>claim</strong> (weight w): <code>pattern</code>, ...'")
            continue
        entry: dict[str, object] = {"claim": html.unescape(m["name"]),
                                    "match": [html.unescape(p) for p in re.findall(r"<code>(.*?)</code>",
                                                                                   m["rest"], re.DOTALL)]}
        for part in (p.strip() for p in (m["meta"] or "").split(",") if p.strip()):
            if part == "bonus" and not m["wrong"]:
                entry["bonus"] = True
            elif part.startswith("weight "):
                try:
                    entry["weight"] = float(part.removeprefix("weight "))
                except ValueError:
                    problems.append(f"weight {part!r} of key concept {entry['claim']!r} is not a number")
            else:
                problems.append(f"{part!r} of key concept {entry['claim']!r} is neither 'weight w' nor 'bonus'")
        if m["wrong"]:
            if not rubric:
                problems.append(f"misconception {entry['claim']!r} comes before any claim")
                continue
            rubric[-1].setdefault("misconceptions", []).append(entry)
        else:
            rubric.append(entry)
    return rubric, problems


def read_feedback(text: str) -> Feedback:
    """Inverse of feedback_html (explanation, model_answer, rubric, preset, source)."""
    out = Feedback()
    sections = _split_sections(text)
    for key, name in (("explanation", ""), ("model_answer", MODEL_ANSWER), ("source", SOURCE)):
        if name in sections:
            md, problems = from_html(sections[name])
            out.problems += [(key, p) for p in problems]
            if md:
                out.fields[key] = md
    if KEY_CONCEPTS in sections:
        rubric, problems = read_rubric(sections[KEY_CONCEPTS])
        out.fields["rubric"] = rubric
        out.problems += [("rubric", p) for p in problems]
    if EXPERIMENT in sections:
        links = _HREF.findall(sections[EXPERIMENT])
        if links:
            preset, problem = read_preset_url(html.unescape(links[0]))
            if problem:
                out.problems.append(("preset", problem))
            else:
                out.fields["preset"] = preset
        else:
            out.problems.append(("preset", "the Experiment section has no link to a lab page"))
    return out


def _param(value: str) -> object:
    """A URL value typed as YAML would type it: true/false, whole numbers, other numbers, else text."""
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"[-+]?\d+", value):
        return int(value)
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", value):
        return float(value)
    return value


def read_preset_url(url: str) -> tuple[dict, str | None]:
    """A lab link (absolute or relative) back to a preset {page, params}, or the reason it cannot be read."""
    page, pairs = split_url(url)
    if page not in LAB_PATHS:
        return {}, f"link {url!r} does not open a lab page (/lab-...)"
    specs = LABS[page].specs
    params = {key: parse(specs[key], value) if key in specs and check_value(specs[key], value) is None
              else _param(value) for key, value in pairs}  # an unknown or bad value is reported by the bank check
    return {"page": page, "params": params}, None


# ---- answer fractions ----------------------------------------------------------------------------------------


def fraction_text(percent: float) -> str:
    """Moodle's notation for a grade percentage: 100, 50, 33.33333, -50 (five decimals at most)."""
    return f"{percent:.5f}".rstrip("0").rstrip(".")


def choice_fractions(q: Question) -> list[float]:
    """Percent per option. Single: 100 for the key. Multiple: +100/n_right each, -100/n_wrong each wrong pick,
    which with Moodle's floor at 0 is exactly questions.quiz.grade_multiple's partial credit."""
    if isinstance(q, MultipleChoice):
        n_right, n_wrong = len(q.answers), len(q.options) - len(q.answers)
        return [100 / n_right if i in q.answers else -100 / n_wrong for i in range(len(q.options))]
    return [100.0 if i == q.answer else 0.0 for i in range(len(q.options))]


def read_fractions(fractions: list[float], single: bool) -> tuple[object, str | None]:
    """The key from option percentages: an index (single) or sorted indices (multiple), or why it cannot be read.

    Wrong-option penalties are not read: the bank's grading fixes them (0 for single choice, -1/n_wrong each
    for multiple choice)."""
    right = [i for i, f in enumerate(fractions) if f > 0]
    if not right:
        return None, "no option has a positive grade, so there is no key"
    if single:
        full = [i for i in right if abs(fractions[i] - 100) < 1e-3]
        if len(right) == 1 and full:
            return right[0], None
        grades = ", ".join(fraction_text(fractions[i]) for i in right)
        return None, f"options worth {grades}%: a single-choice key is one option worth 100% (no partial credit)"
    if len({round(fractions[i], 3) for i in right}) > 1 or abs(sum(fractions[i] for i in right) - 100) > 0.01:
        grades = ", ".join(fraction_text(fractions[i]) for i in right)
        return None, (f"correct options are worth {grades}%: the bank weighs every correct option equally, "
                      "summing to 100%")
    return right, None
