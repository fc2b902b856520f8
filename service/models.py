"""Domain types: what a document, a claim, a piece of evidence and a verdict are.

Request shapes end in `In`, stored shapes have no suffix, response shapes end in `Out`/`Report`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

Verdict = Literal["corroborated", "contradicted", "disputed", "unverified"]
Stance = Literal["supports", "refutes", "neutral"]
Qualifier = Literal["exact", "about", "up_to", "at_most", "at_least", "more_than", "less_than"]
VERDICTS: tuple[Verdict, ...] = ("corroborated", "contradicted", "disputed", "unverified")
STANCES: tuple[Stance, ...] = ("supports", "refutes", "neutral")
Basis = Literal["rule", "model"]

# Characters that show nothing on their own: whitespace (str.isspace), controls (Cc) and format characters
# (Cf: zero-width spaces and joiners, bidi marks, the BOM, tag characters), as code-point ranges of Unicode 14
# (Python 3.11). A text must hold at least one character outside them; the schema states the same rule as a
# `pattern`, written with the characters themselves (no \s, \p{..} or \u escapes) so that every regex
# dialect (ECMA-262, Rust, Python, RE2) reads it alike. tests/unit/test_contract.py re-derives the table.
INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0020), (0x007F, 0x00A0), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD),
    (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x1680, 0x1680), (0x180E, 0x180E), (0x2000, 0x200F),
    (0x2028, 0x202F), (0x205F, 0x2064), (0x2066, 0x206F), (0x3000, 0x3000), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)
VISIBLE_PATTERN = "[^" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE_RANGES) + "]"
_VISIBLE = re.compile(VISIBLE_PATTERN)
VISIBLE_RULE = "at least one character that is not whitespace, a control or a zero-width (format) character"


def has_visible_character(text: str) -> bool:
    """True when `text` shows something: the rule the schema's `pattern` on posted texts and names states."""
    return _VISIBLE.search(text) is not None


def _visible_text(description: str, **extra) -> dict:
    """A JSON-schema fragment for a string that must show something (posted text, reviewer names)."""
    return {"pattern": VISIBLE_PATTERN, "description": f"{description} Must contain {VISIBLE_RULE}.", **extra}


#: Listing cursors are the decimal numbers the API returned as `next_cursor`.
CURSOR_PATTERN = "^[0-9]{1,18}$"


class Quantity(BaseModel):
    """A figure found in a claim, normalised to base units."""

    text: str = Field(description="The figure as written, e.g. '14,3 milliards de dollars'.")
    value: float = Field(description="Normalised value in base units (14.3e9 for 14.3 billion).")
    unit: str = Field(description="Normalised unit: a currency code, '%', 'year', 'month', 'date', 'clock' (hours after "
                                  "midnight), or 'count:<noun>'.")
    qualifier: Qualifier = Field("exact", description="How the figure bounds the quantity: up_to is a reported maximum "
                                 "('up to', 'as much as'), at_most a limit ('at most', 'no more than'); see figures.py.")
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
    reviewer: str = Field(max_length=200, json_schema_extra=_visible_text(
        "Who decided (name or handle); stored without surrounding whitespace."))
    note: str = Field("", max_length=5000, description="Why, in the editor's words.")

    @field_validator("reviewer")
    @classmethod
    def _named(cls, value: str) -> str:
        if not has_visible_character(value):
            raise ValueError(f"reviewer must contain {VISIBLE_RULE}")
        return value.strip()


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


