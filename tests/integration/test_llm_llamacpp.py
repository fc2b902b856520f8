"""End to end against a real llama.cpp server (llama-cpp-python serving SmolLM2-135M-Instruct) on loopback.

Run by CI with FACTCHECK_TEST_LLAMA_URL set (see scripts/llama_server.sh). The model's judgements are worthless:
these tests assert only that the path works (valid structured output, or a clean, marked fallback).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.fakes import FakeOfflineAnalyser, make_claim, usd
from service.analysis import Candidate
from service.analysis.claims import OfflineClaimExtractor
from service.analysis.text import normalise
from service.llm.backend import LLMClaimExtractor, LLMStanceJudge, StanceOut
from service.llm.client import OpenAICompatibleLLM
from service.llm.errors import LLMError, LLMUnavailableError
from service.llm.usage import track_usage
from service.llm.prompts import load_prompt

URL = os.environ.get("FACTCHECK_TEST_LLAMA_URL")
MODEL = os.environ.get("FACTCHECK_TEST_LLAMA_MODEL", "smollm2")
SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = [pytest.mark.integration]


@pytest.fixture(autouse=True)
def llama_server() -> None:
    """Skip without a server, except in CI (FACTCHECK_REQUIRE_INTEGRATION=1), where a missing server is a failure."""
    if not URL:
        message = "FACTCHECK_TEST_LLAMA_URL is not set (start a server with scripts/llama_server.sh start)"
        if os.environ.get("FACTCHECK_REQUIRE_INTEGRATION") == "1":
            pytest.fail(message)
        pytest.skip(message)


def llm(method: str = "function_calling", attempts: int = 2) -> OpenAICompatibleLLM:
    return OpenAICompatibleLLM(
        base_url=URL or "", model=MODEL, structured_output=method, attempts=attempts, max_tokens=384,
        timeout_s=float(os.environ.get("FACTCHECK_TEST_LLAMA_TIMEOUT_S", "180")),
        backoff_s=0.2,
    )


@pytest.mark.parametrize("method", ["function_calling", "json_object"])
def test_structured_output_or_clean_error(method: str) -> None:
    prompt = load_prompt("stance")
    with track_usage() as scope:
        try:
            done = llm(method).complete(
                prompt,
                {"claim": '{"text": "Meta invested $14.3 billion in Scale AI."}',
                 "evidence": '[{"id": 1, "text": "Meta put $14 billion into Scale AI."}]'},
                StanceOut,
            )
        except LLMError:
            outcome = "clean failure"
        else:
            outcome = "valid"
            assert isinstance(done.value, StanceOut) and done.prompt_tokens > 0
    print(f"llama.cpp {method}: {outcome}; {scope.usage.model_dump()}")
    assert 1 <= scope.usage.http_requests <= 4  # two attempts at most, each possibly re-asked once


def test_json_schema_is_refused_by_llama_cpp_python_and_reported() -> None:
    """The documented quirk: response_format json_schema gets a 500; we surface it as LLMUnavailableError."""
    try:
        llm("json_schema", attempts=1).complete(
            load_prompt("stance"), {"claim": '{"text": "x"}', "evidence": '[{"id": 1, "text": "y"}]'}, StanceOut
        )
    except LLMUnavailableError:
        pass  # llama-cpp-python 0.3.36
    except LLMError:
        pass  # a server that accepts json_schema but whose tiny model wrote junk


def test_extraction_end_to_end_on_a_seed() -> None:
    text = normalise((SEEDS / "002_b9d94d461006a54c.txt").read_text(encoding="utf-8"))
    text = text[: text.index("\n\n", 600)]  # two paragraphs keep the run short on 2 cores
    extractor = LLMClaimExtractor(llm(), OfflineClaimExtractor(), chunk_chars=6000)
    with track_usage() as scope:
        drafts = extractor.extract(text, "fr")
    print(f"llama.cpp extraction: {len(drafts)} claims {sorted({d.backend for d in drafts})}; {scope.usage.model_dump()}")
    assert all(text[d.start : d.end] == d.quote for d in drafts)
    assert {d.backend for d in drafts} <= {"llm", "offline-fallback"}
    assert scope.usage.calls == 1  # one chunk, one call (its retries and re-ask are requests, not calls)
    if scope.usage.fallbacks:  # junk output or invented quotes: the offline analyser's claims, marked as such
        assert drafts and all(d.backend == "offline-fallback" for d in drafts)


def test_stance_end_to_end() -> None:
    claim = make_claim("Meta invested $14.3 billion in Scale AI.", quantities=[usd(14.3e9, "$14.3 billion")])
    candidates = [
        Candidate(make_claim("Meta put $4 billion into Scale AI.", "d2", 0, [usd(4e9, "$4 billion")])),
        Candidate(make_claim("Alexandr Wang joined Meta as chief AI officer.", "d3", 0)),
    ]
    with track_usage() as scope:
        results = LLMStanceJudge(llm(), FakeOfflineAnalyser()).judge(claim, candidates)
    print(f"llama.cpp stance: {[(r.stance, r.backend) for r in results]}; {scope.usage.model_dump()}")
    assert len(results) == 2 and results[0].stance == "refutes"  # the figure check wins whatever the model says
    assert results[1].backend in {"llm", "offline-fallback"}
    assert scope.usage.calls == 1
