"""Every outbound call has a timeout: a Chroma server that accepts and never answers fails fast instead of hanging."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from retrieval.vector_store import ChromaVectorStore


@pytest.fixture()
def silent_server():
    """A TCP server on loopback that accepts connections and never writes a byte."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    sock.close()


def test_chroma_http_client_times_out(silent_server):
    started = time.monotonic()
    with pytest.raises(Exception) as err:
        ChromaVectorStore(url=silent_server, timeout_s=1)
    elapsed = time.monotonic() - started
    assert elapsed < 15, f"took {elapsed:.1f}s: the Chroma HTTP client has no effective timeout"
    assert "timed out" in str(err.value).lower() or "timeout" in type(err.value).__name__.lower()
