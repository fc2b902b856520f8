"""Limits at the edge of the API: request body size, per-key rate, bounded queues of requests in flight.

All are plain ASGI middlewares that answer with the API's JSON error shape themselves, so they hold whatever the
routes and their exception handlers do. Rate limits are the `limits` library's, on a storage every worker of a
host shares (a SQLite file by default; see `RateLimiter`); the in-flight bounds are per process.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import sqlite3
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.storage.base import SlidingWindowCounterSupport, TimestampedSlidingWindow
from limits.strategies import SlidingWindowCounterRateLimiter

from service.db.sqlite_wal import use_wal
from service.http.auth import presented_key
from service.http.errors import send_error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Paths that are never limited: probes and metrics must answer while the API is saturated.
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
#: Long-lived streams: they wait on the event log, not on a worker, so they never hold an in-flight slot (a
#: newsroom with many review pages open must not queue every other call).
STREAM_PATHS = frozenset({"/v1/events"})
#: Requests that extract, embed and verify a whole text: CPU-heavy, bounded separately (HeavyWorkLimitMiddleware).
HEAVY_ROUTES = frozenset({("POST", "/v1/documents"), ("POST", "/v1/check")})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class _BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Rejects request bodies over `max_bytes` with 413, by Content-Length up front or by counting a streamed body.

    Nothing past the limit is buffered: the route never sees a body that is too large. Before answering, the
    rest of the body is read and discarded (up to `drain_bytes` in all): a client that writes its whole body
    before reading (urllib, requests, httpx) would otherwise see "connection reset by peer" instead of the 413,
    because closing a socket with unread data makes the kernel send a reset. Beyond `drain_bytes` the server
    answers and closes: a client sending that much gets its reset, and the server stops paying for it.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, drain_bytes: int | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.drain_bytes = drain_bytes if drain_bytes is not None else max(4 * max_bytes, 16 * 1024 * 1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await send_error(send, 400, "bad_request", "Content-Length is not a number.")
                return
            if too_big:
                if (_header(scope, b"expect") or "").lower() != "100-continue":
                    # A client that asked for "100 Continue" (curl does for large bodies) has sent nothing yet and
                    # sends nothing now: it reads the 413 at once. Any other is still writing: read it out first.
                    await self._drain(receive, 0, int(declared))
                await self._reject(send)
                return

        received = 0
        exceeded = False
        started = False
        finished = False  # the client has sent its last body chunk

        async def counting_receive() -> Message:
            nonlocal received, exceeded, finished
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                finished = not message.get("more_body", False)
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a truncated body is replaced by the 413 below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            if not finished:
                await self._drain(receive, received, None)
            await self._reject(send)

    async def _drain(self, receive: Receive, already: int, declared: int | None) -> None:
        """Read and drop the rest of the body, up to `drain_bytes` in all, so the client can read the answer."""
        if declared is not None and declared > self.drain_bytes:
            return  # not worth reading: answer now and close
        total = already
        while total <= self.drain_bytes:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            total += len(message.get("body", b""))
            if not message.get("more_body", False):
                return

    async def _reject(self, send: Send) -> None:
        await send_error(
            send, 413, "payload_too_large", f"Request body is larger than the limit of {self.max_bytes} bytes.",
            [("Connection", "close")],
        )


class SQLiteStorage(Storage, SlidingWindowCounterSupport, TimestampedSlidingWindow):
    """A `limits` storage in one SQLite file, so every worker process on a host shares the same counters.

    `sqlite:///path/to/file` (the default rate-limit storage is `ratelimit.sqlite3` in the data folder). Each
    hit is one short write transaction (WAL, no fsync: a counter lost in a power cut costs nothing), atomic across
    processes, so several workers enforce one limit where the in-memory storage gave each worker its own.
    Hosts do not share a file: across hosts the limit is per host, or use a storage they share (`redis://...`,
    with the `redis` package installed; limits supports it as it is).
    """

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = uri.split("://", 1)[1]
        self.path = path
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        use_wal(self._connection)  # workers starting together may race on creating the file
        self._connection.execute("PRAGMA synchronous=OFF")
        self._connection.execute("CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, value INTEGER NOT NULL,"
                                 " expires REAL NOT NULL)")
        self._writes = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _value(self, key: str, now: float) -> int:
        row = self._connection.execute("SELECT value FROM counters WHERE key = ? AND expires > ?", (key, now)).fetchone()
        return int(row[0]) if row else 0

    def _incr(self, key: str, expiry: float, amount: int, now: float) -> int:
        self._connection.execute(
            "INSERT INTO counters (key, value, expires) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
            "value = CASE WHEN expires > ? THEN value + excluded.value ELSE excluded.value END, "
            "expires = CASE WHEN expires > ? THEN expires ELSE excluded.expires END",
            (key, amount, now + expiry, now, now))
        self._writes += 1
        if self._writes % 1000 == 0:  # forget expired counters now and then
            self._connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return self._value(key, now)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                value = self._incr(key, expiry, amount, time.time())
            finally:
                self._connection.execute("COMMIT")
            return value

    def get(self, key: str) -> int:
        with self._lock:
            return self._value(key, time.time())

    def get_expiry(self, key: str) -> float:
        with self._lock:
            row = self._connection.execute("SELECT expires FROM counters WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else time.time()

    def check(self) -> bool:
        with self._lock:
            return self._connection.execute("SELECT 1").fetchone() == (1,)

    def reset(self) -> int | None:
        with self._lock:
            return self._connection.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with self._lock:
            self._connection.execute("DELETE FROM counters WHERE key = ?", (key,))

    def _window(self, key: str, expiry: int, now: float) -> tuple[int, float, int, float]:
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        previous, current = self._value(previous_key, now), self._value(current_key, now)
        previous_ttl = 0.0 if previous == 0 else (1 - (((now - expiry) / expiry) % 1)) * expiry
        current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
        return previous, previous_ttl, current, current_ttl

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """The same weighted count as limits' memory storage, read and written in one transaction."""
        if amount > limit:
            return False
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                now = time.time()
                previous, previous_ttl, current, _ = self._window(key, expiry, now)
                if math.floor(previous * previous_ttl / expiry + current) + amount > limit:
                    return False
                self._incr(self.sliding_window_keys(key, expiry, now)[1], 2 * expiry, amount, now)
                return True
            finally:
                self._connection.execute("COMMIT")

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        with self._lock:
            return self._window(key, expiry, time.time())

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        now = time.time()
        for k in self.sliding_window_keys(key, expiry, now):
            self.clear(k)


