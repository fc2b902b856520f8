"""Prometheus metrics of one app instance, and the middleware that counts requests and their latency."""

from __future__ import annotations

import time

from fastapi import FastAPI, Request
from prometheus_client import CollectorRegistry, Counter, Histogram


class Metrics:
    """The app's own registry (several apps in one process never collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("factcheck_http_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("factcheck_http_request_seconds", "HTTP request latency", ["route"],
                                 registry=self.registry)
        self.documents = Counter("factcheck_documents_ingested_total", "Documents stored", registry=self.registry)
        self.claims = Counter("factcheck_claims_extracted_total", "Claims extracted from stored documents",
                              registry=self.registry)


def install_metrics(app: FastAPI, metrics: Metrics) -> None:
    """Count every request by method, route template and status, and time it."""

    @app.middleware("http")
    async def count_requests(request: Request, call_next):
        started = time.perf_counter()
        response = await call_next(request)
        path = getattr(request.scope.get("route"), "path", "unmatched")
        metrics.requests.labels(request.method, path, str(response.status_code)).inc()
        metrics.latency.labels(path).observe(time.perf_counter() - started)
        return response
