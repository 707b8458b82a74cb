"""Schema creation and migration: automatic, idempotent, safe under concurrent start-up; on both backends."""

from __future__ import annotations

import threading

from sqlalchemy import inspect, select

from explainer.store.config import make_engine
from explainer.store.schema import SCHEMA_VERSION, current_version, ensure_schema
from explainer.store.tables import Base, Meta


def test_empty_database_gets_every_table(store_url):
    """A fresh database is migrated on first use: every model's table exists and the version is recorded."""
    engine = make_engine(store_url)
    try:
        assert ensure_schema(engine) == SCHEMA_VERSION
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert current_version(conn) == SCHEMA_VERSION
    finally:
        engine.dispose()


def test_ensure_schema_is_idempotent(engine):
    """Running the migration again changes nothing and leaves exactly one version row."""
    assert ensure_schema(engine) == SCHEMA_VERSION
    assert ensure_schema(engine) == SCHEMA_VERSION
    with engine.connect() as conn:
        assert conn.execute(select(Meta.key)).scalars().all() == ["schema_version"]


def test_concurrent_start_up_migrates_once(store_url):
    """Four 'replicas' migrating an empty database at the same moment all succeed (the write lock serialises them)."""
    engines = [make_engine(store_url) for _ in range(4)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(engines))

    def start(engine):
        barrier.wait()
        try:
            ensure_schema(engine)
        except BaseException as e:  # noqa: BLE001 (collected and asserted below)
            errors.append(e)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        with engines[0].connect() as conn:
            assert conn.execute(select(Meta.value)).scalars().all() == [str(SCHEMA_VERSION)]
    finally:
        for e in engines:
            e.dispose()


def test_newer_schema_is_refused(engine):
    """An app older than its database refuses to run against it instead of corrupting it."""
    with engine.begin() as conn:
        conn.execute(Meta.__table__.update().values(value=str(SCHEMA_VERSION + 1)))
    try:
        ensure_schema(engine)
    except RuntimeError as e:
        assert "newer than this app" in str(e)
    else:
        raise AssertionError("a newer schema was accepted")
