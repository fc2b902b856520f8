"""The corpus write lock serialises writers across processes, and is re-entrant within a thread."""

from __future__ import annotations

import time
from pathlib import Path

from service.db.locks import CorpusLock
from tests.support import assert_writers_never_interleave


def _writer(lock_path: str, log_path: str, name: str) -> None:
    lock = CorpusLock(lock_path)
    for _ in range(3):
        with lock:
            with lock:  # re-entrant: the pipeline takes it again inside ingest
                with open(log_path, "a") as log:
                    log.write(f"{name}+\n")
                    log.flush()
                    time.sleep(0.02)
                    log.write(f"{name}-\n")


def test_writers_in_two_processes_never_interleave(tmp_path: Path):
    assert_writers_never_interleave(_writer, str(tmp_path / "write.lock"), tmp_path / "log", timeout_s=60)
