"""Start and stop a real `streamlit run` of the app on a free port (used by benches and browser tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(tmp: Path, env: dict | None = None, port: int | None = None, script: str = "streamlit_app.py",
              wait: float = 60.0):
    """Start the app as a subprocess; return (process, base_url) once /_stcore/health answers ok."""
    port = port or free_port()
    full_env = {**os.environ, "GRADIENT_LAB_DB": str(tmp / "app.sqlite3"),
                "GRADIENT_LAB_CACHE_DIR": str(tmp / "run-cache"), **(env or {})}
    log = open(tmp / f"server-{port}.log", "w")  # noqa: SIM115 (lives as long as the process)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.enableAgentApi", "true"],
        cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"app exited early; see {log.name}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return proc, base
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"app did not become healthy within {wait:.0f} s")


@contextmanager
def running_app(tmp: Path, **kwargs) -> Iterator[tuple[subprocess.Popen, str]]:
    """`start_app` as a context manager: yields (process, base_url); the server stops however the block ends."""
    proc, base = start_app(tmp, **kwargs)
    try:
        yield proc, base
    finally:
        stop_app(proc)


def stop_app(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def descendants(pid: int) -> list[int]:
    """A process and every process below it (children of any of its threads, recursively; Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def rss_bytes_of(pid: int) -> int:
    """Resident set size of one process (0 if it is gone; Linux /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def rss_bytes(pid: int) -> int:
    """Resident set size of a process and all its descendants (worker processes included; Linux /proc)."""
    return sum(rss_bytes_of(p) for p in descendants(pid))
