"""schema.org ClaimReview JSON-LD for a claim (the format Google Fact Check Tools and newsrooms read).

The rating is the editor's latest verdict when there is one, the machine verdict otherwise, and the
explanation says which. Evidence that supports or refutes the claim is listed as `citation`, with the
evidence document's URL where it is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service.models import ClaimReport, ReviewOut

# 1 = false ... 5 = true, the scale fact-checkers commonly publish; `unverified` has no numeric rating.
RATINGS: dict[str, tuple[int | None, str]] = {
    "corroborated": (5, "Corroborated"),
    "disputed": (3, "Disputed"),
    "contradicted": (1, "Contradicted"),
    "unverified": (None, "Unverified"),
}


@dataclass(frozen=True)
class DocumentRef:
    """What ClaimReview needs to know about a document."""

    id: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: str | None = None


def _drop_none(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != [] and v != {}}


def _work(doc: DocumentRef, *, text: str | None = None, description: str | None = None) -> dict[str, Any]:
    return _drop_none({
        "@type": "CreativeWork",
        "url": doc.url,
        "headline": doc.title,
        "datePublished": doc.published_at,
        "publisher": {"@type": "Organization", "name": doc.source} if doc.source and not doc.url else None,
        "identifier": doc.id,
        "text": text,
        "description": description,
    })


def claim_review(
    claim: ClaimReport,
    document: DocumentRef,
    evidence_documents: dict[str, DocumentRef],
    *,
    review_url: str,
    publisher: str = "factcheck",
    review: ReviewOut | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """One ClaimReview object for `claim`, as a JSON-serialisable dict (without @context)."""
    review = review or claim.review
    verdict = review.verdict if review else claim.verdict
    value, name = RATINGS[verdict]
    explanation = f"Machine verdict: {claim.verdict} (confidence {claim.confidence:.2f})."
    if review:
        explanation += f" Editor verdict: {review.verdict} by {review.reviewer}."
        if review.note:
            explanation += f" {review.note}"
    rating = _drop_none({
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": 5 if value is not None else None,
        "worstRating": 1 if value is not None else None,
        "alternateName": name,
        "ratingExplanation": explanation,
    })
    citations = []
    seen: set[tuple[str, int, int]] = set()
    for ev in claim.evidence:
        if ev.stance == "neutral" or (ev.document_id, ev.start, ev.end) in seen:
            continue
        seen.add((ev.document_id, ev.start, ev.end))
        ref = evidence_documents.get(ev.document_id) or DocumentRef(id=ev.document_id)
        note = f"{ev.stance}{' (same source)' if ev.same_source else ''}: {ev.rationale}"
        citations.append(_work(ref, text=ev.quote, description=note))
    speaker = claim.attribution.speaker if claim.attribution and claim.attribution.speaker else None
    appearance = _work(document, text=claim.quote)
    item = _drop_none({
        "@type": "Claim",
        "text": claim.text,
        "inLanguage": claim.language if claim.language != "und" else None,
        "author": {"name": speaker} if speaker else None,
        "appearance": [appearance],
        "firstAppearance": appearance,
    })
    author: dict[str, Any] = {"@type": "Organization", "name": publisher}
    if review:
        author = {"@type": "Person", "name": review.reviewer, "memberOf": author}
    return _drop_none({
        "@type": "ClaimReview",
        "url": review_url,
        "claimReviewed": claim.text,
        "inLanguage": claim.language if claim.language != "und" else None,
        "datePublished": (review.created_at.isoformat() if review else date),
        "author": author,
        "publisher": {"@type": "Organization", "name": publisher},
        "itemReviewed": item,
        "reviewRating": rating,
        "citation": citations,
    })


def with_context(obj: dict[str, Any]) -> dict[str, Any]:
    """A single ClaimReview as a JSON-LD document."""
    return {"@context": "https://schema.org", **obj}


def graph(objs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several ClaimReviews as one JSON-LD document."""
    return {"@context": "https://schema.org", "@graph": objs}
