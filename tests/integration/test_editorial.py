"""Reviews, the event log and its SSE stream, ClaimReview export and the review page, over a fake corpus."""

from __future__ import annotations

import sqlite3
import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.editorial_corpus import make_app
from tests.support.served import Served
from tests.support import parse_sse


@pytest.fixture
def client(tmp_path):
    with TestClient(make_app(tmp_path)) as c:
        yield c


def review(client, claim_id="doc-a-c2", **kw):
    body = {"verdict": "contradicted", "reviewer": "Ana", "note": "Meta's denial is on record."} | kw
    return client.post(f"/v1/claims/{claim_id}/reviews", json=body)


def test_review_is_recorded_beside_the_machine_verdict(client):
    r = review(client)
    assert r.status_code == 201
    body = r.json()
    assert body["verdict"] == "contradicted" and body["machine_verdict"] == "disputed"
    assert body["agrees"] is False and body["reviewer"] == "Ana" and body["document_id"] == "doc-a"
    confirm = review(client, verdict="disputed", reviewer="Bo", note="")
    assert confirm.json()["agrees"] is True
    trail = client.get("/v1/claims/doc-a-c2/reviews").json()
    assert [t["reviewer"] for t in trail] == ["Ana", "Bo"]
    assert trail[0]["created_at"] <= trail[1]["created_at"] and trail[0]["id"] < trail[1]["id"]


def test_reviews_are_append_only(client, tmp_path):
    review(client)
    conn = sqlite3.connect(tmp_path / "factcheck.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE reviews SET verdict = 'corroborated'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM reviews")


@pytest.mark.parametrize("body,status", [
    ({"verdict": "maybe", "reviewer": "Ana"}, 422),
    ({"verdict": "disputed", "reviewer": ""}, 422),
    ({"verdict": "disputed", "reviewer": "   "}, 422),
    ({"verdict": "disputed"}, 422),
    ({"verdict": "disputed", "reviewer": "Ana", "extra": 1}, 422),
    ({"verdict": "disputed", "reviewer": "Ana", "note": "x" * 5001}, 422),
])
def test_bad_reviews_are_rejected(client, body, status):
    assert client.post("/v1/claims/doc-a-c2/reviews", json=body).status_code == status


def test_unknown_claim_is_404_json(client):
    r = review(client, claim_id="nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/v1/claims/nope/reviews").status_code == 404
    assert client.get("/v1/claims/doc-b-c1/reviews").json() == []


def test_event_backlog_resumes_after_cursor(client):
    ids = [review(client, reviewer=f"r{i}").json()["id"] for i in range(3)]
    events = parse_sse(client.get("/v1/events?since=0&follow=false").text)
    assert [e["event"] for e in events] == ["review_added"] * 3
    assert [e["data"]["review_id"] for e in events] == ids
    cursor = events[0]["id"]
    rest = parse_sse(client.get(f"/v1/events?since={cursor}&follow=false").text)
    assert [e["id"] for e in rest] == [e["id"] for e in events[1:]]
    # Last-Event-ID (what EventSource sends on reconnect) works the same way.
    same = parse_sse(client.get("/v1/events?follow=false", headers={"Last-Event-ID": cursor}).text)
    assert [e["id"] for e in same] == [e["id"] for e in events[1:]]


def test_event_stream_without_cursor_starts_now_and_reports_a_reset(client):
    review(client)
    assert parse_sse(client.get("/v1/events?follow=false").text) == []
    reset = client.get("/v1/events?since=999&follow=false").text
    assert "event: reset" in reset


def test_event_types_filter(client):
    review(client)
    assert parse_sse(client.get("/v1/events?since=0&follow=false&types=verdict_changed").text) == []
    assert client.get("/v1/events?types=bogus&follow=false").status_code == 422


def test_claimreview_jsonld(client):
    plain = client.get("/v1/claims/doc-a-c0/claimreview")
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("application/ld+json")
    cr = plain.json()
    assert cr["@context"] == "https://schema.org" and cr["@type"] == "ClaimReview"
    assert cr["claimReviewed"] == "Meta invested $14.3 billion in Scale AI."
    assert cr["reviewRating"]["alternateName"] == "Corroborated" and cr["reviewRating"]["ratingValue"] == 5
    assert cr["itemReviewed"]["appearance"][0]["url"] == "https://example.org/a"
    assert cr["citation"][0]["text"] == "Scale AI received 14 billion dollars from Meta."
    assert cr["url"].endswith("/review#/documents/doc-a/claims/doc-a-c0")
    assert cr["author"] == {"@type": "Organization", "name": "factcheck"}

    review(client)  # the editor's verdict becomes the published rating
    cr = client.get("/v1/claims/doc-a-c2/claimreview").json()
    assert cr["reviewRating"]["alternateName"] == "Contradicted" and cr["reviewRating"]["ratingValue"] == 1
    assert "Machine verdict: disputed" in cr["reviewRating"]["ratingExplanation"]
    assert cr["author"]["name"] == "Ana" and cr["itemReviewed"]["author"] == {"name": "Altman"}


