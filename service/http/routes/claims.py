"""/v1/claims: the claims of the corpus, filtered, sorted and paginated, and one claim with its history."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from service.http.deps import Checker, EditorialDep
from service.http.routes import ITEM, PARAMS, Cursor, api_router, cursor_value, errors
from service.models import BasisFilter, ClaimReport, ClaimSort, Page, Verdict

router = api_router(tags=["claims"])


@router.get("/v1/claims", response_model=Page[ClaimReport], responses=errors(*PARAMS))
def list_claims(
    checker: Checker,
    editorial: EditorialDep,
    verdict: Verdict | None = None,
    document_id: str | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text or quote contains this, any case.")] = None,
    checkworthy: bool | None = None,
    reviewed: Annotated[bool | None, Query(description="false: claims no editor has reviewed (a review queue).")] = None,
    basis: Annotated[BasisFilter | None, Query(
        description="How the verdict was reached: `rule` (a deterministic check), `model` (the learned model or "
                    "the LLM), `none` (nothing decides it).")] = None,
    min_sources: Annotated[int | None, Query(ge=0, le=1_000_000, description="At least this many independent sources.")] = None,
    max_sources: Annotated[int | None, Query(ge=0, le=1_000_000, description="At most this many independent sources.")] = None,
    sort: Annotated[ClaimSort, Query(
        description="`stored` (the order claims were stored in), or by `strength`, `confidence` or independent "
                    "`sources`, ascending, or descending with a leading `-`; ties in stored order. "
                    "`strength` with `basis=model` is the model-decided verdicts, weakest first.")] = "stored",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Cursor = None,
) -> Page[ClaimReport]:
    """Claims filtered by verdict, document, check-worthiness, review state, basis, sources and text; sorted; paginated with `cursor`."""
    items, next_cursor = checker.list_claims(
        verdict=verdict, document_id=document_id, q=q, checkworthy=checkworthy, reviewed=reviewed, basis=basis,
        min_sources=min_sources, max_sources=max_sources, sort=sort, limit=limit, after_seq=cursor_value(cursor))
    editorial.reviews.attach(items)
    return Page[ClaimReport](items=items, next_cursor=str(next_cursor) if next_cursor is not None else None)


@router.get("/v1/claims/{claim_id}", response_model=ClaimReport, responses=errors(*ITEM))
def get_claim(claim_id: str, checker: Checker, editorial: EditorialDep) -> ClaimReport:
    """One claim with its evidence, verdict history and editor reviews (the machine verdict stays in `verdict`)."""
    report = checker.claim_report(claim_id)
    editorial.reviews.attach([report], full=True)
    return report