class RateLimiter:
    """The token bucket's contract (`acquire(key)` -> seconds to wait) on the `limits` library.

    A bucket of `burst` refilled at `rate_per_minute` is, over any stretch of time, a sliding window of `burst`
    requests per `burst / rate` seconds: that is the one limit kept here, with limits' sliding-window-counter
    strategy on the storage named by `storage_uri` (`memory://` per process, `sqlite:///file` per host,
    `redis://host` across hosts).
    """

    def __init__(self, rate_per_minute: float, burst: int, storage_uri: str = "memory://") -> None:
        burst = max(1, burst)
        window_s = max(1, math.ceil(burst / (rate_per_minute / 60.0))) if rate_per_minute > 0 else 86_400
        self.item = RateLimitItemPerSecond(burst, window_s)
        self.storage = storage_from_string(storage_uri)
        self.strategy = SlidingWindowCounterRateLimiter(self.storage)

    def acquire(self, key: str) -> float:
        if self.strategy.hit(self.item, key):
            return 0.0
        reset_at, _ = self.strategy.get_window_stats(self.item, key)
        return max(0.001, reset_at - time.time())


def _key_id(api_key: str) -> str:
    # Buckets are keyed by a digest so that no API key is held in the limiter's state (or a dump of it).
    return "key:" + hashlib.sha256(api_key.encode()).hexdigest()[:24]


