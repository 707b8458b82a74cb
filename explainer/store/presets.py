"""Class presets: experiment URLs and quizzes an instructor pins; URLs are validated to stay inside the app."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from sqlalchemy import Engine, delete, select

from explainer.core.sitemap import BY_PATH, LAB_PATHS, TOPIC_BY_SLUG
from explainer.store.db import reading, writing
from explainer.store.tables import Preset

MAX_QUIZ_LENGTH = 50
MAX_PARAM_CHARS = 200


@dataclass(frozen=True)
class PresetInfo:
    id: int
    kind: str
    title: str
    url: str


def experiment_url(pasted: str) -> str:
    """An app-relative URL for a lab page from whatever the instructor pasted (full URL or `/lab-init?...`).

    Only pages of this app are accepted (no external links), and parameters are re-encoded.
    """
    parts = urlsplit(pasted.strip())
    path = parts.path.strip("/").rsplit("/", 1)[-1]
    if path not in LAB_PATHS:
        expected = ", ".join(sorted(LAB_PATHS))
        raise ValueError(f"'{path or pasted}' is not an experiment page; expected one of: {expected}")
    params = parse_qsl(parts.query, keep_blank_values=False)
    for key, value in params:
        if not key.replace("_", "").isalnum() or len(value) > MAX_PARAM_CHARS:
            raise ValueError(f"URL parameter {key!r} is not a valid experiment setting")
    return f"/{path}" + (f"?{urlencode(params)}" if params else "")


def quiz_url(topics: list[str], length: int, seed: int) -> str:
    """The Practice quiz URL for a pinned quiz: `/quiz?topic=a,b&n=10&seed=7`."""
    unknown = [t for t in topics if t not in TOPIC_BY_SLUG]
    if unknown or not topics:
        raise ValueError(f"unknown topics: {', '.join(unknown)}" if unknown else "pick at least one topic")
    if not 1 <= length <= MAX_QUIZ_LENGTH:
        raise ValueError(f"length must be between 1 and {MAX_QUIZ_LENGTH}")
    if not 0 <= seed < 2**31:
        raise ValueError("seed must be between 0 and 2^31 - 1")
    return "/quiz?" + urlencode({"topic": ",".join(topics), "n": length, "seed": seed})


def add_preset(engine: Engine, kind: str, title: str, url: str) -> int:
    if kind not in ("experiment", "quiz"):
        raise ValueError("kind must be 'experiment' or 'quiz'")
    title = " ".join(title.split())[:120]
    if not title:
        raise ValueError("Please give the preset a title.")
    if urlsplit(url).path.strip("/") not in BY_PATH or not url.startswith("/"):
        raise ValueError("preset URLs must point at a page of this app")
    with writing(engine) as s:
        preset = Preset(kind=kind, title=title, url=url)
        s.add(preset)
        s.flush()
        return preset.id


def remove_preset(engine: Engine, preset_id: int) -> bool:
    with writing(engine) as s:
        return s.execute(delete(Preset).where(Preset.id == preset_id)).rowcount > 0


def list_presets(engine: Engine) -> list[PresetInfo]:
    with reading(engine) as s:
        rows = s.scalars(select(Preset).order_by(Preset.kind, Preset.id)).all()
        return [PresetInfo(p.id, p.kind, p.title, p.url) for p in rows]
