"""API keys with read and write scopes, checked by one ASGI middleware in front of /v1.

`FACTCHECK_API_KEYS` is a comma-separated list of `key[:scope]`, scope `read` or `write` (write implies
read; a bare key has write scope), e.g. `s3cret:write,viewer42:read`; Settings parses it once. A key goes in
`Authorization: Bearer KEY` or `X-API-Key: KEY` (so does `/metrics`, with a read key; a Prometheus scrape
job sends it with `authorization: {credentials: KEY}`); when a request carries both, the Authorization header wins,
here and in the rate limiter alike. With no keys configured nothing is checked, and `factcheck serve` binds to
localhost only (see `bind_host`).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from service.http.errors import send_error
from service.settings import ApiKey, KeyScope

log = logging.getLogger(__name__)

READ_ONLY_POSTS = frozenset({"/v1/check"})  # POST that stores nothing
PUBLIC_PREFIXES = ("/healthz", "/readyz", "/docs", "/redoc", "/openapi.json", "/review")
#: Outside /v1 but not public: metrics tell request volumes, routes and LLM spend, so they need a read key.
READ_PATHS = frozenset({"/metrics"})


def required_scope(method: str, path: str) -> KeyScope | None:
    """Scope a request needs, or None for public paths."""
    if path in READ_PATHS:
        return "read"
    if not path.startswith("/v1/") and path != "/v1":
        return None
    if method in ("GET", "HEAD", "OPTIONS") or (method == "POST" and path in READ_ONLY_POSTS):
        return "read"
    return "write"


def presented_key(scope: Scope) -> str | None:
    """The API key a request carries, unvalidated: `Authorization: Bearer` first, then `X-API-Key`."""
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return headers.get("x-api-key", "").strip() or None


class ApiKeyMiddleware:
    """Reject /v1 requests without a key of sufficient scope (401 no/unknown key, 403 read key writing)."""

    def __init__(self, app: ASGIApp, keys: list[ApiKey]) -> None:
        self.app = app
        self.keys = keys

    def _match(self, presented: str) -> ApiKey | None:
        found = None
        for key in self.keys:  # compare against every key, in constant time each
            if hmac.compare_digest(key.secret.encode(), presented.encode()):
                found = key
        return found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.keys:
            await self.app(scope, receive, send)
            return
        needed = required_scope(scope["method"], scope["path"])
        if needed is None:
            await self.app(scope, receive, send)
            return
        presented = presented_key(scope)
        key = self._match(presented) if presented else None
        if key is None:
            await send_error(send, 401, "unauthorized",
                             "an API key is required: send Authorization: Bearer KEY or X-API-Key: KEY",
                             [("WWW-Authenticate", 'Bearer realm="factcheck"')])
            return
        if needed == "write" and key.scope != "write":
            await send_error(send, 403, "forbidden", "this API key has read scope; this request needs write scope")
            return
        scope.setdefault("state", {})["api_key_scope"] = key.scope
        await self.app(scope, receive, send)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind_host(requested: str, keys: list[ApiKey]) -> str:
    """The interface to serve on: without API keys, never anything but localhost (and say so in the log)."""
    if keys:
        log.info("API keys configured: %d (%d with write scope); binding to %s",
                 len(keys), sum(k.scope == "write" for k in keys), requested)
        return requested
    if not is_loopback(requested):
        log.warning("no API keys configured (FACTCHECK_API_KEYS): refusing to bind to %s; binding to 127.0.0.1 only",
                    requested)
        return "127.0.0.1"
    log.warning("no API keys configured (FACTCHECK_API_KEYS): the API is unauthenticated and bound to %s only",
                requested)
    return requested
