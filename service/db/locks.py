"""The corpus write lock: one writer at a time across threads, processes *and* hosts; and the owner lease that
says whether the process verifying a pending document is still alive.

Storing a document and verifying it against the corpus must not interleave with another document's, or two
documents posted at once would each be verified without the other. Threads of one process queue on a re-entrant
lock; then

- on SQLite (one host), processes sharing the data directory queue on an exclusive flock of a file beside the
  record store (`CorpusLock`);
- on Postgres (several hosts), they queue on a session-level advisory lock in the shared database
  (`AdvisoryCorpusLock`). The database releases it when the holder's connection ends, so a host that is
  SIGKILLed or cut off never leaves the corpus locked.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import socket
import threading
import uuid
from pathlib import Path

from sqlalchemy import Connection, Engine, exc, func, select

from service.db.engine import lock_key, unavailable
from service.errors import StoreError

log = logging.getLogger(__name__)

CORPUS_KEY = lock_key("corpus-write")


class CorpusLock:
    """Re-entrant within a thread; exclusive across the threads and processes that share `path`."""

    def __init__(self, path: Path | str | None) -> None:
        self._path = str(path) if path else None
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def __enter__(self) -> CorpusLock:
        self._thread_lock.acquire()
        if self._depth == 0 and self._path:
            try:
                fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                self._thread_lock.release()
                raise
            self._fd = fd
        self._depth += 1
        return self

    def __exit__(self, *exc) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def check(self) -> None:
        """A file lock cannot be lost while its process lives: nothing to check."""


class AdvisoryCorpusLock:
    """Re-entrant within a thread; exclusive across every process of every host using the same Postgres database.

    The holder keeps one pooled connection for as long as it holds the lock (`pg_advisory_lock` belongs to the
    database session). `check()` tells a holder whether that session is still alive: if the database restarted
    or the connection broke, the lock is gone and another host may hold it, so the holder must stop writing.
    """

    def __init__(self, engine: Engine, key: int = CORPUS_KEY) -> None:
        self._engine = engine
        self._key = key
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._connection: Connection | None = None
        self._owner: int | None = None

    def __enter__(self) -> AdvisoryCorpusLock:
        self._thread_lock.acquire()
        if self._depth == 0:
            try:
                self._connection = self._acquire()
            except BaseException:
                self._thread_lock.release()
                raise
            self._owner = threading.get_ident()
        self._depth += 1
        return self

    def _acquire(self) -> Connection:
        for attempt in (1, 2):
            connection = None
            try:
                connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(select(func.pg_advisory_lock(self._key)))  # waits for the holder, on any host
                return connection
            except BaseException as error:
                if connection is not None:
                    connection.invalidate()  # never hand a connection that may hold the lock back to the pool
                    connection.close()
                if attempt == 1 and isinstance(error, exc.DBAPIError) and error.connection_invalidated:
                    continue  # a pooled connection from before a server restart: once more, on a fresh one
                if isinstance(error, exc.SQLAlchemyError) and unavailable(error):
                    raise StoreError(f"record store unavailable (corpus write lock): {error.orig}") from error
                raise
        raise AssertionError("unreachable")

    def __exit__(self, *exc_info) -> None:
        self._depth -= 1
        try:
            if self._depth == 0:
                connection, self._connection, self._owner = self._connection, None, None
                if connection is not None:
                    self._release(connection)
        finally:
            self._thread_lock.release()

    def _release(self, connection: Connection) -> None:
        try:
            released = connection.execute(select(func.pg_advisory_unlock(self._key))).scalar()
            connection.close()
            if not released:
                log.error("corpus write lock was not held at release (the database session was replaced)")
        except exc.SQLAlchemyError as error:
            # The session is gone (database restart, network): the database dropped the lock with it.
            log.warning("corpus write lock: connection lost before release (%s)", type(error).__name__)
            connection.invalidate()
            connection.close()

    def check(self) -> None:
        """Raise StoreError if the calling thread holds the lock but its database session has ended."""
        connection = self._connection
        if connection is None or self._owner != threading.get_ident():
            return
        try:
            connection.exec_driver_sql("SELECT 1")
        except exc.SQLAlchemyError as error:
            raise StoreError("record store unavailable: the corpus write lock was lost with its connection") from error


def _owner_token() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class OwnerLease:
    """Whether the process that marked a document pending is alive, on one host (SQLite).

    Documents are verified outside the corpus write lock, so a pending document may be one that another process
    is verifying right now, or one whose process died. Each process holds an exclusive flock on a file of its own
    (`<dir>/owners/`) from its first ingest for as long as it lives; the kernel drops it when the process dies,
    however it dies. `alive(token)` tries to take that file's lock.
    """

    def __init__(self, directory: Path | None) -> None:
        self.token = _owner_token()
        self._dir = Path(directory) / "owners" if directory else None
        self._fd: int | None = None
        self._lock = threading.Lock()

    def _path(self, token: str) -> Path:
        assert self._dir is not None
        return self._dir / f"{hashlib.sha256(token.encode()).hexdigest()[:20]}.owner"

    def hold(self) -> str:
        """Take this process's lease (once); returns the token to mark its pending documents with."""
        with self._lock:
            if self._fd is None and self._dir is not None:
                self._dir.mkdir(parents=True, exist_ok=True)
                fd = os.open(self._path(self.token), os.O_RDWR | os.O_CREAT, 0o644)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
        return self.token

    def alive(self, token: str) -> bool:
        if token == self.token:
            return True
        if self._dir is None:  # an in-memory store: no other process can share it
            return False
        path = self._path(token)
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        else:
            path.unlink(missing_ok=True)  # its owner is gone: nobody will take this lease again
            return False
        finally:
            os.close(fd)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
                self._path(self.token).unlink(missing_ok=True)


class AdvisoryOwnerLease:
    """Whether the process that marked a document pending is alive, on any host (Postgres).

    Each process holds a session-level advisory lock keyed by its token on a connection of its own, from its first
    ingest until it closes; the database drops the lock when that session ends (SIGKILL, a lost host). `alive`
    tries the lock without waiting.
    """

    def __init__(self, engine: Engine) -> None:
        self.token = _owner_token()
        self._engine = engine
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def hold(self) -> str:
        with self._lock:
            if self._connection is None:
                connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                connection.execute(select(func.pg_advisory_lock(lock_key(f"owner:{self.token}"))))
                self._connection = connection
        return self.token

    def alive(self, token: str) -> bool:
        if token == self.token:
            return True
        key = lock_key(f"owner:{token}")
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if connection.execute(select(func.pg_try_advisory_lock(key))).scalar():
                connection.execute(select(func.pg_advisory_unlock(key)))
                return False
        return True

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.close()
                except exc.SQLAlchemyError:
                    pass
                self._connection = None
