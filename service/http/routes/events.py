"""/v1/events: verdict changes and new reviews as server-sent events, resumable by cursor."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response
from sse_starlette import EventSourceResponse

from service.db.events import EVENT_TYPES
from service.http.deps import EditorialDep
from service.http.errors import error_response
from service.http.sse import sse_stream

router = APIRouter(prefix="/v1", tags=["editorial"])


@router.get(
    "/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}},
                     "description": "Server-sent events: `verdict_changed`, `review_added`; each `id` is a cursor."}},
)
async def events(
    request: Request,
    ed: EditorialDep,
    since: Annotated[int | None, Query(ge=0, description="Replay events after this id (the last `id:` you saw).")] = None,
    types: Annotated[str | None, Query(description="Comma-separated event types to receive (default: all).")] = None,
    follow: Annotated[bool, Query(description="Keep the stream open for new events; false ends after the backlog.")] = True,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> Response:
    """Stream verdict changes and new reviews; resume after a disconnect with `since` (or Last-Event-ID)."""
    wanted = tuple(t.strip() for t in types.split(",") if t.strip()) if types else None
    if wanted and not set(wanted) <= set(EVENT_TYPES):
        return error_response("invalid_input", f"unknown event type in {types!r}; known: {', '.join(EVENT_TYPES)}",
                              422)
    if since is None and last_event_id and last_event_id.strip().isdigit():
        since = int(last_event_id.strip())
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
            yield prefix.encode()
        async for chunk in sse_stream(ed.events, since, follow=follow, tail=ed.tail(), types=wanted,
                                      heartbeat_s=None, wake_s=ed.heartbeat_s):
            yield chunk.encode()  # bytes: sse-starlette sends them as framed here, ids and all

    # sse-starlette owns the connection: it notices a client leaving without polling, sends the keep-alive
    # comment every heartbeat, and ends the stream when the server shuts down (clients resume with their cursor).
    return EventSourceResponse(body(), ping=ed.heartbeat_s, headers={"Cache-Control": "no-cache",
                                                                      "X-Accel-Buffering": "no"})
