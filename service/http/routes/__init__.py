"""HTTP routes, one router per resource; every error a route can answer is declared with the ErrorOut shape."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query

from service.errors import InputError
from service.models import CURSOR_PATTERN, ErrorOut

_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before retrying.", "required": True,
                                "schema": {"type": "integer", "minimum": 0}}}

ERRORS: dict[int, tuple[str, dict]] = {
    400: ("The body is not valid JSON (code `invalid_json`).", {}),
    404: ("No such document or claim (code `not_found`).", {}),
    413: ("The body, or the posted text, is larger than the configured limit.", {}),
    415: ("The body is not sent with `Content-Type: application/json`.", {}),
    422: ("A parameter or the body breaks this schema (code `validation_error`), or the text shows nothing "
          "(code `empty_text`).", {}),
    429: ("Too many requests from this key or client (code `rate_limited`).", _RETRY_AFTER),
    500: ("An unexpected error; nothing was applied (code `internal_error`).", {}),
    502: ("The configured LLM endpoint failed after its retries (code `llm_failed`).", {}),
    503: ("Too many requests in flight, or a store is unavailable.", _RETRY_AFTER),
}

#: What any /v1 route may answer, whatever it does: the limits in front of it and an unexpected failure.
COMMON = (429, 500, 503)
#: A route with a path parameter, and one with query or body parameters.
ITEM, PARAMS = (404,), (422,)
#: A route that reads a JSON body.
BODY = (400, 413, 415, 422)
#: A route that may call the configured LLM (extraction, stance).
LLM = (502,)


def errors(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI `responses` for these error statuses, each with the ErrorOut body (and Retry-After where sent)."""
    out: dict[int | str, dict] = {}
    for status in sorted(set(statuses)):
        description, headers = ERRORS[status]
        out[status] = {"model": ErrorOut, "description": description, **({"headers": headers} if headers else {})}
    return out


def api_router(**kwargs) -> APIRouter:
    """A /v1 router: every route declares the common errors; each adds its own with `errors(...)`."""
    return APIRouter(responses=errors(*COMMON), **kwargs)


Cursor = Annotated[str | None, Query(pattern=CURSOR_PATTERN, description="`next_cursor` of the previous page.")]


def cursor_value(cursor: str | None) -> int | None:
    """A listing cursor as the number it encodes (the schema's pattern has already checked its form)."""
    if cursor is None:
        return None
    if not re.fullmatch(CURSOR_PATTERN, cursor):  # the route's schema checked it already
        raise InputError("cursor is not one this API returned")
    return int(cursor)
