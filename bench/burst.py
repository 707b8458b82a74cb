"""The burst scenario: N sessions open every page in random order and set one control per lab page to a random
legal value (extremes included), with no think time, through the agent API on a real server.

Legal values come from each page's LabSpec.specs (the engine's own bounds): an int or float control takes its
minimum, its maximum or a random value in between (log-uniform when the range spans two decades or more), a
choice control a random option, a toggle the other state. Per kind (lab view, lab change, other) it records the
time until a lab chart is on the page (a labelled preview counts) and until the full result; a page still
computing says so with a container keyed `lab_pending` (and `lab_preview` once it shows a preview), and the
client polls it the way the page's own timer does, by pressing `lab_refresh` (or rerunning) until it is gone.
"""

from __future__ import annotations

import json
import math
import os
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.agent import AgentError, Session
from explainer.core.sitemap import PAGES
from explainer.core.urls import ParamSpec
from explainer.lab.specs import LABS, LabSpec

PENDING, PREVIEW, REFRESH = "lab_pending", "lab_preview", "lab_refresh"
POLL_S = 1.0  # the progress panel's refresh interval in a browser (st.fragment run_every)
FULL_LIMIT_S = 180.0  # a lab result not complete this long after the action counts as a timeout
KINDS = ("lab view", "lab change", "other")


def legal_value(spec: ParamSpec, default, rng: random.Random):
    """A random legal value of one control: min, max or in between (numbers), an option, or the other toggle."""
    if spec.kind == "bool":
        return not bool(default)
    if spec.kind == "choice":
        return rng.choice(spec.choices)
    lo = math.nextafter(spec.lo, math.inf) if spec.lo_open else spec.lo
    hi = spec.hi
    pick = rng.choice(("min", "max", "between"))
    if spec.kind == "int":
        return int(lo) if pick == "min" else int(hi) if pick == "max" else rng.randint(int(lo), int(hi))
    if pick != "between":
        return float(lo if pick == "min" else hi)
    if lo > 0 and hi / lo >= 100:
        return float(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    return rng.uniform(lo, hi)


def random_move(lab: LabSpec, rng: random.Random) -> tuple[str, object]:
    """One control of the page and a random legal value for it."""
    key = rng.choice(lab.keys)
    return key, legal_value(lab.specs[key], lab.defaults[key], rng)


def lab_charts(s: Session) -> list[dict]:
    """The lab's band charts on the page (their data has a `median` column; the Learn figures' do not)."""
    out = []
    for node in s.nodes("vega_lite_chart"):
        columns = (node.get("data") or {}).get("columns") or []
        if any(c.get("name") == "median" for c in columns):
            out.append(node)
    return out


def keyed(s: Session, key: str) -> bool:
    return any(n.get("key") == key for n in s.nodes())


@dataclass
class Sample:
    kind: str
    page: str
    action: str
    chart_s: float | None  # until a lab chart (preview or full); None: never (other pages, refused configs)
    full_s: float | None  # until the full result; None: never within FULL_LIMIT_S
    preview: bool = False  # a labelled preview came before the full result
    polls: int = 0


@dataclass
class Tally:
    samples: list[Sample] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timeouts: list[str] = field(default_factory=list)  # the agent API's: HTTP 202 (30 s) or "session busy"
    late: list[str] = field(default_factory=list)  # full results not there FULL_LIMIT_S after the action
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample | None = None, error: str | None = None, timeout: str | None = None,
            late: str | None = None) -> None:
        with self.lock:
            if sample:
                self.samples.append(sample)
            if error:
                self.errors.append(error)
            if timeout:
                self.timeouts.append(timeout)
            if late:
                self.late.append(late)


def settle(s: Session, kind: str, page: str, action: str, send: Callable[[], dict], tally: Tally) -> None:
    """Send one action, then poll until the page holds its full result; record the sample."""
    t0 = time.perf_counter()
    timeouts0 = s.timeouts
    try:
        send()
        chart_s = full_s = None
        preview, polls = False, 0
        while True:
            now = time.perf_counter() - t0
            if s.exceptions() or s.snapshot.get("status") != "ready":
                tally.add(error=f"{page} {action}: status={s.snapshot.get('status')} {s.exceptions()[:1]}")
                break
            has_chart, pending = bool(lab_charts(s)), keyed(s, PENDING)
            if has_chart and chart_s is None:
                chart_s = now
            preview = preview or keyed(s, PREVIEW)
            if not pending:
                full_s = now
                break
            if now > FULL_LIMIT_S:
                tally.add(late=f"{page} {action}: no full result after {now:.0f} s")
                full_s = math.inf  # counted in the percentiles as never
                break
            polls += 1
            time.sleep(POLL_S)  # as the page's own timer does
            if any(a["key"] == REFRESH for a in s.actions()):
                s.click(REFRESH)
            else:
                s.interact()
        if kind == "other":
            chart_s = None
        elif chart_s is None and full_s == math.inf:
            chart_s = math.inf
        tally.add(Sample(kind, page, action, chart_s, full_s, preview, polls))
    except AgentError as e:
        text = str(e)
        busy = "session_busy" in text
        tally.add(timeout=f"{page} {action}: {text[:160]}" if busy else None,
                  error=None if busy else f"{page} {action}: {text[:200]}")
    except Exception as e:  # noqa: BLE001 - a load test counts every failure
        tally.add(error=f"{page} {action}: {type(e).__name__}: {str(e)[:200]}")
    for _ in range(s.timeouts - timeouts0):
        tally.add(timeout=f"{page} {action}: agent API wait timeout (HTTP 202)")


