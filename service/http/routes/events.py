"""/v1/events: verdict changes and new reviews as server-sent events, resumable by cursor."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated

from fastapi import Header, Query, Request
from fastapi.responses import Response, StreamingResponse

from service.db.events import EVENT_TYPES
from service.http.deps import EditorialDep
from service.http.routes import PARAMS, api_router, errors
from service.http.sse import sse_stream

router = api_router(prefix="/v1", tags=["editorial"])

_TYPE = "(" + "|".join(EVENT_TYPES) + ")"
#: A comma-separated list of known event types, nothing else (no spaces, no empty items).
TYPES_PATTERN = f"^{_TYPE}(,{_TYPE})*$"
#: One event of the stream (before OpenAPI 3.2's `itemSchema`, a text/event-stream `schema` describes each event).
SSE_EVENT = {
    "type": "object",
    "properties": {
        "event": {"type": "string", "enum": [*EVENT_TYPES, "reset"],
                  "description": "`reset`: the cursor was beyond the newest event (another store); `data` has it."},
        "id": {"type": "string", "pattern": "^[0-9]+$", "description": "The cursor to resume after this event."},
        "data": {"type": "string", "contentMediaType": "application/json",
                 "description": "JSON: {id, type, created_at, claim_id, document_id, ...}: `verdict_changed` adds "
                                "verdict, confidence, cause_document_id, reason, at; `review_added` the review. "
                                "`reset`: {last_id}."},
        "retry": {"type": "integer", "minimum": 0, "description": "Reconnection delay in milliseconds."},
    },
}


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT}},
                     "description": "Server-sent events: `verdict_changed`, `review_added`; each `id` is a cursor."},
               **errors(*PARAMS)},
)
async def events(
    request: Request,
    ed: EditorialDep,
    since: Annotated[int | None, Query(ge=0, description="Replay events after this id (the last `id:` you saw).")] = None,
    types: Annotated[str | None, Query(pattern=TYPES_PATTERN, description=(
        f"Comma-separated event types to receive, of {', '.join(EVENT_TYPES)} (default: all)."))] = None,
    follow: Annotated[bool, Query(description="Keep the stream open for new events; false ends after the backlog.")] = True,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> Response:
    """Stream verdict changes and new reviews; resume after a disconnect with `since` (or Last-Event-ID)."""
    wanted = tuple(types.split(",")) if types else None  # the pattern admits known types only
    if since is None and last_event_id and re.fullmatch("[0-9]{1,18}", last_event_id.strip()):
        since = int(last_event_id.strip())  # anything else (a client's own id scheme) starts from now
    last = await asyncio.to_thread(ed.events.last_id)
    prefix = ""
    if since is None:
        since = last  # a new client starts from now
    elif since > last:
        # The cursor is from another (e.g. reset) store: say so and continue from what exists.
        prefix = f'event: reset\ndata: {{"last_id":{last}}}\n\n'
        since = last

    async def body():
        if prefix:
            yield prefix
        async for chunk in sse_stream(ed.events, since, follow=follow, is_disconnected=request.is_disconnected,
                                      tail=ed.tail(), types=wanted, heartbeat_s=ed.heartbeat_s):
            yield chunk

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
