"""The FastAPI application factory: services built once in the lifespan, middlewares, error handlers, routers."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from service.bootstrap import open_factchecker
from service.checker import FactChecker
from service.http.auth import ApiKeyMiddleware, required_scope
from service.http.editorial import Editorial
from service.http.errors import error_response, install_error_handlers, route_takes
from service.http.limits import install_limits
from service.http.metrics import Metrics, install_metrics
from service.http.routes.review_page import install_review_page
from service.http.routes import check, claimreview, claims, documents, events, health, reviews
from service.redaction import install_log_redaction
from service.settings import Settings

log = logging.getLogger(__name__)


async def _recheck_loop(checker: FactChecker, interval_s: float) -> None:
    while True:
        await asyncio.sleep(interval_s)
        try:
            await run_in_threadpool(checker.recheck_fallbacks)
        except Exception:  # a failed round must not end the loop; the next one retries
            log.exception("recheck of offline-fallback claims failed")


def include_editorial(app: FastAPI, editorial: Editorial | None = None) -> None:
    """Add the editorial routes (reviews, events, ClaimReview) and the review page to `app`.

    Without `editorial`, the app's lifespan must set `app.state.editorial` before the first request.
    """
    if editorial is not None:
        app.state.editorial = editorial
    for module in (reviews, events, claimreview):
        app.include_router(module.router)
    install_review_page(app)


def create_app(settings: Settings | None = None, checker: FactChecker | None = None) -> FastAPI:
    """The service's ASGI app; pass a ready FactChecker in tests to share one corpus."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        install_log_redaction(settings)  # after uvicorn has configured logging; masks keys in every record
        ready = checker or open_factchecker(settings)
        app.state.checker = ready
        app.state.editorial = Editorial(reviews=ready.db.reviews, events=ready.db.events, source=ready)
        log.info("factcheck ready: data in %s, backend %s", settings.data_dir, ready.backend_name)
        recheck = None
        if ready.llm_metrics is not None:  # an LLM backend: re-check what its outages left to the fallback
            recheck = asyncio.create_task(_recheck_loop(ready, settings.llm_recheck_interval_s))
        yield
        if recheck is not None:
            recheck.cancel()
        ready.close()

    app = FastAPI(
        title="factcheck",
        version="0.1.0",
        description="Splits articles into atomic claims and checks each against the other documents of the corpus.",
        lifespan=lifespan,
    )
    app.state.metrics = Metrics()
    install_limits(app, settings)  # body size (streamed bodies too), per-key rate, bounded in-flight queue

    @app.middleware("http")
    async def require_json(request: Request, call_next):
        # Only where a route takes this method: anything else is the router's 404, or 405 with `Allow`.
        if (request.method in ("POST", "PUT", "PATCH") and request.url.path.startswith("/v1/")
                and route_takes(app, request.scope)):
            ctype = request.headers.get("content-type", "")
            if not ctype.split(";")[0].strip().endswith("json"):
                return error_response("unsupported_media_type", "send JSON with Content-Type: application/json", 415)
        return await call_next(request)

    install_metrics(app, app.state.metrics)
    install_error_handlers(app)
    for module in (documents, claims, check, health):
        app.include_router(module.router)
    include_editorial(app)
    app.add_middleware(ApiKeyMiddleware, keys=settings.keys)  # outermost: no key, no work
    app.openapi = lambda: app.openapi_schema or _contract(app, settings)
    return app


def _contract(app: FastAPI, settings: Settings) -> dict:
    """The OpenAPI document, with what depends on the settings this server runs with."""
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("DocumentIn", "CheckIn"):  # a text over the byte limit has more characters than that, or as many
        schemas[name]["properties"]["text"]["maxLength"] = settings.max_text_bytes
    # FastAPI adds its own 422 body to every route with parameters, and gives error bodies the media type of the
    # route's success (application/ld+json for ClaimReview): every error is the one JSON shape.
    error_ref = {"$ref": "#/components/schemas/ErrorOut"}
    for _, _, operation in _operations(schema):
        for status, response in operation.get("responses", {}).items():
            if int(status) >= 400 and "content" in response:
                response["content"] = {"application/json": {"schema": error_ref}}
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    if settings.keys:
        components["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer KEY"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        }
        for path, method, operation in _operations(schema):
            scope = required_scope(method.upper(), path)
            if scope is None:
                continue  # public: probes and the page
            operation["security"] = [{"bearer": []}, {"apiKey": []}]
            operation["responses"]["401"] = {
                "description": "No API key, or an unknown one (code `unauthorized`).",
                "headers": {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}},
                "content": {"application/json": {"schema": error_ref}}}
            if scope == "write":
                operation["responses"]["403"] = {
                    "description": "A read-scope key on a request that writes (code `forbidden`).",
                    "content": {"application/json": {"schema": error_ref}}}
    app.openapi_schema = schema
    return schema


def _operations(schema: dict):
    """(path, method, operation) for every operation of an OpenAPI document."""
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch", "options", "head", "trace"):
                yield path, method, operation
