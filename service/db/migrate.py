"""Schema migrations (Alembic), applied at start-up and recorded in the database's `alembic_version` table."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

from service.db.engine import WRITE, lock_key

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_KEY = lock_key("schema-migration")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest migration's revision id."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The revision the database is at (None for a database that has never been migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema, in one write transaction (concurrent starters queue).

    On SQLite a migration that drops a column rebuilds the table (copy, drop, rename). With foreign keys on,
    dropping the old table would cascade into every table that refers to it (claim keys, evidence), so they are
    off while migrations run, as SQLite's own procedure for table rebuilds prescribes, and checked before commit.

    The write transaction itself makes starters queue. On Postgres (transactional DDL) two hosts
    starting at once take an advisory lock first: the second reads the version after the first committed,
    and finds nothing left to do.
    """
    config = _config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # a no-op inside a transaction, so before BEGIN
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            connection = connection.execution_options(**{WRITE: True})
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_KEY)))
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                    raise RuntimeError(f"migration left {len(broken)} rows whose references are gone: {broken[:3]}")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
