"""Prometheus metrics of one app instance: HTTP requests by prometheus-fastapi-instrumentator, and our counters.

Each app has its own registry, so several apps in one process (the tests) never collide. Under several worker
processes (`uvicorn --workers N`), set PROMETHEUS_MULTIPROC_DIR to an empty folder before starting: every
process then writes its values there (prometheus_client's multiprocess mode) and /metrics adds up all workers,
whichever one answers the scrape. Without it each worker would report only the requests it served itself.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_fastapi_instrumentator import Instrumentator

#: Probes and the scrape itself are not API traffic.
NOT_COUNTED = ["/healthz", "/readyz", "/metrics"]


def multiprocess_dir() -> str | None:
    """The folder prometheus_client's multiprocess mode writes to, when the deployment set one."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class Metrics:
    """The app's own registry (several apps in one process never collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.documents = Counter("factcheck_documents_ingested_total", "Documents stored", registry=self.registry)
        self.claims = Counter("factcheck_claims_extracted_total", "Claims extracted from stored documents",
                              registry=self.registry)

    def exposition(self, *extra: CollectorRegistry) -> bytes:
        """The text format: every worker's values in multiprocess mode, else this process's registries."""
        if multiprocess_dir():
            from prometheus_client import multiprocess

            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged)
            return generate_latest(merged)
        return b"".join(generate_latest(r) for r in (self.registry, *extra))


def install_metrics(app: FastAPI, metrics: Metrics) -> None:
    """Count every request by method, route template and status, and time it (factcheck_http_* metrics)."""
    Instrumentator(
        should_group_status_codes=False,  # 429, 503 and 413 must be told apart
        should_ignore_untemplated=False,
        should_group_untemplated=True,  # unknown paths count under one "none" handler: bounded label values
        excluded_handlers=NOT_COUNTED,
        registry=metrics.registry,
    ).instrument(app, metric_namespace="factcheck")
