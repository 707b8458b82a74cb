"""Lab pages: median server-side time of an uncached and a cached rerun at defaults (AppTest), vs an empty page.

Uncached: st.cache_data is cleared before each run, so the engine, the chart specs and the summaries are
recomputed (torch and the modules are already imported: a rerun, not a cold start). Cached: the same page
rerun with warm caches, as a second learner with the same settings gets it. Baseline: a one-line page run
through AppTest in the same process, so the ratios factor out AppTest's own overhead and the machine's load.
"""

from __future__ import annotations

import os
import statistics
import time

from streamlit.testing.v1 import AppTest

from explainer.lab_presets import PRESETS
from explainer.sitemap import BY_PATH
from tests.conftest import APP

UNCACHED_TARGET_MS, CACHED_TARGET_MS = 250, 50
REPEATS = int(os.environ.get("BENCH_PAGES_REPEATS", "5"))
EMPTY_PAGE = "import streamlit as st\nst.title('empty')\n"


def _timed_run(at: AppTest) -> float:
    t0 = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed * 1000


def baseline_ms() -> float:
    at = AppTest.from_string(EMPTY_PAGE, default_timeout=60)
    at.run()
    return statistics.median(_timed_run(at) for _ in range(REPEATS * 2))


def page_ms(url_path: str) -> tuple[float, float]:
    """(median uncached ms, median cached ms) for one lab page at its defaults."""
    import streamlit as st

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(BY_PATH[url_path].script).run()  # warm-up: imports, torch runtime, first compile of code paths
    uncached = []
    for _ in range(REPEATS):
        st.cache_data.clear()
        uncached.append(_timed_run(at))
    cached = [_timed_run(at) for _ in range(REPEATS * 2)]
    return statistics.median(uncached), statistics.median(cached)


def main() -> None:
    base = baseline_ms()
    print(f"baseline (empty page through AppTest): {base:.1f} ms (median of {REPEATS * 2})")
    print(f"{'page':<20}{'uncached ms':>12}{'target':>8}{'x base':>8}   {'cached ms':>10}{'target':>8}{'x base':>8}")
    for url_path in PRESETS:
        uncached, cached = page_ms(url_path)
        u_ok = "OK" if uncached <= UNCACHED_TARGET_MS else "OVER"
        c_ok = "OK" if cached <= CACHED_TARGET_MS else "OVER"
        print(f"{url_path:<20}{uncached:>12.0f}{u_ok:>8}{uncached / base:>8.1f}   {cached:>10.1f}{c_ok:>8}"
              f"{cached / base:>8.1f}", flush=True)
    print(f"targets: uncached <= {UNCACHED_TARGET_MS} ms, cached <= {CACHED_TARGET_MS} ms (medians of {REPEATS} / "
          f"{REPEATS * 2} runs; AppTest time includes the router)")


if __name__ == "__main__":
    main()
