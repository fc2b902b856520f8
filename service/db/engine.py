"""The one connection factory of the record store: an SQLAlchemy engine per database URL.

SQLite (the embedded default) gets WAL journaling, foreign keys and a busy timeout on every connection, and
write transactions that start with BEGIN IMMEDIATE, so concurrent writers queue instead of failing half-way.

Postgres (`postgresql://...`, several hosts on one corpus) goes through psycopg 3 with a bounded pool per
process. Connections are not pinged before each use: the pipeline makes dozens of short reads per checked
article, and a ping doubled their round trips (0.39 s of a 0.39 s check at 1k claims went half to the
database, half of that to pings). Instead a read that finds its connection dead (the server restarted) is
retried once on a fresh one, and the failure marks every older pooled connection stale (SQLAlchemy's pool
invalidation), so the first request after a restart succeeds. TCP keepalives notice a server that vanished
without closing, and a request that finds the pool exhausted or the server down gets a StoreError (503).
"""

from __future__ import annotations

import hashlib
import logging
import time

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import StaticPool

from service.db.sqlite_wal import use_wal

log = logging.getLogger(__name__)

WRITE = "factcheck_write"  # execution option marking a connection that opens write transactions


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a Postgres advisory lock (the same on every host and Python process)."""
    return int.from_bytes(hashlib.sha256(f"factcheck:{name}".encode()).digest()[:8], "big", signed=True)


def sqlite_url(path) -> str:
    """The SQLAlchemy URL of a SQLite file (':memory:' for a throw-away store)."""
    return "sqlite://" if str(path) == ":memory:" else f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """`postgres://` and `postgresql://` select psycopg 3, the driver this service ships with."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return url


def is_postgres(url: str) -> bool:
    return normalise_url(url).lower().startswith("postgresql")


def create(url: str, pool_size: int = 8) -> Engine:
    """An engine for `url`, configured for this service's access pattern."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if is_postgres(url):
        return _postgres_engine(url, pool_size)
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


def _postgres_engine(url: str, pool_size: int) -> Engine:
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,  # bursts (SSE pollers, readiness probes) beyond the steady pool
        pool_timeout=10,  # a request that waits longer for a connection gets 503, not an endless wait
        pool_recycle=1800,
        connect_args={
            "connect_timeout": 5,
            "application_name": "factcheck",
            "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
        },
    )


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
            use_wal(dbapi_connection)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def unavailable(error: BaseException) -> bool:
    """True for failures that mean "the store cannot answer now" (down, restarting, unreachable, pool
    exhausted), as opposed to a statement the store refused."""
    if isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)):
        return True
    return isinstance(error, exc.DBAPIError) and bool(error.connection_invalidated)


def wait_until_reachable(engine: Engine, wait_s: float) -> None:
    """Block until the database accepts a connection, for at most `wait_s` (a process started beside its
    database, as compose or systemd do, should not fail because it won the race)."""
    deadline = time.monotonic() + wait_s
    delay = 0.25
    while True:
        try:
            with engine.connect():
                return
        except exc.DBAPIError as error:
            if not unavailable(error) or time.monotonic() + delay > deadline:
                raise
            log.warning("record store %s not reachable yet (%s); retrying", describe(str(engine.url)),
                        type(error.orig).__name__)
            time.sleep(delay)
            delay = min(delay * 2, 2.0)


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
