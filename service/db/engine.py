"""The one connection factory of the record store: an SQLAlchemy engine per database URL.

SQLite (the embedded default) gets WAL journaling, foreign keys and a busy timeout on every connection, and
write transactions that start with BEGIN IMMEDIATE, so concurrent writers queue instead of failing half-way.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import StaticPool

WRITE = "factcheck_write"  # execution option marking a connection that opens write transactions


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite file (':memory:' for a throw-away store)."""
    return "sqlite://" if str(path) == ":memory:" else f"sqlite:///{path}"


def create(url: str) -> Engine:
    """An engine for `url`, configured for this service's access pattern."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_size=8, max_overflow=32, pool_pre_ping=True)


def _sqlite_engine(url: str) -> Engine:
    memory = url == "sqlite://"
    engine = create_engine(
        url,
        connect_args={"timeout": 30, "check_same_thread": False},
        # One shared connection for an in-memory store (each new connection would be a new, empty database).
        **({"poolclass": StaticPool} if memory else {"pool_size": 8, "max_overflow": 32}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun explicitly below
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
