"""Instructor tab: the configured bank directory's status and errors, and uploading banks into the database."""

from __future__ import annotations

import os

import streamlit as st
from sqlalchemy import Engine

from explainer.progress.bank_upload import check_upload
from explainer.store import banks
from explainer.views.progress import access
from questions.loader import BANK_DIR_ENV, default_paths, load_banks, read_sources


def _served_status(uploaded: list[tuple[str, str]]) -> None:
    st.subheader("Banks being served", anchor=False)
    bank_dir = os.environ.get(BANK_DIR_ENV, "").strip()
    if bank_dir:
        st.caption(f"Bank directory (`{BANK_DIR_ENV}`): `{bank_dir}`")
    else:
        st.caption(f"No bank directory configured (set `{BANK_DIR_ENV}` to a folder of YAML files).")
    bank = load_banks(default_paths(), extra=uploaded)
    counts: dict[str, int] = {}
    for origin in bank.origin.values():
        source = origin.rsplit(":", 1)[0] if origin.rsplit(":", 1)[-1].isdigit() else origin
        counts[source] = counts.get(source, 0) + 1
    st.dataframe([{"source": s, "questions": n} for s, n in sorted(counts.items())], hide_index=True,
                 width="stretch", key="instructor_bank_sources")
    if bank.errors:
        st.error(f"{len(bank.errors)} problem(s) in the banks; the valid questions are still served:",
                 icon=":material/error:")
        st.code("\n".join(str(e) for e in bank.errors), language=None)
    else:
        st.success(f"All {len(bank.questions)} questions valid.", icon=":material/check_circle:")


def _upload(engine: Engine, uploaded: list[tuple[str, str]]) -> None:
    st.subheader("Upload a bank", anchor=False)
    st.caption(f"A YAML file in the bank format (see questions/schema.json), at most {banks.MAX_BANK_BYTES // 1024} "
               "KB. It is validated like the built-in banks and stored in the database, so every replica serves "
               "it. Uploading a bank with the same name replaces it.")
    file = st.file_uploader("Question bank (YAML)", key="bank_upload", accept_multiple_files=False)
    if file is None:
        return
    raw = file.getvalue()
    name = banks.bank_name(file.name)
    check = check_upload(raw, f"uploaded:{name}", served=[*read_sources(default_paths())[0], *uploaded])
    if not check.ok:
        st.error(f"Not saved: `{name}` has {len(check.errors)} problem(s). Fix them and upload again.",
                 icon=":material/error:")
        st.code("\n".join(check.errors) or "no questions", language=None)
        return
    st.info(f"`{name}`: {check.question_count} valid questions.", icon=":material/fact_check:")
    if not st.button(f"Save bank '{name}'", key="bank_save", type="primary"):
        return
    replaced = access.call(banks.save_bank, name, check.text, check.question_count)
    if replaced is not None:
        again = f" It replaces the earlier `{name}`." if replaced else ""
        st.success(f"Saved.{again} Learners get its {check.question_count} questions on their next quiz.")


def _stored(engine: Engine) -> None:
    stored = access.call(banks.list_banks, default=[])
    if not stored:
        return
    st.subheader("Uploaded banks", anchor=False)
    for b in stored:
        cols = st.columns([4, 1])
        cols[0].markdown(f"`{b.name}`: {b.question_count} questions, {b.size / 1024:.1f} KB, "
                         f"uploaded {b.uploaded_at:%Y-%m-%d %H:%M} UTC")
        if cols[1].button("Delete", key=f"bank_delete_{b.name}", width="stretch"):
            access.call(banks.delete_bank, b.name)
            st.rerun()


def render_banks(engine: Engine) -> None:
    uploaded = access.call(banks.bank_sources, default=[])
    _served_status(uploaded)
    _upload(engine, uploaded)
    _stored(engine)
