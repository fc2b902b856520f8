"""The HTTP API on a real app and a real corpus (TestClient runs the lifespan)."""

import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.settings import Settings
from tests.support import FIXTURES, SEEDS, open_checker


@pytest.fixture(scope="module")
def client(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("api")
    checker = open_checker(path, embedder, max_text_bytes=20_000)
    app = create_app(Settings(data_dir=path, max_text_bytes=20_000, _env_file=None), checker=checker)
    with TestClient(app) as c:
        for seed in SEEDS:
            r = c.post("/v1/documents", json={"text": seed.read_text(encoding="utf-8"), "source": seed.name})
            assert r.status_code == 201, r.text
        yield c


def counts(client):
    docs = client.get("/v1/documents").json()["items"]
    claims = sum(d["claim_count"] for d in docs)
    return len(docs), claims


def test_post_is_idempotent_by_content(client):
    text = SEEDS[0].read_text(encoding="utf-8")
    before = counts(client)
    again = client.post("/v1/documents", json={"text": text})
    assert again.status_code == 200
    listed = client.get("/v1/documents").json()["items"]
    assert again.json()["id"] in {d["id"] for d in listed}
    assert counts(client) == before


def test_document_report_follows_the_contract(client):
    docs = client.get("/v1/documents").json()["items"]
    report = client.get(f"/v1/documents/{docs[0]['id']}").json()
    assert {"id", "source", "title", "language", "source_group", "claims", "text"} <= set(report)
    claim = report["claims"][0]
    assert {"id", "text", "quote", "start", "end", "language", "checkworthy", "verdict", "confidence", "evidence"} <= set(claim)
    for c in report["claims"]:
        assert report["text"][c["start"] : c["end"]] == c["quote"]
        assert 0 <= c["confidence"] <= 1


def test_claims_filter_and_paginate(client):
    disputed = client.get("/v1/claims", params={"verdict": "disputed"}).json()["items"]
    assert disputed and all(c["verdict"] == "disputed" for c in disputed)
    first = client.get("/v1/claims", params={"limit": 5}).json()
    second = client.get("/v1/claims", params={"limit": 5, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 5 and first["next_cursor"]
    assert not {c["id"] for c in first["items"]} & {c["id"] for c in second["items"]}
    doc_id = disputed[0]["document_id"]
    mine = client.get("/v1/claims", params={"document_id": doc_id, "limit": 200}).json()["items"]
    assert mine and all(c["document_id"] == doc_id for c in mine)
    found = client.get("/v1/claims", params={"q": "Scale AI"}).json()["items"]
    assert found and all("Scale AI" in c["text"] or "Scale AI" in c["quote"] for c in found)


def test_claim_detail_has_history(client):
    claim = client.get("/v1/claims", params={"verdict": "corroborated"}).json()["items"][0]
    detail = client.get(f"/v1/claims/{claim['id']}").json()
    assert detail["history"] and detail["history"][-1]["verdict"] == "corroborated"


def test_check_stores_nothing(client):
    before = counts(client)
    r = client.post("/v1/check", json={"text": (FIXTURES / "en_scale_ai_4bn.txt").read_text()})
    assert r.status_code == 200
    claim = next(c for d in r.json()["documents"] for c in d["claims"] if "$4 billion" in c["quote"])
    assert claim["verdict"] == "contradicted"
    assert counts(client) == before


def test_new_document_recomputes_existing_claims(client):
    confirm = client.post("/v1/documents", json={"text": (FIXTURES / "en_scale_ai_confirm.txt").read_text()})
    assert confirm.status_code == 201
    new = next(c for c in confirm.json()["claims"] if "14.3 billion" in c["quote"])
    assert new["verdict"] == "corroborated"
    fr = next(c for c in client.get("/v1/claims", params={"q": "14 milliards"}).json()["items"])
    detail = client.get(f"/v1/claims/{fr['id']}").json()
    assert any(e["document_id"] == confirm.json()["id"] for e in detail["evidence"])
    assert client.delete(f"/v1/documents/{confirm.json()['id']}").status_code == 200
    assert client.get(f"/v1/documents/{confirm.json()['id']}").status_code == 404
    detail = client.get(f"/v1/claims/{fr['id']}").json()
    assert all(e["document_id"] != confirm.json()["id"] for e in detail["evidence"])


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"json": {"text": ""}}, 422, "empty_text"),
        ({"json": {"text": " \n\t "}}, 422, "empty_text"),
        ({"json": {"text": "x" * 20_001}}, 413, "text_too_large"),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 400, "invalid_json"),
        ({"content": b"text=hello", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 415,
         "unsupported_media_type"),
        ({"json": {"text": 42}}, 422, "validation_error"),
        ({"json": {"text": "Meta invested.", "unknown": 1}}, 422, "validation_error"),
        ({"json": ["text"]}, 422, "validation_error"),
    ],
)
def test_bad_input_gets_a_json_error_and_changes_nothing(client, kwargs, status, code):
    before = counts(client)
    r = client.post("/v1/documents", **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert counts(client) == before


def test_body_over_the_limit_is_refused_before_reading(client):
    r = client.post("/v1/documents", content=b"x" * 200_000, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"


def test_unknown_ids_are_404(client):
    for path in ("/v1/documents/nope", "/v1/claims/nope"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.delete("/v1/documents/nope").status_code == 404
    assert client.get("/v1/claims", params={"cursor": "abc"}).status_code == 422


def test_health_ready_metrics(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    metrics = client.get("/metrics").text
    assert "factcheck_documents_ingested_total" in metrics and "factcheck_http_requests_total" in metrics
