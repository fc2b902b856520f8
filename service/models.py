"""Domain types: what a document, a claim, a piece of evidence and a verdict are.

Request shapes end in `In`, stored shapes have no suffix, response shapes end in `Out`/`Report`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Verdict = Literal["corroborated", "contradicted", "disputed", "unverified"]
Stance = Literal["supports", "refutes", "neutral"]
Qualifier = Literal["exact", "about", "up_to", "at_least", "more_than", "less_than"]
VERDICTS: tuple[Verdict, ...] = ("corroborated", "contradicted", "disputed", "unverified")
STANCES: tuple[Stance, ...] = ("supports", "refutes", "neutral")


class Quantity(BaseModel):
    """A figure found in a claim, normalised to base units."""

    text: str = Field(description="The figure as written, e.g. '14,3 milliards de dollars'.")
    value: float = Field(description="Normalised value in base units (14.3e9 for 14.3 billion).")
    unit: str = Field(description="Normalised unit: a currency code, '%', 'year', 'month', 'date', or 'count:<noun>'.")
    qualifier: Qualifier = Field("exact", description="How the figure bounds the quantity (up to, about, ...).")
    precision: float = Field(0.0, ge=0, description="Half-width of the rounding the written figure implies.")
    start: int = Field(description="Offset of the figure in the document text.")
    end: int = Field(description="End offset of the figure in the document text.")


class Attribution(BaseModel):
    """Who a claim is attributed to and whether that party asserts or denies its content."""

    speaker: str | None = Field(None, description="Person or organisation the content is attributed to.")
    stance: Literal["asserts", "denies"] = Field("asserts", description="Whether the speaker asserts or denies it.")
    cue: str | None = Field(None, description="The reporting verb that marked it (said, affirme, bác bỏ ...).")


class ClaimDraft(BaseModel):
    """A claim as an extractor produces it, before it is stored."""

    text: str = Field(description="Self-contained statement of one fact (pronouns resolved, subject restored).")
    quote: str = Field(description="Exact substring of the document text that states the claim.")
    start: int = Field(ge=0, description="Offset of the quote in the document text.")
    end: int = Field(ge=0, description="End offset of the quote in the document text.")
    language: str = Field(description="ISO 639-1 code of the claim's language, or 'und'.")
    checkworthy: bool = Field(True, description="False for opinions, predictions and generic statements.")
    attribution: Attribution | None = Field(None, description="Reported speech, when the claim is attributed.")
    quantities: list[Quantity] = Field(default_factory=list, description="Figures the claim states.")
    entities: list[str] = Field(default_factory=list, description="Named entities the claim mentions.")
    negated: bool = Field(False, description="True when the claim states that something is not the case.")
    self_contained: bool = Field(
        True, description="False when the claim's subject could not be restored (an ambiguous or unresolved pronoun, "
        "a missing subject): the text then keeps the quote's wording and an editor must read the context.")
    denies_claim_index: int | None = Field(
        None, description="For a denial ('this was denied by Meta'), index of the claim of the same document it denies."
    )
    backend: str = Field("offline", description="What extracted it: offline, llm, or offline-fallback (the LLM failed).")


class Claim(ClaimDraft):
    """A stored claim."""

    id: str = Field(description="Stable id: hash of document id and offsets.")
    document_id: str = Field(description="Document the claim comes from.")
    index: int = Field(ge=0, description="Position of the claim in its document.")


class EvidenceOut(BaseModel):
    """One piece of evidence for or against a claim, quoted and located in its document."""

    document_id: str = Field(description="Document the evidence is quoted from.")
    claim_id: str | None = Field(None, description="Claim of that document the quote belongs to, when there is one.")
    quote: str = Field(description="Exact substring of the evidence document.")
    start: int = Field(description="Offset of the quote in the evidence document.")
    end: int = Field(description="End offset of the quote in the evidence document.")
    stance: Stance = Field(description="What the evidence does to the claim.")
    score: float = Field(ge=0, le=1, description="Strength of that stance, in [0, 1].")
    same_source: bool = Field(description="True when the evidence comes from the claim's own source group.")
    source_group: str | None = Field(None, description="Source group of the evidence document: copies count once.")
    rationale: str = Field(description="Why this stance, in words an editor can check.")
    backend: str = Field("offline", description="What judged the stance: offline, llm, or offline-fallback.")
    kind: Literal["evidence", "denial", "assertion"] = Field(
        "evidence", description="'denial'/'assertion' when one party denies what another asserts (may be same-document)."
    )
    basis: Literal["rule", "model"] = Field(
        "model", description="'rule': a deterministic check (figures, employers, denials, negation) decided the stance; "
                             "'model': the learned stance model or the LLM did.")


class VerdictChange(BaseModel):
    """One change of a claim's machine verdict."""

    verdict: Verdict
    confidence: float
    cause_document_id: str | None = Field(None, description="Document whose arrival or deletion caused the change.")
    reason: str = Field(description="ingest, document_added, document_deleted, recheck.")
    at: datetime


