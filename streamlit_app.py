"""Gradient Lab router: page config and navigation only; every page lives in explainer/pages/.

The lab's compute workers are spawned processes, and a spawned process imports its parent's main file, which
under `streamlit run` is this one, as `__mp_main__`: so the router runs only as the script itself, and a worker
imports neither streamlit nor the pages.
"""


# The interpreter hands its lock to a waiting thread after this long (CPython's default: 5 ms). A server holds a
# script thread per busy session, and a lab result reaches its page through several short hand-offs (the worker
# pool's result thread, the scheduler, the waiting script), each queued behind whichever script holds the lock:
# under a class's burst a 10 ms run took 1-3 s to reach its page. At 1 ms, the lab changes of a 50-session burst
# whose chart took over 3 s fell from 20-43 to 10-19 of 550 (python -m bench load --scenario burst).
SWITCH_INTERVAL_S = 0.001


def main() -> None:
    import sys

    import streamlit as st

    sys.setswitchinterval(SWITCH_INTERVAL_S)  # process-wide and idempotent: cheap to repeat on every rerun

    from explainer.lab.warmup import start_warming
    from explainer.views.nav import navigation

    st.set_page_config(page_title="Gradient Lab", page_icon=":material/ssid_chart:", layout="wide")
    start_warming()  # once per server, on its first visitor: the configs a class reaches first, at low priority
    st.navigation(navigation()).run()


if __name__ == "__main__":
    main()
