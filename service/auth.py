"""API keys with read and write scopes, checked by one ASGI middleware in front of /v1.

`FACTCHECK_API_KEYS` is a comma-separated list of `key[:scope]`, scope `read` or `write` (write implies
read; a bare key has write scope, as keys had before scopes existed), e.g. `s3cret:write,viewer42:read`.
A key goes in `Authorization: Bearer KEY` or `X-API-Key: KEY`. With no keys configured nothing is checked,
and `factcheck serve` binds to localhost only (see `bind_host`).
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
from dataclasses import dataclass
from typing import Literal

from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

KeyScope = Literal["read", "write"]
READ_ONLY_POSTS = frozenset({"/v1/check"})  # POST that stores nothing
PUBLIC_PREFIXES = ("/healthz", "/readyz", "/metrics", "/docs", "/redoc", "/openapi.json", "/review")


@dataclass(frozen=True)
class ApiKey:
    """One configured key and what it may do."""

    secret: str
    scope: KeyScope


def parse_api_keys(raw: str) -> list[ApiKey]:
    """Parse `key[:scope],...`; raises ValueError on an unknown scope or an empty key."""
    keys: list[ApiKey] = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        secret, sep, scope = item.rpartition(":")
        if not sep:
            secret, scope = item, "write"
        scope = scope.strip().lower()
        secret = secret.strip()
        if scope not in ("read", "write"):
            raise ValueError(f"FACTCHECK_API_KEYS: unknown scope {scope!r} (use key:read or key:write)")
        if not secret:
            raise ValueError("FACTCHECK_API_KEYS: empty key")
        keys.append(ApiKey(secret, scope))  # type: ignore[arg-type]
    return keys


def required_scope(method: str, path: str) -> KeyScope | None:
    """Scope a request needs, or None for public paths."""
    if not path.startswith("/v1/") and path != "/v1":
        return None
    if method in ("GET", "HEAD", "OPTIONS") or (method == "POST" and path in READ_ONLY_POSTS):
        return "read"
    return "write"


def _presented_key(scope: Scope) -> str | None:
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
        presented = _presented_key(scope)
        key = self._match(presented) if presented else None
        if key is None:
            await _error(send, 401, "unauthorized",
                         "an API key is required: send Authorization: Bearer KEY or X-API-Key: KEY")
            return
        if needed == "write" and key.scope != "write":
            await _error(send, 403, "forbidden", "this API key has read scope; this request needs write scope")
            return
        scope.setdefault("state", {})["api_key_scope"] = key.scope
        await self.app(scope, receive, send)


async def _error(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="factcheck"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


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
