"""LLM implementations of the analysis protocols, guarded by the offline analyser.

The offline analyser always runs too: it supplies the deterministic parts (figures, entities, negation, denials)
of every LLM claim, its decisive stance checks overrule the LLM, and it takes over whenever the LLM fails.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.analysis import Candidate, ClaimExtractor, StanceJudge, StanceResult
from service.llm.client import LLM
from service.llm.errors import LLMError, failure_reason
from service.llm.usage import LLMMetrics
from service.models import Attribution, Claim, ClaimDraft, Quantity, Stance
from service.llm.prompts import Prompt, load_prompt

log = logging.getLogger(__name__)

LLM_BACKEND = "llm"
FALLBACK_BACKEND = "offline-fallback"


class ExtractedClaim(BaseModel):
    """One claim as the extraction prompt returns it."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="Self-contained, decontextualised statement of one fact.")
    quote: str = Field(min_length=1, description="Exact span of the article that states it.")
    language: str = Field(description="ISO 639-1 code of the quote.")
    checkworthy: bool = Field(description="False for opinions, predictions and generic statements.")
    speaker: str | None = Field(None, description="Who the claim is attributed to, if anyone.")
    attribution: Literal["asserts", "denies"] | None = Field(None, description="Whether the speaker asserts or denies it.")


class ExtractionOut(BaseModel):
    """Reply of the extraction prompt."""

    model_config = ConfigDict(extra="forbid")

    claims: list[ExtractedClaim] = Field(description="Claims found in the article chunk.")


class StanceJudgement(BaseModel):
    """What one evidence item does to the claim, as the stance prompt returns it."""

    model_config = ConfigDict(extra="forbid")

    evidence_id: int = Field(description="The evidence item's id.")
    stance: Stance = Field(description="supports, refutes or neutral.")
    score: float = Field(ge=0, le=1, description="Confidence in that stance.")
    rationale: str = Field(min_length=1, max_length=1000, description="One sentence an editor can check.")


class StanceOut(BaseModel):
    """Reply of the stance prompt."""

    model_config = ConfigDict(extra="forbid")

    judgements: list[StanceJudgement] = Field(description="One judgement per evidence item.")


@dataclass(frozen=True)
class Chunk:
    """A span of the document sent in one extraction call."""

    start: int
    end: int


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n")


