"""Test helpers for multi-process hosting: run deploy/nginx.conf on loopback, and a cookie-keeping agent client.

nginx is Debian's (`.ci/system-deps` installs it); a missing binary fails the test with a hint.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from bench.agent import Session
from bench.server import free_port
from tests.conftest import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
EXAMPLE = ROOT / "deploy" / "nginx.conf"


def _substitute(text: str, pattern: str, replacement: str) -> str:
    new, n = re.subn(pattern, replacement, text)
    assert n == 1, f"deploy/nginx.conf changed shape: expected one match of {pattern!r}, found {n}"
    return new


def nginx_config(tmp: Path, listen_port: int, upstream_ports: list[int]) -> Path:
    """deploy/nginx.conf with only its listen port, upstream ports and log path changed, inside a main config."""
    site = EXAMPLE.read_text()
    site = _substitute(site, r"listen 80;", f"listen 127.0.0.1:{listen_port};")
    site = _substitute(site, r"server 127\.0\.0\.1:8501 ", f"server 127.0.0.1:{upstream_ports[0]} ")
    site = _substitute(site, r"server 127\.0\.0\.1:8502 ", f"server 127.0.0.1:{upstream_ports[1]} ")
    site = _substitute(site, r"/var/log/nginx/gradient-lab\.access\.log", str(tmp / "access.log"))
    (tmp / "gradient-lab.conf").write_text(site)
    temp_paths = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in
                           ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = f"""\
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} info;
events {{ worker_connections 512; }}
http {{
{temp_paths}
    include {tmp / "gradient-lab.conf"};
}}
"""
    path = tmp / "nginx-main.conf"
    path.write_text(main)
    return path


class Nginx:
    """nginx in the foreground on a free loopback port, in front of the given upstream ports."""

    def __init__(self, tmp: Path, upstream_ports: list[int]):
        if not os.path.exists(NGINX):
            pytest.fail("nginx not found: run `make system-deps` (installs Debian's nginx)", pytrace=False)
        self.tmp = tmp
        self.port = free_port()
        conf = nginx_config(tmp, self.port, upstream_ports)
        check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=open(tmp / "nginx.stderr", "w"))  # noqa: SIM115
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not come up; see {tmp / 'error.log'}")

    def upstreams(self) -> list[tuple[str, str]]:
        """(route cookie, upstream address) of every request logged so far."""
        text = (self.tmp / "access.log").read_text() if (self.tmp / "access.log").exists() else ""
        return re.findall(r"upstream=(\S+) route=(\S+)", text)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class CookieSession(Session):
    """bench.agent.Session that keeps cookies (the nginx routing cookie) like a browser would."""

    def __init__(self, base: str, timeout: float = 120.0):
        super().__init__(base, timeout)
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str = "/") -> int:
        with self.opener.open(f"{self.base}{path}", timeout=self.timeout) as r:
            r.read()
            return r.status

    def _post(self, body: dict) -> tuple[int, dict]:
        req = urllib.request.Request(f"{self.base}/_stcore/agent/interact", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"{}")

    def interact(self, **body) -> dict:
        if self.session_id:
            body["session_id"] = self.session_id
        status, data = self._post(body)
        while status == 202 and data.get("session_id"):
            self.session_id = data["session_id"]
            status, data = self._post({"session_id": self.session_id})
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {json.dumps(data)[:500]}")
        self.session_id = data["session_id"]
        self.snapshot = data
        return data

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def answer_quiz_question(session: Session, i: int) -> None:
    """Answer question `i` of the running quiz (first option of a choice question, else "I don't know")
    and check that its feedback is showing, which the page renders only after recording the answer."""
    keys = {a["key"] for a in session.actions()}
    choice = f"quiz_q{i}_choice"
    if choice in keys:
        session.click(f"quiz_q{i}_check", **{choice: session.node(choice)["props"]["options"][0]})
    else:
        session.click(f"quiz_q{i}_skip")
    assert f"quiz_next_{i}" in {a["key"] for a in session.actions()}, f"no feedback after question {i}"
    assert not session.exceptions(), session.exceptions()


def start_quiz(session: Session, topic: str, n: int, seed: int) -> None:
    """Open the Practice quiz with a pinned-quiz URL (?topic, ?n, ?seed) and start it."""
    session.open("quiz", query_params={"topic": topic, "n": n, "seed": seed})
    session.click("quiz_start")
    assert "quiz_q0_skip" in {a["key"] for a in session.actions()}, session.actions()
