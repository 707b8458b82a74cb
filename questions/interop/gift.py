"""GIFT (Moodle's text format): export the bank, and read a GIFT file back into drafts the way Moodle parses it.

Each question is one block: a `// [id:..] [tag:..]` comment, then `::id::[html]prompt{answers####feedback}`.
Texts are HTML on one line (Moodle's own GIFT writer escapes `\\ ~ = # { } :` with a backslash and writes
newlines as `\\n`). Types: single_choice/predict `{=right ~wrong}`, multiple_choice `{~%50%right ~%-50%wrong}`,
true_false `{TRUE}`, numeric `{#value:tolerance}`, free_response an essay `{}`. GIFT has no field for units,
shuffling or grader information: units, `shuffle: false` and the rest travel as tags and feedback (lms.py).
"""

from __future__ import annotations

import re

from questions.interop.draft import (
    Draft,
    finish_choice,
    finish_essay,
    finish_numeric,
    start_draft,
    text_to_markdown,
)
from questions.interop.lms import CATEGORY_ROOT, choice_fractions, feedback_html, fraction_text, meta_tags, num
from questions.interop.markup import inline_html, to_html
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse

_ESCAPE = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n", "\r": ""}


def escape(text: str) -> str:
    """GIFT-escape a text, as Moodle's GIFT writer does (one line, reserved characters behind a backslash)."""
    return "".join(_ESCAPE.get(ch, ch) for ch in text)


def _tag(value: str) -> str:
    return value.replace("]", "\\]")


def question_text(q: Question, app_url: str | None = None) -> str:
    """One question as a GIFT block (comment line + question), without the separating blank line."""
    tags = " ".join(f"[tag:{_tag(t)}]" for t in meta_tags(q))
    head = f"// [id:{_tag(q.id)}] {tags}\n::{escape(q.id)}::[html]{escape(to_html(q.prompt))}"
    feedback = "####" + escape(feedback_html(q, app_url))
    if isinstance(q, SingleChoice | MultipleChoice | Predict):
        lines = []
        for option, fraction in zip(q.options, choice_fractions(q), strict=True):
            single = "=" if fraction == 100 else "~"
            mark = f"~%{fraction_text(fraction)}%" if isinstance(q, MultipleChoice) else single
            lines.append(f"\t{mark}{escape(inline_html(option))}")
        return head + "{\n" + "\n".join(lines) + f"\n\t{feedback}\n}}"
    if isinstance(q, TrueFalse):
        return head + "{" + ("TRUE" if q.answer else "FALSE") + feedback + "}"
    if isinstance(q, Numeric):
        tolerance = q.tolerance * abs(q.value) if q.relative else q.tolerance
        return head + f"{{#{num(q.value)}:{num(tolerance)}{feedback}}}"
    assert isinstance(q, FreeResponse)
    return head + "{" + feedback + "}"


def export_gift(questions: list[Question], app_url: str | None = None) -> bytes:
    """A GIFT file: a $CATEGORY line before each run of questions on one topic, blocks separated by blank lines."""
    blocks = ["// Gradient Lab question bank (GIFT). Import in Moodle: Question bank > Import > GIFT format."]
    topic = None
    for q in questions:
        if q.topic != topic:
            topic = q.topic
            blocks.append(f"$CATEGORY: {CATEGORY_ROOT}/{topic}")
        blocks.append(question_text(q, app_url))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


# ---- import (mirrors Moodle's qformat_gift::readquestion) ------------------------------------------------------

_RESERVED = ":#={}~n"
_HOLD = {ch: chr(0xE000 + i) for i, ch in enumerate(_RESERVED)}  # private-use placeholders for \: \# ... \n
_BACKSLASH = chr(0xE0FF)
_WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d*)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")


