"""schema.org ClaimReview JSON-LD for one claim or a whole document (what Google Fact Check Tools reads)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse

from service.http.claimreview import DocumentRef, claim_review, graph, with_context
from service.http.deps import EditorialDep
from service.http.routes import ITEM, PARAMS, api_router, errors
from service.models import ClaimReport

router = api_router(prefix="/v1", tags=["editorial"])
JSONLD = "application/ld+json"


class JSONLDResponse(JSONResponse):
    """JSON-LD that is safe to paste into a <script type="application/ld+json"> block of a newsroom page."""

    media_type = JSONLD

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        # "</script>" or "<!--" inside a claim's text must not end the host page's script element.
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode("utf-8")


def _review_url(request: Request, document_id: str, claim_id: str | None = None) -> str:
    url = f"{str(request.base_url).rstrip('/')}/review#/documents/{document_id}"
    return f"{url}/claims/{claim_id}" if claim_id else url


def _date(claim: ClaimReport) -> str | None:
    return claim.history[-1].at.isoformat() if claim.history else None


@router.get("/claims/{claim_id}/claimreview", response_class=JSONLDResponse, responses=errors(*ITEM))
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


@router.get("/documents/{document_id}/claimreview", response_class=JSONLDResponse,
            responses=errors(*ITEM, *PARAMS))
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