def one_session(base: str, i: int, tally: Tally) -> None:
    """Every page once, in a random order; on a lab page, one random legal move of one control."""
    rng = random.Random(1000 + i)
    s = Session(base, timeout=300)
    pages = list(PAGES)
    rng.shuffle(pages)
    for p in pages:
        path = "" if p.default else p.url_path
        lab = LABS.get(p.url_path)
        settle(s, "lab view" if lab else "other", p.url_path, "open", lambda path=path: s.open(path), tally)
        if lab and s.session_id:
            key, value = random_move(lab, rng)
            settle(s, "lab change", p.url_path, f"{key}={value:.4g}" if isinstance(value, float) else f"{key}={value}",
                   lambda k=key, v=value: s.set(**{k: v}), tally)


def run_burst(base: str, n: int) -> Tally:
    tally = Tally()
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(lambda i: one_session(base, i, tally), range(n)))
    if dump := os.environ.get("GRADIENT_LAB_BURST_DUMP"):  # every sample as JSON lines, for a closer look
        Path(dump).write_text("".join(json.dumps(asdict(smp)) + "\n" for smp in tally.samples))
    return tally


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[rank(len(values), q)]


def rank(n: int, q: float) -> int:
    """The index of the q-quantile among n sorted values, as `pct` reads it."""
    return min(n - 1, round(q * (n - 1)))


def report(tally: Tally, n: int, peak_rss: int, cpu: float, wall: float) -> dict:
    """Print the per-kind table and the targets; return the headline figures."""
    print(f"\n[burst] {n} sessions, every page in random order, one random legal control move per lab page, "
          "no think time; seconds")
    print(f"{'kind':<12}{'n':>5} {'chart p50':>9}{'p95':>7}{'max':>7} {'full p50':>9}{'p95':>7}{'max':>7}"
          f"{'preview':>9}")
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for smp in tally.samples:
        by_kind[smp.kind].append(smp)
    out = {}
    for kind in KINDS:
        rows = by_kind.get(kind, [])
        if not rows:
            continue
        full = [r.full_s for r in rows if r.full_s is not None]
        chart = [r.chart_s if r.chart_s is not None else r.full_s for r in rows if r.full_s is not None]
        previews = sum(r.preview for r in rows)
        c = (pct(chart, .5), pct(chart, .95), max(chart)) if chart else (math.nan,) * 3
        f = (pct(full, .5), pct(full, .95), max(full)) if full else (math.nan,) * 3
        print(f"{kind:<12}{len(rows):>5} {c[0]:>9.2f}{c[1]:>7.2f}{c[2]:>7.2f} {f[0]:>9.2f}{f[1]:>7.2f}{f[2]:>7.2f}"
              f"{previews:>9}")
        out[kind] = {"chart_p95": c[1], "full_p95": f[1]}
    for kind in KINDS[:2]:  # what the p95 of each lab kind is made of: the server's queue, or compute
        rows = [r for r in tally.samples if r.kind == kind and r.full_s is not None]  # as the table counts them
        if not rows:
            continue
        over = [r for r in rows if (r.chart_s if r.chart_s is not None else r.full_s) > 3.0]
        print(f"{kind} over 3 s until a chart: {len(over)} of {len(rows)} (a p95 within 3 s allows "
              f"{len(rows) - 1 - rank(len(rows), 0.95)}); {sum(r.polls > 0 for r in over)} of them "
              "waited for compute past the page's first wait, the rest for the server itself")
    by_page: dict[str, list[float]] = defaultdict(list)
    for r in tally.samples:
        if r.kind != "other" and r.full_s is not None:
            by_page[r.page].append(r.full_s)
    print("full result per lab page: " + "; ".join(
        f"{page} p50 {pct(v, .5):.1f} p95 {pct(v, .95):.1f} (n={len(v)})" for page, v in sorted(by_page.items())))
    slow = sorted((r for r in tally.samples if r.full_s is not None), key=lambda r: -r.full_s)[:5]
    print("slowest: " + "; ".join(f"{r.page} {r.action} {r.full_s:.1f} s" for r in slow))
    lab = [r for r in tally.samples if r.kind != "other" and r.full_s is not None]
    no_chart = [r for r in lab if r.chart_s is None]
    if no_chart:
        print(f"lab actions that ended without a chart (the engine refused the settings): {len(no_chart)}, e.g. "
              + ", ".join(f"{r.page} {r.action}" for r in no_chart[:3]))
    print(f"errors: {len(tally.errors)}" + "".join(f"\n  {e}" for e in tally.errors[:8]))
    print(f"timeouts (agent API 30 s wait or session busy): {len(tally.timeouts)}"
          + "".join(f"\n  {e}" for e in tally.timeouts[:8]))
    print(f"full result still missing {FULL_LIMIT_S:.0f} s after the action (the session moved on): {len(tally.late)}"
          + "".join(f"\n  {e}" for e in tally.late[:5]))
    print(f"peak server RSS (with its worker processes): {peak_rss / 2**30:.2f} GB; server CPU (workers included) "
          f"{cpu:.0f} s in {wall:.0f} s wall")
    lab_chart = max((out[k]["chart_p95"] for k in ("lab view", "lab change") if k in out), default=math.nan)
    lab_full = max((out[k]["full_p95"] for k in ("lab view", "lab change") if k in out), default=math.nan)
    ok = (not tally.errors and not tally.timeouts and lab_chart <= 3.0 and lab_full <= 15.0
          and peak_rss <= 1.5 * 2**30)
    print(f"targets: 0 errors, 0 timeouts, lab p95 until a chart {lab_chart:.2f} s (<= 3), until the full result "
          f"{lab_full:.2f} s (<= 15), peak RSS {peak_rss / 2**30:.2f} GB (<= 1.5) -> {'OK' if ok else 'OVER'}")
    return out
