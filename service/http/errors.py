"""The API's one error shape, {"error": {"code", "message"}}, and the handlers that map exceptions onto it."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import Scope

from service.errors import FactCheckError

log = logging.getLogger(__name__)

Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def error_payload(code: str, message: str) -> dict:
    """The error body every 4xx/5xx carries."""
    return {"error": {"code": code, "message": message}}


def error_response(code: str, message: str, status: int, headers: dict | None = None) -> JSONResponse:
    """An error as a response object, for routes and exception handlers."""
    return JSONResponse(error_payload(code, message), status_code=status, headers=headers)


async def send_error(send: Send, status: int, code: str, message: str,
                     headers: Iterable[tuple[str, str]] = ()) -> None:
    """An error sent straight on the ASGI channel, for middlewares that answer before any route runs."""
    body = json.dumps(error_payload(code, message)).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(app: Starlette, scope: Scope) -> list[str]:
    """Every method some route at this request's path takes (for `Allow`), in a stable order."""
    return [m for m in _METHODS if route_takes(app, {**scope, "method": m})]


def route_takes(app: Starlette, scope: Scope) -> bool:
    """True when a route (not a mounted app: that answers for itself) matches this request's path and method."""
    probe = {"type": "http", "root_path": "", **scope}
    return any(route.matches(dict(probe))[0] == Match.FULL for route in app.router.routes
               if not isinstance(route, Mount))


def install_error_handlers(app: FastAPI) -> None:
    """Typed errors, validation errors, HTTP errors and anything unexpected all answer in the error shape."""

    @app.exception_handler(FactCheckError)
    async def on_factcheck_error(_: Request, exc: FactCheckError):
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return error_response(exc.code, exc.message, exc.status, headers)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(_: Request, exc: RequestValidationError):
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response("invalid_json", "request body is not valid JSON", 400)
        details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in errors[:5])
        return error_response("validation_error", details or "invalid request", 422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            # The router names the methods of the first route on this path only; RFC 9110 wants all of them.
            allowed = allowed_methods(request.app, request.scope)
            if allowed:
                headers["Allow"] = ", ".join(allowed)
        return error_response(code, str(exc.detail), exc.status_code, headers or None)

    @app.exception_handler(Exception)
    async def on_unexpected(_: Request, exc: Exception):
        log.exception("unhandled error")
        return error_response("internal_error", "internal error; the request was not applied", 500)
