"""Showing user-supplied text (names, titles) inside Markdown as literal text."""

from __future__ import annotations

_MD_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def md_escape(text: str) -> str:
    """Escape every Markdown/HTML control character so `text` renders verbatim (no links, no HTML)."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
