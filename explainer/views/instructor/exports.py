"""Instructor tab section: download the questions being served (built-in, bank directory, uploaded) for Moodle,
GIFT, Anki or a spreadsheet, built by questions.interop.export_bytes only when a button is clicked."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from explainer.views.practice.bank import active_bank
from questions.interop import EXPORTS, export_bytes

LABELS = {
    "moodle-xml": ("Moodle XML", "Question bank > Import > Moodle XML: one category per topic; Moodle grades "
                                 "choice, true/false and numerical questions itself, essays go to the teacher."),
    "gift": ("GIFT", "Moodle's text format: the same questions, readable and editable in any text editor."),
    "anki": ("Anki deck (.apkg)", "File > Import in Anki; importing a newer deck updates the same notes."),
    "csv": ("CSV", "One row per question (type, prompt, options, key, explanation) for a spreadsheet."),
}


def app_address() -> str | None:
    """This server's public address as the browser sees it (https://lab.school.edu), for the experiment links of
    predict questions exported to Moodle and Anki; None when it cannot be told."""
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:  # noqa: BLE001 (no browser context, e.g. AppTest)
        return None
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def render_exports() -> None:
    bank = active_bank()
    st.subheader("Take the questions elsewhere", anchor=False)
    address = app_address()
    st.caption(f"The {len(bank.questions)} questions being served (built-in, the bank directory and uploaded "
               "banks), for your LMS or learners' own decks. A *predict* question becomes a multiple-choice question "
               "whose feedback links its experiment" + (f" on `{address}`" if address else "") + "; free responses "
               "become essays with the model answer and key concepts for the grader. What each format keeps and "
               "loses: questions/README.md.")
    questions = bank.questions
    cols = st.columns(len(EXPORTS))
    for col, fmt in zip(cols, EXPORTS, strict=True):
        label, help_text = LABELS[fmt]
        col.download_button(label, data=lambda fmt=fmt: export_bytes(questions, fmt, address)[0],
                            file_name=EXPORTS[fmt][0], mime=EXPORTS[fmt][1], key=f"export_{fmt}", on_click="ignore",
                            icon=":material/download:", help=help_text, width="stretch")
