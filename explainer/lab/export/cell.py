"""One step of an exported program: a markdown or code cell of the notebook (comments or statements in the script)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """A markdown cell (`code` False) or a code cell; `show` is the expression a notebook displays at its end."""

    text: str
    code: bool = True
    show: str | None = None
    chart: bool = False  # `show` is an Altair chart (the script saves it instead of printing it)


def md(text: str) -> Cell:
    """A markdown cell."""
    return Cell(text, code=False)
