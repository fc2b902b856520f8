"""What the editorial routes (reviews, events, ClaimReview, the review page) need, built once per app."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol

from service.db.events import EventRepository
from service.db.reviews import ReviewRepository
from service.errors import NotFoundError
from service.http.claimreview import DocumentRef
from service.http.sse import EventTail
from service.models import ClaimReport, DocumentReport


class ReportSource(Protocol):
    """What the editorial routes read of the pipeline (the FactChecker); both raise NotFoundError."""

    def claim_report(self, claim_id: str) -> ClaimReport: ...

    def document_report(self, document_id: str, include_text: bool = True) -> DocumentReport: ...


@dataclass
class Editorial:
    """Reviews, the event log and the report source of one app."""

    reviews: ReviewRepository
    events: EventRepository
    source: ReportSource
    publisher: str = "factcheck"
    poll_s: float = 0.5
    heartbeat_s: float = 15.0

    _tail: EventTail | None = field(default=None, init=False, repr=False)
    _tail_loop: Any = field(default=None, init=False, repr=False)

    def tail(self) -> EventTail:
        """The event poller of the running event loop (one per process, whatever the number of streams)."""
        loop = asyncio.get_running_loop()
        if self._tail is None or self._tail_loop is not loop:
            self._tail, self._tail_loop = EventTail(self.events, self.poll_s), loop
        return self._tail

    def claim(self, claim_id: str) -> ClaimReport:
        return self.source.claim_report(claim_id)

    def document(self, document_id: str) -> DocumentReport:
        return self.source.document_report(document_id)

    def document_ref(self, document_id: str, cache: dict[str, DocumentRef]) -> DocumentRef:
        if document_id not in cache:
            try:
                doc = self.source.document_report(document_id, include_text=False)
            except NotFoundError:  # deleted since the evidence was recorded
                cache[document_id] = DocumentRef(id=document_id)
            else:
                cache[document_id] = DocumentRef(id=doc.id, title=doc.title, url=doc.url, source=doc.source,
                                                 published_at=doc.published_at)
        return cache[document_id]
