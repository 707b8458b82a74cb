"""Parse a Learn page's markdown into blocks (headings, text, display math, code, figures, links, callouts).

Pure Python, no streamlit: the view renders the blocks; tests read the same blocks to check links, run
snippets and look up figures. Syntax on top of plain markdown (each on its own line):

    # Page title                       first line of the file
    ## Section / ### Subsection        headings get stable anchors; `##` headings build the table of contents
    $$ ... $$                          display math (one line, or `$$` lines around a block)
    ```python ... ```                  code; every python block must run as-is (a test executes each one)
    ::figure <name>                    a computed chart from explainer.learn.figures.FIGURES
    ::link <url_path>[?k=v&...] | label    a one-click page link (label optional: the page title)
    ::slot <name>                      a hook the view fills in (e.g. class_presets on Home)
    :::note|tip|warning|seed ... :::   a callout box around markdown
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from explainer.core.urls import split_url

CONTENT_DIR = Path(__file__).resolve().parent / "content"
CALLOUTS = ("note", "tip", "warning", "seed")
DIRECTIVES = ("figure", "link", "slot")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


class ContentError(ValueError):
    """A malformed content file; the message names the file and line."""


@dataclass(frozen=True)
class Heading:
    level: int  # 2 or 3
    text: str
    anchor: str


@dataclass(frozen=True)
class Markdown:
    text: str


@dataclass(frozen=True)
class Latex:
    body: str


@dataclass(frozen=True)
class Code:
    language: str
    source: str
    line: int  # 1-based line of the opening fence, for error messages


@dataclass(frozen=True)
class Figure:
    name: str


@dataclass(frozen=True)
class Link:
    url_path: str
    query: tuple[tuple[str, str], ...]
    label: str | None


@dataclass(frozen=True)
class Slot:
    name: str


@dataclass(frozen=True)
class Callout:
    kind: str
    text: str


Block = Heading | Markdown | Latex | Code | Figure | Link | Slot | Callout


@dataclass(frozen=True)
class Doc:
    name: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def toc(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and b.level == 2]

    def of(self, kind: type) -> list:
        return [b for b in self.blocks if isinstance(b, kind)]

    @property
    def snippets(self) -> list[Code]:
        return [b for b in self.of(Code) if b.language == "python"]

    @property
    def markdown_links(self) -> list[tuple[str, str]]:
        """(label, target) of every inline markdown link, in text and callouts."""
        texts = [b.text for b in self.blocks if isinstance(b, Markdown | Callout)]
        return [m.groups() for t in texts for m in _MD_LINK.finditer(t)]


def slugify(text: str) -> str:
    """Anchor for a heading: ascii words joined by '-', math and markup dropped."""
    text = re.sub(r"\$[^$]*\$", " ", text)
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def parse_link(spec: str) -> Link:
    """`url_path[?query] | label` -> Link; the query may repeat keys."""
    target, _, label = (part.strip() for part in spec.partition("|"))
    page, params = split_url(target)
    return Link(page, tuple(params), label or None)


def parse(text: str, name: str = "<string>") -> Doc:
    """Split one markdown document into blocks; raises ContentError naming file and line."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ContentError(f"{name}:1: the first line must be the page title ('# Title')")
    title = lines[0][2:].strip()
    blocks: list[Block] = []
    buf: list[str] = []
    anchors: set[str] = set()

    def flush() -> None:
        body = "\n".join(buf).strip("\n")
        if body.strip():
            blocks.append(Markdown(body))
        buf.clear()

    def until(start: int, closing: str, what: str) -> int:
        for j in range(start + 1, len(lines)):
            if lines[j].strip() == closing:
                return j
        raise ContentError(f"{name}:{start + 1}: {what} opened here is never closed with '{closing}'")

    i = 1
    while i < len(lines):
        line, stripped = lines[i], lines[i].strip()
        if stripped.startswith("```"):
            flush()
            end = until(i, "```", "code block")
            lang = stripped[3:].strip() or "text"
            blocks.append(Code(lang, "\n".join(lines[i + 1 : end]) + "\n", i + 1))
            i = end + 1
            continue
        if stripped == "$$":
            flush()
            end = until(i, "$$", "display math")
            blocks.append(Latex("\n".join(lines[i + 1 : end]).strip()))
            i = end + 1
            continue
        if stripped.startswith("$$") and stripped.endswith("$$") and len(stripped) > 4:
            flush()
            blocks.append(Latex(stripped[2:-2].strip()))
        elif m := re.match(r"^(#{2,3}) (.+)$", line):
            flush()
            text_ = m.group(2).strip()
            anchor = base = slugify(text_) or f"section-{len(anchors) + 1}"
            n = 2
            while anchor in anchors:
                anchor, n = f"{base}-{n}", n + 1
            anchors.add(anchor)
            blocks.append(Heading(len(m.group(1)), text_, anchor))
        elif stripped.startswith(":::"):
            kind = stripped[3:].strip()
            if kind not in CALLOUTS:
                raise ContentError(f"{name}:{i + 1}: unknown callout {kind!r}; use one of {', '.join(CALLOUTS)}")
            flush()
            end = until(i, ":::", "callout")
            blocks.append(Callout(kind, "\n".join(lines[i + 1 : end]).strip()))
            i = end + 1
            continue
        elif stripped.startswith("::"):
            directive, _, arg = stripped[2:].partition(" ")
            arg = arg.strip()
            if directive not in DIRECTIVES or not arg:
                raise ContentError(f"{name}:{i + 1}: bad directive {stripped!r}; use ::figure NAME, "
                                   "::link PATH[?QUERY] | LABEL or ::slot NAME")
            flush()
            blocks.append({"figure": Figure, "slot": Slot}[directive](arg) if directive != "link" else parse_link(arg))
        else:
            buf.append(line)
        i += 1
    flush()
    return Doc(name, title, tuple(blocks))


def content_path(name: str) -> Path:
    return CONTENT_DIR / f"{name}.md"


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int) -> Doc:
    return parse(path.read_text(encoding="utf-8"), path.name)


def load(name: str) -> Doc:
    """The parsed page `explainer/learn/content/<name>.md`, re-read when the file changes (authors edit live)."""
    path = content_path(name)
    if not path.is_file():
        raise ContentError(f"no content file {path.name} in {CONTENT_DIR}")
    return _load(path, path.stat().st_mtime_ns)


def all_names() -> list[str]:
    """Every content file's name (without .md), sorted."""
    return sorted(p.stem for p in CONTENT_DIR.glob("*.md"))
