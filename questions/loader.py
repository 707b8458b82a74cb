"""YAML banks -> validated questions; every problem is one line naming file, line, question id and field.

Only plain YAML data is read (yaml.SafeLoader): tags that would construct Python objects are refused
before anything runs. A bad question is dropped with its error; the rest of its file is still served.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from questions.schema import QUESTION_ADAPTER, Question

BUILTIN_DIR = Path(__file__).resolve().parent / "bank"
BANK_DIR_ENV = "GRADIENT_LAB_BANK_DIR"  # instructor banks: a directory of *.yaml files
MAX_BYTES = 1_000_000
TOP_KEYS = {"title", "questions"}


@dataclass(frozen=True)
class BankError:
    """One located problem; str() is the one-line message authors read."""

    source: str
    line: int | None
    message: str
    question_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        what = []
        if self.question_id is not None:
            what.append(f"question {self.question_id!r}")
        if self.field:
            what.append(f"field {self.field!r}")
        text = f"{where}: {', '.join(what) + ': ' if what else ''}{self.message}"
        return " ".join(text.split())


@dataclass(frozen=True)
class Bank:
    """Questions that validated (in file order) and the errors of those that did not."""

    questions: tuple[Question, ...] = ()
    errors: tuple[BankError, ...] = ()
    origin: dict[str, str] = field(default_factory=dict, compare=False)  # question id -> "source:line"

    @property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


def _line_of(node: yaml.Node | None, loc: Iterable[object]) -> int | None:
    """1-based line of the YAML node at `loc` (keys and indices), or of its deepest existing ancestor."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _parse(text: str, source: str) -> tuple[object, yaml.Node | None, list[BankError]]:
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        return None, None, [BankError(source, None, f"file is larger than {MAX_BYTES // 1000} kB")]
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node, []
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        tag = (exc.problem or "").split("tag ")[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
        message = f"YAML tag {tag} is not allowed: banks are plain data (no Python objects)"
        return None, None, [BankError(source, mark.line + 1 if mark else None, message)]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return None, None, [BankError(source, line, f"invalid YAML: control character {char} is not allowed")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
        problem = ", ".join(p for p in parts if p) or str(exc).splitlines()[0]
        return None, None, [BankError(source, mark.line + 1 if mark else None, f"invalid YAML: {problem}")]
    except RecursionError:
        return None, None, [BankError(source, None, "invalid YAML: nested too deeply")]
    finally:
        if loader is not None:
            loader.dispose()


def _field_name(loc: tuple[object, ...]) -> str:
    return ".".join(str(p) for p in loc) if loc else "type"


def _message(err: dict) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "union_tag_not_found":
        return "missing 'type'; one of: single_choice, multiple_choice, true_false, numeric, free_response, predict"
    if err["type"] == "extra_forbidden":
        return "unknown field (typo?)"
    if err["type"] == "missing":
        return "missing required field"
    if err["type"] == "string_pattern_mismatch":
        return "must be lower-case letters and digits joined by - or _ (e.g. 'van-sigmoid-max')"
    if err["type"] == "literal_error":
        return f"{str(err.get('input'))[:60]!r} is not one of {err.get('ctx', {}).get('expected', '')}"
    return msg


def load_bank_text(text: str, source: str) -> tuple[list[Question], list[BankError]]:
    """Validate one bank document; return its valid questions and one located error per problem."""
    found, errors = _load(text, source)
    return [q for q, _ in found], errors


def _load(text: str, source: str) -> tuple[list[tuple[Question, int | None]], list[BankError]]:
    data, root, errors = _parse(text, source)
    if errors:
        return [], errors
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        hint = "a bank is a mapping with a 'questions:' list (and an optional 'title:')"
        return [], [BankError(source, _line_of(root, ()), hint)]
    errors += [BankError(source, _line_of(root, (k,)), f"unknown top-level key {k!r}; allowed: questions, title")
               for k in data if k not in TOP_KEYS]
    if "title" in data and not isinstance(data["title"], str):
        errors.append(BankError(source, _line_of(root, ("title",)), "title must be text"))
    found: list[tuple[Question, int | None]] = []
    for i, item in enumerate(data["questions"]):
        where = ("questions", i)
        line = _line_of(root, where)
        if not isinstance(item, dict):
            errors.append(BankError(source, line, f"question #{i + 1} is not a mapping of fields"))
            continue
        raw_id = item.get("id")
        qid = raw_id if isinstance(raw_id, str) and 0 < len(raw_id) <= 80 else f"#{i + 1}"
        try:
            found.append((QUESTION_ADAPTER.validate_python(item), line))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = tuple(err["loc"])
                loc = loc[1:] if loc and loc[0] == item.get("type") else loc
                errors.append(BankError(source, _line_of(root, (*where, *loc)), _message(err), qid, _field_name(loc)))
        except RecursionError:
            errors.append(BankError(source, line, "nested too deeply", qid))
    return found, errors


def load_sources(sources: Iterable[tuple[str, str]]) -> Bank:
    """Merge (source name, YAML text) banks; a repeated id is an error naming both places."""
    questions: list[Question] = []
    errors: list[BankError] = []
    origin: dict[str, str] = {}
    for source, text in sources:
        found, problems = _load(text, source)
        errors += problems
        for q, line in found:
            if q.id in origin:
                errors.append(BankError(source, line, f"duplicate id, first defined at {origin[q.id]}", q.id, "id"))
                continue
            origin[q.id] = f"{source}:{line}" if line else source
            questions.append(q)
    return Bank(tuple(questions), tuple(errors), origin)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_sources(paths: Iterable[str | os.PathLike]) -> tuple[list[tuple[str, str]], list[BankError]]:
    """(name, text) of every bank file under `paths` (files, or directories of *.yaml / *.yml)."""
    sources: list[tuple[str, str]] = []
    errors: list[BankError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        elif path.is_file():
            files = [path]
        else:
            errors.append(BankError(_display(path), None, "no such file or directory"))
            continue
        for file in files:
            name = _display(file)
            try:
                if file.stat().st_size > MAX_BYTES:
                    errors.append(BankError(name, None, f"file is larger than {MAX_BYTES // 1000} kB"))
                    continue
                sources.append((name, file.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(BankError(name, None, f"cannot read: {exc.__class__.__name__}: {exc}"))
    return sources, errors


def load_banks(paths: Iterable[str | os.PathLike], extra: Iterable[tuple[str, str]] = ()) -> Bank:
    """Load bank files/directories plus extra (name, text) sources into one Bank (questions + errors)."""
    sources, read_errors = read_sources(paths)
    bank = load_sources([*sources, *extra])
    return Bank(bank.questions, (*read_errors, *bank.errors), bank.origin)


def default_paths() -> list[Path]:
    """The built-in bank, plus the instructor directory named by $GRADIENT_LAB_BANK_DIR when set."""
    paths = [BUILTIN_DIR]
    extra = os.environ.get(BANK_DIR_ENV, "").strip()
    if extra:
        paths.append(Path(extra))
    return paths
