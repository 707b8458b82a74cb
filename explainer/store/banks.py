"""Question banks uploaded by an instructor, kept in the database so every replica serves them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, select

from explainer.store.db import reading, writing
from explainer.store.tables import UploadedBank, utcnow

MAX_BANK_BYTES = 256 * 1024  # a bank of ~100 questions is ~60 KB of YAML
_NAME_RE = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class BankInfo:
    name: str
    question_count: int
    size: int
    uploaded_at: datetime


def bank_name(filename: str) -> str:
    """A safe, stable bank name from an uploaded file name: `Week 3 (v2).YAML` -> `week-3-v2`."""
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    name = _NAME_RE.sub("-", stem.lower()).strip("-")[:60]
    return name or "uploaded"


def save_bank(engine: Engine, name: str, yaml_text: str, question_count: int) -> bool:
    """Insert or replace the bank called `name` (the caller validated it first); True if it replaced one."""
    if len(yaml_text.encode("utf-8")) > MAX_BANK_BYTES:
        raise ValueError(f"bank is larger than {MAX_BANK_BYTES // 1024} KB")
    with writing(engine) as s:
        bank = s.scalar(select(UploadedBank).where(UploadedBank.name == name))
        if bank is None:
            s.add(UploadedBank(name=name, yaml_text=yaml_text, question_count=question_count, uploaded_at=utcnow()))
        else:
            bank.yaml_text, bank.question_count, bank.uploaded_at = yaml_text, question_count, utcnow()
    return bank is not None


def delete_bank(engine: Engine, name: str) -> bool:
    with writing(engine) as s:
        return s.execute(delete(UploadedBank).where(UploadedBank.name == name)).rowcount > 0


def bank_sources(engine: Engine) -> list[tuple[str, str]]:
    """(source name, YAML text) of every uploaded bank, by name; the source name says where it came from."""
    with reading(engine) as s:
        rows = s.execute(select(UploadedBank.name, UploadedBank.yaml_text).order_by(UploadedBank.name)).all()
    return [(f"uploaded:{name}", text) for name, text in rows]


def list_banks(engine: Engine) -> list[BankInfo]:
    with reading(engine) as s:
        rows = s.scalars(select(UploadedBank).order_by(UploadedBank.name)).all()
        return [BankInfo(b.name, b.question_count, len(b.yaml_text.encode("utf-8")), b.uploaded_at) for b in rows]
