"""The corpus write lock serialises writers across processes, and is re-entrant within a thread."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from service.db.locks import CorpusLock


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
    lock, log = tmp_path / "write.lock", tmp_path / "log"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(lock), str(log), n)) for n in "ab"]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    lines = log.read_text().split()
    assert len(lines) == 12
    for enter, leave in zip(lines[::2], lines[1::2]):
        assert enter.endswith("+") and leave == enter[:-1] + "-"
