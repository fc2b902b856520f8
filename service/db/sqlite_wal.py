"""Switching a SQLite file to WAL journaling safely when several processes open it for the first time at once.

The switch needs the file's exclusive lock, and SQLite answers "database is locked" at once, without waiting out
the connection's busy timeout, when another process holds a conflicting lock during that switch (seen in CI:
two eval workers, or two API workers, creating the same file together). Every SQLite file of the project (the
record store, the rate-limit counters, the eval embedding cache) goes through `use_wal`, which retries the
switch with jittered backoff for a bounded time and skips it when the file is already in WAL mode.
"""

from __future__ import annotations

import sqlite3

from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_exponential_jitter


def _locked(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error).lower()


def use_wal(connection: sqlite3.Connection, wait_s: float = 30.0) -> None:
    """Put the database of `connection` in WAL mode, waiting up to `wait_s` seconds for other processes.

    Raises the last sqlite3.OperationalError if the file stays locked longer than that."""
    for attempt in Retrying(retry=retry_if_exception(_locked), stop=stop_after_delay(wait_s),
                            wait=wait_exponential_jitter(multiplier=0.02, max=1.0, jitter=0.05), reraise=True):
        with attempt:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL")
