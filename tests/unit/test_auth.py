"""API keys with read/write scopes, and the localhost-only bind without keys."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from tests.support.editorial_corpus import make_app
from service.http.auth import ApiKeyMiddleware, bind_host, required_scope
from service.settings import ApiKey, parse_api_keys


def test_parse_api_keys():
    assert parse_api_keys("") == []
    assert parse_api_keys(" w1:write , r1:read,bare ,") == [
        ApiKey("w1", "write"), ApiKey("r1", "read"), ApiKey("bare", "write")]
    with pytest.raises(ValueError, match="unknown scope"):
        parse_api_keys("k:admin")
    with pytest.raises(ValueError, match="empty key"):
        parse_api_keys(":read")


@pytest.mark.parametrize("method,path,scope", [
    ("GET", "/v1/claims", "read"),
    ("GET", "/v1/events", "read"),
    ("POST", "/v1/check", "read"),
    ("POST", "/v1/documents", "write"),
    ("DELETE", "/v1/documents/x", "write"),
    ("POST", "/v1/claims/x/reviews", "write"),
    ("GET", "/healthz", None),
    ("GET", "/review", None),
    ("GET", "/review/static/review.js", None),
])
def test_required_scope(method, path, scope):
    assert required_scope(method, path) == scope


@pytest.fixture
def client(tmp_path):
    app = make_app(tmp_path)
    app.add_middleware(ApiKeyMiddleware, keys=parse_api_keys("writer-key:write,reader-key:read"))
    with TestClient(app) as c:
        yield c


REVIEW = {"verdict": "disputed", "reviewer": "Ana"}


def test_missing_or_wrong_key_is_401(client):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"X-API-Key": "nope"}, {"Authorization": "Basic x"}):
        r = client.get("/v1/claims/doc-a-c0/reviews", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_read_key_reads_but_cannot_write(client):
    read = {"X-API-Key": "reader-key"}
    assert client.get("/v1/claims/doc-a-c0/reviews", headers=read).status_code == 200
    r = client.post("/v1/claims/doc-a-c0/reviews", json=REVIEW, headers=read)
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_write_key_does_both_in_either_header(client):
    assert client.post("/v1/claims/doc-a-c0/reviews", json=REVIEW,
                       headers={"Authorization": "Bearer writer-key"}).status_code == 201
    assert client.get("/v1/claims/doc-a-c0/reviews", headers={"X-API-Key": "writer-key"}).json()[0]["reviewer"] == "Ana"


def test_page_is_public_but_its_data_is_not(client):
    assert client.get("/review").status_code == 200
    assert client.get("/v1/events?follow=false").status_code == 401


def test_without_keys_everything_is_open(tmp_path):
    app = make_app(tmp_path)
    app.add_middleware(ApiKeyMiddleware, keys=[])
    with TestClient(app) as c:
        assert c.post("/v1/claims/doc-a-c0/reviews", json=REVIEW).status_code == 201


def test_bind_host_without_keys_is_localhost_and_logged(caplog):
    caplog.set_level(logging.INFO, logger="service.auth")
    assert bind_host("0.0.0.0", []) == "127.0.0.1"
    assert "no API keys configured" in caplog.text and "127.0.0.1 only" in caplog.text
    assert bind_host("127.0.0.1", []) == "127.0.0.1"
    assert bind_host("::1", []) == "::1"
    assert bind_host("0.0.0.0", [ApiKey("k", "write")]) == "0.0.0.0"
