"""A small hand-made corpus behind the ReportSource interface, for testing the editorial routes alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from service.db import Database
from service.errors import NotFoundError
from service.http.app import include_editorial
from service.http.editorial import Editorial
from service.http.errors import install_error_handlers
from service.models import Attribution, ClaimReport, DocumentReport, EvidenceOut, VerdictChange

TEXT_A = "Meta invested $14.3 billion in Scale AI. <b>Bold</b> claims & \"quotes\" stay text. Altman said Meta offered $100 million."
TEXT_B = "Scale AI received 14 billion dollars from Meta. Meta denied offering $100 million bonuses."


def _span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


def _claim(doc_id: str, text: str, idx: int, quote: str, verdict: str, evidence: list[EvidenceOut], **kw) -> ClaimReport:
    start, end = _span(text, quote)
    return ClaimReport(id=f"{doc_id}-c{idx}", document_id=doc_id, text=kw.pop("claim_text", quote), quote=quote,
                       start=start, end=end, language="en", checkworthy=kw.pop("checkworthy", True),
                       verdict=verdict, confidence=kw.pop("confidence", 0.8), evidence=evidence, **kw)


def _ev(doc_id: str, text: str, claim_id: str | None, quote: str, stance: str, rationale: str) -> EvidenceOut:
    start, end = _span(text, quote)
    return EvidenceOut(document_id=doc_id, claim_id=claim_id, quote=quote, start=start, end=end, stance=stance,
                       score=0.9, same_source=False, rationale=rationale)


def corpus() -> dict[str, DocumentReport]:
    """Two documents whose claims cite each other."""
    a_claims = [
        _claim("doc-a", TEXT_A, 0, "Meta invested $14.3 billion in Scale AI.", "corroborated",
               [_ev("doc-b", TEXT_B, "doc-b-c0", "Scale AI received 14 billion dollars from Meta.", "supports",
                    "figures agree: 14.3 vs 14 billion USD")]),
        _claim("doc-a", TEXT_A, 1, "<b>Bold</b> claims & \"quotes\" stay text.", "unverified", [],
               checkworthy=False),
        _claim("doc-a", TEXT_A, 2, "Altman said Meta offered $100 million.", "disputed",
               [_ev("doc-b", TEXT_B, "doc-b-c1", "Meta denied offering $100 million bonuses.", "refutes",
                    "Meta denies it")],
               claim_text="Meta offered $100 million.", attribution=Attribution(speaker="Altman", cue="said")),
    ]
    b_claims = [
        _claim("doc-b", TEXT_B, 0, "Scale AI received 14 billion dollars from Meta.", "corroborated",
               [_ev("doc-a", TEXT_A, "doc-a-c0", "Meta invested $14.3 billion in Scale AI.", "supports",
                    "figures agree")]),
        _claim("doc-b", TEXT_B, 1, "Meta denied offering $100 million bonuses.", "unverified", []),
    ]
    now = datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    return {
        "doc-a": DocumentReport(id="doc-a", title="<script>alert(1)</script> Scale AI deal", source="wire",
                                url="https://example.org/a", language="en", source_group="doc-a",
                                created_at=now, text=TEXT_A, claims=a_claims),
        "doc-b": DocumentReport(id="doc-b", title="Meta and Scale", source="paper", url=None, language="en",
                                source_group="doc-b", created_at=now, text=TEXT_B, claims=b_claims),
    }


class FakeSource:
    """Implements ReportSource over `corpus()`."""

    def __init__(self) -> None:
        self.docs = corpus()

    def document_report(self, document_id: str, include_text: bool = True) -> DocumentReport:
        doc = self.docs.get(document_id)
        if doc is None:
            raise NotFoundError(f"no document {document_id}")
        return doc.model_copy(deep=True, update=None if include_text else {"text": None})

    def claim_report(self, claim_id: str) -> ClaimReport:
        for doc in self.docs.values():
            for c in doc.claims:
                if c.id == claim_id:
                    out = c.model_copy(deep=True)
                    out.history = [VerdictChange(verdict=c.verdict, confidence=c.confidence, reason="ingest",
                                                 cause_document_id=None, at=datetime(2026, 11, 22, 5, 0, tzinfo=UTC))]
                    return out
        raise NotFoundError(f"no claim {claim_id}")


def make_app(data_dir: Path, source: FakeSource | None = None) -> FastAPI:
    """An app with only the editorial routes, over the fake corpus."""
    app = FastAPI()
    install_error_handlers(app)
    db = Database.sqlite(data_dir / "factcheck.sqlite3")
    include_editorial(app, Editorial(reviews=db.reviews, events=db.events, source=source or FakeSource(), poll_s=0.05))
    return app
