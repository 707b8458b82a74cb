"""Take the bank elsewhere: export to Moodle XML, GIFT, Anki (.apkg) and CSV; import Moodle XML and GIFT.

`export_bytes(questions, fmt)` is what a download button needs; `python -m questions export|import` is the CLI.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from questions.schema import Question

# format -> (file name, MIME type) of an export
EXPORTS: dict[str, tuple[str, str]] = {
    "moodle-xml": ("gradient-lab-moodle.xml", "application/xml"),
    "gift": ("gradient-lab-gift.txt", "text/plain"),
    "anki": ("gradient-lab.apkg", "application/octet-stream"),
    "csv": ("gradient-lab-questions.csv", "text/csv"),
}
FORMATS: tuple[str, ...] = tuple(EXPORTS)


def export_bytes(questions: Iterable[Question], fmt: str, app_url: str | None = None) -> tuple[bytes, str, str]:
    """(file content, file name, MIME type) of `questions` in `fmt` (one of FORMATS).

    app_url: the app's public address (e.g. "https://lab.school.edu"), so a predict question's experiment link
    works from Moodle or Anki; without it the link is relative to the app.
    """
    questions = list(questions)
    if app_url is not None and urlsplit(app_url).scheme not in ("http", "https"):
        raise ValueError(f"app_url {app_url!r} must be an http:// or https:// address")
    if fmt == "moodle-xml":
        from questions.interop.moodle import export_moodle as export
    elif fmt == "gift":
        from questions.interop.gift import export_gift as export
    elif fmt == "anki":
        from questions.interop.anki import export_anki as export
    elif fmt == "csv":
        from questions.interop.table import export_csv

        return export_csv(questions), *EXPORTS[fmt]
    else:
        raise ValueError(f"unknown export format {fmt!r}; one of: {', '.join(FORMATS)}")
    return export(questions, app_url), *EXPORTS[fmt]


__all__ = ["EXPORTS", "FORMATS", "export_bytes"]
