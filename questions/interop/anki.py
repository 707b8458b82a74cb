"""Anki: the bank as an .apkg deck (genanki), one note type per question type, ids stable across exports.

Re-importing a newer export updates the notes instead of duplicating them: Anki matches notes by guid
(here genanki.guid_for("gradient-lab", question id)) and note types and the deck by id (here derived from a
fixed name, so every export and every machine agrees). Bump NOTE_TYPES_VERSION when a note type's fields or
templates change, so Anki sees a new note type instead of refusing the changed one.
"""

from __future__ import annotations

import hashlib
import html
import tempfile
from pathlib import Path

from questions.interop.lms import preset_url, rubric_html
from questions.interop.markup import inline_html, to_html
from questions.quiz import numeric_key
from questions.schema import FreeResponse, MultipleChoice, Numeric, Predict, Question, SingleChoice, TrueFalse

DECK_NAME = "Gradient Lab"
NOTE_TYPES_VERSION = 1
GUID_NAMESPACE = "gradient-lab"

# Per question type: the fields its note type has (the first one, the prompt, is Anki's sort field).
FIELDS: dict[str, tuple[str, ...]] = {
    "single_choice": ("Prompt", "Options", "Answer", "Explanation", "Source", "Id"),
    "multiple_choice": ("Prompt", "Options", "Answers", "Explanation", "Source", "Id"),
    "true_false": ("Statement", "Answer", "Explanation", "Source", "Id"),
    "numeric": ("Prompt", "Answer", "Explanation", "Source", "Id"),
    "free_response": ("Prompt", "Model answer", "Key concepts", "Explanation", "Source", "Id"),
    "predict": ("Prompt", "Options", "Answer", "Experiment", "Explanation", "Source", "Id"),
}
TITLES = {"single_choice": "single choice", "multiple_choice": "multiple choice", "true_false": "true or false",
          "numeric": "numeric", "free_response": "free response", "predict": "predict the experiment"}
CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; line-height: 1.45; text-align: left;
  max-width: 42em; margin: 0 auto; }
ol.options li { margin: .2em 0; }
.answer { font-weight: 600; }
.explanation { margin-top: .8em; }
.source { color: #666; font-size: 85%; }
"""


def stable_id(name: str) -> int:
    """A note-type or deck id derived from its name: the same on every export and machine (in [2^30, 2^31))."""
    digest = hashlib.sha256(f"{GUID_NAMESPACE}/{name}".encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def note_guid(question_id: str) -> str:
    """The note's guid: a function of the question id alone, so a re-import updates the same note."""
    import genanki

    return genanki.guid_for(GUID_NAMESPACE, question_id)


def _field(name: str, label: bool = False) -> str:
    """A field shown only when it is not empty, with its name as a heading when `label`."""
    heading = f"<h4>{name}</h4>" if label else ""
    return "{{#N}}<div class=answer>H{{N}}</div>{{/N}}".replace("N", name).replace("H", heading)


def _templates(qtype: str) -> list[dict[str, str]]:
    fields = FIELDS[qtype]
    front = [f"{{{{{fields[0]}}}}}"] + (["{{Options}}"] if "Options" in fields else [])
    answers = [f for f in fields[1:] if f not in ("Options", "Explanation", "Source", "Id")]
    back = ["{{FrontSide}}", "<hr id=answer>", *(_field(f, label=f not in ("Answer", "Answers")) for f in answers),
            "<div class=explanation>{{Explanation}}</div>",
            "{{#Source}}<p class=source>Source: {{Source}}</p>{{/Source}}"]
    return [{"name": TITLES[qtype].capitalize(), "qfmt": "\n".join(front), "afmt": "\n".join(back)}]


def note_type(qtype: str):
    """The genanki Model for one question type (stable id, fields, one card template)."""
    import genanki

    name = f"{DECK_NAME}: {TITLES[qtype]} v{NOTE_TYPES_VERSION}"
    return genanki.Model(stable_id(name), name, fields=[{"name": f} for f in FIELDS[qtype]],
                         templates=_templates(qtype), css=CSS)


def _options(options: list[str]) -> str:
    return '<ol class=options type="A">' + "".join(f"<li>{inline_html(o)}</li>" for o in options) + "</ol>"


def _letter(i: int, options: list[str]) -> str:
    return f"{chr(65 + i)}. {inline_html(options[i])}"


def note_fields(q: Question, app_url: str | None = None) -> list[str]:
    """The note's field values (HTML, math as \\( \\)), in FIELDS[q.type] order."""
    source = inline_html(q.source) if q.source else ""
    tail = [to_html(q.explanation), source, q.id]
    if isinstance(q, MultipleChoice):
        answers = "<br>".join(_letter(i, q.options) for i in q.answers)
        return [to_html(q.prompt), _options(q.options), answers, *tail]
    if isinstance(q, Predict):
        url = html.escape(preset_url(q, app_url))
        link = f'<a href="{url}">Run this experiment in Gradient Lab</a>'
        return [to_html(q.prompt), _options(q.options), _letter(q.answer, q.options), link, *tail]
    if isinstance(q, SingleChoice):
        return [to_html(q.prompt), _options(q.options), _letter(q.answer, q.options), *tail]
    if isinstance(q, TrueFalse):
        return [to_html(q.prompt), "True" if q.answer else "False", *tail]
    if isinstance(q, Numeric):
        return [to_html(q.prompt), html.escape(numeric_key(q), quote=False), *tail]
    assert isinstance(q, FreeResponse)
    return [to_html(q.prompt), to_html(q.model_answer), rubric_html(q.rubric), *tail]


def note_tags(q: Question) -> list[str]:
    """Anki tags (no spaces): the question's tags plus topic::, difficulty:: and type:: ones."""
    return [*q.tags, f"topic::{q.topic}", f"difficulty::{q.difficulty}", f"type::{q.type}"]


def export_anki(questions: list[Question], app_url: str | None = None) -> bytes:
    """The .apkg file (a zip holding an Anki collection in SQLite) with one note per question."""
    import genanki

    deck = genanki.Deck(stable_id(f"deck {DECK_NAME}"), DECK_NAME,
                        description="Questions on vanishing and exploding gradients from Gradient Lab.")
    models = {}
    for q in questions:
        model = models.setdefault(q.type, note_type(q.type))
        deck.add_note(genanki.Note(model=model, fields=note_fields(q, app_url), tags=note_tags(q),
                                   guid=note_guid(q.id)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "deck.apkg"
        genanki.Package(deck).write_to_file(str(path))
        return path.read_bytes()
