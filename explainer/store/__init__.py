"""The progress store: SQLAlchemy 2 over SQLite (default) or PostgreSQL (`DATABASE_URL`); no Streamlit here.

Modules: config (URL and engine), tables (ORM classes), schema (migrations), db (engine cache, transactions),
learners, attempts, banks, presets, dashboard, lessons, live (repository functions, each taking an Engine).
"""

from explainer.store.db import get_engine

__all__ = ["get_engine"]
