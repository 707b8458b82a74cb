"""Cold start: process start -> first Learn page served (agent API), against a bare hello-world app."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from bench.agent import Session
from bench.server import running_app

TARGET_S = 1.5
REPEATS = 3
HELLO = "import streamlit as st\nst.title('hello')\n"


def cold_start(script: str, page: str | None, tmp: Path) -> float:
    """Seconds from Popen to a settled run of `page` in a new session."""
    t0 = time.perf_counter()
    with running_app(tmp, script=script) as (_, base):
        session = Session(base)
        snap = session.open(page) if page else session.interact()
        elapsed = time.perf_counter() - t0
        if snap["status"] != "ready":
            raise RuntimeError(f"{script} {page}: status {snap['status']}")
        return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        hello = tmp / "hello_app.py"
        hello.write_text(HELLO)
        # the hello app must live under the repo root for `streamlit run` cwd; use an absolute path
        base_times = [cold_start(str(hello), None, tmp) for _ in range(REPEATS)]
        app_times = [cold_start("streamlit_app.py", "overview", tmp) for _ in range(REPEATS)]
        home_times = [cold_start("streamlit_app.py", None, tmp) for _ in range(REPEATS)]
    base, app, home = (statistics.median(t) for t in (base_times, app_times, home_times))
    print(f"cold start, hello-world streamlit app : {base:.2f} s (median of {REPEATS})")
    print(f"cold start, Gradient Lab Learn page   : {app:.2f} s (median of {REPEATS}); target <= {TARGET_S} s "
          f"-> {'OK' if app <= TARGET_S else 'OVER'}  (Overview, with figures: altair + pandas)")
    print(f"ratio Gradient Lab / hello-world      : {app / base:.2f}x")
    print(f"cold start, Home (no figures)         : {home:.2f} s, {home / base:.2f}x hello-world")


if __name__ == "__main__":
    main()
