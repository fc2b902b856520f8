"""Secrets never reach a log line: configured keys by value, credential shapes by pattern, args and tracebacks too."""

from __future__ import annotations

import io
import logging

from pydantic import SecretStr

from service.redaction import MASK, Redactor, install_log_redaction, secrets_of
from service.settings import Settings

API_KEY = "fc-live-7f3a9c2e11d04b5f"
LLM_KEY = "sk-test-0123456789abcdefXYZ"


def test_redactor_masks_values_and_shapes():
    r = Redactor([API_KEY, LLM_KEY, "abc"])  # 'abc' is too short to be a key and is left alone
    text = (
        f"key {API_KEY} llm {LLM_KEY} Authorization: Bearer zzzzzzzzzzzz api_key=hunter2hunter2 "
        "url http://user:pa55word@chroma:8000/x abc sk-unconfiguredkey12345"
    )
    out = r(text)
    for secret in (API_KEY, LLM_KEY, "zzzzzzzzzzzz", "hunter2hunter2", "pa55word", "sk-unconfiguredkey12345"):
        assert secret not in out
    assert "abc" in out and MASK in out and "chroma:8000" in out


def test_secrets_of_settings(tmp_path):
    s = Settings(data_dir=tmp_path, api_keys=f"{API_KEY}:write, other-key-999999:read,bare-key-1234567",
                 llm_api_key=SecretStr(LLM_KEY))
    assert set(secrets_of(s)) == {API_KEY, "other-key-999999", "bare-key-1234567", LLM_KEY}
    assert secrets_of(Settings(data_dir=tmp_path)) == []


def test_log_records_are_redacted_whatever_the_handler(tmp_path):
    settings = Settings(data_dir=tmp_path, api_keys=API_KEY, llm_api_key=SecretStr(LLM_KEY))
    install_log_redaction(settings)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)  # added after installation, as uvicorn does at start-up
    logger = logging.getLogger("factcheck.test.redaction")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("calling with key %s and %d retries", LLM_KEY, 3)
        logger.warning(f"request header X-API-Key: {API_KEY}")
        try:
            raise RuntimeError(f"upstream refused Authorization: Bearer {LLM_KEY}")
        except RuntimeError:
            logger.exception("llm call failed")
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", f"/v1/claims?api_key={API_KEY}", "1.1", 200)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert API_KEY not in out and LLM_KEY not in out
    assert "3 retries" in out and "llm call failed" in out and "RuntimeError" in out
    assert '"GET /v1/claims?api_key=' in out and " 200" in out  # access-log shape kept
    install_log_redaction(Settings(data_dir=tmp_path))  # later tests get the default redactor back


def test_keys_never_in_error_bodies_or_logs_of_the_app(tmp_path, caplog):
    from fastapi.testclient import TestClient

    from service.http.app import create_app
    from service.bootstrap import open_factchecker
    from tests.support.fakes import HashingEmbedder

    settings = Settings(data_dir=tmp_path, _env_file=None, api_keys=f"{API_KEY}:write", llm_api_key=SecretStr(LLM_KEY),
                        rate_limit_per_minute=60, rate_limit_burst=3)
    checker = open_factchecker(settings, embedder=HashingEmbedder())
    caplog.set_level(logging.DEBUG)
    bodies = []
    with TestClient(create_app(settings, checker)) as client:
        wrong = "sk-wrong-key-presented-1234567"
        bodies.append(client.get("/v1/documents", headers={"X-API-Key": wrong}))
        bodies.append(client.get("/v1/documents", headers={"Authorization": f"Bearer {API_KEY}"}))
        bodies.append(client.post("/v1/documents", json={"text": " "}, headers={"X-API-Key": API_KEY}))
        bodies += [client.get("/v1/claims/nope", headers={"X-API-Key": API_KEY}) for _ in range(3)]
    statuses = [r.status_code for r in bodies]
    assert statuses[0] == 401 and statuses[1] == 200 and statuses[2] == 422 and 429 in statuses
    everything = " ".join(r.text + str(dict(r.headers)) for r in bodies) + caplog.text
    for secret in (API_KEY, LLM_KEY, wrong):
        assert secret not in everything
