"""Learners and classes: create, join, resume. A learner is found by a key's hash, never by a name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from explainer.progress.auth import class_hash, looks_like_resume_key, new_resume_key, oidc_hash, resume_hash
from explainer.store.db import reading, writing
from explainer.store.tables import ClassRoom, Learner

MAX_NAME = 60
SELF_STUDY_NAME = "Self-study"


@dataclass(frozen=True)
class LearnerRef:
    """What a session needs to know about its learner (no key hashes)."""

    id: int
    display_name: str
    class_id: int | None


def clean_name(name: str) -> str:
    """A display name as stored: printable, single-spaced, at most MAX_NAME characters; ValueError if empty."""
    cleaned = " ".join("".join(ch for ch in name if ch.isprintable()).split())[:MAX_NAME]
    if not cleaned:
        raise ValueError("Please enter a display name.")
    return cleaned


def _ref(learner: Learner) -> LearnerRef:
    return LearnerRef(learner.id, learner.display_name, learner.class_id)


def class_id_for(engine: Engine, code: str, *, create: bool) -> int | None:
    """The class with this code (created on first join when `create`)."""
    digest = class_hash(code)
    if not create:
        with reading(engine) as s:
            return s.scalar(select(ClassRoom.id).where(ClassRoom.code_hash == digest))
    with writing(engine) as s:
        found = s.scalar(select(ClassRoom.id).where(ClassRoom.code_hash == digest))
        if found is not None:
            return found
        room = ClassRoom(code_hash=digest)
        s.add(room)
        s.flush()
        return room.id


def create_learner(engine: Engine, display_name: str = SELF_STUDY_NAME, class_id: int | None = None
                   ) -> tuple[LearnerRef, str]:
    """A new learner and its resume key (returned once; only its hash is stored)."""
    key = new_resume_key()
    with writing(engine) as s:
        learner = Learner(display_name=clean_name(display_name), class_id=class_id, resume_hash=resume_hash(key))
        s.add(learner)
        s.flush()
        return _ref(learner), key


def join_class(engine: Engine, learner_id: int, class_id: int, display_name: str) -> LearnerRef:
    """Move an existing (self-study) learner into a class under a display name; progress is kept."""
    with writing(engine) as s:
        learner = s.get(Learner, learner_id)
        if learner is None:
            raise LookupError("unknown learner")
        learner.class_id = class_id
        learner.display_name = clean_name(display_name)
        return _ref(learner)


def by_resume_key(engine: Engine, key: str | None) -> LearnerRef | None:
    """The learner holding this resume key, or None (malformed keys are refused before any query)."""
    if not looks_like_resume_key(key):
        return None
    with reading(engine) as s:
        learner = s.scalar(select(Learner).where(Learner.resume_hash == resume_hash(key)))
        return None if learner is None else _ref(learner)


def by_oidc(engine: Engine, issuer: str | None, subject: str, display_name: str) -> LearnerRef:
    """The learner signed in through OIDC (created on first sign-in; the name follows the provider)."""
    digest = oidc_hash(issuer, subject)
    with writing(engine) as s:
        learner = s.scalar(select(Learner).where(Learner.oidc_hash == digest))
        if learner is None:
            learner = Learner(display_name=clean_name(display_name or "Learner"), oidc_hash=digest)
            s.add(learner)
            s.flush()
        return _ref(learner)


def get(engine: Engine, learner_id: int) -> LearnerRef | None:
    with reading(engine) as s:
        learner = s.get(Learner, learner_id)
        return None if learner is None else _ref(learner)
