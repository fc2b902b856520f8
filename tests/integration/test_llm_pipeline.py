"""The LLM backend wired into the real pipeline and API, against the scripted server: reports, metrics, outages."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.support.openai_stub import StubServer, error, offline_echo
from service.http.app import create_app
from service.models import DocumentIn
from service.bootstrap import open_factchecker
from service.settings import Settings
from tests.support import SEEDS, sql

TEXT = SEEDS[1].read_text(encoding="utf-8")


def settings(path: Path, stub: StubServer, **kw) -> Settings:
    return Settings(data_dir=path, _env_file=None, llm_base_url=stub.url, llm_model="stub-model", llm_backoff_s=0.01,
                    llm_attempts=2, **kw)


def test_no_endpoint_means_offline(tmp_path: Path, embedder) -> None:
    checker = open_factchecker(Settings(data_dir=tmp_path, _env_file=None), embedder=embedder)
    assert checker.backend_name == "offline" and checker.llm_metrics is None


def test_api_reports_and_metrics_carry_llm_usage(stub: StubServer, tmp_path: Path, embedder) -> None:
    stub.responder = offline_echo
    s = settings(tmp_path, stub)
    app = create_app(s, checker=open_factchecker(s, embedder=embedder))
    with TestClient(app) as client:
        r = client.post("/v1/documents", json={"text": TEXT, "title": "seed"})
        assert r.status_code == 201
        body = r.json()
        # Alone in an empty corpus its claims have no candidates: one extraction call and no stance call.
        assert body["llm"]["model"] == "stub-model" and body["llm"]["prompts"] == ["claim_extraction@1"]
        assert body["llm"]["calls"] == len(stub.requests) and body["llm"]["prompt_tokens"] > 0
        assert all(body["text"][c["start"] : c["end"]] == c["quote"] for c in body["claims"]) and body["claims"]
        metrics = client.get("/metrics").text
        assert 'llm_calls_total{model="stub-model",prompt="claim_extraction@1"} 1.0' in metrics
        assert "llm_tokens_total" in metrics and "factcheck_http_requests_total" in metrics
        check = client.post("/v1/check", json={"text": "Meta a embauché au moins 10 employés d'OpenAI."}).json()
        assert check["llm"]["prompts"][0] == "claim_extraction@1"


def test_outage_stores_the_document_and_rechecks_later(stub: StubServer, tmp_path: Path, embedder) -> None:
    checker = open_factchecker(settings(tmp_path, stub), embedder=embedder)
    stub.responder = offline_echo
    checker.ingest_many([DocumentIn(text=SEEDS[0].read_text(encoding="utf-8"))])
    stub.responder = lambda body: error(503)  # the endpoint goes down
    (report, created), = checker.ingest_many([DocumentIn(text=TEXT)])
    assert created and report.claims  # stored anyway, with the offline analyser's claims and stances
    assert report.llm.fallbacks >= 2 and report.llm.http_requests >= 4
    evidence = [e for c in report.claims for e in c.evidence if e.document_id != report.id]
    assert evidence and all(e.backend == "offline-fallback" for e in evidence)

    def waiting() -> int:
        return sql(checker, "SELECT COUNT(*) FROM claims WHERE backend = 'offline-fallback'")[0][0]

    before = waiting()
    assert before > 0
    sent = len(stub.requests)
    assert checker.recheck_fallbacks() == 0  # still down: one small batch is tried, the rest waits for the next round
    assert len(stub.requests) - sent <= 5 * 2
    stub.responder = offline_echo  # the endpoint is back
    assert checker.recheck_fallbacks(limit=1000) == before
    assert waiting() == 0