def test_claimreview_cannot_break_out_of_a_script_element(client):
    raw = client.get("/v1/claims/doc-a-c1/claimreview?x=1")
    assert "<" not in raw.text and ">" not in raw.text and "&" not in raw.text
    assert raw.json()["itemReviewed"]["appearance"][0]["headline"] == "<script>alert(1)</script> Scale AI deal"


def test_document_claimreview_graph(client):
    g = client.get("/v1/documents/doc-a/claimreview").json()
    assert [c["claimReviewed"] for c in g["@graph"]] == ["Meta invested $14.3 billion in Scale AI.",
                                                          "Meta offered $100 million."]
    assert "ratingValue" not in client.get("/v1/claims/doc-b-c1/claimreview").json()["reviewRating"]
    assert len(client.get("/v1/documents/doc-a/claimreview?checkworthy_only=false").json()["@graph"]) == 3
    assert client.get("/v1/documents/nope/claimreview").status_code == 404


def test_review_page_is_served_with_a_strict_csp(client):
    page = client.get("/review")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script defer src="/review/static/review.js">' in page.text
    js = client.get("/review/static/review.js")
    assert js.status_code == 200 and ".innerHTML" not in js.text and "insertAdjacentHTML" not in js.text  # all text goes through textContent
    assert client.get("/review/static/review.css").status_code == 200


class _EventReader:
    """Reads SSE events off a streaming response, a few at a time."""

    def __init__(self, response):
        self.chunks = response.iter_text()
        self.buffer = ""

    def take(self, n: int) -> list[dict]:
        events: list[dict] = []
        while len(events) < n:
            while "\n\n" not in self.buffer:
                self.buffer += next(self.chunks)  # StopIteration here means the server closed the stream
            block, self.buffer = self.buffer.split("\n\n", 1)
            events += parse_sse(block + "\n\n")
        return events


def test_live_stream_and_resume_after_disconnect(tmp_path):
    with Served(make_app(tmp_path)) as base, httpx.Client(base_url=base, timeout=20) as http:
        with http.stream("GET", "/v1/events") as live:
            assert live.headers["content-type"].startswith("text/event-stream")
            first = review(http, reviewer="live-1").json()
            [seen] = _EventReader(live).take(1)
        assert seen["data"]["review_id"] == first["id"]
        # Disconnected: two reviews happen while nobody listens.
        missed = [review(http, reviewer=f"missed-{i}").json()["id"] for i in range(2)]
        with http.stream("GET", f"/v1/events?since={seen['id']}") as resumed:
            reader = _EventReader(resumed)
            got = reader.take(2)
            later = review(http, reviewer="after").json()
            [tail] = reader.take(1)
        assert [e["data"]["review_id"] for e in got] == missed
        assert tail["data"]["review_id"] == later["id"]
        assert int(seen["id"]) < int(got[0]["id"]) < int(got[1]["id"]) < int(tail["id"])


def test_streams_end_when_the_server_shuts_down(tmp_path):
    from service.http import sse as events_module

    with Served(make_app(tmp_path)) as base, httpx.Client(base_url=base, timeout=20) as http:
        with http.stream("GET", "/v1/events") as live:
            try:
                events_module.stop_streams()
                body = "".join(live.iter_text())  # returns only because the server ended the stream
            finally:
                events_module._STOPPING.clear()
    assert body.startswith("retry: 2000")


def test_live_stream_with_a_type_filter_skips_other_events(tmp_path):
    app = make_app(tmp_path)
    with Served(app) as base, httpx.Client(base_url=base, timeout=20) as http:
        with http.stream("GET", "/v1/events?types=review_added") as live:
            log = app.state.editorial.events
            for i in range(3):  # events the filter leaves out must not stall or repeat the stream
                log.append("verdict_changed", {"claim_id": f"x{i}", "verdict": "unverified"})
            posted = review(http, reviewer="filtered").json()
            [got] = _EventReader(live).take(1)
    assert got["event"] == "review_added" and got["data"]["review_id"] == posted["id"]
