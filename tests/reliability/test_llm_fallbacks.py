"""LLM fallbacks are visible: each claim and evidence item says what produced it, the document says why the LLM
failed and what it used, that is stored (GET shows it), /metrics counts it, and a re-check after recovery
replaces the fallback's stances."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from service.bootstrap import open_factchecker
from service.http.app import create_app
from service.models import DocumentIn
from service.settings import Settings
from tests.support import SEEDS
from tests.support.openai_stub import StubServer, error, offline_echo, ok

TEXT = SEEDS[1].read_text(encoding="utf-8")


def settings(path: Path, stub: StubServer) -> Settings:
    return Settings(data_dir=path, _env_file=None, llm_base_url=stub.url, llm_model="stub-model", llm_backoff_s=0.01,
                    llm_max_wait_s=0.05, llm_attempts=2, rate_limit_per_minute=0)


def test_rate_limited_llm_is_named_in_the_report_stored_and_counted(stub: StubServer, tmp_path: Path,
                                                                   embedder) -> None:
    s = settings(tmp_path, stub)
    checker = open_factchecker(s, embedder=embedder)
    stub.responder = offline_echo
    checker.ingest_many([DocumentIn(text=SEEDS[0].read_text(encoding="utf-8"))])
    stub.responder = lambda body: error(429, retry_after="0")  # rate-limited through every retry
    with TestClient(create_app(s, checker=checker)) as client:
        posted = client.post("/v1/documents", json={"text": TEXT})
        assert posted.status_code == 201
        body = posted.json()
        assert body["claims"] and {c["backend"] for c in body["claims"]} == {"offline-fallback"}
        others = [e for c in body["claims"] for e in c["evidence"] if e["document_id"] != body["id"]]
        assert others and {e["backend"] for e in others} == {"offline-fallback"}
        llm = body["llm"]
        assert llm["fallbacks"] >= 2 and set(llm["failures"]) == {"rate_limited"}
        assert llm["failures"]["rate_limited"] == llm["fallbacks"]
        assert "429" in llm["last_failure"] and llm["http_requests"] >= 2 * llm["fallbacks"]

        stored = client.get(f"/v1/documents/{body['id']}").json()  # read back from the record store
        assert stored["llm"] == llm
        assert [c["backend"] for c in stored["claims"]] == [c["backend"] for c in body["claims"]]

        metrics = client.get("/metrics").text
        assert 'llm_fallbacks_total{job="extraction",reason="rate_limited"}' in metrics
        assert 'llm_fallbacks_total{job="stance",reason="rate_limited"}' in metrics

        stub.responder = offline_echo  # the endpoint recovers: the re-check replaces the fallback's stances
        assert checker.recheck_fallbacks(limit=1000) > 0
        again = client.get(f"/v1/documents/{body['id']}").json()
        judged = {e["backend"] for c in again["claims"] for e in c["evidence"] if e["document_id"] != body["id"]}
        assert "offline-fallback" not in judged


def test_junk_and_server_errors_are_told_apart(stub: StubServer, tmp_path: Path, embedder) -> None:
    checker = open_factchecker(settings(tmp_path, stub), embedder=embedder)
    stub.responder = lambda body: ok("this is not JSON at all")  # junk, then junk again after the re-ask
    (report, _), = checker.ingest_many([DocumentIn(text=TEXT)])
    assert report.llm.failures == {"invalid_output": report.llm.fallbacks} and report.llm.reasks >= 1
    assert {c.backend for c in report.claims} == {"offline-fallback"}

    stub.responder = lambda body: error(500)
    (report, _), = checker.ingest_many([DocumentIn(text=SEEDS[0].read_text(encoding="utf-8"))])
    assert set(report.llm.failures) == {"server_error"}

    stub.responder = offline_echo
    (report, _), = checker.ingest_many([DocumentIn(text=TEXT + "\n\nMeta a confirmé l'accord.")])
    assert report.llm.failures == {} and report.llm.fallbacks == 0
    assert {c.backend for c in report.claims} == {"llm"}


def test_offline_service_reports_offline_backends_and_no_usage(tmp_path: Path, embedder) -> None:
    checker = open_factchecker(Settings(data_dir=tmp_path, _env_file=None), embedder=embedder)
    (report, _), = checker.ingest_many([DocumentIn(text=TEXT)])
    assert report.llm is None and {c.backend for c in report.claims} == {"offline"}
    assert checker.document_report(report.id).llm is None
