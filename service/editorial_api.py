"""Routes for an editorial review tool: reviews, the event stream, ClaimReview export, and the review page."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from service.claimreview import DocumentRef, claim_review, graph, with_context
from service.errors import NotFoundError
from service.events import EVENT_TYPES, EventLog, EventTail, sse_stream
from service.models import ClaimReport, DocumentReport, ReviewIn, ReviewOut
from service.reviews import ReviewStore

STATIC_DIR = Path(__file__).parent / "static" / "review"
JSONLD = "application/ld+json"


class JSONLDResponse(JSONResponse):
    """JSON-LD that is safe to paste into a <script type="application/ld+json"> block of a newsroom page."""

    media_type = JSONLD

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        # "</script>" or "<!--" inside a claim's text must not end the host page's script element.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


class ReportSource(Protocol):
    """What the editorial routes need from the pipeline (FactChecker); both raise NotFoundError."""

    def claim_report(self, claim_id: str) -> ClaimReport: ...

    def document_report(self, document_id: str, include_text: bool = True) -> DocumentReport: ...


@dataclass
class Editorial:
    """The editorial services of one app: built once at start-up, reached through `app.state.editorial`."""

    reviews: ReviewStore
    events: EventLog
    source: Any  # ReportSource, or a zero-argument callable returning one (resolved per request)
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

    def pipeline(self) -> ReportSource:
        return self.source() if callable(self.source) and not hasattr(self.source, "claim_report") else self.source

    def claim(self, claim_id: str) -> ClaimReport:
        return self.pipeline().claim_report(claim_id)

    def document(self, document_id: str) -> DocumentReport:
        return self.pipeline().document_report(document_id)

    def document_ref(self, document_id: str, cache: dict[str, DocumentRef]) -> DocumentRef:
        if document_id not in cache:
            try:
                doc = self.pipeline().document_report(document_id, include_text=False)
            except NotFoundError:  # deleted since the evidence was recorded
                cache[document_id] = DocumentRef(id=document_id)
            else:
                cache[document_id] = DocumentRef(id=doc.id, title=doc.title, url=doc.url, source=doc.source,
                                                 published_at=doc.published_at)
        return cache[document_id]


def get_editorial(request: Request) -> Editorial:
    return request.app.state.editorial


EditorialDep = Annotated[Editorial, Depends(get_editorial)]
router = APIRouter(prefix="/v1", tags=["editorial"])


@router.post("/claims/{claim_id}/reviews", status_code=201, response_model=ReviewOut)
def add_review(claim_id: str, body: ReviewIn, ed: EditorialDep) -> ReviewOut:
    """Record an editor's verdict on a claim (append-only; the machine verdict is kept beside it)."""
    return ed.reviews.add(ed.claim(claim_id), body)


@router.get("/claims/{claim_id}/reviews", response_model=list[ReviewOut])
def list_reviews(claim_id: str, ed: EditorialDep) -> list[ReviewOut]:
    """The audit trail of a claim: every review, oldest first."""
    reviews = ed.reviews.for_claim(claim_id)
    if not reviews:
        ed.claim(claim_id)  # 404 for an unknown claim; [] for a known one nobody reviewed
    return reviews


def _review_url(request: Request, document_id: str, claim_id: str | None = None) -> str:
    url = f"{str(request.base_url).rstrip('/')}/review#/documents/{document_id}"
    return f"{url}/claims/{claim_id}" if claim_id else url


def _date(claim: ClaimReport) -> str | None:
    return claim.history[-1].at.isoformat() if claim.history else None


@router.get("/claims/{claim_id}/claimreview", response_class=JSONLDResponse)
def claim_claimreview(claim_id: str, request: Request, ed: EditorialDep) -> JSONLDResponse:
    """schema.org ClaimReview JSON-LD for one claim."""
    claim = ed.claim(claim_id)
    ed.reviews.attach([claim])
    cache: dict[str, DocumentRef] = {}
    obj = claim_review(
        claim, ed.document_ref(claim.document_id, cache),
        {ev.document_id: ed.document_ref(ev.document_id, cache) for ev in claim.evidence},
        review_url=_review_url(request, claim.document_id, claim.id), publisher=ed.publisher, date=_date(claim),
    )
    return JSONLDResponse(with_context(obj))


@router.get("/documents/{document_id}/claimreview", response_class=JSONLDResponse)
def document_claimreview(
    document_id: str, request: Request, ed: EditorialDep,
    checkworthy_only: Annotated[bool, Query(description="Leave out opinions, predictions and generic statements.")] = True,
) -> JSONLDResponse:
    """schema.org ClaimReview JSON-LD for every (check-worthy) claim of a document, as an @graph."""
    doc = ed.document(document_id)
    claims = [c for c in doc.claims if c.checkworthy or not checkworthy_only]
    ed.reviews.attach(claims)
    cache = {doc.id: DocumentRef(id=doc.id, title=doc.title, url=doc.url, source=doc.source,
                                 published_at=doc.published_at)}
    objs = [
        claim_review(
            c, cache[doc.id], {ev.document_id: ed.document_ref(ev.document_id, cache) for ev in c.evidence},
            review_url=_review_url(request, doc.id, c.id), publisher=ed.publisher,
            date=doc.created_at.isoformat() if doc.created_at else None,
        )
        for c in claims
    ]
    return JSONLDResponse(graph(objs))


@router.get(
    "/events",
    response_class=StreamingResponse,
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
        message = f"unknown event type in {types!r}; known: {', '.join(EVENT_TYPES)}"
        return JSONResponse({"error": {"code": "invalid_input", "message": message}}, status_code=422)
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
            yield prefix
        async for chunk in sse_stream(ed.events, since, follow=follow, is_disconnected=request.is_disconnected,
                                      tail=ed.tail(), types=wanted, heartbeat_s=ed.heartbeat_s):
            yield chunk

    return StreamingResponse(body(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def build_editorial(sqlite_path: Path, source: Any) -> Editorial:
    """Reviews and the event log in the record store's file; call after the record store created its tables."""
    return Editorial(reviews=ReviewStore(sqlite_path), events=EventLog(sqlite_path), source=source)


def install_editorial(app: FastAPI, editorial: Editorial | None = None) -> None:
    """Add the editorial routes and the review page to `app` (errors map through the app's FactCheckError handler).

    Without `editorial`, set `app.state.editorial` in the app's lifespan (see `build_editorial`).
    """
    if editorial is not None:
        app.state.editorial = editorial
    app.include_router(router)

    page_headers = {
        # The page loads only its own files and talks only to this origin: no inline script, no injection path.
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
                                   " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }

    @app.get("/review", include_in_schema=False)
    def review_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html", headers=page_headers)

    app.mount("/review/static", StaticFiles(directory=STATIC_DIR), name="review-static")
