"""Where the database lives: `DATABASE_URL` (PostgreSQL) or a SQLite file, and an engine tuned for each."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_SQLITE = ROOT / "data" / "gradient_lab.sqlite3"
SQLITE_BUSY_MS = 10_000  # a writer waits up to 10 s for another process's write lock instead of failing
PG_CONNECT_TIMEOUT_S = 5  # an unreachable server costs a page at most this long before the warning shows


def database_url(env: Mapping[str, str] | None = None) -> str:
    """`DATABASE_URL` if set (postgres:// spellings normalised to psycopg 3), else a SQLite file URL.

    The SQLite path is `GRADIENT_LAB_DB`, else `data/gradient_lab.sqlite3` in the repo (created on first use).
    """
    env = os.environ if env is None else env
    url = (env.get("DATABASE_URL") or "").strip()
    if url:
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url
    path = Path(env.get("GRADIENT_LAB_DB") or DEFAULT_SQLITE).expanduser()
    return f"sqlite:///{path.resolve()}"


def describe(url: str) -> str:
    """The URL with any password hidden: safe for logs and the instructor page."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    """An engine for `url`: SQLite gets WAL, a busy timeout and explicit transactions; PostgreSQL a short
    connect timeout and pre-ping so a restarted server is noticed instead of failing a page."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    connect_args = {"connect_timeout": PG_CONNECT_TIMEOUT_S} if parsed.get_backend_name() == "postgresql" else {}
    return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=connect_args)


def _set_wal(cur, attempts: int = 50) -> None:
    """Switch to WAL. On a brand-new file several processes starting at once race for the exclusive lock the
    switch needs, and SQLite may answer "database is locked" without waiting: retry for up to ~5 s."""
    for attempt in range(attempts):
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def _sqlite_engine(parsed) -> Engine:
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the sqlite3 module, emit BEGIN (SQLAlchemy's documented pysqlite recipe).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        _set_wal(cur)  # readers never block the writer; survives kill -9
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")  # a committed answer survives power loss, not only a crash
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Write transactions take the lock up front: a read-then-write never fails with SQLITE_BUSY_SNAPSHOT.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
