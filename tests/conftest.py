"""Shared fixtures: the repo root, a throwaway database per test session, AppTest helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.pg_fixture"]  # the real PostgreSQL server, started on loopback on first use

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "streamlit_app.py")


@pytest.fixture(scope="session", autouse=True)
def _isolated_database(tmp_path_factory):
    """No test touches a developer's database: the app's SQLite file lives in a temp dir."""
    path = tmp_path_factory.mktemp("db") / "gradient_lab.sqlite3"
    os.environ.setdefault("GRADIENT_LAB_DB", str(path))
    # Lab runs: a throwaway result cache, no start-up warming competing with the tests for the cores, and pages
    # that wait for their full results (the progress panel has tests of its own that set a zero wait).
    os.environ.setdefault("GRADIENT_LAB_CACHE_DIR", str(tmp_path_factory.mktemp("run-cache")))
    os.environ.setdefault("GRADIENT_LAB_WARM", "0")
    os.environ.setdefault("GRADIENT_LAB_LAB_WAIT_S", "600")
    # Engine runs in the page's own thread, as before the pool: page tests check what pages draw. The pool's
    # worker processes, queue and previews have tests of their own (test_lab_compute, test_lab_progress, and the
    # browser test of the preview, whose server sets "process").
    os.environ.setdefault("GRADIENT_LAB_COMPUTE", "inline")
    yield path


def app_test(page_script: str | None = None, *, query: dict | None = None, timeout: float = 60):
    """An AppTest of the whole app (router included), switched to `page_script` and run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    if page_script is not None:
        if query:
            at.query_params.update(query)
        at.switch_page(page_script).run()
    return at
