"""The real openai client and langchain-openai against the scripted OpenAI-compatible server over HTTP."""

from __future__ import annotations

import json
import logging
import socket
import time
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from pydantic import BaseModel, ConfigDict

from tests.support.openai_stub import Reply, StubServer, error, ok
from service.db import Database
from service.llm.client import OpenAICompatibleLLM, retry_after_s
from service.llm.errors import LLMOutputError, LLMUnavailableError
from service.llm.usage import LLMMetrics, track_usage
from service.llm.prompts import load_prompt
from service.settings import Settings


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claims: list[dict]


PROMPT = load_prompt("claim_extraction")
VARS = {"language_hint": "en", "article": "Meta invested $14.3 billion in Scale AI."}
GOOD = {"claims": []}


def client(stub: StubServer, tmp_path: Path | None = None, **kw) -> OpenAICompatibleLLM:
    opts = dict(base_url=stub.url, model="stub-model", timeout_s=5, attempts=4, backoff_s=0.01, max_wait_s=5)
    opts.update(kw)
    if tmp_path is not None:
        opts["cache"] = Database.sqlite(tmp_path / "cache.sqlite3").llm_cache
    return OpenAICompatibleLLM(**opts)


def test_function_calling_request_and_usage(stub: StubServer) -> None:
    stub.enqueue(ok(GOOD))
    llm = client(stub)
    with track_usage() as scope:
        done = llm.complete(PROMPT, VARS, Answer)
    assert done.value == Answer(claims=[]) and not done.cached and done.prompt_id == "claim_extraction@1"
    assert done.http_requests == 1 and done.prompt_tokens > 0 and done.completion_tokens > 0
    body = stub.requests[0]
    assert body["tool_choice"]["function"]["name"] == "Answer" and body["tools"][0]["function"]["name"] == "Answer"
    assert body["max_tokens"] == 2048 and body["max_completion_tokens"] == 2048  # llama-cpp-python reads only max_tokens
    assert body["model"] == "stub-model" and body["temperature"] == 0
    assert scope.usage.calls == 1 and scope.usage.http_requests == 1 and scope.usage.prompts == ["claim_extraction@1"]
    assert scope.usage.prompt_tokens == done.prompt_tokens and scope.usage.model == "stub-model"


@pytest.mark.parametrize("method", ["json_object", "json_schema"])
def test_response_format_methods(stub: StubServer, method: str) -> None:
    stub.enqueue(ok(GOOD))
    assert client(stub, structured_output=method).complete(PROMPT, VARS, Answer).value == Answer(claims=[])
    fmt = stub.requests[0]["response_format"]
    assert fmt["type"] == method and "tools" not in stub.requests[0]
    schema = fmt["schema"] if method == "json_object" else fmt["json_schema"]["schema"]
    assert schema["additionalProperties"] is False


def test_fenced_json_content_is_accepted(stub: StubServer) -> None:
    stub.enqueue(ok("```json\n" + json.dumps(GOOD) + "\n```"))
    assert client(stub, structured_output="json_object").complete(PROMPT, VARS, Answer).value == Answer(claims=[])


def test_429_honours_retry_after(stub: StubServer) -> None:
    registry = CollectorRegistry()
    stub.enqueue(error(429, retry_after="1"), ok(GOOD))
    started = time.monotonic()
    done = client(stub, metrics=LLMMetrics(registry)).complete(PROMPT, VARS, Answer)
    assert time.monotonic() - started >= 0.95  # the backoff alone would wait ~0.01 s
    assert done.http_requests == 2 and len(stub.requests) == 2
    text = generate_latest(registry).decode()
    assert 'llm_retries_total{reason="429"} 1.0' in text
    assert 'llm_requests_total{model="stub-model",prompt="claim_extraction@1"} 2.0' in text