def _hold(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for ch, placeholder in _HOLD.items():
        text = text.replace("\\" + ch, placeholder)
    return text.replace(_BACKSLASH, "\\")


def _release(text: str) -> str:
    for ch, placeholder in _HOLD.items():
        text = text.replace(placeholder, "\n" if ch == "n" else ch)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    text = text.strip()
    m = _FORMAT.match(text)
    if m:
        return _release(text[m.end():]).strip(), m[1]
    return _release(text).strip(), default


def blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each blank-line-separated block."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            out.append((start, current))
            current = []
    if current:
        out.append((start, current))
    return out


def _comment_meta(comments: str) -> tuple[str | None, list[str]]:
    idnumber = re.search(r"\[id:((?:\\]|[^]\x00-\x1f])+)]", comments)
    tags = re.findall(r"\[tag:((?:\\]|[^]<>`\x00-\x1f])+)]", comments)
    return (idnumber[1].replace("\\]", "]").strip() if idnumber else None,
            [t.replace("\\]", "]").strip() for t in tags])


def _answers(answer_text: str) -> list[tuple[float, str]]:
    """(percent, text) of each `=..` / `~..` / `~%w%..` answer; feedback after # is dropped."""
    out = []
    for raw in answer_text.replace("=", "~=").split("~"):
        raw = raw.strip()
        if not raw:
            continue
        if raw.startswith("="):
            weight, raw = 100.0, raw[1:]
        elif m := _WEIGHT.match(raw):
            weight, raw = float(m[1]), raw[m.end():]
        else:
            weight = 0.0
        out.append((weight, raw.split("#", 1)[0]))
    return out


def _numeric(draft: Draft, answer_text: str) -> None:
    body = answer_text[1:].split("~", 1)[0]
    keys = [a.strip() for a in body.split("=") if a.strip()]
    if len(keys) != 1:
        draft.problems.append(("value", f"{len(keys)} numerical answers: the bank has one key with a tolerance"))
        return
    key = _WEIGHT.sub("", keys[0]).split("#", 1)[0].strip()
    try:
        if ".." in key:
            low, high = (float(x) for x in key.split("..", 1))
            value, tolerance = (low + high) / 2, (high - low) / 2
        else:
            value_text, _, tol_text = key.partition(":")
            value, tolerance = float(value_text), float(tol_text or 0)
    except ValueError:
        draft.problems.append(("value", f"numerical answer {key!r} is not value:tolerance or low..high"))
        return
    finish_numeric(draft, value, tolerance, None)


def read_block(lines: list[str], line: int, category: str | None) -> Draft | str | None:
    """One GIFT block: a Draft, the new category (str) for a $CATEGORY line, or None for comments only."""
    comments = "\n".join(x.strip() for x in lines if x.strip().startswith("//"))
    body = [x for x in lines if not x.strip().startswith("//")]
    if not body:
        return None
    line += next(i for i, x in enumerate(lines) if not x.strip().startswith("//"))
    text = _hold("\n".join(body).strip())
    if text.startswith("$CATEGORY:"):
        return _release(text[len("$CATEGORY:"):]).strip()
    name = ""  # like Moodle, a nameless question is named from its text (draft.question_id)
    if text.startswith("::") and "::" in text[2:]:
        name, text = text[2:].split("::", 1)
        name, text = _release(name).strip(), text.strip()
    start, finish = text.find("{"), text.find("}")
    answer_text, feedback = "", ""
    if start >= 0 and finish > start:
        answer_text = text[start + 1 : finish].strip()
        prompt = text[:start] + ("" if text.rstrip().endswith("}") else "_____") + text[finish + 1 :]
        if "####" in answer_text:
            answer_text, feedback = answer_text[: answer_text.rfind("####")].strip(), answer_text[
                answer_text.rfind("####") + 4 :]
    else:
        prompt = text
    prompt, fmt = _with_format(prompt, "moodle")
    feedback, feedback_fmt = _with_format(feedback, fmt)
    idnumber, tags = _comment_meta(comments)
    draft = start_draft(line=line, name=name, idnumber=idnumber, qtype="single_choice", prompt=prompt,
                        prompt_format=fmt, feedback=feedback, feedback_format=feedback_fmt, tags=tags,
                        category=category)
    if start < 0 or finish < start:
        problem = "braces do not match" if start >= 0 or finish >= 0 else "no {answers}: a description, not a question"
        draft.problems.append(("type", problem))
    elif not answer_text:
        draft.data["type"] = "free_response"
        finish_essay(draft)
    elif answer_text.startswith("#"):
        draft.data["type"] = "numeric"
        _numeric(draft, answer_text)
    elif "~" in answer_text:
        answers = _answers(answer_text)
        options = []
        for i, (_, raw) in enumerate(answers):
            option, problems = _with_text(raw, fmt)
            draft.problems += [(f"options.{i}", p) for p in problems]
            options.append(option)
        finish_choice(draft, options, [w for w, _ in answers], "=" in answer_text, None)
    elif answer_text.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
        draft.data["type"] = "true_false"
        draft.data["answer"] = answer_text.split("#", 1)[0].strip() in ("T", "TRUE")
    else:
        kind = "matching" if "=" in answer_text and "->" in answer_text else "short answer"
        draft.problems.append(("type", f"GIFT {kind} questions have no bank equivalent (mapped: multiple choice, "
                                       "true/false, numerical, essay)"))
    return draft


def _with_text(raw: str, default: str) -> tuple[str, list[str]]:
    text, fmt = _with_format(raw, default)
    return text_to_markdown(text, fmt)


def read_gift(text: str) -> list[Draft]:
    """Every question of a GIFT document as a draft, in file order."""
    drafts: list[Draft] = []
    category = None
    for line, lines in blocks(text):
        item = read_block(lines, line, category)
        if isinstance(item, str):
            category = item
        elif item is not None:
            drafts.append(item)
    return drafts
