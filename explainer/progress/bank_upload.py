"""Checking an instructor's uploaded question bank: size, text encoding, the loader's located errors, and
id clashes with every bank already served. Pure Python (the page and the tests call the same function)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from explainer.store.banks import MAX_BANK_BYTES
from questions.loader import load_bank_text, load_sources


@dataclass(frozen=True)
class UploadCheck:
    text: str | None  # the decoded YAML, when it could be read
    question_count: int
    errors: tuple[str, ...]  # one readable line each (file, line, question id, field)

    @property
    def ok(self) -> bool:
        return not self.errors and self.question_count > 0


def check_upload(raw: bytes, source: str, served: Iterable[tuple[str, str]] = ()) -> UploadCheck:
    """Validate an upload called `source` against the banks already `served` ((name, text) pairs).

    YAML is recognised by content, not by file extension: anything that is not UTF-8 text holding a valid
    bank is refused with the reason. A bank with any error is refused whole, so learners never see half of it.
    """
    if len(raw) > MAX_BANK_BYTES:
        return UploadCheck(None, 0, (f"{source}: file is {len(raw) // 1024} KB; the limit is "
                                     f"{MAX_BANK_BYTES // 1024} KB",))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return UploadCheck(None, 0, (f"{source}: not UTF-8 text (byte {exc.start}); save the bank as UTF-8 YAML",))
    if "\x00" in text:
        return UploadCheck(None, 0, (f"{source}: binary data, not a YAML text file",))
    questions, errors = load_bank_text(text, source)
    if errors:
        return UploadCheck(text, len(questions), tuple(str(e) for e in errors))
    if not questions:
        return UploadCheck(text, 0, (f"{source}: the bank has no questions",))
    merged = load_sources([*((n, t) for n, t in served if n != source), (source, text)])
    clashes = tuple(str(e) for e in merged.errors if e.source == source)
    return UploadCheck(text, len(questions), clashes)
