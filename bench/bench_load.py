"""Load: N concurrent sessions on the real server (agent API).

"class" and "rush" share one server: home page, one experiment, three quiz answers per session; "class" students
join over RAMP_S seconds and think 1-3 s between actions, as people do, "rush" fires every action back to back.
They print p50/p95/max latency per action, errors, the server's peak RSS and CPU seconds, plus the ratio of the
loaded p95 to the same actions' median in a single warm session measured first in this run.
"burst" (bench/burst.py) runs on a server of its own: every session opens every page in random order and moves one
control per lab page to a random legal value, extremes included. Every scenario waits for the server's start-up
warming first (a class meets a server that has been up a few minutes) unless `--cold`.
Usage: python -m bench load [--scenario class|rush|burst|all] [--sessions N] [--cold] [--env KEY=VALUE ...]
(GRADIENT_LAB_LOAD_SESSIONS=50 by default)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import burst
from bench.agent import Session
from bench.server import descendants, rss_bytes, rss_bytes_of, running_app

SESSIONS = int(os.environ.get("GRADIENT_LAB_LOAD_SESSIONS", "50"))
TARGET_P95_S, TARGET_RSS_GB = 3.0, 2.0
# A few configs many students share (an instructor's preset) and a unique one per session.
SHARED = [
    ("lab-activations", {}),
    ("lab-init", {"depth": "30"}),
    ("lab-recurrent", {"seq_len": "80"}),
    ("lab-normalization", {}),
]
ANSWER_TYPES = ("radio", "checkbox", "text_input", "text_area")
RAMP_S, THINK_S = 5.0, (1.0, 3.0)  # the "class" scenario: join within 5 s, 1-3 s between actions


UNIQUE_EVERY = int(os.environ.get("GRADIENT_LAB_LOAD_UNIQUE_EVERY", "5"))


def experiment_for(i: int, scenario: int) -> tuple[str, str, dict]:
    """(action name, page, URL params): most follow the instructor's presets, one in UNIQUE_EVERY moves a slider
    to a config nobody has run before (different per scenario, so every scenario computes its own)."""
    if i % UNIQUE_EVERY == UNIQUE_EVERY - 1:
        return "exp_unique", "lab-activations", {"depth": str(10 + i % 30), "width": str(16 + 2 * scenario + i % 32)}
    return ("exp_shared", *SHARED[i % len(SHARED)])


def answer_value(node: dict):
    t, props = node["type"], node.get("props", {})
    if t == "radio":
        return (props.get("options") or [None])[0]
    if t == "checkbox":
        return True
    return "0.25" if t == "text_input" else "Sigmoid saturates; its derivative is at most 1/4, so gradients vanish."


def quiz_answers(s: Session, timed, n: int = 3) -> None:
    timed("quiz_open", lambda: s.open("quiz"))
    timed("quiz_start", lambda: s.click("quiz_start", quiz_count=n, quiz_seed=7))
    for i in range(n):
        prefix = f"quiz_q{i}_"
        fields = [a for a in s.actions() if a["key"].startswith(prefix) and a["type"] in ANSWER_TYPES]
        state = {}
        if fields:
            node = s.node(fields[0]["key"]) or {"type": fields[0]["type"]}
            state[fields[0]["key"]] = answer_value(node)
        timed("quiz_answer", lambda st=state, p=prefix: s.click(f"{p}check", **st))
        timed("quiz_next", lambda i=i: s.click(f"quiz_next_{i}"))


def one_learner(base: str, i: int, record, human: bool) -> None:
    s = Session(base, timeout=300)
    rng = random.Random(i)
    if human:
        time.sleep(rng.uniform(0, RAMP_S))

    def timed(action: str, fn) -> None:
        if human and action != "home":
            time.sleep(rng.uniform(*THINK_S))
        t0 = time.perf_counter()
        try:
            snap = fn()
            ok = snap.get("status") == "ready" and not s.exceptions()
            record(action, time.perf_counter() - t0, None if ok else f"{action}: {s.exceptions()[:1]}")
        except Exception as e:  # noqa: BLE001 - a load test counts every failure
            record(action, time.perf_counter() - t0, f"{action}: {type(e).__name__}: {str(e)[:200]}")

    timed("home", lambda: s.open(""))
    action, page, params = experiment_for(i, int(human))
    timed(action, lambda: s.open(page, params))
    quiz_answers(s, timed)


def run_load(base: str, n: int, pid: int, human: bool = False) -> tuple[dict, list[str], int]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    peak = [0]
    done = threading.Event()

    def record(action: str, seconds: float, error: str | None) -> None:
        with lock:
            latencies[action].append(seconds)
            if error:
                errors.append(error)

    def sample_rss() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    with ThreadPoolExecutor(max_workers=n) as pool:
        list(pool.map(lambda i: one_learner(base, i, record, human), range(n)))
    done.set()
    sampler.join()
    return latencies, errors, peak[0]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> None:
    args = parse(argv or [])
    env = {"STREAMLIT_SERVER_AGENT_MAX_SESSIONS": str(4 * args.sessions + 10),
           **dict(item.split("=", 1) for item in args.env)}
    scenarios = [args.scenario] if args.scenario != "all" else ["class", "rush", "burst"]
    if {"class", "rush"} & set(scenarios):
        with tempfile.TemporaryDirectory() as d, running_app(Path(d), env=env) as (proc, base):
            if not args.cold:  # a class meets a server that has been up a few minutes (or kept its run cache)
                print(f"start-up warming: {wait_for_warming(base, run_cache(env, d))}")
            solo, _, _ = run_load(base, 1, proc.pid)  # warm caches and measure one learner alone
            solo_median = statistics.median(v for vs in solo.values() for v in vs)
            for name, human in (("class", True), ("rush", False)):
                if name not in scenarios:
                    continue
                cpu0, wall0 = cpu_seconds(proc.pid), time.perf_counter()
                latencies, errors, peak = run_load(base, args.sessions, proc.pid, human=human)
                cpu, wall = cpu_seconds(proc.pid) - cpu0, time.perf_counter() - wall0
                report(name, latencies, errors, peak, solo_median, cpu, wall, args.sessions)
    if "burst" in scenarios:
        with tempfile.TemporaryDirectory() as d, running_app(Path(d), env=env) as (proc, base):
            burst_on(proc, base, args.sessions, cold=args.cold, cache_dir=run_cache(env, d))


def run_cache(env: dict, tmp: str) -> Path:
    """The server's run cache: a fresh one per run, or --env GRADIENT_LAB_CACHE_DIR=... to keep it between runs
    (a warm marker already there skips the wait)."""
    return Path(env.get("GRADIENT_LAB_CACHE_DIR") or Path(tmp) / "run-cache")


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench load")
    p.add_argument("--scenario", choices=("class", "rush", "burst", "all"), default="all")
    p.add_argument("--sessions", type=int, default=SESSIONS)
    p.add_argument("--cold", action="store_true", help="start at once, without waiting for the start-up warming")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="server environment, e.g. GRADIENT_LAB_COMPUTE=thread (repeatable)")
    return p.parse_args(argv)


def burst_on(proc, base: str, n: int, cold: bool, cache_dir: Path) -> None:
    """The burst scenario on a running server, sampling its RSS and CPU (worker processes included) all along."""
    peak, cpu_by_pid, peak_by_pid, done = [0], {}, {}, threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes(proc.pid))
            for pid in descendants(proc.pid):
                with contextlib.suppress(OSError):
                    cpu_by_pid[pid] = cpu_seconds(pid)
                    peak_by_pid[pid] = max(peak_by_pid.get(pid, 0), rss_bytes_of(pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    if not cold:
        waited = wait_for_warming(base, cache_dir)
        print(f"start-up warming: {waited}")
    time.sleep(0.3)
    cpu0, server0, wall0 = sum(cpu_by_pid.values()), cpu_by_pid.get(proc.pid, 0.0), time.perf_counter()
    client0 = sum(os.times()[:2])
    tally = burst.run_burst(base, n)
    time.sleep(0.3)
    cpu, wall = sum(cpu_by_pid.values()) - cpu0, time.perf_counter() - wall0
    server_cpu = cpu_by_pid.get(proc.pid, 0.0) - server0
    client_cpu = sum(os.times()[:2]) - client0
    done.set()
    sampler.join()
    burst.report(tally, n, peak[0], cpu, wall)
    print(f"of which the server process itself (pages, no engine): {server_cpu:.0f} s; the load generator (this "
          f"process, the {n} sessions' agent API clients) used {client_cpu:.0f} s of the same cores")
    print("peak RSS per process (MB): " + ", ".join(
        f"{'server' if pid == proc.pid else pid} {rss / 2**20:.0f}" for pid, rss in peak_by_pid.items() if rss > 50e6))


def report(name: str, latencies: dict, errors: list[str], peak: int, solo_median: float, cpu: float,
           wall: float, sessions: int = SESSIONS) -> None:
    print(f"\n[{name}] {sessions} concurrent sessions, one in {UNIQUE_EVERY} on a config nobody else runs"
          f"{' (ramp 5 s, think 1-3 s)' if name == 'class' else ' (no think time)'}; latency in seconds")
    print(f"{'action':<12}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}")
    every = []
    for action, values in latencies.items():
        every += values
        print(f"{action:<12}{len(values):>5}{pct(values, .5):>8.2f}{pct(values, .95):>8.2f}{max(values):>8.2f}")
    p95 = pct(every, .95)
    print(f"{'all':<12}{len(every):>5}{pct(every, .5):>8.2f}{p95:>8.2f}{max(every):>8.2f}")
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:10]))
    print(f"peak server RSS: {peak / 2**30:.2f} GB (target <= {TARGET_RSS_GB} GB)")
    print(f"p95 {p95:.2f} s (target <= {TARGET_P95_S} s) -> {'OK' if p95 <= TARGET_P95_S and not errors else 'OVER'}")
    print(f"ratio loaded p95 / single-session median: {p95 / solo_median:.1f}x; "
          f"server CPU {cpu:.1f} s in {wall:.1f} s wall")


def wait_for_warming(base: str, cache_dir: Path, limit_s: float = 1800.0) -> str:
    """Open one lab page (the first lab request starts the warming) and wait for the warming's marker file."""
    try:
        from explainer.lab.compute.cache import engine_version
    except ImportError:
        return "none (this version of the app has no start-up warming)"
    marker = cache_dir / f"warm-{engine_version()}.done"
    t0 = time.perf_counter()
    Session(base, timeout=300).open("lab-activations")
    while not marker.exists() and time.perf_counter() - t0 < limit_s:
        time.sleep(1.0)
    took = time.perf_counter() - t0
    return f"done in {took:.0f} s" if marker.exists() else f"not done after {took:.0f} s (no marker {marker.name})"


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
