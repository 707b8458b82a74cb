"""Bank markdown <-> the HTML that Moodle, GIFT and Anki show, with $..$ / $$..$$ as MathJax's \\( \\) / \\[ \\].

Only the markdown the bank uses is converted: paragraphs (blank lines), **bold**, *emphasis*, `code` and math.
Anything else stays literal text, so `from_html(to_html(md)) == md` for every text (the round-trip tests check
this on the whole bank). Soft line breaks inside a paragraph are kept as newlines (HTML shows them as spaces).
from_html also reads HTML written by other tools: unknown tags are dropped and their text kept, <br> and list
items become lines, and images are reported (a question that needs a picture cannot be mapped).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Order matters: code spans first (their content is literal), then display math before inline math.
_INLINE = re.compile(
    r"(?P<code>`[^`\n]+`)"
    r"|\$\$(?P<display>.+?)\$\$"
    r"|\$(?P<math>[^$]+?)\$"
    r"|\*\*(?P<bold>(?:(?!\*\*).)+?)\*\*"
    r"|(?<![*\w])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![*\w])",
    re.DOTALL,
)
_HTML_MATH = re.compile(r"\\\((?P<math>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.DOTALL)


def inline_html(md: str) -> str:
    """One paragraph of bank markdown as inline HTML (no <p>): math as \\( \\) and \\[ \\], text escaped."""
    out: list[str] = []
    pos = 0
    for m in _INLINE.finditer(md):
        out.append(html.escape(md[pos : m.start()], quote=False))
        pos = m.end()
        if m["code"]:
            out.append(f"<code>{html.escape(m['code'][1:-1], quote=False)}</code>")
        elif m["display"] is not None:
            out.append(f"\\[{html.escape(m['display'], quote=False)}\\]")
        elif m["math"] is not None:
            out.append(f"\\({html.escape(m['math'], quote=False)}\\)")
        elif m["bold"] is not None:
            out.append(f"<strong>{inline_html(m['bold'])}</strong>")
        else:
            out.append(f"<em>{inline_html(m['em'])}</em>")
    out.append(html.escape(md[pos:], quote=False))
    return "".join(out)


def to_html(md: str) -> str:
    """Bank markdown as HTML paragraphs, one <p> per blank-line-separated block."""
    return "\n".join(f"<p>{inline_html(block)}</p>" for block in md.split("\n\n"))


def math_to_dollars(text: str) -> str:
    """\\( x \\) -> $ x $ and \\[ x \\] -> $$ x $$ (plain text that already had its entities decoded)."""
    return _HTML_MATH.sub(lambda m: f"$${m['display']}$$" if m["display"] is not None else f"${m['math']}$", text)


_BLOCKS = {"p", "div", "ul", "ol", "table", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`", "tt": "`"}
_DROP = {"script", "style"}


class _ToMarkdown(HTMLParser):
    """Collects markdown from HTML; see from_html."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.in_code = 0
        self.dropping = 0
        self.links: list[str | None] = []
        self.problems: list[str] = []

    def _new_block(self) -> None:
        if "".join(self.blocks[-1]).strip():
            self.blocks.append([])
        else:
            self.blocks[-1] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += 1
        elif tag in _BLOCKS:
            self._new_block()
        elif tag == "br":
            self.blocks[-1].append("\n")
        elif tag == "li":
            self.blocks[-1].append(("\n" if "".join(self.blocks[-1]).strip() else "") + "- ")
        elif tag in _MARKS:
            self.blocks[-1].append(_MARKS[tag])
            self.in_code += tag in ("code", "tt")
        elif tag == "a":
            href = dict(attrs).get("href")
            self.links.append(href)
            if href:
                self.blocks[-1].append("[")
        elif tag == "img":
            alt = dict(attrs).get("alt") or dict(attrs).get("src") or "?"
            self.problems.append(f"image {alt!r} cannot be carried over (bank text has no pictures)")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "img"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCKS:
            self._new_block()
        elif tag in _MARKS:
            self.blocks[-1].append(_MARKS[tag])
            self.in_code = max(0, self.in_code - (tag in ("code", "tt")))
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.blocks[-1].append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        self.blocks[-1].append(data if self.in_code else math_to_dollars(data.replace("\xa0", " ")))


def from_html(text: str) -> tuple[str, list[str]]:
    """(markdown, problems): the inverse of to_html, and a best effort for HTML from other tools."""
    parser = _ToMarkdown()
    parser.feed(text)
    parser.close()
    blocks = ["".join(b) for b in parser.blocks]
    md = "\n\n".join(b for b in blocks if b.strip())
    return md.strip(), parser.problems
