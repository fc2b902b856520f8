"""Server-sent events over the event log: one poller per event loop, many streams, resume by cursor (framing here,
the connection handled by sse-starlette in routes/events.py)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable

from service.db.events import EventRepository

# Set when the process begins a graceful shutdown: open streams end so the server can drain its connections
# (a stream never ends on its own; clients reconnect with their cursor).
_STOPPING = threading.Event()


class EventTail:
    """One poller per event loop that wakes every waiting stream when the log grows.

    Idle streams cost no queries of their own: the poller reads MAX(id) every `poll_s` while anyone waits,
    and a stream queries the log only when there is something new.
    """

    def __init__(self, log: EventRepository, poll_s: float = 0.5) -> None:
        self.log = log
        self.poll_s = poll_s
        self.last: int | None = None  # newest id seen by the poller (never ahead of what is committed)
        self._changed = asyncio.Event()
        self._waiters = 0
        self._task: asyncio.Task | None = None

    async def wait_beyond(self, position: int, timeout: float) -> bool:
        """Wait up to `timeout` for an event newer than `position`; True if there is one."""
        if self.last is not None and self.last > position:
            return True
        self._waiters += 1
        try:
            if self._task is None or self._task.done():
                self._task = asyncio.create_task(self._poll())
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                pass
            return self.last is not None and self.last > position
        finally:
            self._waiters -= 1

    async def _poll(self) -> None:
        while self._waiters > 0:
            last = await asyncio.to_thread(self.log.last_id)
            if last != self.last:
                self.last = last
                changed, self._changed = self._changed, asyncio.Event()
                changed.set()
            await asyncio.sleep(self.poll_s)


async def sse_stream(
    log: EventRepository,
    since: int,
    *,
    follow: bool,
    is_disconnected: Callable[[], Awaitable[bool]] | None = None,
    tail: EventTail | None = None,
    types: tuple[str, ...] | None = None,
    heartbeat_s: float | None = 15.0,
    wake_s: float = 1.0,
) -> AsyncIterator[str]:
    """Replay events after `since`, then (if `follow`, with a `tail`) send new ones until the client goes away.

    The event framing (`id:`, `event:`, `data:`) and the resume cursor are ours. Served by sse-starlette's
    EventSourceResponse (routes/events.py), which ends this generator when the client leaves and sends the
    keep-alive pings: there, `is_disconnected` and `heartbeat_s` are None and `wake_s` only bounds how long a
    wait lasts before the stream checks for shutdown.
    """
    position = since  # every event up to here has been sent or filtered out
    yield f"retry: 2000\n: cursor {position}\n\n"
    idle = 0.0
    while True:
        # Read before the query: ids become visible in order, so everything up to `known` is in this answer.
        known = tail.last if tail is not None else None
        batch = await asyncio.to_thread(log.after, position, 500, types)
        for event in batch:
            position = event.id
            yield event.to_sse()
        if len(batch) == 500:
            continue  # more backlog: keep replaying
        if known is not None:
            position = max(position, known)  # skip past events the type filter left out
        while True:  # wait without touching the log until the poller sees something newer
            if not follow or tail is None or _STOPPING.is_set():
                return
            if is_disconnected is not None and await is_disconnected():
                return
            if await tail.wait_beyond(position, wake_s):
                idle = 0.0
                break
            idle += wake_s
            if heartbeat_s is not None and idle >= heartbeat_s:
                idle = 0.0
                yield ": keep-alive\n\n"


def stop_streams() -> None:
    """End every open event stream of this process (called when the server starts shutting down)."""
    _STOPPING.set()
