"""A real PostgreSQL server on loopback for the store tests: Debian's binaries, a throwaway data dir.

Works as root (the server runs as the `postgres` OS user, in a temp dir it owns) and as a normal user.
Missing binaries fail the test with a one-line hint; the PostgreSQL half of the suite is never skipped.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

import pytest

from bench.server import free_port

HINT = "PostgreSQL binaries not found in /usr/lib/postgresql/*/bin: run `make system-deps` (installs postgresql)"


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """initdb + pg_ctl in a temp dir; `url(db)` gives a SQLAlchemy URL, `new_database()` a fresh one."""

    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise FileNotFoundError(HINT)
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="gl-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.dir / "server.log"), "-w", "-t", "60",
                  "start")

    def _run(self, tool: str, *args: str) -> None:
        proc = subprocess.run(self._wrap(tool, *args), capture_output=True, text=True, cwd=self.dir)
        if proc.returncode != 0:
            raise RuntimeError(f"{tool} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        import psycopg

        name = f"gl_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(self._wrap("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                           capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def _wrap(self, tool: str, *args: str) -> list[str]:
        cmd = [str(self.bindir / tool), *args]
        return ["runuser", "-u", "postgres", "--", *cmd] if self.as_root else cmd


_server: PostgresServer | None = None
_server_lock = threading.Lock()


def shared_server() -> PostgresServer:
    """One server per test process (started on first use, stopped at exit); fails the test with a hint."""
    global _server
    with _server_lock:
        if _server is None:
            try:
                _server = PostgresServer()
            except FileNotFoundError as e:
                pytest.fail(str(e), pytrace=False)
            atexit.register(_server.stop)
        return _server


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def fresh_url(backend: str, tmp_path: Path) -> str:
    """An empty database of the given backend: a new SQLite file, or a new database on the shared server."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return shared_server().new_database()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """URL of an empty database, once per backend: every test using it runs on SQLite and on PostgreSQL."""
    return fresh_url(request.param, tmp_path)


@pytest.fixture
def engine(store_url):
    """A migrated engine on an empty database of each backend; disposed after the test."""
    from explainer.store.config import make_engine
    from explainer.store.schema import ensure_schema

    eng = make_engine(store_url)
    ensure_schema(eng)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def app_db(store_url, monkeypatch):
    """Point the app (AppTest, same process) at an empty database of each backend; reset the outage back-off."""
    if store_url.startswith("sqlite"):
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("GRADIENT_LAB_DB", store_url.removeprefix("sqlite:///"))
    else:
        monkeypatch.setenv("DATABASE_URL", store_url)
    from explainer.views.progress import access

    monkeypatch.setattr(access, "_down_until", 0.0)
    return store_url
