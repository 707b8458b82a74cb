"""The process-wide engine (built once from the environment, schema ensured) and transaction helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from explainer.store.config import database_url, make_engine
from explainer.store.schema import ensure_schema

_lock = threading.Lock()
_engines: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: from the environment), created and migrated on first use.

    A failure (server down, bad URL) raises and is not cached: the next call tries again.
    """
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            try:
                ensure_schema(engine)
            except Exception:
                engine.dispose()
                raise
            _engines[url] = engine
        return engine


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A read-only ORM session; its transaction is rolled back when the block ends."""
    with Session(engine) as session:
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One write transaction: everything inside commits together or not at all.

    SQLite takes its write lock at BEGIN (IMMEDIATE), so read-then-write never fails half way.
    """
    with Session(engine.execution_options(sqlite_immediate=True), expire_on_commit=False) as s, s.begin():
        yield s
