"""Migration v2 (lessons and live sessions): a database the previous app version created gets the new tables."""

from __future__ import annotations

from sqlalchemy import inspect

from explainer.store.config import make_engine
from explainer.store.schema import SCHEMA_VERSION, current_version, ensure_schema
from explainer.store.tables import Base, LessonRow, LiveAnswer, LiveSession, Meta

NEW = {LessonRow.__tablename__, LiveSession.__tablename__, LiveAnswer.__tablename__}


def test_a_v1_database_is_migrated_to_the_live_tables(store_url):
    """Tables as v1 made them (everything but lessons and live sessions), version 1 recorded: ensure_schema adds
    the three new tables and records the current version, on SQLite and PostgreSQL."""
    engine = make_engine(store_url)
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn, tables=[t for name, t in Base.metadata.tables.items() if name not in NEW])
            conn.execute(Meta.__table__.insert().values(key="schema_version", value="1"))
        assert not NEW & set(inspect(engine).get_table_names())
        assert SCHEMA_VERSION >= 2
        assert ensure_schema(engine) == SCHEMA_VERSION
        assert set(inspect(engine).get_table_names()) >= NEW
        with engine.connect() as conn:
            assert current_version(conn) == SCHEMA_VERSION
    finally:
        engine.dispose()
