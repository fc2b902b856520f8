"""HTTP routes under /v1 (DESIGN.md), plus health, readiness and metrics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from service.errors import InputError
from service.models import (
    ErrorOut,
    CheckIn, ClaimReport, DocumentIn, DocumentReport, DocumentSummary, Page, Report, Verdict,
)
from service.pipeline import FactChecker

# Every error body has one documented shape, so schema checks (schemathesis) validate error responses too.
router = APIRouter(responses={status: {"model": ErrorOut} for status in (400, 404, 413, 415, 422, 429, 503)})


def get_checker(request: Request) -> FactChecker:
    return request.app.state.checker


Checker = Annotated[FactChecker, Depends(get_checker)]


def _cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 18:
        raise InputError("cursor is not one this API returned")
    return int(cursor)


@router.post("/v1/documents", response_model=DocumentReport, status_code=201,
             responses={200: {"description": "Already stored: the same text was posted before."}})
def post_document(body: DocumentIn, checker: Checker, request: Request, response: Response) -> DocumentReport:
    """Store an article, extract and verify its claims; re-posting the same text returns 200 and the same id."""
    report, created = checker.ingest(body)
    if created:
        request.app.state.metrics.documents.inc()
        request.app.state.metrics.claims.inc(len(report.claims))
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/v1/documents/{report.id}"
    return report


@router.get("/v1/documents", response_model=Page[DocumentSummary])
def list_documents(checker: Checker, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   cursor: str | None = None) -> Page[DocumentSummary]:
    """Documents in the order they were stored, with claim counts per verdict."""
    items, next_seq = checker.list_documents(limit, _cursor(cursor))
    return Page[DocumentSummary](items=items, next_cursor=str(next_seq) if next_seq else None)


@router.get("/v1/documents/{document_id}", response_model=DocumentReport)
def get_document(document_id: str, checker: Checker, request: Request) -> DocumentReport:
    """A document's report: its text, claims, verdicts and evidence (and each claim's latest editor review)."""
    report = checker.document_report(document_id)
    request.app.state.editorial.reviews.attach(report.claims)
    return report


@router.delete("/v1/documents/{document_id}")
def delete_document(document_id: str, checker: Checker) -> dict:
    """Delete a document; the claims that cited it are re-verified."""
    changed = checker.delete(document_id)
    return {"deleted": document_id, "verdicts_changed": changed}


@router.get("/v1/claims", response_model=Page[ClaimReport])
def list_claims(
    checker: Checker,
    request: Request,
    verdict: Verdict | None = None,
    document_id: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    checkworthy: bool | None = None,
    reviewed: Annotated[bool | None, Query(description="false: claims no editor has reviewed (a review queue).")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> Page[ClaimReport]:
    """Claims filtered by verdict, document, check-worthiness, review state and text; paginated with `cursor`."""
    items, next_seq = checker.list_claims(verdict=verdict, document_id=document_id, q=q, checkworthy=checkworthy,
                                          reviewed=reviewed, limit=limit, after_seq=_cursor(cursor))
    request.app.state.editorial.reviews.attach(items)
    return Page[ClaimReport](items=items, next_cursor=str(next_seq) if next_seq else None)


@router.get("/v1/claims/{claim_id}", response_model=ClaimReport)
def get_claim(claim_id: str, checker: Checker, request: Request) -> ClaimReport:
    """One claim with its evidence, verdict history and editor reviews (the machine verdict stays in `verdict`)."""
    report = checker.claim_report(claim_id)
    request.app.state.editorial.reviews.attach([report], full=True)
    return report


@router.post("/v1/check", response_model=Report)
def check(body: CheckIn, checker: Checker) -> Report:
    """Check text against the corpus without storing it."""
    return checker.check(body)


@router.get("/healthz")
def healthz() -> dict:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(request: Request) -> Response:
    """The record store and the vector store answer."""
    checker: FactChecker = request.app.state.checker
    try:
        await run_in_threadpool(checker.store.ping)
        await run_in_threadpool(checker.vectors.ping)
    except Exception as exc:  # any failure of a dependency means "not ready", with the reason
        from service.app import error_body

        return error_body("not_ready", f"dependency not ready: {type(exc).__name__}", 503, {"Retry-After": "5"})
    return Response('{"status":"ready"}', media_type="application/json")


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus metrics (the LLM backend's counters too, when one is configured)."""
    body = generate_latest(request.app.state.metrics.registry)
    llm_metrics = getattr(getattr(request.app.state, "checker", None), "llm_metrics", None)
    if llm_metrics is not None:
        body += generate_latest(llm_metrics.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)



