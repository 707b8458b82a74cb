"""Instructor content in the database: uploaded banks and class presets (validated URLs). Both backends."""

from __future__ import annotations

import pytest

from explainer.core import urls
from explainer.store import banks, presets


def test_bank_upload_replace_and_delete(engine):
    """A bank is stored under its name, replaced by a re-upload of the same name (saving says which), listed,
    and deleted."""
    assert banks.save_bank(engine, "week-1", "- id: a\n", 1) is False
    assert banks.save_bank(engine, "week-2", "- id: b\n", 1) is False
    assert banks.save_bank(engine, "week-1", "- id: a\n- id: c\n", 2) is True
    assert banks.bank_sources(engine) == [("uploaded:week-1", "- id: a\n- id: c\n"), ("uploaded:week-2", "- id: b\n")]
    assert [(b.name, b.question_count) for b in banks.list_banks(engine)] == [("week-1", 2), ("week-2", 1)]
    assert banks.delete_bank(engine, "week-1") and not banks.delete_bank(engine, "week-1")
    assert [b.name for b in banks.list_banks(engine)] == ["week-2"]


def test_oversized_bank_is_refused(engine):
    """The store itself refuses a bank over the size cap, whatever the page let through."""
    with pytest.raises(ValueError, match="KB"):
        banks.save_bank(engine, "big", "x" * (banks.MAX_BANK_BYTES + 1), 1)
    assert banks.list_banks(engine) == []


@pytest.mark.parametrize(("filename", "name"), [
    ("Week 3 (v2).YAML", "week-3-v2"), ("../../etc/passwd", "passwd"), ("C:\\x\\bank.yml", "bank"),
    (".yaml", "uploaded"),
])
def test_bank_names_are_safe(filename, name):
    """Uploaded file names become short slugs: no paths, no spaces, never empty."""
    assert banks.bank_name(filename) == name


def test_presets_are_listed_and_removed(engine):
    """Pinned experiments and quizzes come back grouped by kind; removing one leaves the other."""
    e = presets.add_preset(engine, "experiment", "Deep sigmoid", urls.experiment_url("/lab-activations?depth=30"))
    q = presets.add_preset(engine, "quiz", "Week 1", urls.quiz_url(["vanishing", "exploding"], 10, 7))
    listed = presets.list_presets(engine)
    assert [(p.id, p.kind, p.url) for p in listed] == [
        (e, "experiment", "/lab-activations?depth=30"), (q, "quiz", "/quiz?topic=vanishing%2Cexploding&n=10&seed=7")]
    assert presets.remove_preset(engine, e) and [p.id for p in presets.list_presets(engine)] == [q]


def test_experiment_urls_stay_inside_the_app():
    """A pasted full URL keeps only the lab path and its parameters; other pages and odd keys are refused."""
    assert urls.experiment_url("https://class.example/lab-init?init=xavier&depth=20") == \
        "/lab-init?init=xavier&depth=20"
    for bad in ("https://evil.example/phish", "/quiz?topic=rnn", "/lab-init?<script>=1", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            urls.experiment_url(bad)


def test_quiz_presets_are_validated():
    """Unknown topics, no topics, out-of-range length or seed are refused with a message."""
    for topics, length, seed in ((["nope"], 5, 1), ([], 5, 1), (["rnn"], 0, 1), (["rnn"], 51, 1), (["rnn"], 5, -1)):
        with pytest.raises(ValueError):
            urls.quiz_url(topics, length, seed)


def test_add_preset_refuses_foreign_urls(engine):
    """Even called directly, the store only pins app-relative URLs of known pages, with a title."""
    for kind, title, url in (("quiz", "x", "https://evil.example/quiz"), ("quiz", "x", "/nope"),
                             ("video", "x", "/quiz"), ("quiz", "   ", "/quiz")):
        with pytest.raises(ValueError):
            presets.add_preset(engine, kind, title, url)