def chunk_spans(text: str, max_chars: int) -> list[Chunk]:
    """Split text into chunks of whole paragraphs (whole sentences for long paragraphs), each at most max_chars."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if text[pos:end].strip():
            pieces.extend(_split_long(text, pos, end, max_chars))
        pos = brk.end() if brk else len(text)
    chunks: list[Chunk] = []
    for start, end in pieces:
        if chunks and end - chunks[-1].start <= max_chars:
            chunks[-1] = Chunk(chunks[-1].start, end)
        else:
            chunks.append(Chunk(start, end))
    return chunks


def _split_long(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    if end - start <= max_chars:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    cur = start
    cuts = [m.end() + start for m in _SENTENCE_END.finditer(text[start:end])] + [end]
    last = cur
    for cut in cuts:
        if cut - cur > max_chars and last > cur:
            out.append((cur, last))
            cur = last
        while cut - cur > max_chars:  # a single sentence longer than a chunk: cut it hard
            out.append((cur, cur + max_chars))
            cur += max_chars
        last = cut
    if cur < end:
        out.append((cur, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


class LLMClaimExtractor:
    """ClaimExtractor asking the LLM once per chunk; quotes must be exact substrings; the offline analyser fills in
    figures, entities and denials and takes over a chunk the LLM fails on."""

    name = LLM_BACKEND

    def __init__(
        self,
        llm: LLM,
        fallback: ClaimExtractor,
        *,
        chunk_chars: int = 6000,
        prompt: Prompt | None = None,
        metrics: LLMMetrics | None = None,
    ) -> None:
        self.llm = llm
        self.fallback = fallback
        self.chunk_chars = chunk_chars
        self.prompt = prompt or load_prompt("claim_extraction", 1)
        self.metrics = metrics or LLMMetrics()

    def extract(self, text: str, language_hint: str | None = None) -> list[ClaimDraft]:
        """Claims of `text`, one LLM call per chunk, each quote located at its exact offsets."""
        offline = self.fallback.extract(text, language_hint)
        drafts: list[ClaimDraft] = []
        for chunk in chunk_spans(text, self.chunk_chars):
            try:
                reply = self.llm.complete(
                    self.prompt,
                    {"language_hint": language_hint or "none (detect it)", "article": text[chunk.start : chunk.end]},
                    ExtractionOut,
                ).value
            except LLMError as exc:
                drafts += self._fallback(chunk, offline, str(exc), failure_reason(exc))
                continue
            located = self._located(text, chunk, reply.claims, offline, language_hint, taken={(d.start, d.end) for d in drafts})
            if reply.claims and not located:  # every quote was invented: the model is not reading this chunk
                drafts += self._fallback(chunk, offline, f"none of its {len(reply.claims)} quotes is in the text",
                                         "invalid_output")
                continue
            drafts += located
        drafts.sort(key=lambda d: (d.start, d.end))
        return self._link_denials(drafts, offline)

    def _fallback(self, chunk: Chunk, offline: list[ClaimDraft], why: str, reason: str) -> list[ClaimDraft]:
        log.warning("claim extraction fell back to the offline analyser for chars %d-%d (%s): %s", chunk.start,
                    chunk.end, reason, why)
        self.metrics.fallback("extraction", reason, f"chars {chunk.start}-{chunk.end}: {why}")
        return [
            d.model_copy(update={"backend": FALLBACK_BACKEND, "denies_claim_index": None})
            for d in offline
            if chunk.start <= d.start < chunk.end
        ]

    def _located(
        self,
        text: str,
        chunk: Chunk,
        claims: list[ExtractedClaim],
        offline: list[ClaimDraft],
        language_hint: str | None,
        taken: set[tuple[int, int]],
    ) -> list[ClaimDraft]:
        out: list[ClaimDraft] = []
        body = text[chunk.start : chunk.end]
        for item in claims:
            start = self._find(body, item.quote, chunk.start, taken)
            if start is None:
                log.warning("dropped LLM claim %r: its quote %r is not an exact substring of the article", item.text[:80], item.quote[:80])
                continue
            item = item.model_copy(update={"quote": text[start : start + len(unicodedata.normalize("NFC", item.quote))]})
            end = start + len(item.quote)
            taken.add((start, end))
            out.append(self._draft(item, start, end, offline, language_hint))
        return out

    @staticmethod
    def _find(body: str, quote: str, offset: int, taken: set[tuple[int, int]]) -> int | None:
        # Documents are NFC; a model may echo a quote decomposed. NFC of an exact substring is still exact.
        quote = unicodedata.normalize("NFC", quote)
        at = body.find(quote)
        while at != -1:
            if (offset + at, offset + at + len(quote)) not in taken:
                return offset + at
            at = body.find(quote, at + 1)
        return None

    def _draft(
        self, item: ExtractedClaim, start: int, end: int, offline: list[ClaimDraft], language_hint: str | None
    ) -> ClaimDraft:
        span = (start, end)
        best = max(offline, key=lambda d: _overlap(span, (d.start, d.end)), default=None)
        if best is not None and _overlap(span, (best.start, best.end)) == 0:
            best = None
        # Figures come from the offline analyser's deterministic parser, never from the LLM.
        quantities: dict[tuple[int, int], Quantity] = {}
        entities: list[str] = []
        for d in offline:
            if _overlap(span, (d.start, d.end)):
                for q in d.quantities:
                    if start <= q.start and q.end <= end:
                        quantities.setdefault((q.start, q.end), q)
                entities += [e for e in d.entities if e not in entities]
        attribution = Attribution(speaker=item.speaker, stance=item.attribution or "asserts") if item.speaker else None
        if best is not None and best.attribution is not None and best.attribution.stance == "denies":
            attribution = best.attribution  # the denial rules win: an LLM that misses a denial must not flip it
        language = item.language.lower() if re.fullmatch(r"[A-Za-z]{2,3}", item.language) else None
        return ClaimDraft(
            text=item.text.strip(),
            quote=item.quote,
            start=start,
            end=end,
            language=language or (best.language if best else None) or language_hint or "und",
            checkworthy=item.checkworthy,
            attribution=attribution,
            quantities=sorted(quantities.values(), key=lambda q: q.start),
            entities=entities,
            negated=best.negated if best else False,
            backend=LLM_BACKEND,
        )

    @staticmethod
    def _link_denials(drafts: list[ClaimDraft], offline: list[ClaimDraft]) -> list[ClaimDraft]:
        """Map the offline analyser's 'claim j denies claim i' links onto the final claim list."""

        def closest(span: tuple[int, int]) -> int | None:
            scores = [_overlap(span, (d.start, d.end)) for d in drafts]
            return max(range(len(drafts)), key=scores.__getitem__) if drafts and max(scores) > 0 else None

        linked = list(drafts)
        for d in offline:
            if d.denies_claim_index is None or not 0 <= d.denies_claim_index < len(offline):
                continue
            target = offline[d.denies_claim_index]
            i, j = closest((d.start, d.end)), closest((target.start, target.end))
            if i is not None and j is not None and i != j:
                linked[i] = linked[i].model_copy(update={"denies_claim_index": j})
        return linked


