"""Class presets: experiment and quiz links an instructor pins (built and checked in explainer.core.urls)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, delete, select

from explainer.core.urls import is_app_url
from explainer.store.db import reading, writing
from explainer.store.tables import Preset


@dataclass(frozen=True)
class PresetInfo:
    id: int
    kind: str
    title: str
    url: str


def add_preset(engine: Engine, kind: str, title: str, url: str) -> int:
    if kind not in ("experiment", "quiz"):
        raise ValueError("kind must be 'experiment' or 'quiz'")
    title = " ".join(title.split())[:120]
    if not title:
        raise ValueError("Please give the preset a title.")
    if not is_app_url(url):
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
