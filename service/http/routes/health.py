"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from service.http.deps import Checker, MetricsDep
from service.http.errors import error_response
from service.http.routes import errors
from service.models import HealthOut, ReadyOut

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut, responses=errors(500))
def healthz() -> HealthOut:
    """The process is up."""
    return HealthOut(status="ok")


@router.get("/readyz", response_model=ReadyOut, responses=errors(500, 503))
async def readyz(checker: Checker) -> Response:
    """The record store and the vector store answer."""
    try:
        await run_in_threadpool(checker.db.ping)
        await run_in_threadpool(checker.vectors.ping)
    except Exception as exc:  # any failure of a dependency means "not ready", with the reason
        return error_response("not_ready", f"dependency not ready: {type(exc).__name__}", 503, {"Retry-After": "5"})
    return Response('{"status":"ready"}', media_type="application/json")


@router.get("/metrics", include_in_schema=False)
def metrics(metrics: MetricsDep, checker: Checker) -> Response:
    """Prometheus metrics (the LLM backend's counters too, when one is configured)."""
    body = generate_latest(metrics.registry)
    if checker.llm_metrics is not None:
        body += generate_latest(checker.llm_metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
