"""HTTP routes, one router per resource; every error body has the documented ErrorOut shape."""

from __future__ import annotations

from fastapi import APIRouter

from service.errors import InputError
from service.models import ErrorOut


def cursor_value(cursor: str | None) -> int | None:
    """A listing cursor as the sequence number it encodes; InputError for one this API did not return."""
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 18:
        raise InputError("cursor is not one this API returned")
    return int(cursor)


def api_router(**kwargs) -> APIRouter:
    """A router whose errors are documented with the one error shape (schema checks validate them too)."""
    return APIRouter(responses={status: {"model": ErrorOut} for status in (400, 404, 413, 415, 422, 429, 503)},
                     **kwargs)
