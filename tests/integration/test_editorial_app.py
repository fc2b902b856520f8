"""The editorial features inside the real app: review queue, verdict history events, scopes, ClaimReview export."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.settings import Settings
from tests.support import open_checker
from tests.support import parse_sse

FIRST = "Meta invested $14.3 billion in Scale AI in June 2025."
SECOND = "In June 2025 Scale AI received an investment of $14 billion from Meta, the company said."


@pytest.fixture(scope="module")
def client(tmp_path_factory, embedder):
    path = tmp_path_factory.mktemp("editorial-app")
    with TestClient(create_app(Settings(data_dir=path, _env_file=None), checker=open_checker(path, embedder))) as c:
        yield c


@pytest.fixture(scope="module")
def corpus(client):
    """FIRST alone, then SECOND arrives and changes FIRST's verdict; returns (first, second, claim id)."""
    first = client.post("/v1/documents", json={"text": FIRST, "title": "first", "url": "https://example.org/1"})
    assert first.status_code == 201, first.text
    before = client.get("/v1/events?since=0&follow=false").text
    second = client.post("/v1/documents", json={"text": SECOND, "title": "second", "url": "https://example.org/2"})
    assert second.status_code == 201, second.text
    claim_id = next(c["id"] for c in first.json()["claims"] if "14.3" in c["quote"])
    return first.json(), second.json(), claim_id, parse_sse(before)


def test_every_machine_verdict_change_is_an_event_with_its_cause(client, corpus):
    first, second, claim_id, before = corpus
    assert [e["data"]["reason"] for e in before if e["data"]["claim_id"] == claim_id] == ["ingest"]
    claim = client.get(f"/v1/claims/{claim_id}").json()
    assert claim["verdict"] == "corroborated"
    assert [(h["verdict"], h["cause_document_id"]) for h in claim["history"]][-1] == ("corroborated", second["id"])
    events = [e for e in parse_sse(client.get("/v1/events?since=0&follow=false").text)
              if e["event"] == "verdict_changed" and e["data"]["claim_id"] == claim_id]
    assert [(e["data"]["verdict"], e["data"]["cause_document_id"]) for e in events] == [
        (h["verdict"], h["cause_document_id"]) for h in claim["history"]]
    assert all(e["data"]["document_id"] == first["id"] for e in events)


def test_review_queue_and_reviews_beside_the_machine_verdict(client, corpus):
    first, _, claim_id, _ = corpus
    queue = client.get("/v1/claims?reviewed=false&verdict=corroborated").json()["items"]
    assert claim_id in [c["id"] for c in queue]
    r = client.post(f"/v1/claims/{claim_id}/reviews",
                    json={"verdict": "disputed", "reviewer": "Ana", "note": "14.3 vs 14: check the filing."})
    assert r.status_code == 201
    assert claim_id not in [c["id"] for c in client.get("/v1/claims?reviewed=false").json()["items"]]
    reviewed = client.get("/v1/claims?reviewed=true").json()["items"]
    assert [c["id"] for c in reviewed] == [claim_id] and reviewed[0]["review"]["verdict"] == "disputed"
    claim = client.get(f"/v1/claims/{claim_id}").json()
    assert claim["verdict"] == "corroborated" and claim["review"]["verdict"] == "disputed"
    assert [x["reviewer"] for x in claim["reviews"]] == ["Ana"]
    doc = client.get(f"/v1/documents/{first['id']}").json()
    assert next(c for c in doc["claims"] if c["id"] == claim_id)["review"]["machine_verdict"] == "corroborated"
    cr = client.get(f"/v1/claims/{claim_id}/claimreview").json()
    assert cr["reviewRating"]["alternateName"] == "Disputed"
    assert cr["itemReviewed"]["appearance"][0]["url"] == "https://example.org/1"
    assert "https://example.org/2" in [c.get("url") for c in cr["citation"]]
    assert client.post("/v1/claims/nope/reviews", json={"verdict": "disputed", "reviewer": "Ana"}).status_code == 404


def test_deleting_the_cause_is_recorded_and_streamed(client, corpus):
    first, second, claim_id, _ = corpus
    client.post(f"/v1/claims/{claim_id}/reviews", json={"verdict": "contradicted", "reviewer": "Bo"})
    cursor = parse_sse(client.get("/v1/events?since=0&follow=false").text)[-1]["id"]
    assert client.delete(f"/v1/documents/{second['id']}").status_code == 200
    events = parse_sse(client.get(f"/v1/events?since={cursor}&follow=false").text)
    mine = [e["data"] for e in events if e["data"]["claim_id"] == claim_id]
    assert [(e["verdict"], e["reason"], e["cause_document_id"]) for e in mine] == [
        ("unverified", "document_deleted", second["id"])]
    history = client.get(f"/v1/claims/{claim_id}").json()["history"]
    assert (history[-1]["verdict"], history[-1]["reason"]) == ("unverified", "document_deleted")
    # The editor's review survives the machine's change of mind.
    assert client.get(f"/v1/claims/{claim_id}").json()["review"]["reviewer"] == "Bo"


def test_scopes_in_the_real_app(tmp_path, embedder):
    settings = Settings(data_dir=tmp_path, api_keys="wkey:write,rkey:read", _env_file=None)
    with TestClient(create_app(settings, checker=open_checker(tmp_path, embedder))) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/review").status_code == 200
        assert c.get("/v1/documents").status_code == 401
        assert c.get("/v1/documents", headers={"X-API-Key": "rkey"}).status_code == 200
        assert c.post("/v1/check", json={"text": FIRST}, headers={"X-API-Key": "rkey"}).status_code == 200
        denied = c.post("/v1/documents", json={"text": FIRST}, headers={"Authorization": "Bearer rkey"})
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
        assert c.post("/v1/documents", json={"text": FIRST}, headers={"Authorization": "Bearer wkey"}).status_code == 201


def test_a_bad_scope_fails_at_start_up(tmp_path):
    with pytest.raises(ValueError, match="unknown scope"):
        create_app(Settings(data_dir=tmp_path, api_keys="k:admin", _env_file=None))