class VerdictBasis(BaseModel):
    """How a verdict was reached: by a deterministic check or a model, how strongly, on how many sources."""

    model_config = ConfigDict(frozen=True)

    basis: Basis | None = Field(None, description="'rule' or 'model'; None when nothing decides the verdict.")
    strength: float = Field(0.0, ge=0, le=1, description="The verdict rule's raw score, before calibration.")
    independent_sources: int = Field(0, ge=0, description="Distinct source groups among other sources' evidence.")


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
    basis: Basis | None = Field(
        None, description="How the verdict was reached: 'rule' when a deterministic check (figures, employers, "
                          "denials, negation) produced evidence that counts for it, 'model' when only the learned "
                          "stance model or the LLM did (each evidence item's `basis`); null when nothing decides it.")
    strength: float = Field(
        0.0, ge=0, le=1, description="How strongly the counted evidence backs the verdict, before calibration: "
                                     "the strongest score per source group, independent groups combined as "
                                     "1 - prod(1 - score); 0 when nothing decides it. `confidence` maps it to how "
                                     "often such verdicts were right on labelled sets.")
    independent_sources: int = Field(
        0, ge=0, description="Distinct source groups among the supporting or refuting evidence from other sources "
                             "(translations and copies of one story are one group; same-source evidence does not "
                             "count).")
    backend: str = Field("offline", description="What extracted the claim: offline, llm, or offline-fallback (the LLM "
                                                "failed on its part of the text and the offline analyser stood in).")
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
    failures: dict[str, int] = Field(
        default_factory=dict,
        description="Why the LLM failed, by reason, each time work fell back to the offline analyser: rate_limited "
                    "(429 through every retry), server_error (5xx), timeout, connection, refused (another 4xx), "
                    "invalid_output (no valid reply after a re-ask, or quotes not in the text).")
    last_failure: str | None = Field(None, description="The last failure's message, for an operator.")

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
            for reason, n in u.failures.items():
                out.failures[reason] = out.failures.get(reason, 0) + n
            out.last_failure = u.last_failure or out.last_failure
        return out


class SourceGrouping(BaseModel):
    """Why a document belongs to another's source group: each one's claims are mostly found in the other."""

    document_id: str = Field(description="The earlier document this one copies or translates.")
    coverage: float = Field(ge=0, le=1, description="Share of this document's claims with a counterpart there.")
    other_coverage: float = Field(ge=0, le=1, description="Share of that document's claims with a counterpart here.")
    excerpt: bool = Field(False, description="This document copies part of that one word for word (a truncated copy).")


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
    grouping: SourceGrouping | None = Field(
        None, description="Why it shares a source group with an earlier document (a translation or copy); "
                          "documents of one source group never corroborate each other.")
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

    text: str = Field(json_schema_extra=_visible_text(
        "Article text, UTF-8, at most FACTCHECK_MAX_TEXT_BYTES bytes (413 beyond; `maxLength` states that number "
        "in characters, an upper bound)."))
    title: str | None = Field(None, max_length=500, description=(
        "Defaults to the text's headline: its first non-empty line when that reads like one (see docs/editorial.md)."))
    source: str | None = Field(None, max_length=500, description="Where the text comes from: a path, an outlet.")
    url: str | None = Field(None, max_length=2000)
    published_at: str | None = Field(None, max_length=64)
    language: str | None = Field(None, max_length=8, description="Language hint; detected per paragraph otherwise.")


class CheckIn(BaseModel):
    """Text to check against the corpus without storing it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(json_schema_extra=_visible_text(
        "Text to check, UTF-8, at most FACTCHECK_MAX_TEXT_BYTES bytes (413 beyond)."))
    title: str | None = Field(None, max_length=500, description="Defaults to the text's headline, as for documents.")
    source: str | None = Field(None, max_length=500)


class DocumentSummary(BaseModel):
    """A document in a listing."""

    id: str
    title: str | None
    source: str | None
    url: str | None = None
    language: str = Field(description="The language most of its paragraphs are in.")
    languages: list[str] = Field(default_factory=list, description="Languages of its paragraphs, most used first.")
    source_group: str
    created_at: datetime
    claim_count: int
    verdicts: dict[str, int] = Field(description="Number of claims per verdict.")


ClaimSort = Literal["stored", "strength", "-strength", "confidence", "-confidence", "sources", "-sources"]
BasisFilter = Literal["rule", "model", "none"]


class DeletedOut(BaseModel):
    """What deleting a document did."""

    deleted: str = Field(description="Id of the deleted document.")
    verdicts_changed: int = Field(ge=0, description="Verdicts of other claims that changed once it was gone.")


class HealthOut(BaseModel):
    """The process answers."""

    status: Literal["ok"]


class ReadyOut(BaseModel):
    """The record store and the vector store answer."""

    status: Literal["ready"]


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
