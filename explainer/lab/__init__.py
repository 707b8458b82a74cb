"""Experiments as lab pages, without streamlit: URL parameters, page specs, diagnosis, ranking, charts."""
