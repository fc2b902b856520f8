"""The OpenAPI contract's building blocks: the 'shows something' rule, error declarations, 405 with Allow."""

from __future__ import annotations

import unicodedata

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from service.http.app import create_app
from service.models import INVISIBLE_RANGES, VISIBLE_PATTERN, has_visible_character
from service.settings import Settings


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def test_the_invisible_table_is_this_pythons_unicode():
    derived: list[list[int]] = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF or not _invisible(chr(cp)):
            continue
        if derived and derived[-1][1] == cp - 1:
            derived[-1][1] = cp
        else:
            derived.append([cp, cp])
    assert [tuple(r) for r in derived] == list(INVISIBLE_RANGES), (
        f"Unicode {unicodedata.unidata_version} moved whitespace/Cc/Cf characters: update models.INVISIBLE_RANGES")


def test_the_service_and_the_schema_validator_read_the_pattern_alike():
    validator = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": VISIBLE_PATTERN})
    edges = {cp + d for a, b in INVISIBLE_RANGES for cp in (a, b) for d in (-1, 0, 1)}
    sample = sorted(cp for cp in edges | set(range(0, 0x3000, 7)) | {0x1F680, 0x1F31F, 0x10FFFF}
                    if 0 <= cp < 0x110000 and not 0xD800 <= cp <= 0xDFFF)
    for cp in sample:
        ch = chr(cp)
        assert has_visible_character(ch) == (not _invisible(ch)) == validator.is_valid(ch), hex(cp)
    assert not validator.is_valid(" \t\u200b\ufeff\x00") and validator.is_valid(" \u200b ệ ")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("contract"), _env_file=None, max_text_bytes=12_345)
    with TestClient(create_app(settings)) as client:
        yield client


def test_errors_are_declared_as_the_one_json_shape(app):
    schema = app.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response["content"] == {"application/json": {"schema": {
                        "$ref": "#/components/schemas/ErrorOut"}}}, (method, path, status)
                if status in ("429", "503"):
                    assert response["headers"]["Retry-After"]["required"] is True
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
    assert schema["components"]["schemas"]["DocumentIn"]["properties"]["text"]["maxLength"] == 12_345
    reviews = schema["paths"]["/v1/claims/{claim_id}/reviews"]
    assert {"404", "415", "422"} <= set(reviews["post"]["responses"]) and "404" in reviews["get"]["responses"]


@pytest.mark.parametrize("method,path,allow", [
    ("OPTIONS", "/v1/documents", "GET, POST"),
    ("PUT", "/v1/documents/some-id", "GET, DELETE"),
    ("PATCH", "/v1/claims/some-id", "GET"),
    ("PUT", "/v1/claims/some-id/reviews", "GET, POST"),
    ("DELETE", "/v1/events", "GET"),
    ("POST", "/healthz", "GET"),
])
def test_a_method_a_path_does_not_take_is_405_with_every_method_it_does(app, method, path, allow):
    r = app.request(method, path, headers={"content-type": "text/plain"}, content=b"x")
    assert r.status_code == 405 and r.headers["allow"] == allow
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_a_route_that_takes_the_method_still_wants_json(app):
    r = app.post("/v1/documents", headers={"content-type": "text/plain"}, content=b"x")
    assert r.status_code == 415


@pytest.mark.parametrize("query,status", [("cursor=", 422), ("cursor=12a", 422), ("cursor=0", 200),
                                          ("cursor=999999999999999999", 200), ("cursor=9999999999999999999", 422),
                                          ("sort=-strength&basis=model&min_sources=1", 200), ("sort=weakest", 422)])
def test_listing_parameters_follow_their_schema(app, query, status):
    assert app.get(f"/v1/claims?{query}").status_code == status


@pytest.mark.parametrize("types,status", [("review_added", 200), ("verdict_changed,review_added", 200),
                                          ("", 422), ("review_added,", 422), ("bogus", 422),
                                          ("review_added, verdict_changed", 422)])
def test_event_types_follow_their_schema(app, types, status):
    assert app.get(f"/v1/events?follow=false&types={types}").status_code == status


def test_a_last_event_id_that_is_not_a_cursor_starts_from_now(app):
    r = app.get("/v1/events?follow=false", headers={"Last-Event-ID": "²".encode("latin-1")})
    assert r.status_code == 200
