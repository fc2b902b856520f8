"""Hand-written infrastructure against the libraries that could replace it, measured in one run each.

    python -m evals.bench infra-metrics    # HTTP metrics middleware: cost per request, counts under 2 workers
    python -m evals.bench infra-ratelimit  # the token bucket vs `limits` (memory, SQLite): cost, sharing
    python -m evals.bench infra-sse        # 100 idle /v1/events streams: server CPU, StreamingResponse vs sse-starlette

The baselines are copies of the code each library replaced (marked below), kept here so the comparison can be
re-run after the swap.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------------------------- metrics


def _metrics_app(variant: str):
    from fastapi import FastAPI, Request
    from prometheus_client import CollectorRegistry, Counter, Histogram

    app = FastAPI()

    @app.get("/v1/items/{item_id}")
    def item(item_id: str) -> dict:
        return {"id": item_id}

    if variant == "hand-written (BaseHTTPMiddleware, replaced)":
        registry = CollectorRegistry()
        requests = Counter("h_requests", "r", ["method", "route", "status"], registry=registry)
        latency = Histogram("h_seconds", "l", ["route"], registry=registry)

        @app.middleware("http")
        async def count(request: Request, call_next):
            started = time.perf_counter()
            response = await call_next(request)
            path = getattr(request.scope.get("route"), "path", "unmatched")
            requests.labels(request.method, path, str(response.status_code)).inc()
            latency.labels(path).observe(time.perf_counter() - started)
            return response
    elif variant == "service.http.metrics (instrumentator)":
        from service.http.metrics import Metrics, install_metrics

        install_metrics(app, Metrics())
    elif variant == "starlette-exporter":
        from starlette_exporter import PrometheusMiddleware

        app.add_middleware(PrometheusMiddleware, app_name="bench", group_paths=True, prefix=f"se{id(app)}")
    elif variant == "prometheus-fastapi-instrumentator":
        from prometheus_fastapi_instrumentator import Instrumentator

        Instrumentator(registry=CollectorRegistry()).instrument(app)
    return app


def metrics_cost(n: int = 3000) -> list[dict]:
    import httpx

    variants = ["none", "hand-written (BaseHTTPMiddleware, replaced)", "service.http.metrics (instrumentator)",
                "starlette-exporter", "prometheus-fastapi-instrumentator"]
    rows = []

    async def run(app) -> float:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://b") as client:
            for _ in range(200):
                await client.get("/v1/items/x")
            started = time.process_time()
            for i in range(n):
                await client.get(f"/v1/items/{i}")
            return time.process_time() - started

    try:
        import starlette_exporter  # noqa: F401  (compared once, not a dependency: pip install starlette-exporter)
    except ImportError:
        variants.remove("starlette-exporter")
    for rnd in range(3):
        for v in variants:
            rows.append({"round": rnd, "variant": v, "cpu_us_per_request": round(asyncio.run(run(_metrics_app(v)))
                                                                                  / n * 1e6, 1)})
    base = {r["round"]: r["cpu_us_per_request"] for r in rows if r["variant"] == "none"}
    for r in rows:
        r["overhead_us"] = round(r["cpu_us_per_request"] - base[r["round"]], 1)
    return rows


def metrics_workers(requests: int = 200) -> list[dict]:
    """2 uvicorn workers: does /metrics count every request, whichever worker answers the scrape?"""
    import httpx

    from tests.support.server_process import free_port

    rows = []
    for mode in ("per-process registries", "prometheus_client multiprocess mode"):
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "FACTCHECK_DATA_DIR": f"{tmp}/data", "FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}
            if mode.startswith("prometheus"):
                os.makedirs(f"{tmp}/prom")
                env["PROMETHEUS_MULTIPROC_DIR"] = f"{tmp}/prom"
            else:
                env.pop("PROMETHEUS_MULTIPROC_DIR", None)
            port = free_port()
            proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "service.http.app:create_app", "--factory",
                                     "--port", str(port), "--workers", "2", "--log-level", "warning"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                url = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    try:
                        if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.3)
                for _ in range(requests):  # a new connection each time: the kernel spreads them over the workers
                    httpx.get(f"{url}/v1/documents", headers={"Connection": "close"})
                scrapes = []
                for _ in range(4):
                    text = httpx.get(f"{url}/metrics", headers={"Connection": "close"}).text
                    scrapes.append(sum(float(m) for m in re.findall(
                        r'^factcheck_http_requests_total\{[^}]*handler="/v1/documents"[^}]*\} (\S+)', text, re.M)))
                rows.append({"mode": mode, "requests_sent": requests, "counted_in_4_scrapes": scrapes})
            finally:
                proc.terminate()
                proc.wait(30)
    return rows


# -------------------------------------------------------------------------------------------- rate limits


class TokenBucket:
    """The per-process token bucket that service/http/limits.py had before `limits` (copied as it was)."""

    def __init__(self, rate_per_minute: float, burst: int, max_keys: int = 10_000) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = max(1, burst)
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                wait = 0.0
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else math.inf
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait


def _two_processes_allowed(kind: str, uri: str) -> int:
    code = ("import sys; sys.path.insert(0, '.'); from evals.bench.infra import TokenBucket; "
            "from service.http.limits import RateLimiter; "
            f"l = TokenBucket(60, 100) if {kind!r} == 'bucket' else RateLimiter(60, 100, {uri!r}); "
            "print(sum(l.acquire('k') == 0 for _ in range(100)))")
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    return sum(int(p.communicate(timeout=120)[0]) for p in procs)


def ratelimit(n: int = 20000) -> list[dict]:
    from service.http.limits import RateLimiter

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        variants = {"token bucket (replaced)": ("bucket", ""), "limits, memory://": ("limits", "memory://"),
                    "limits, sqlite:// (default)": ("limits", f"sqlite://{tmp}/rl.sqlite3")}
        for name, (kind, uri) in variants.items():
            limiter = TokenBucket(600, 120) if kind == "bucket" else RateLimiter(600, 120, uri)
            burst = sum(1 for _ in range(200) if limiter.acquire("burst") == 0)
            started = time.perf_counter()
            for i in range(n):
                limiter.acquire(f"k{i % 500}")
            per = (time.perf_counter() - started) / n * 1e6
            shared_uri = uri.replace("rl.sqlite3", "shared.sqlite3")
            rows.append({"variant": name, "us_per_request": round(per, 1), "burst_allowed_of_200": burst,
                         "two_workers_allowed_of_limit_100": _two_processes_allowed(kind, shared_uri)})
    return rows


# ---------------------------------------------------------------------------------------------------- SSE


def sse(streams: int = 100, seconds: float = 30.0) -> list[dict]:
    """Server CPU while `streams` /v1/events streams stay open and idle, then while events flow to all of them.

    Measures the code as it is. The StreamingResponse version it replaced (polling `is_disconnected` every
    second per stream) measured 0.48 and 0.50 s of CPU for 100 streams idle 30 s, against 0.12 and 0.12 s for
    sse-starlette, interleaved in one run on 2026-11-30 (see the report of issue 14).
    """
    import httpx

    from tests.support.server_process import ServerProcess

    rows = []
    for impl in ("current",):
        with tempfile.TemporaryDirectory() as tmp:
            env = {"FACTCHECK_RATE_LIMIT_PER_MINUTE": "0"}
            with ServerProcess(Path(tmp) / "data", env=env) as server:
                pid = server.proc.pid

                def cpu() -> float:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

                async def hold() -> dict:
                    limits = httpx.Limits(max_connections=streams + 10)
                    async with httpx.AsyncClient(base_url=server.base_url, timeout=60, limits=limits) as client:
                        got = [0] * streams

                        async def follow(i: int) -> None:
                            async with client.stream("GET", "/v1/events") as r:
                                async for line in r.aiter_lines():
                                    if line.startswith("id:"):
                                        got[i] += 1

                        tasks = [asyncio.create_task(follow(i)) for i in range(streams)]
                        await asyncio.sleep(3)
                        idle0 = cpu()
                        await asyncio.sleep(seconds)
                        idle = cpu() - idle0
                        doc = await client.post("/v1/documents", json={"text": "Meta invested $1 billion in Scale AI."})
                        claim = doc.json()["claims"][0]["id"]
                        busy0 = cpu()
                        for _ in range(20):
                            await client.post(f"/v1/claims/{claim}/reviews", json={"verdict": "unverified",
                                                                                   "reviewer": "bench"})
                        while min(got) < 21:
                            await asyncio.sleep(0.1)
                        busy = cpu() - busy0
                        for t in tasks:
                            t.cancel()
                        await asyncio.gather(*tasks, return_exceptions=True)
                        return {"idle_cpu_s": round(idle, 3), "deliver_21_events_cpu_s": round(busy, 3)}

                result = asyncio.run(hold())
                stop = time.perf_counter()
                server.stop()
                rows.append({"implementation": impl, "streams": streams, "idle_seconds": seconds, **result,
                             "sigterm_to_exit_s": round(time.perf_counter() - stop, 2)})
    return rows
