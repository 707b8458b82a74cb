"""Learners: found only by their resume key (or OIDC subject), never by name; classes by code. Both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from explainer.progress.auth import resume_hash
from explainer.store import attempts, dashboard, learners
from explainer.store.attempts import AttemptIn
from explainer.store.tables import ClassRoom, Learner


def test_resume_key_finds_exactly_its_learner(engine):
    """Each key resumes its own learner; a wrong, malformed or missing key resumes nobody."""
    a, key_a = learners.create_learner(engine, "Ada")
    b, key_b = learners.create_learner(engine, "Ada")
    assert learners.by_resume_key(engine, key_a) == a
    assert learners.by_resume_key(engine, key_b) == b
    for bad in (None, "", "Ada", key_a[:-1] + ("A" if key_a[-1] != "A" else "B"), "x" * 500, "'; drop table --"):
        assert learners.by_resume_key(engine, bad) is None


def test_only_a_hash_of_the_key_is_stored(engine):
    """The database holds the key's SHA-256, not the key, and the key has nothing to do with the name."""
    me, key = learners.create_learner(engine, "Grace Hopper")
    with engine.connect() as conn:
        row = conn.execute(select(Learner)).one()
    assert key not in " ".join(str(v) for v in row)
    assert row.resume_hash == resume_hash(key)
    assert "grace" not in key.lower() and "hopper" not in key.lower()


def test_learner_a_cannot_see_learner_b(engine):
    """A learner's history contains only their own attempts, even when both share a display name."""
    a, _ = learners.create_learner(engine, "Sam")
    b, _ = learners.create_learner(engine, "Sam")
    attempts.record_attempt(engine, a.id, AttemptIn("qa", "vanishing", "mine", 1.0))
    attempts.record_attempt(engine, b.id, AttemptIn("qb", "exploding", "theirs", 0.0))
    assert attempts.history(engine, a.id).question_id.tolist() == ["qa"]
    assert attempts.history(engine, b.id).question_id.tolist() == ["qb"]
    assert [c.question_id for c in attempts.due_cards(engine, a.id, now=datetime(2100, 1, 1, tzinfo=UTC))] == ["qa"]


def test_class_is_found_by_code_and_join_keeps_progress(engine):
    """Joining moves a self-study learner into the class (same id, same attempts); codes ignore case and spaces."""
    me, key = learners.create_learner(engine)
    attempts.record_attempt(engine, me.id, AttemptIn("q", "rnn", "x", 1.0))
    room = learners.class_id_for(engine, "ml 101", create=True)
    assert learners.class_id_for(engine, "ML101", create=False) == room
    assert learners.class_id_for(engine, "other", create=False) is None
    joined = learners.join_class(engine, me.id, room, "  Ada   Lovelace ")
    assert (joined.id, joined.class_id, joined.display_name) == (me.id, room, "Ada Lovelace")
    assert learners.by_resume_key(engine, key) == joined
    assert dashboard.recent_attempts(engine, room).question_id.tolist() == ["q"]
    with engine.connect() as conn:
        assert "101" not in conn.execute(select(ClassRoom.code_hash)).scalar()


def test_oidc_sign_in_is_stable_per_subject(engine):
    """The same issuer+subject signs in as the same learner; another subject is someone else."""
    first = learners.by_oidc(engine, "https://idp", "sub-1", "Ada")
    assert learners.by_oidc(engine, "https://idp", "sub-1", "Ada L.") == first
    assert learners.by_oidc(engine, "https://idp", "sub-2", "Ada") != first


def test_display_names_are_cleaned_and_required(engine):
    """Names are trimmed, single-spaced, stripped of control characters and capped; empty names are refused."""
    me, _ = learners.create_learner(engine, " Bo\x00b\n  " + "x" * 100)
    assert me.display_name.startswith("Bob x") and len(me.display_name) == learners.MAX_NAME
    with pytest.raises(ValueError):
        learners.create_learner(engine, " \t ")
