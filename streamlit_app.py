"""Gradient Lab router: page config and navigation only; every page lives in explainer/pages/.

The lab's compute workers are spawned processes, and a spawned process imports its parent's main file, which
under `streamlit run` is this one, as `__mp_main__`: so the router runs only as the script itself, and a worker
imports neither streamlit nor the pages.
"""


def main() -> None:
    import streamlit as st

    from explainer.lab.warmup import start_warming
    from explainer.views.nav import navigation

    st.set_page_config(page_title="Gradient Lab", page_icon=":material/ssid_chart:", layout="wide")
    start_warming()  # once per server, on its first visitor: the configs a class reaches first, at low priority
    st.navigation(navigation()).run()


if __name__ == "__main__":
    main()
