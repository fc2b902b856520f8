"""Run `factcheck serve` as a real process on a free loopback port with its own data directory."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """One `factcheck serve` process; `kill()` is SIGKILL (no clean-up runs), `stop()` is SIGTERM."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, log_path: Path | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.extra_env = env or {}
        self.log_path = log_path or data_dir.parent / f"server-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout_s: float = 120.0) -> ServerProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
        env.update({
            "FACTCHECK_DATA_DIR": str(self.data_dir),
            "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        })
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from service.cli import main; sys.exit(main())",
             "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(self.base_url + "/readyz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"server not ready after {timeout_s}s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to flush, close or clean up."""
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def post_until_killed(server: ServerProcess, docs: list[dict], clients: int,
                      kill_after: int) -> tuple[dict[int, dict], list[int]]:
    """Post `docs` to `server` from `clients` threads and SIGKILL it, requests in flight, once `kill_after` of them
    are acknowledged (or the clients ran out): the acknowledged reports by document index, and the indexes whose
    post failed or was refused (those never sent are in neither)."""
    todo: queue.Queue[int] = queue.Queue()
    for i in range(len(docs)):
        todo.put(i)
    acked: dict[int, dict] = {}
    failed: list[int] = []
    lock = threading.Lock()

    def client_loop() -> None:
        with httpx.Client(base_url=server.base_url, timeout=120) as client:
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    r = client.post("/v1/documents", json=docs[i])
                except httpx.HTTPError:
                    with lock:
                        failed.append(i)
                    continue
                with lock:
                    if r.status_code in (200, 201):
                        acked[i] = r.json()
                    else:
                        failed.append(i)

    threads = [threading.Thread(target=client_loop) for _ in range(clients)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 600
    while len(acked) < kill_after and time.monotonic() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.02)
    server.kill()
    for t in threads:
        t.join(180)
    return acked, failed
