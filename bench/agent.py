"""A small client for Streamlit's agent API (POST /_stcore/agent/interact), shared by benches and tests.

It drives the real server through the real script path, no browser: one `Session` is one app session.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field


class AgentError(RuntimeError):
    """The server answered with an error envelope or an HTTP failure."""


def _post(base: str, body: dict, timeout: float) -> tuple[int, dict]:
    req = urllib.request.Request(
        f"{base}/_stcore/agent/interact", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        payload = e.read()
        try:
            return e.code, json.loads(payload)
        except ValueError:
            return e.code, {"error": payload.decode(errors="replace")}


@dataclass
class Session:
    base: str
    timeout: float = 120.0
    session_id: str | None = None
    snapshot: dict = field(default_factory=dict)
    timeouts: int = 0  # HTTP 202 answers: the run outlasted server.agentWaitTimeout and was collected by a retry

    def interact(self, **body) -> dict:
        """Send one request (page=, widget_state=, trigger=, query_params=) and wait for the settled run."""
        if self.session_id:
            body["session_id"] = self.session_id
        status, data = _post(self.base, body, self.timeout)
        while status == 202 and data.get("session_id"):  # still running: collect it
            self.timeouts += 1
            self.session_id = data["session_id"]
            status, data = _post(self.base, {"session_id": self.session_id}, self.timeout)
        if status != 200:
            raise AgentError(f"HTTP {status}: {json.dumps(data)[:500]}")
        self.session_id = data["session_id"]
        self.snapshot = data
        return data

    def open(self, page: str, query_params: dict | None = None) -> dict:
        body: dict = {"page": page}
        if query_params:
            body["query_params"] = {k: v if isinstance(v, list) else [str(v)] for k, v in query_params.items()}
        return self.interact(**body)

    def set(self, **widget_state) -> dict:
        return self.interact(widget_state=widget_state)

    def click(self, key: str, **widget_state) -> dict:
        body: dict = {"trigger": {"key": key}}
        if widget_state:
            body["widget_state"] = widget_state
        return self.interact(**body)

    # -- reading the snapshot -------------------------------------------------
    def nodes(self, type_: str | None = None) -> Iterator[dict]:
        yield from walk(self.snapshot.get("tree", {}), type_)

    def node(self, key: str) -> dict | None:
        return next((n for n in self.nodes() if n.get("key") == key), None)

    def exceptions(self) -> list[str]:
        return [n.get("props", {}).get("message", "") or json.dumps(n)[:300] for n in self.nodes("exception")]

    def actions(self) -> list[dict]:
        return list(self.snapshot.get("actions", []))


def walk(node: dict, type_: str | None = None) -> Iterator[dict]:
    if type_ is None or node.get("type") == type_:
        yield node
    for child in node.get("children", []) or []:
        yield from walk(child, type_)