def test_retry_after_forms() -> None:
    class Exc:
        def __init__(self, headers: dict) -> None:
            self.response = type("R", (), {"headers": headers})()

    assert retry_after_s(Exc({"retry-after": "3"})) == 3.0
    assert retry_after_s(Exc({"retry-after-ms": "250"})) == 0.25
    assert retry_after_s(Exc({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0.0
    assert retry_after_s(Exc({})) is None and retry_after_s(ValueError()) is None


def test_5xx_retried_with_backoff_then_success(stub: StubServer, caplog: pytest.LogCaptureFixture) -> None:
    stub.enqueue(error(500), error(503), ok(GOOD))
    with caplog.at_level(logging.WARNING, logger="service.llm.client"):
        done = client(stub).complete(PROMPT, VARS, Answer)
    assert done.http_requests == 3 and len(stub.requests) == 3
    assert sum("retrying in" in r.getMessage() for r in caplog.records) == 2


def test_5xx_until_attempts_run_out(stub: StubServer) -> None:
    stub.enqueue(*[error(500)] * 5)
    with pytest.raises(LLMUnavailableError):
        client(stub, attempts=3).complete(PROMPT, VARS, Answer)
    assert len(stub.requests) == 3


def test_timeout_is_retried(stub: StubServer) -> None:
    registry = CollectorRegistry()
    stub.enqueue(ok(GOOD, delay_s=2.0), ok(GOOD))
    done = client(stub, timeout_s=0.5, metrics=LLMMetrics(registry)).complete(PROMPT, VARS, Answer)
    assert done.http_requests == 2
    assert 'llm_retries_total{reason="timeout"} 1.0' in generate_latest(registry).decode()


def test_client_errors_are_not_retried(stub: StubServer) -> None:
    stub.enqueue(error(400), ok(GOOD))
    with pytest.raises(LLMUnavailableError):
        client(stub).complete(PROMPT, VARS, Answer)
    assert len(stub.requests) == 1


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = OpenAICompatibleLLM(base_url=f"http://127.0.0.1:{port}/v1", model="m", attempts=2, backoff_s=0.01, timeout_s=2)
    with pytest.raises(LLMUnavailableError):
        llm.complete(PROMPT, VARS, Answer)


def test_junk_output_gets_one_reask(stub: StubServer) -> None:
    stub.enqueue(ok("Sure! Here are the claims: none"), ok(GOOD))
    done = client(stub).complete(PROMPT, VARS, Answer)
    assert done.value == Answer(claims=[]) and done.http_requests == 2
    second = stub.requests[1]["messages"]
    assert "That reply is invalid" in second[-1]["content"] and len(second) == len(stub.requests[0]["messages"]) + 2


def test_extra_fields_are_rejected_then_reasked(stub: StubServer) -> None:
    stub.enqueue(ok({"claims": [], "verdict": "corroborated"}), ok({"claims": [], "verdict": "corroborated"}))
    with pytest.raises(LLMOutputError):
        client(stub).complete(PROMPT, VARS, Answer)
    assert len(stub.requests) == 2  # one re-ask, no more


def test_malformed_http_body(stub: StubServer) -> None:
    stub.enqueue(Reply(raw_body='{"choices": [ {"mess'), Reply(raw_body='{"choices": [ {"mess'))
    with pytest.raises(LLMUnavailableError):
        client(stub, attempts=2).complete(PROMPT, VARS, Answer)
    assert len(stub.requests) == 2
    stub.enqueue(Reply(raw_body="<html>bad gateway</html>"), ok(GOOD))
    assert client(stub).complete(PROMPT, VARS, Answer).http_requests == 2


def test_check_failure_is_reasked(stub: StubServer) -> None:
    stub.enqueue(ok(GOOD), ok({"claims": [{"x": 1}]}))

    def needs_one(a: Answer) -> None:
        if len(a.claims) != 1:
            raise ValueError("need exactly one claim")

    assert client(stub).complete(PROMPT, VARS, Answer, check=needs_one).value.claims == [{"x": 1}]
    assert "need exactly one claim" in stub.requests[1]["messages"][-1]["content"]


def test_cache_serves_unchanged_input_without_a_call(stub: StubServer, tmp_path: Path) -> None:
    stub.enqueue(ok(GOOD), ok(GOOD), ok(GOOD))
    first = client(stub, tmp_path).complete(PROMPT, VARS, Answer)
    again = client(stub, tmp_path).complete(PROMPT, VARS, Answer)  # a new process would see the same file
    assert not first.cached and again.cached and again.value == first.value
    assert len(stub.requests) == 1
    client(stub, tmp_path).complete(PROMPT, {**VARS, "article": "Other text."}, Answer)
    client(stub, tmp_path, model="other-model").complete(PROMPT, VARS, Answer)
    assert len(stub.requests) == 3


def test_failures_are_not_cached(stub: StubServer, tmp_path: Path) -> None:
    stub.enqueue(ok("junk"), ok("junk"), ok(GOOD))
    with pytest.raises(LLMOutputError):
        client(stub, tmp_path).complete(PROMPT, VARS, Answer)
    assert not client(stub, tmp_path).complete(PROMPT, VARS, Answer).cached


def test_from_settings(stub: StubServer, tmp_path: Path) -> None:
    settings = Settings(llm_base_url=stub.url, llm_model="m1", data_dir=tmp_path, llm_structured_output="json_object", llm_max_tokens=64)
    cache = Database.sqlite(tmp_path / "factcheck.sqlite3").llm_cache
    llm = OpenAICompatibleLLM.from_settings(settings, cache=cache)
    stub.enqueue(ok(GOOD))
    llm.complete(PROMPT, VARS, Answer)
    assert stub.requests[0]["max_tokens"] == 64 and len(cache) == 1
    with pytest.raises(ValueError):
        OpenAICompatibleLLM.from_settings(Settings(llm_base_url=None, data_dir=tmp_path))
