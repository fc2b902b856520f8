"""/v1/documents: post, list, read and delete articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from service.http.deps import Checker, EditorialDep, MetricsDep
from service.http.routes import BODY, ITEM, LLM, PARAMS, Cursor, api_router, cursor_value, errors
from service.models import DeletedOut, DocumentIn, DocumentReport, DocumentSummary, Page

router = api_router(tags=["documents"])

_LOCATION = {"Location": {"description": "The document's URL.", "required": True, "schema": {"type": "string"}}}


@router.post("/v1/documents", response_model=DocumentReport, status_code=201,
             responses={201: {"description": "Stored: a new document, with its report.", "headers": _LOCATION},
                        200: {"model": DocumentReport, "headers": _LOCATION,
                              "description": "Already stored: the same text was posted before; its report."},
                        **errors(*BODY, *LLM)})
def post_document(body: DocumentIn, checker: Checker, metrics: MetricsDep, response: Response) -> DocumentReport:
    """Store an article, extract and verify its claims; re-posting the same text returns 200 and the same id."""
    report, created = checker.ingest(body)
    if created:
        metrics.documents.inc()
        metrics.claims.inc(len(report.claims))
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/v1/documents/{report.id}"
    return report


@router.get("/v1/documents", response_model=Page[DocumentSummary], responses=errors(*PARAMS))
def list_documents(checker: Checker, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                   cursor: Cursor = None) -> Page[DocumentSummary]:
    """Documents in the order they were stored, with their languages and claim counts per verdict."""
    items, next_seq = checker.list_documents(limit, cursor_value(cursor))
    return Page[DocumentSummary](items=items, next_cursor=str(next_seq) if next_seq else None)


@router.get("/v1/documents/{document_id}", response_model=DocumentReport, responses=errors(*ITEM))
def get_document(document_id: str, checker: Checker, editorial: EditorialDep) -> DocumentReport:
    """A document's report: its text, claims, verdicts and evidence (and each claim's latest editor review)."""
    report = checker.document_report(document_id)
    editorial.reviews.attach(report.claims)
    return report


@router.delete("/v1/documents/{document_id}", response_model=DeletedOut, responses=errors(*ITEM, *LLM))
def delete_document(document_id: str, checker: Checker) -> DeletedOut:
    """Delete a document; the claims that cited it are re-verified."""
    changed = checker.delete(document_id)
    return DeletedOut(deleted=document_id, verdicts_changed=changed)
