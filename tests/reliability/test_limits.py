"""The edge limits on a minimal app: body size (413), per-key rate (429 + Retry-After), bounded in-flight queue (503)."""

from __future__ import annotations

import asyncio
import json
import threading
import time

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from service.http.limits import (
    BodySizeLimitMiddleware,
    ConcurrencyLimitMiddleware,
    RateLimiter,
    RateLimitMiddleware,
    install_limits,
)
from service.settings import Settings


def echo_app() -> FastAPI:
    app = FastAPI()
    seen: list[int] = []

    @app.post("/v1/echo")
    async def echo(request: Request) -> dict:
        body = await request.body()
        seen.append(len(body))
        return {"bytes": len(body)}

    @app.get("/v1/ping")
    def ping() -> dict:
        return {"ok": True}

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    app.state.seen = seen
    return app


def test_body_limit_by_content_length_never_reaches_route():
    app = echo_app()
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=1000)
    client = TestClient(app)
    assert client.post("/v1/echo", content=b"x" * 1000).json() == {"bytes": 1000}
    r = client.post("/v1/echo", content=b"x" * 1001)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    assert app.state.seen == [1000]


def test_body_limit_counts_streamed_body_without_content_length():
    app = echo_app()
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=1000)
    client = TestClient(app)

    def chunks():
        for _ in range(10):
            yield b"y" * 300

    r = client.post("/v1/echo", content=chunks())
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    assert app.state.seen == []


def test_bad_content_length_is_400():
    app = echo_app()
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=1000)

    async def run():
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/v1/echo", "headers": [(b"content-length", b"abc")]}
        await BodySizeLimitMiddleware(app, 1000)(scope, receive, send)
        return sent

    sent = asyncio.run(run())
    assert sent[0]["status"] == 400
    assert json.loads(sent[1]["body"])["error"]["code"] == "bad_request"


def test_rate_limiter_allows_the_burst_then_reports_a_wait(tmp_path):
    for storage in ("memory://", f"sqlite://{tmp_path / 'rl.sqlite3'}"):
        limiter = RateLimiter(rate_per_minute=60, burst=3, storage_uri=storage)
        assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
        wait = limiter.acquire("a")
        assert 0 < wait <= 3.0 + 0.01  # a window of burst / rate = 3 s
        assert limiter.acquire("b") == 0.0  # counters are per key


def test_sqlite_storage_is_shared_between_processes(tmp_path):
    """Two worker processes on one host draw from one limit (the in-memory storage gave each its own)."""
    import subprocess
    import sys

    uri = f"sqlite://{tmp_path / 'rl.sqlite3'}"
    code = ("import sys; from service.http.limits import RateLimiter; "
            f"l = RateLimiter(6, 10, {uri!r}); print(sum(l.acquire('k') == 0 for _ in range(10)))")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    allowed = sum(int(p.communicate(timeout=60)[0]) for p in procs)
    assert allowed == 10


def test_rate_limit_429_with_retry_after_per_key_and_probes_exempt():
    app = echo_app()
    limiter = RateLimiter(rate_per_minute=6, burst=2, storage_uri="memory://")
    app.add_middleware(RateLimitMiddleware, limiter=limiter, valid_keys=["key-one-123456", "key-two-123456"])
    client = TestClient(app)
    one = {"X-API-Key": "key-one-123456"}
    two = {"Authorization": "Bearer key-two-123456"}
    assert [client.get("/v1/ping", headers=one).status_code for _ in range(2)] == [200, 200]
    r = client.get("/v1/ping", headers=one)
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert int(r.headers["Retry-After"]) >= 1
    assert client.get("/v1/ping", headers=two).status_code == 200  # another key has its own bucket
    assert all(client.get("/healthz").status_code == 200 for _ in range(10))


def test_invented_keys_share_the_address_bucket():
    app = echo_app()
    app.add_middleware(RateLimitMiddleware, limiter=RateLimiter(rate_per_minute=6, burst=2, storage_uri="memory://"), valid_keys=["real-key-123456"])
    client = TestClient(app)
    codes = [client.get("/v1/ping", headers={"X-API-Key": f"fake-{i}"}).status_code for i in range(4)]
    assert codes == [200, 200, 429, 429]


def test_concurrency_limit_bounds_the_queue():
    gate = threading.Event()
    entered = threading.Semaphore(0)
    app = FastAPI()

    @app.get("/v1/slow")
    def slow() -> dict:
        entered.release()
        gate.wait(10)
        return {"ok": True}

    app.add_middleware(ConcurrencyLimitMiddleware, max_inflight=1, max_waiting=1)
    results: list[int] = []
    with TestClient(app) as client:  # one event loop for every request, as under uvicorn

        def call():
            results.append(client.get("/v1/slow").status_code)

        first = threading.Thread(target=call)
        first.start()
        assert entered.acquire(timeout=10)  # one request holds the only slot
        second = threading.Thread(target=call)
        second.start()
        limiter = _find(app.middleware_stack, ConcurrencyLimitMiddleware)
        deadline = time.monotonic() + 10
        while limiter.waiting < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        r = client.get("/v1/slow")  # the queue is full: turned away at once
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "1"
        assert r.json()["error"]["code"] == "overloaded"
        gate.set()
        first.join(10)
        second.join(10)
    assert sorted(results) == [200, 200]


def _find(app, kind):
    while app is not None:
        if isinstance(app, kind):
            return app
        app = getattr(app, "app", None)
    raise AssertionError(f"{kind.__name__} not in the middleware stack")


def test_install_limits_uses_settings(tmp_path):
    settings = Settings(data_dir=tmp_path, max_text_bytes=1000, rate_limit_per_minute=60, rate_limit_burst=1)
    assert settings.body_limit_bytes == 6 * 1000 + 65_536
    app = echo_app()
    install_limits(app, settings)
    client = TestClient(app)
    assert client.post("/v1/echo", content=b"z" * 10).status_code == 200
    assert client.post("/v1/echo", content=b"z" * 10).status_code == 429
    settings = Settings(data_dir=tmp_path, max_body_bytes=100, rate_limit_per_minute=0)
    app = echo_app()
    install_limits(app, settings)
    client = TestClient(app)
    assert client.post("/v1/echo", content=b"z" * 101).status_code == 413
    assert all(client.get("/v1/ping").status_code == 200 for _ in range(200))