class LLMStanceJudge:
    """StanceJudge asking the LLM once per claim about all the candidates the deterministic checks left open."""

    name = LLM_BACKEND

    def __init__(
        self, llm: LLM, fallback: StanceJudge, *, prompt: Prompt | None = None, metrics: LLMMetrics | None = None
    ) -> None:
        self.llm = llm
        self.fallback = fallback
        self.prompt = prompt or load_prompt("stance", 1)
        self.metrics = metrics or LLMMetrics()

    def judge_many(self, items: list[tuple[Claim, list[Candidate]]]) -> list[list[StanceResult]]:
        return [self.judge(claim, candidates) for claim, candidates in items]  # one LLM call per claim

    def judge(self, claim: Claim, candidates: list[Candidate]) -> list[StanceResult]:
        """One result per candidate, same order; decisive offline results stand, the rest come from one LLM call."""
        if not candidates:
            return []
        offline = self.fallback.judge(claim, candidates)
        open_ = [i for i, r in enumerate(offline) if not r.decisive]
        if not open_:
            return offline  # figures or denials decided every candidate: no call needed
        evidence = [{"id": n + 1, **_describe(candidates[i].claim, candidates[i].denied_by)} for n, i in enumerate(open_)]
        wanted = set(range(1, len(evidence) + 1))

        def covers_every_item(out: StanceOut) -> None:
            ids = [j.evidence_id for j in out.judgements]
            if sorted(ids) != sorted(wanted):
                raise ValueError(f"need exactly one judgement for each evidence_id in {sorted(wanted)}, got {ids}")

        try:
            reply = self.llm.complete(
                self.prompt,
                {
                    "claim": json.dumps(_describe(claim), ensure_ascii=False),
                    "evidence": json.dumps(evidence, ensure_ascii=False),
                },
                StanceOut,
                check=covers_every_item,
            ).value
        except LLMError as exc:
            reason = failure_reason(exc)
            log.warning("stance of claim %s fell back to the offline analyser (%s): %s", claim.id, reason, exc)
            self.metrics.fallback("stance", reason, f"claim {claim.id}: {exc}")
            return [replace(r, backend=FALLBACK_BACKEND) for r in offline]
        by_id = {j.evidence_id: j for j in reply.judgements}
        results = list(offline)
        for n, i in enumerate(open_):
            j = by_id[n + 1]
            results[i] = StanceResult(stance=j.stance, score=j.score, rationale=j.rationale.strip(), backend=LLM_BACKEND)
        return results


def _describe(claim: Claim, denied_by: str | None = None) -> dict[str, str]:
    """What the stance prompt sees of a claim: its text, who asserts or denies it, and who denies it elsewhere."""
    out = {"text": claim.text}
    if claim.attribution and claim.attribution.speaker:
        out["attributed_to"] = f"{claim.attribution.speaker} ({claim.attribution.stance})"
    if denied_by:
        out["denied_by"] = denied_by
    return out
