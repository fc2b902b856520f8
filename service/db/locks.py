"""The corpus write lock: one writer at a time across threads *and* processes (uvicorn --workers).

Storing a document and verifying it against the corpus must not interleave with another document's, or two
documents posted at once to two workers would each be verified without the other. Threads of one process queue
on a re-entrant lock; processes sharing the data directory queue on an exclusive flock of a file beside the
record store. (Workers on several hosts need a lock in a shared database instead: see the README.)
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path


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
