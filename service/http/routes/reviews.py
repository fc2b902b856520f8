"""/v1/claims/{id}/reviews: editors' decisions, append-only, beside the machine verdict."""

from __future__ import annotations

from service.http.deps import EditorialDep
from service.http.routes import BODY, ITEM, api_router, errors
from service.models import ReviewIn, ReviewOut

router = api_router(prefix="/v1", tags=["editorial"])


@router.post("/claims/{claim_id}/reviews", status_code=201, response_model=ReviewOut, responses=errors(*ITEM, *BODY))
def add_review(claim_id: str, body: ReviewIn, ed: EditorialDep) -> ReviewOut:
    """Record an editor's verdict on a claim (append-only; the machine verdict is kept beside it)."""
    return ed.reviews.add(ed.claim(claim_id), body)


@router.get("/claims/{claim_id}/reviews", response_model=list[ReviewOut], responses=errors(*ITEM))
def list_reviews(claim_id: str, ed: EditorialDep) -> list[ReviewOut]:
    """The audit trail of a claim: every review, oldest first."""
    reviews = ed.reviews.for_claim(claim_id)
    if not reviews:
        ed.claim(claim_id)  # 404 for an unknown claim; [] for a known one nobody reviewed
    return reviews
