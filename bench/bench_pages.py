"""Lab pages: median server-side time of an uncached and a cached rerun at defaults (AppTest), vs an empty page.

Uncached: st.cache_data is cleared before each run, so the engine, the chart specs and the summaries are
recomputed (torch and the modules are already imported: a rerun, not a cold start). Cached: the same page
rerun with warm caches, as a second learner with the same settings gets it. Baseline: a one-line page run
through AppTest in the same process, so the ratios factor out AppTest's own overhead and the machine's load.
"""

from __future__ import annotations

import logging
import os
import statistics
import time

from streamlit import config as streamlit_config
from streamlit import logger as streamlit_logger
from streamlit.testing.v1 import AppTest

from explainer.core.sitemap import BY_PATH
from explainer.lab.specs import LABS
from tests.conftest import APP

UNCACHED_TARGET_MS, CACHED_TARGET_MS = 250, 50
TRAINING_TARGET_MS = 2000  # uncached: the labs whose page trains a real model first (issue 14)
TRAINING_KINDS = frozenset({"transformer", "precision", "digits"})
REPEATS = int(os.environ.get("BENCH_PAGES_REPEATS", "5"))
EMPTY_PAGE = "import streamlit as st\nst.title('empty')\n"


def _timed_run(at: AppTest) -> tuple[float, float]:
    """(wall ms, process CPU ms) of one rerun; the script runs in a thread of this process, so CPU time counts
    the server-side work even when other processes compete for the cores."""
    c0, t0 = time.process_time(), time.perf_counter()
    at.run()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return wall * 1000, cpu * 1000


def _medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def baseline_ms() -> tuple[float, float]:
    at = AppTest.from_string(EMPTY_PAGE, default_timeout=60)
    at.run()
    return _medians([_timed_run(at) for _ in range(REPEATS * 2)])


def page_ms(url_path: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """((wall, cpu) median uncached ms, (wall, cpu) median cached ms) for one lab page at its defaults."""
    import streamlit as st

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(BY_PATH[url_path].script).run()  # warm-up: imports, torch runtime, first compile of code paths
    uncached = []
    for _ in range(REPEATS):
        st.cache_data.clear()
        uncached.append(_timed_run(at))
    cached = [_timed_run(at) for _ in range(REPEATS * 2)]
    return _medians(uncached), _medians(cached)


def _verdict(ms: float, target: float) -> str:
    return "OK" if ms <= target else "OVER"


def main() -> None:
    # No bare-mode notes: quiet every streamlit module logger now, and when AppTest parses the config again.
    streamlit_config.set_option("logger.level", "error")
    streamlit_logger.set_log_level(logging.ERROR)
    base_wall, base_cpu = baseline_ms()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wall time suffers from other load, "
          "CPU time much less")
    print(f"baseline (empty page through AppTest): wall {base_wall:.1f} ms, CPU {base_cpu:.1f} ms")
    print(f"{'page':<18}{'uncached wall/CPU ms':>22}{'':>6}{'CPU x base':>11}   {'cached wall/CPU ms':>20}{'':>6}"
          f"{'CPU x base':>11}")
    for url_path in LABS:
        (u_wall, u_cpu), (c_wall, c_cpu) = page_ms(url_path)
        target = TRAINING_TARGET_MS if LABS[url_path].kind in TRAINING_KINDS else UNCACHED_TARGET_MS
        print(f"{url_path:<18}{u_wall:>13.0f} / {u_cpu:>5.0f}{_verdict(u_cpu, target):>6}"
              f"{u_cpu / base_cpu:>11.1f}   {c_wall:>11.1f} / {c_cpu:>5.1f}{_verdict(c_cpu, CACHED_TARGET_MS):>6}"
              f"{c_cpu / base_cpu:>11.1f}", flush=True)
    print(f"targets (on CPU time): uncached <= {UNCACHED_TARGET_MS} ms ({TRAINING_TARGET_MS} ms for the training labs "
          f"{', '.join(sorted(TRAINING_KINDS))}), cached <= {CACHED_TARGET_MS} ms; medians of "
          f"{REPEATS} uncached / {REPEATS * 2} cached reruns at each page's defaults; AppTest runs include the router")


if __name__ == "__main__":
    main()
