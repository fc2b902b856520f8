"""Cost discipline on the seed corpus through the real pipeline and the scripted server: calls, tokens, cache.

The stub answers extraction with the offline analyser's own claims and stance with "neutral", so the numbers
measure the protocol (requests per chunk and per claim, prompt sizes), not a model. Tokens are the stub's
chars/4 estimate. Run with `-s` to print the figures.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import insert, select

from tests.support.openai_stub import StubServer, offline_echo
from service.llm.backend import chunk_spans
from service.llm.usage import track_usage
from service.bootstrap import open_factchecker
from service.checker import FactChecker
from service.db import Database
from service.db.schema import llm_replies
from service.settings import Settings
from tests.support import SEEDS, doc


def open_llm_checker(path: Path, stub: StubServer, embedder) -> FactChecker:
    settings = Settings(data_dir=path, _env_file=None, llm_base_url=stub.url, llm_model="stub-model", llm_backoff_s=0.01)
    return open_factchecker(settings, embedder=embedder)


def requests_by_prompt(stub: StubServer, since: int) -> dict[str, int]:
    out = {"extraction": 0, "stance": 0}
    for body in stub.requests[since:]:
        out["extraction" if body["tools"][0]["function"]["name"] == "ExtractionOut" else "stance"] += 1
    return out


def run(path: Path, stub: StubServer, embedder) -> list[dict]:
    checker = open_llm_checker(path, stub, embedder)
    figures = []
    for seed in SEEDS:
        before = len(stub.requests)
        with track_usage() as everything:  # includes re-verifying older claims the new document touches
            (report, created), = checker.ingest_many([doc(seed)])
        assert created
        per_prompt = requests_by_prompt(stub, before)
        figures.append({
            "doc": seed.stem, "chars": len(report.text), "chunks": len(chunk_spans(report.text, 6000)),
            "claims": len(report.claims), "requests": per_prompt,
            "own_report_usage": report.llm.model_dump() if report.llm else None,
            "total_usage": everything.usage.model_dump(),
        })
    return figures


def test_seed_corpus_costs_and_cache(stub: StubServer, tmp_path: Path, embedder) -> None:
    stub.responder = offline_echo
    first = run(tmp_path / "run1", stub, embedder)
    print("\nfirst run:", json.dumps(first, indent=1))
    for f in first:
        assert f["requests"]["extraction"] == f["chunks"]  # one extraction call per chunk
        assert f["own_report_usage"]["prompts"] == ["claim_extraction@1", "stance@1"]
        assert f["own_report_usage"]["model"] == "stub-model"
    new_doc = first[0]
    assert new_doc["requests"]["stance"] <= new_doc["claims"]  # at most one stance call per claim
    # An unchanged corpus, rebuilt from scratch with the same reply cache, makes no calls at all.
    (tmp_path / "run2").mkdir()
    replies = Database.sqlite(tmp_path / "run1" / "factcheck.sqlite3").session.all(select(llm_replies))
    with Database.sqlite(tmp_path / "run2" / "factcheck.sqlite3").transaction() as tx:
        tx.execute(insert(llm_replies), [dict(r._mapping) for r in replies])
    before = len(stub.requests)
    second = run(tmp_path / "run2", stub, embedder)
    print("second run:", json.dumps([{s["doc"]: s["total_usage"]} for s in second], indent=1))
    assert len(stub.requests) == before
    assert all(s["total_usage"]["http_requests"] == 0 and s["total_usage"]["cache_hits"] > 0 for s in second)
