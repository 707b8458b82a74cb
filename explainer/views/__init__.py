"""The view layer: the only package (besides the router) that imports streamlit."""
