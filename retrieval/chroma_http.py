"""A Chroma HTTP client whose requests time out.

chromadb 1.5.9's HTTP client builds its httpx session with `timeout=None`, so a Chroma server that accepts a
connection and never answers would hang a request thread forever. Chroma only accepts its own class path as
the HTTP implementation, so instead of a subclass, its constructor is wrapped once to apply
`chroma_query_request_timeout_seconds` (a Chroma setting the HTTP client otherwise ignores) to every request.
"""

from __future__ import annotations

import functools
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.fastapi import FastAPI
from chromadb.config import Settings as ChromaSettings


def _apply_timeout() -> None:
    if getattr(FastAPI.__init__, "_factcheck_timeout", False):
        return
    original = FastAPI.__init__

    @functools.wraps(original)
    def __init__(self: FastAPI, system: object) -> None:
        original(self, system)
        self._session.timeout = httpx.Timeout(float(self._settings.chroma_query_request_timeout_seconds))

    __init__._factcheck_timeout = True  # type: ignore[attr-defined]
    FastAPI.__init__ = __init__  # type: ignore[method-assign]


def timed_http_client(url: str, timeout_s: float = 30.0) -> ClientAPI:
    """A Chroma client for the server at `url` (http[s]://host:port) whose requests fail after `timeout_s`."""
    _apply_timeout()
    parsed = urlparse(url)
    return chromadb.HttpClient(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 8000,
        ssl=parsed.scheme == "https",
        settings=ChromaSettings(
            anonymized_telemetry=False, chroma_query_request_timeout_seconds=max(1, round(timeout_s))
        ),
    )
