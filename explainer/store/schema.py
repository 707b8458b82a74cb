"""Automatic, idempotent schema creation and migration, safe when several replicas start at once."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, Integer, func, inspect, select

from explainer.store.tables import Attempt, Base, LessonRow, LiveAnswer, LiveSession, Meta

# pg_advisory_xact_lock key: any constant shared by every replica of this app ("GLSCHEMA" as bytes).
_PG_LOCK_KEY = 0x474C534348454D41 & 0x7FFFFFFFFFFFFFFF


def _v1_initial(conn: Connection) -> None:
    Base.metadata.create_all(conn)


def _v2_lessons_and_live_sessions(conn: Connection) -> None:
    """Lessons, live sessions and live answers (issue 17). A database created at v0 already has them from
    v1's create_all, hence checkfirst (create_all's default)."""
    Base.metadata.create_all(conn, tables=[LessonRow.__table__, LiveSession.__table__, LiveAnswer.__table__])


def _v3_attempt_self_rating(conn: Connection) -> None:
    """Attempts gain a nullable `self_rating` (issue 12). A database created at v0 already has it from v1's
    create_all; ALTER TABLE ... ADD COLUMN of a nullable integer is the same on SQLite and PostgreSQL."""
    columns = {c["name"] for c in inspect(conn).get_columns(Attempt.__tablename__)}
    if "self_rating" not in columns:
        column = Attempt.__table__.c.self_rating
        conn.exec_driver_sql(f"ALTER TABLE {Attempt.__tablename__} ADD COLUMN {column.name} "
                             f"{Integer().compile(dialect=conn.dialect)}")


# Append only: each step moves the schema from version i to i + 1 and runs inside the migration transaction.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_initial, _v2_lessons_and_live_sessions, _v3_attempt_self_rating)
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, Meta.__tablename__):
        return 0
    value = conn.scalar(select(Meta.value).where(Meta.key == "schema_version"))
    return int(value) if value is not None else 0


def ensure_schema(engine: Engine) -> int:
    """Bring the database to SCHEMA_VERSION (creating it if empty); return the version. Idempotent.

    One transaction holds the database's write lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
    PostgreSQL), so two processes migrating at once run the steps exactly once between them.
    """
    with engine.execution_options(sqlite_immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
        version = current_version(conn)
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"database schema v{version} is newer than this app's v{SCHEMA_VERSION}: upgrade")
        for step in MIGRATIONS[version:]:
            step(conn)
        if version < SCHEMA_VERSION:
            if version == 0:
                conn.execute(Meta.__table__.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
            else:
                conn.execute(
                    Meta.__table__.update().where(Meta.key == "schema_version").values(value=str(SCHEMA_VERSION))
                )
        return SCHEMA_VERSION
