"""Fakes at our own interfaces: an LLM (`complete`), a rule-based stand-in for the offline analyser, and a fast
deterministic embedder for tests about storage and recovery, where embedding quality is beside the point."""

from __future__ import annotations

import hashlib
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from service.analysis import Candidate, StanceResult
from service.llm.client import Completion
from service.llm.errors import LLMError, LLMOutputError
from service.models import Attribution, Claim, ClaimDraft, Quantity
from service.llm.prompts import Prompt


@dataclass
class Call:
    prompt: Prompt
    variables: dict[str, str]
    schema: type[BaseModel]

    @property
    def messages(self) -> list[tuple[str, str]]:
        return self.prompt.render(self.variables)


@dataclass
class FakeLLM:
    """LLM that returns enqueued replies (dicts validated against the schema) or raises enqueued LLMErrors."""

    model: str = "fake-model"
    replies: deque[Any] = field(default_factory=deque)
    responder: Callable[[Call], Any] | None = None
    history: list[Call] = field(default_factory=list)

    def enqueue(self, *replies: Any) -> None:
        self.replies.extend(replies)

    def complete(self, prompt, variables, schema, check=None):  # noqa: ANN001 - mirrors service.llm.client.LLM
        call = Call(prompt, dict(variables), schema)
        prompt.render(variables)  # raises PromptVariableError like the real client
        self.history.append(call)
        reply = self.replies.popleft() if self.replies else (self.responder(call) if self.responder else {})
        if isinstance(reply, LLMError):
            raise reply
        try:
            value = schema.model_validate(reply)
            if check:
                check(value)
        except (ValidationError, ValueError) as exc:
            raise LLMOutputError(str(exc)) from exc
        return Completion(value, prompt.id, self.model, http_requests=1, prompt_tokens=10, completion_tokens=5)


_SENTENCE = re.compile(r"\S.*?(?:[.!?](?=\s|$)|(?=\n)|$)")
_MONEY = re.compile(r"\$(\d+(?:\.\d+)?) (billion|million)")
_DENIAL = re.compile(r"\b(denied|denies)\b", re.IGNORECASE)


class FakeOfflineAnalyser:
    """Sentences as claims, '$N billion/million' as figures, 'denied' as a denial; figures that differ refute decisively."""

    name = "offline"

    def __init__(self) -> None:
        self.judged: list[tuple[str, int]] = []

    def extract(self, text: str, language_hint: str | None = None) -> list[ClaimDraft]:
        drafts = []
        for m in _SENTENCE.finditer(text):
            quote = m.group(0).strip()
            if len(quote) < 12:
                continue
            start = text.index(quote, m.start())
            quantities = [
                Quantity(text=q.group(0), value=float(q.group(1)) * (1e9 if q.group(2) == "billion" else 1e6), unit="USD",
                         precision=0.05e9, start=start + q.start(), end=start + q.end())
                for q in _MONEY.finditer(quote)
            ]
            denial = _DENIAL.search(quote)
            drafts.append(ClaimDraft(
                text=quote, quote=quote, start=start, end=start + len(quote), language=language_hint or "en",
                quantities=quantities, entities=re.findall(r"\b[A-Z][a-zA-Z]+\b", quote)[1:],
                attribution=Attribution(speaker="someone", stance="denies", cue=denial.group(0)) if denial else None,
            ))
        return drafts

    def judge_many(self, items: list[tuple[Claim, list[Candidate]]]) -> list[list[StanceResult]]:
        return [self.judge(claim, candidates) for claim, candidates in items]

    def judge(self, claim: Claim, candidates: list[Candidate]) -> list[StanceResult]:
        self.judged.append((claim.id, len(candidates)))
        out = []
        for c in candidates:
            a, b = claim.quantities, c.claim.quantities
            if a and b and a[0].unit == b[0].unit and abs(a[0].value - b[0].value) > max(a[0].precision, b[0].precision):
                out.append(StanceResult("refutes", 0.95, f"figures differ: {a[0].text} vs {b[0].text}", decisive=True))
            else:
                out.append(StanceResult("neutral", 0.3, "no deterministic signal"))
        return out


def make_claim(text: str, doc: str = "d1", index: int = 0, quantities: list[Quantity] | None = None, **extra: Any) -> Claim:
    return Claim(id=f"{doc}:{index}", document_id=doc, index=index, text=text, quote=text, start=0, end=len(text),
                 language="en", quantities=quantities or [], **extra)


def usd(value: float, text: str) -> Quantity:
    return Quantity(text=text, value=value, unit="USD", precision=0.05e9, start=0, end=len(text))


_EMBED_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Bag of words hashed into 384 dimensions (stable across processes), L2-normalised; the same for query and
    passage, so identical texts score 1.0 and texts sharing words score high."""

    name = "test/hashing-384"
    dimension = 384

    def _one(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        for word in _EMBED_WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vec[int.from_bytes(digest, "little") % self.dimension] += 1.0
        vec[0] += 0.1  # never the zero vector
        return vec / np.linalg.norm(vec)

    def query(self, texts: list[str]) -> np.ndarray:
        return np.array([self._one(t) for t in texts], dtype=np.float32).reshape(len(texts), self.dimension)

    def passage(self, texts: list[str]) -> np.ndarray:
        return self.query(texts)
