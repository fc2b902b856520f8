"""The corpus write lock serialises writers across processes, and is re-entrant within a thread; the owner lease
says whether the process that marked a document pending still lives."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from service.db.locks import CorpusLock, OwnerLease
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


def test_an_owner_lease_lives_as_long_as_its_process(tmp_path: Path):
    script = ("import sys, time; from service.db.locks import OwnerLease; "
              "print(OwnerLease(sys.argv[1]).hold(), flush=True); time.sleep(120)")
    child = subprocess.Popen([sys.executable, "-c", script, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    try:
        token = child.stdout.readline().strip()
        mine = OwnerLease(tmp_path)
        assert token and mine.alive(token) and mine.alive(mine.hold())
        os.kill(child.pid, signal.SIGKILL)  # the kernel drops its flock however it dies
        child.wait(30)
        assert not mine.alive(token)
        assert not mine.alive("never-held")
        mine.close()
        assert not OwnerLease(tmp_path).alive(mine.token)
    finally:
        child.kill()
        child.wait(30)