class RateLimitMiddleware:
    """429 with Retry-After once a caller spends its bucket. The caller is its API key when it presents a valid
    one, else its client address (so invented keys cannot buy fresh buckets)."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, valid_keys: Iterable[str] = (), prefix: str = "/v1") -> None:
        self.app = app
        self.limiter = limiter
        self.valid_keys = frozenset(k for k in valid_keys if k)
        self.prefix = prefix

    def caller(self, scope: Scope) -> str:
        key = presented_key(scope)
        if key and key in self.valid_keys:
            return _key_id(key)
        client = scope.get("client") or ("unknown", 0)
        return f"addr:{client[0]}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix) or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        wait = self.limiter.acquire(self.caller(scope))
        if wait > 0:
            retry_after = str(max(1, math.ceil(wait))) if math.isfinite(wait) else "3600"
            await send_error(
                send, 429, "rate_limited", f"Too many requests; retry after {retry_after} s.", [("Retry-After", retry_after)]
            )
            return
        await self.app(scope, receive, send)


class ConcurrencyLimitMiddleware:
    """At most `max_inflight` requests run at once and at most `max_waiting` wait for a slot; the rest get 503.

    This bounds the queue in front of the worker threads, so a burst cannot pile up unbounded memory and latency.
    """

    def __init__(self, app: ASGIApp, max_inflight: int, max_waiting: int, prefix: str = "/v1", retry_after_s: int = 1,
                 exempt: frozenset[str] = STREAM_PATHS, label: str = "requests") -> None:
        self.app = app
        self.exempt = exempt
        self.label = label
        self.max_inflight = max(1, max_inflight)
        self.max_waiting = max(0, max_waiting)
        self.prefix = prefix
        self.retry_after_s = retry_after_s
        self._semaphore: asyncio.Semaphore | None = None
        self.waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.applies(scope):
            await self.app(scope, receive, send)
            return
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.max_inflight)  # created on the server's own loop
        if self._semaphore.locked() and self.waiting >= self.max_waiting:
            await send_error(
                send, 503, "overloaded", f"Too many {self.label} in flight; retry shortly.",
                [("Retry-After", str(self.retry_after_s))],
            )
            return
        self.waiting += 1
        try:
            await self._semaphore.acquire()
        finally:
            self.waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._semaphore.release()

    def applies(self, scope: Scope) -> bool:
        return scope["type"] == "http" and scope["path"].startswith(self.prefix) and scope["path"] not in self.exempt


class HeavyWorkLimitMiddleware(ConcurrencyLimitMiddleware):
    """At most `max_inflight` CPU-heavy requests (posting or checking a text) run at once, `max_waiting` wait.

    Extraction, embedding and verification run in worker threads, off the event loop, so probes and reads are
    served meanwhile; this bound keeps a burst of large texts from taking every core and every worker thread.
    A request waiting here holds no general in-flight slot (this middleware sits outside that one).
    """

    def __init__(self, app: ASGIApp, max_inflight: int, max_waiting: int, retry_after_s: int = 5) -> None:
        super().__init__(app, max_inflight, max_waiting, retry_after_s=retry_after_s, label="texts being analysed")

    def applies(self, scope: Scope) -> bool:
        return scope["type"] == "http" and (scope["method"], scope["path"]) in HEAVY_ROUTES


def rate_limit_storage(settings: Any) -> str:
    """The rate-limit storage URI: the setting, or a SQLite file in the data folder that every worker shares."""
    if settings.rate_limit_storage:
        return settings.rate_limit_storage
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite://{(settings.data_dir / 'ratelimit.sqlite3').resolve()}"


def install_limits(app: Any, settings: Any) -> None:
    """Wire the limits into a Starlette/FastAPI app; the rate check runs first (cheapest), then the body size,
    then the bound on heavy (text-analysing) requests, then the in-flight bound (add_middleware puts each new
    middleware outside the previous ones)."""
    app.add_middleware(ConcurrencyLimitMiddleware, max_inflight=settings.max_inflight, max_waiting=settings.max_waiting)
    app.add_middleware(HeavyWorkLimitMiddleware, max_inflight=settings.max_heavy_inflight,
                       max_waiting=settings.max_heavy_waiting)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.body_limit_bytes)
    if settings.rate_limit_per_minute > 0:
        keys = [k.secret for k in settings.keys]
        limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst, rate_limit_storage(settings))
        app.add_middleware(RateLimitMiddleware, limiter=limiter, valid_keys=keys)
