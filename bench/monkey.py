"""A monkey for the agent API: on a page, set every widget to its extremes and to random legal values,
and press every button, collecting anything that goes wrong. Used by tests/test_monkey.py."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bench.agent import AgentError, Session

HOSTILE_TEXT = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\"> $\\frac{1}{0}$ " + "x" * 500
SKIP_TYPES = {"file_uploader", "audio_input", "camera_input", "chat_input", "download_button", "link_button",
              "page_link", "data_editor"}


@dataclass
class MonkeyReport:
    page: str
    requests: int = 0
    problems: list[str] = field(default_factory=list)


def candidate_values(node: dict, rng: random.Random) -> list:
    """Extremes first, then one random legal value, for one widget node of the agent tree."""
    t, props = node.get("type"), node.get("props", {})
    if t in {"slider", "number_input", "select_slider"}:
        if t == "select_slider" or "options" in props:
            opts = props.get("options") or []
            return [opts[0], opts[-1], rng.choice(opts)] if opts else []
        lo, hi = props.get("min_value"), props.get("max_value")
        if lo is None or hi is None or isinstance(lo, list) or isinstance(hi, list):
            return []
        if isinstance(lo, int) and isinstance(hi, int):
            return [lo, hi, rng.randint(lo, hi)]
        return [lo, hi, rng.uniform(lo, hi)]
    if t in {"selectbox", "radio", "segmented_control", "pills"}:
        opts = props.get("options") or []
        if t in {"segmented_control", "pills"} and props.get("selection_mode") == "multi":
            return [[], list(opts), rng.sample(list(opts), k=rng.randint(0, len(opts)))] if opts else []
        return [opts[0], opts[-1], rng.choice(opts)] if opts else []
    if t == "multiselect":
        opts = list(props.get("options") or [])
        cap = props.get("max_selections") or len(opts)
        return [[], opts[:cap], rng.sample(opts, k=rng.randint(0, min(cap, len(opts))))] if opts else []
    if t in {"checkbox", "toggle"}:
        return [True, False]
    if t in {"text_input", "text_area"}:
        limit = props.get("max_chars") or 10_000
        return ["", HOSTILE_TEXT[:limit]]
    return []


def form_submits(tree: dict) -> dict[str, str]:
    """Map each widget key inside a form to the key of that form's first submit button."""
    out: dict[str, str] = {}

    def visit(node: dict, form_members: list | None) -> None:
        if node.get("type") == "form":
            members: list[str] = []
            for child in node.get("children", []) or []:
                visit(child, members)
            submit = next((k for k in members if k.startswith("\0submit:")), None)
            for k in members:
                if submit and not k.startswith("\0submit:"):
                    out[k] = submit.removeprefix("\0submit:")
            if form_members is not None:
                form_members.extend(members)
            return
        key = node.get("key")
        if key and form_members is not None:
            form_members.append(f"\0submit:{key}" if node.get("type") == "form_submit_button" else key)
        for child in node.get("children", []) or []:
            visit(child, form_members)

    visit(tree, None)
    return out


def probe_page(base: str, page: str, *, seed: int = 0, max_requests: int = 60,
               query_params: dict | None = None, prelude: list[dict] | None = None,
               spare: frozenset[str] = frozenset()) -> MonkeyReport:
    """Visit `page` in a new session and poke every action; return what failed (empty list = clean).

    `prelude`: interact() bodies sent first (e.g. signing in); `spare`: keys never touched (e.g. sign out).
    """
    rng = random.Random(seed)
    report = MonkeyReport(page)
    session = Session(base, timeout=180)

    def check(what: str, fn) -> None:
        report.requests += 1
        try:
            snap = fn()
        except AgentError as e:
            report.problems.append(f"{page}: {what}: {e}")
            return
        if snap.get("status") != "ready" or session.exceptions():
            report.problems.append(f"{page}: {what}: status={snap.get('status')} {session.exceptions()[:1]}")

    check("open", lambda: session.open(page, query_params))
    for body in prelude or []:
        check(f"prelude {body}", lambda b=body: session.interact(**b))
    seen: set[str] = set(spare)
    while report.requests < max_requests:
        pending = [a for a in session.actions() if a["key"] not in seen and a["type"] not in SKIP_TYPES]
        if not pending:
            break
        action = pending[0]
        seen.add(action["key"])
        if action["kind"] == "trigger":
            check(f"press {action.get('label') or action['key']}", lambda a=action: session.click(a["key"]))
            continue
        node = session.node(action["key"]) or {}
        submit = form_submits(session.snapshot.get("tree", {})).get(action["key"])
        for value in candidate_values(node, rng):
            if report.requests >= max_requests or action["key"] not in {a["key"] for a in session.actions()}:
                break  # the page moved on (e.g. a submitted form is replaced by the next step)
            if submit:  # a form defers its fields until one of its submit buttons is pressed
                send = lambda k=action["key"], v=value, b=submit: session.click(b, **{k: v})  # noqa: E731
            else:
                send = lambda k=action["key"], v=value: session.set(**{k: v})  # noqa: E731
            check(f"set {action['key']}={str(value)[:40]}", send)
    return report
