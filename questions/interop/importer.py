"""Moodle XML or GIFT file -> a YAML bank validated by questions.loader; every problem located in the input file.

A question that cannot be mapped, or whose mapped fields the loader refuses, is left out of the YAML and
reported as `file:line: question 'id', field 'x': message`, the line being where it starts in the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from explainer.core.sitemap import TOPIC_BY_SLUG
from questions.interop.draft import Draft
from questions.loader import BankError, load_sources
from questions.schema import Question

FORMATS = ("moodle-xml", "gift")
MAX_BYTES = 10_000_000  # Moodle XML exports can embed pictures; anything larger is refused before parsing
COVERS = {"value": ("tolerance",)}  # a numerical key that could not be read leaves its tolerance unset too


@dataclass(frozen=True)
class Defaults:
    """Fields to fill when the file does not say (questions written outside Gradient Lab)."""

    topic: str | None = None
    difficulty: str | None = None
    learn: tuple[str, ...] = ()


@dataclass
class Imported:
    """The validated questions, the YAML bank holding exactly them, and located errors for the rest."""

    yaml_text: str
    questions: list[Question] = field(default_factory=list)
    errors: list[BankError] = field(default_factory=list)


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as `|-` blocks, like the hand-written banks."""


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


def _list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    short = all(isinstance(x, int | float) or (isinstance(x, str) and "\n" not in x) for x in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items,
                                     flow_style=short and len(repr(items)) <= 80)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, _list)


def dump_bank(questions: list[dict], title: str | None = None) -> str:
    """A bank YAML document (title, then questions in authors' key order)."""
    doc: dict[str, object] = {"title": title} if title else {}
    doc["questions"] = questions
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120, indent=2)


def detect_format(name: str, data: bytes) -> str:
    """moodle-xml for .xml files or text starting with '<', otherwise gift."""
    if name.lower().endswith(".xml") or data.lstrip()[:1] == b"<":
        return "moodle-xml"
    return "gift"


def _apply_defaults(draft: Draft, defaults: Defaults) -> None:
    data = draft.data
    if "topic" not in data:
        last = (draft.category or "").rstrip("/").rsplit("/", 1)[-1].strip()
        topic = last if last in TOPIC_BY_SLUG else defaults.topic
        if topic:
            data["topic"] = topic
    if "difficulty" not in data and defaults.difficulty:
        data["difficulty"] = defaults.difficulty
    if "learn" not in data:
        learn = list(defaults.learn) or ([TOPIC_BY_SLUG[data["topic"]].learn] if data.get("topic") in TOPIC_BY_SLUG
                                         else [])
        if learn:
            data["learn"] = learn


def _question_lines(text: str) -> list[int]:
    """1-based YAML line where each question of a dumped bank starts."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    items = next(v for k, v in root.value if k.value == "questions")
    return [node.start_mark.line + 1 for node in items.value]


def validate_drafts(drafts: list[Draft], source: str, defaults: Defaults = Defaults()) -> Imported:
    """Fill defaults, run the loader on the drafts, keep the questions that pass, locate every problem."""
    for draft in drafts:
        _apply_defaults(draft, defaults)
    errors: list[tuple[int, BankError]] = []
    for i, draft in enumerate(drafts):
        errors += [(i, BankError(source, draft.line, message, draft.label, name)) for name, message in draft.problems]
    text = dump_bank([d.ordered() for d in drafts])
    starts = _question_lines(text) if drafts else []
    bank = load_sources([(source, text)])
    for err in bank.errors:
        i = max((j for j, start in enumerate(starts) if err.line and start <= err.line), default=0)
        mapped = {name.split(".")[0] for name, _ in drafts[i].problems} if drafts else set()
        mapped |= {f for name in mapped for f in COVERS.get(name, ())}
        # A problem already reported for a field (or for the whole type) is not repeated in the loader's words.
        if "type" not in mapped and (err.field is None or err.field.split(".")[0] not in mapped):
            errors.append((i, BankError(source, drafts[i].line if drafts else None, err.message,
                                        drafts[i].label if drafts else None, err.field)))
    bad = {i for i, _ in errors}
    keep = [d.ordered() for i, d in enumerate(drafts) if i not in bad]
    final = dump_bank(keep, f"Imported from {Path(source).name}")
    return Imported(final, list(load_sources([(source, final)]).questions), [e for _, e in sorted(errors,
                                                                                             key=lambda p: p[0])])


def import_bytes(data: bytes, source: str, fmt: str | None = None, defaults: Defaults = Defaults()) -> Imported:
    """Read a Moodle XML or GIFT document (format detected from `source` and the content when not given)."""
    from questions.interop import gift, moodle

    fmt = fmt or detect_format(source, data)
    if len(data) > MAX_BYTES:
        return Imported(dump_bank([]), errors=[BankError(source, None, f"file is larger than {MAX_BYTES // 10**6} MB")])
    try:
        if fmt == "moodle-xml":
            drafts = moodle.read_moodle(data)
        elif fmt == "gift":
            drafts = gift.read_gift(data.decode("utf-8-sig"))
        else:
            raise ValueError(f"cannot import {fmt!r}; importable formats: {', '.join(FORMATS)}")
    except UnicodeDecodeError as exc:
        return Imported(dump_bank([]), errors=[BankError(source, None, f"not UTF-8 text: {exc.reason}")])
    except moodle.MoodleError as exc:
        return Imported(dump_bank([]), errors=[BankError(source, exc.line, str(exc))])
    if not drafts:
        return Imported(dump_bank([]), errors=[BankError(source, None, "no questions found")])
    return validate_drafts(drafts, source, defaults)


def import_file(path: str | Path, fmt: str | None = None, defaults: Defaults = Defaults()) -> Imported:
    """import_bytes on a file, errors naming it as given."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Imported(dump_bank([]), errors=[BankError(str(path), None, f"cannot read: {exc.strerror or exc}")])
    return import_bytes(data, str(path), fmt, defaults)
