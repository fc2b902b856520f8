"""/v1/claims: the claims of the corpus, filtered and paginated, and one claim with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from service.http.deps import Checker, EditorialDep
from service.http.routes import ITEM, PARAMS, Cursor, api_router, cursor_value, errors
from service.models import ClaimReport, Page, Verdict

router = api_router(tags=["claims"])


@router.get("/v1/claims", response_model=Page[ClaimReport], responses=errors(*PARAMS))
def list_claims(
    checker: Checker,
    editorial: EditorialDep,
    verdict: Verdict | None = None,
    document_id: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    checkworthy: bool | None = None,
    reviewed: Annotated[bool | None, Query(description="false: claims no editor has reviewed (a review queue).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> Page[ClaimReport]:
    """Claims filtered by verdict, document, check-worthiness, review state and text; paginated with `cursor`."""
    items, next_seq = checker.list_claims(verdict=verdict, document_id=document_id, q=q, checkworthy=checkworthy,
                                          reviewed=reviewed, limit=limit, after_seq=cursor_value(cursor))
    editorial.reviews.attach(items)
    return Page[ClaimReport](items=items, next_cursor=str(next_seq) if next_seq else None)


@router.get("/v1/claims/{claim_id}", response_model=ClaimReport, responses=errors(*ITEM))
def get_claim(claim_id: str, checker: Checker, editorial: EditorialDep) -> ClaimReport:
    """One claim with its evidence, verdict history and editor reviews (the machine verdict stays in `verdict`)."""
    report = checker.claim_report(claim_id)
    editorial.reviews.attach([report], full=True)
    return report