class ReviewIn(BaseModel):
    """An editor's decision on a claim, as posted."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict = Field(description="The editor's verdict: the machine's to confirm it, another to override it.")
    reviewer: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        description="Who decided (name or handle).")
    note: str = Field("", max_length=5000, description="Why, in the editor's words.")


class ReviewOut(BaseModel):
    """A stored review: append-only, with the machine verdict it was made against."""

    id: int = Field(description="Monotonic review number.")
    claim_id: str
    document_id: str
    verdict: Verdict = Field(description="The editor's verdict.")
    reviewer: str
    note: str
    machine_verdict: Verdict = Field(description="The machine verdict when the review was recorded.")
    machine_confidence: float = Field(description="The machine confidence when the review was recorded.")
    agrees: bool = Field(description="True when the editor confirmed the machine verdict.")
    created_at: datetime


class ClaimReport(BaseModel):
    """A claim with its verdict and evidence, as the report contract gives it."""

    id: str
    document_id: str
    text: str
    quote: str
    start: int
    end: int
    language: str
    checkworthy: bool
    attribution: Attribution | None = None
    quantities: list[Quantity] = Field(default_factory=list)
    entities: list[str] = Field(default_factory=list)
    self_contained: bool | None = Field(
        None, description="False when the claim's subject could not be restored; None when the report does not say.")
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)
    evidence: list[EvidenceOut] = Field(default_factory=list)
    history: list[VerdictChange] | None = Field(None, description="Verdict history, on the single-claim endpoint.")
    review: ReviewOut | None = Field(None, description="The latest editor review, if any; `verdict` stays the machine's.")
    reviews: list[ReviewOut] | None = Field(None, description="All reviews, oldest first, on the single-claim endpoint.")


class LLMUsage(BaseModel):
    """LLM work behind a report: what ran, how often, and what it cost in tokens."""

    model: str | None = Field(None, description="Model name sent to the endpoint.")
    prompts: list[str] = Field(default_factory=list, description="Prompts used, as name@version.")
    calls: int = Field(0, description="Completions requested (cache hits included, retries not).")
    http_requests: int = Field(0, description="HTTP requests sent to the endpoint (retries and re-asks included).")
    cache_hits: int = Field(0, description="Completions answered from the cache, with no request.")
    retries: int = Field(0, description="Requests repeated after a 429, 5xx, timeout or connection error.")
    reasks: int = Field(0, description="Requests repeated because the reply did not validate.")
    fallbacks: int = Field(0, description="Chunks or claims handed to the offline analyser after the LLM failed.")
    prompt_tokens: int = Field(0, description="Prompt tokens the endpoint reported.")
    completion_tokens: int = Field(0, description="Completion tokens the endpoint reported.")

    @classmethod
    def total(cls, usages: list[LLMUsage | None]) -> LLMUsage | None:
        """Sum of several documents' usage; None when none of them used the LLM."""
        present = [u for u in usages if u is not None]
        if not present:
            return None
        out = cls(model=present[-1].model)
        for u in present:
            out.prompts += [p for p in u.prompts if p not in out.prompts]
            for name in ("calls", "http_requests", "cache_hits", "retries", "reasks", "fallbacks", "prompt_tokens",
                         "completion_tokens"):
                setattr(out, name, getattr(out, name) + getattr(u, name))
        return out


class DocumentReport(BaseModel):
    """A document with its claims, as the report contract gives it."""

    id: str
    source: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: str | None = None
    language: str
    languages: list[str] = Field(default_factory=list, description="Languages of its paragraphs, most used first.")
    source_group: str
    created_at: datetime | None = None
    text: str | None = Field(None, description="The stored (NFC-normalised) text offsets refer to.")
    claims: list[ClaimReport] = Field(default_factory=list)
    llm: LLMUsage | None = Field(None, description="LLM work behind this document's claims and stances, when an LLM ran.")


class Report(BaseModel):
    """The body of `factcheck check --json`."""

    documents: list[DocumentReport]
    backend: str = Field("offline", description="Analyser that produced the claims and stances.")
    llm: LLMUsage | None = Field(None, description="LLM work behind the whole report (model, prompt versions, tokens).")


class DocumentIn(BaseModel):
    """A document posted by a client."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="Article text, UTF-8.")
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=500, description="Where the text comes from: a path, an outlet.")
    url: str | None = Field(None, max_length=2000)
    published_at: str | None = Field(None, max_length=64)
    language: str | None = Field(None, max_length=8, description="Language hint; detected per paragraph otherwise.")


class CheckIn(BaseModel):
    """Text to check against the corpus without storing it."""

    model_config = ConfigDict(extra="forbid")

    text: str
    title: str | None = Field(None, max_length=500)
    source: str | None = Field(None, max_length=500)


class DocumentSummary(BaseModel):
    """A document in a listing."""

    id: str
    title: str | None
    source: str | None
    url: str | None = None
    language: str
    source_group: str
    created_at: datetime
    claim_count: int
    verdicts: dict[str, int] = Field(description="Number of claims per verdict.")


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a listing; pass `next_cursor` as `cursor` for the next one."""

    items: list[T]
    next_cursor: str | None = None


class ErrorDetail(BaseModel):
    """What went wrong, for a program (code) and for a person (message)."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="Stable machine-readable code, e.g. empty_text, not_found, rate_limited.")
    message: str = Field(description="Human-readable explanation; never contains secrets.")


class ErrorOut(BaseModel):
    """Every 4xx/5xx body: {"error": {"code", "message"}}."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail
