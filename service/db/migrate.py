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

    On SQLite the write transaction itself makes starters queue. On Postgres (transactional DDL) two hosts
    starting at once take an advisory lock first: the second reads the version after the first committed,
    and finds nothing left to do.
    """
    config = _config()
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(MIGRATION_KEY)))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
