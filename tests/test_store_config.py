"""Where the database lives: DATABASE_URL beats GRADIENT_LAB_DB beats the default file; SQLite is tuned."""

from __future__ import annotations

from sqlalchemy import text

from explainer.store.config import DEFAULT_SQLITE, database_url, describe, make_engine


def test_default_is_a_sqlite_file_in_data():
    """With nothing configured the app uses data/gradient_lab.sqlite3 in the repo."""
    assert database_url({}) == f"sqlite:///{DEFAULT_SQLITE.resolve()}"


def test_gradient_lab_db_sets_the_sqlite_path(tmp_path):
    """GRADIENT_LAB_DB chooses the SQLite file."""
    assert database_url({"GRADIENT_LAB_DB": str(tmp_path / "x.db")}) == f"sqlite:///{tmp_path / 'x.db'}"


def test_database_url_wins_and_postgres_spellings_use_psycopg3(tmp_path):
    """DATABASE_URL overrides the file; postgres:// and postgresql:// select the psycopg 3 driver."""
    env = {"GRADIENT_LAB_DB": str(tmp_path / "x.db")}
    assert database_url({**env, "DATABASE_URL": "postgres://u:p@h/db"}) == "postgresql+psycopg://u:p@h/db"
    assert database_url({"DATABASE_URL": "postgresql://h/db"}) == "postgresql+psycopg://h/db"
    assert database_url({"DATABASE_URL": "postgresql+psycopg://h/db"}) == "postgresql+psycopg://h/db"


def test_describe_hides_the_password():
    """The URL shown on the instructor page never contains the password."""
    assert "s3cret" not in describe("postgresql+psycopg://u:s3cret@h/db")


def test_sqlite_file_is_created_with_wal_and_busy_timeout(tmp_path):
    """The SQLite file and its folder appear on first use, in WAL mode with a busy timeout and foreign keys."""
    path = tmp_path / "new" / "dir" / "db.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert path.exists()
    finally:
        engine.dispose()
