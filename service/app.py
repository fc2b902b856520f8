"""FastAPI application factory: clients built once in the lifespan, errors mapped to JSON in one place."""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.auth import ApiKeyMiddleware, parse_api_keys
from service.editorial_api import build_editorial, install_editorial
from service.errors import FactCheckError
from service.limits import install_limits
from service.pipeline import FactChecker
from service.redaction import install_log_redaction
from service.settings import Settings

log = logging.getLogger(__name__)


class Metrics:
    """Prometheus metrics of one app instance (own registry: several apps in one process never collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("factcheck_http_requests_total", "HTTP requests", ["method", "route", "status"],
                                registry=self.registry)
        self.latency = Histogram("factcheck_http_request_seconds", "HTTP request latency", ["route"],
                                 registry=self.registry)
        self.documents = Counter("factcheck_documents_ingested_total", "Documents stored", registry=self.registry)
        self.claims = Counter("factcheck_claims_extracted_total", "Claims extracted from stored documents",
                              registry=self.registry)


async def _recheck_loop(checker: FactChecker, interval_s: float) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await run_in_threadpool(checker.recheck_fallbacks)
        except Exception:  # a failed round must not end the loop; the next one retries
            log.exception("recheck of offline-fallback claims failed")


def error_body(code: str, message: str, status: int, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def create_app(settings: Settings | None = None, checker: FactChecker | None = None) -> FastAPI:
    """The service's ASGI app; pass a ready FactChecker in tests to share one corpus."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        install_log_redaction(settings)  # after uvicorn has configured logging; masks keys in every record
        app.state.checker = checker or FactChecker.open(settings)
        app.state.editorial = build_editorial(app.state.checker.settings.sqlite_path, app.state.checker)
        log.info("factcheck ready: data in %s, backend %s", settings.data_dir, app.state.checker.backend_name)
        recheck = None
        if app.state.checker.llm_metrics is not None:  # an LLM backend: re-check what its outages left to the fallback
            recheck = asyncio.create_task(_recheck_loop(app.state.checker, settings.llm_recheck_interval_s))
        yield
        if recheck is not None:
            recheck.cancel()
        app.state.checker.close()

    app = FastAPI(
        title="factcheck",
        version="0.1.0",
        description="Splits articles into atomic claims and checks each against the other documents of the corpus.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    api_keys = parse_api_keys(settings.api_keys)  # a malformed FACTCHECK_API_KEYS fails here, at start-up

    install_limits(app, settings)  # body size (streamed bodies too), per-key rate, bounded in-flight queue

    @app.middleware("http")
    async def limits_and_metrics(request: Request, call_next):
        started = time.perf_counter()
        if request.method in ("POST", "PUT", "PATCH"):
            ctype = request.headers.get("content-type", "")
            if request.url.path.startswith("/v1/") and not ctype.split(";")[0].strip().endswith("json"):
                return error_body("unsupported_media_type", "send JSON with Content-Type: application/json", 415)
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        app.state.metrics.requests.labels(request.method, path, str(response.status_code)).inc()
        app.state.metrics.latency.labels(path).observe(time.perf_counter() - started)
        return response

    @app.exception_handler(FactCheckError)
    async def on_factcheck_error(_: Request, exc: FactCheckError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return error_body(exc.code, exc.message, exc.status, headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_body("invalid_json", "request body is not valid JSON", 400)
        details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in errors[:5])
        return error_body("validation_error", details or "invalid request", 422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(_: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_body(code, str(exc.detail), exc.status_code)

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, exc: Exception):
        log.exception("unhandled error")
        return error_body("internal_error", "internal error; the request was not applied", 500)

    from service.api import router

    app.include_router(router)
    install_editorial(app)
    app.add_middleware(ApiKeyMiddleware, keys=api_keys)  # outermost: no key, no work
    return app
