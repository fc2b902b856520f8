"""A real Chroma server for integration tests: `chroma run --path TMP --port FREE` on 127.0.0.1.

Import the `chroma_server` fixture into a test module (`from chroma_server import chroma_server`). It skips
with the reason when the `chroma` command is missing or the server does not come up, unless
FACTCHECK_REQUIRE_INTEGRATION=1, which turns the skip into a failure (CI sets it).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

STARTUP_TIMEOUT_S = 30.0


def unavailable(reason: str) -> None:
    """Skip, or fail when integration tests are required."""
    if os.environ.get("FACTCHECK_REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"integration required but unavailable: {reason}")
    pytest.skip(reason)


def chroma_binary() -> str | None:
    """The `chroma` command of this virtualenv, else the one on PATH."""
    beside = Path(sys.executable).with_name("chroma")
    if beside.exists():
        return str(beside)
    return shutil.which("chroma")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: subprocess.Popen, timeout_s: float = STARTUP_TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1.0).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return False


class ChromaServer:
    """A running `chroma run` process and its URL."""

    def __init__(self, path: Path, log_path: Path) -> None:
        self.path, self.log_path = path, log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, binary: str) -> bool:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [binary, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        log.close()
        return wait_ready(self.url, self.proc)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """One Chroma server for the test session, on a fresh folder and a free loopback port."""
    binary = chroma_binary()
    if binary is None:
        unavailable("the `chroma` command (from the chromadb package) is not installed")
    root = tmp_path_factory.mktemp("chroma-server")
    server = ChromaServer(root / "data", root / "chroma.log")
    try:
        if not server.start(binary):
            tail = server.log_path.read_text(errors="replace")[-2000:]
            unavailable(f"`chroma run` did not become ready within {STARTUP_TIMEOUT_S:.0f} s:\n{tail}")
        yield server
    finally:
        server.stop()
