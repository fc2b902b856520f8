"""The one LLM interface: `complete(prompt, variables, schema) -> Completion`. LangChain lives here and nowhere else.

`OpenAICompatibleLLM` talks to any OpenAI-compatible chat endpoint (OpenAI, vLLM, Ollama, llama.cpp) through
langchain-openai's `ChatOpenAI`. tenacity owns retries (the SDK's own are off); invalid output gets one re-ask;
validated replies are cached by (model, prompt name@version, rendered input).
"""

from __future__ import annotations

import email.utils
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar

import httpx
import openai
from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt
from tenacity.wait import wait_base, wait_exponential_jitter

from service.llm.cache import ReplyCache, cache_key
from service.llm.errors import LLMOutputError, LLMUnavailableError
from service.llm.usage import LLMMetrics
from service.llm.prompts import Prompt

if TYPE_CHECKING:
    from service.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
StructuredOutput = Literal["function_calling", "json_object", "json_schema"]


@dataclass(frozen=True)
class Completion(Generic[T]):
    """A validated reply and what it cost."""

    value: T
    prompt_id: str
    model: str
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    http_requests: int = 0
    latency_s: float = 0.0


class LLM(Protocol):
    """Anything that turns a prompt and its variables into a validated pydantic model."""

    model: str

    def complete(
        self, prompt: Prompt, variables: dict[str, str], schema: type[T], check: Callable[[T], None] | None = None
    ) -> Completion[T]:
        """Render, ask, validate (schema, then `check`, which raises ValueError on semantic problems)."""
        ...


class MalformedResponseError(Exception):
    """The endpoint answered 200 with a body that is not a chat completion (truncated or garbled JSON)."""


def is_transient(exc: BaseException) -> bool:
    """Retry predicate: 408, 409, 429, 5xx, timeouts, connection errors and garbled bodies are worth another attempt."""
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError | MalformedResponseError):  # APITimeoutError is an APIConnectionError
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def retry_after_s(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After, in seconds or as an HTTP date; retry-after-ms)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class wait_retry_after_or_backoff(wait_base):
    """Wait what Retry-After says (capped); otherwise exponential backoff with jitter."""

    def __init__(self, initial_s: float, max_s: float) -> None:
        self.max_s = max_s
        self.backoff = wait_exponential_jitter(multiplier=initial_s, max=max_s, jitter=initial_s)

    def __call__(self, retry_state: RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        asked = retry_after_s(exc)
        return min(asked, self.max_s) if asked is not None else self.backoff(retry_state)


def _retry_reason(exc: BaseException | None) -> str:
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, openai.APIStatusError):
        return str(exc.status_code)
    if isinstance(exc, MalformedResponseError):
        return "malformed"
    return "connection"


def _failure_reason(exc: BaseException) -> str:
    """The failure reason of the last attempt's error, as reports and /metrics name it."""
    if isinstance(exc, openai.APITimeoutError | httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code == 429:
            return "rate_limited"
        return "server_error" if exc.status_code >= 500 else "refused"
    if isinstance(exc, MalformedResponseError):
        return "invalid_output"
    return "connection"


_FENCE_RE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class OpenAICompatibleLLM:
    """`LLM` over an OpenAI-compatible chat endpoint, via langchain-openai."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "not-needed",
        timeout_s: float = 30.0,
        attempts: int = 4,
        max_tokens: int = 2048,
        structured_output: StructuredOutput = "function_calling",
        backoff_s: float = 1.0,
        max_wait_s: float = 60.0,
        cache: ReplyCache | None = None,
        metrics: LLMMetrics | None = None,
    ) -> None:
        from langchain_openai import ChatOpenAI

        self.model = model
        self.structured_output = structured_output
        self.cache = cache
        self.metrics = metrics or LLMMetrics()
        self._attempts = attempts
        self._wait = wait_retry_after_or_backoff(backoff_s, max_wait_s)
        # max_retries=0: tenacity owns retries. max_tokens goes in the body too, because langchain-openai only
        # sends max_completion_tokens and llama-cpp-python's server ignores that (it then generates to n_ctx).
        self._chat = ChatOpenAI(
            model=model,
            base_url=base_url,
            api_key=api_key,
            timeout=timeout_s,
            max_retries=0,
            temperature=0,
            max_tokens=max_tokens,
            extra_body={"max_tokens": max_tokens},
        )

    @classmethod
    def from_settings(cls, settings: Settings, metrics: LLMMetrics | None = None,
                      cache: ReplyCache | None = None) -> OpenAICompatibleLLM:
        """Build the client the settings describe, with the reply cache the caller keeps (None: no cache)."""
        if not settings.llm_base_url:
            raise ValueError("FACTCHECK_LLM_BASE_URL is not set")
        return cls(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key.get_secret_value(),
            timeout_s=settings.llm_timeout_s,
            attempts=settings.llm_attempts,
            max_tokens=settings.llm_max_tokens,
            structured_output=settings.llm_structured_output,
            backoff_s=settings.llm_backoff_s,
            max_wait_s=settings.llm_max_wait_s,
            cache=cache,
            metrics=metrics,
        )

    def _runnable(self, schema: type[BaseModel]) -> Any:
        json_schema = schema.model_json_schema()
        if self.structured_output == "function_calling":
            return self._chat.bind_tools([schema], tool_choice=schema.__name__)
        if self.structured_output == "json_object":
            # llama-cpp-python's server takes a schema inside json_object (and rejects json_schema with a 500).
            return self._chat.bind(response_format={"type": "json_object", "schema": json_schema})
        return self._chat.bind(
            response_format={"type": "json_schema", "json_schema": {"name": schema.__name__, "schema": json_schema}}
        )

    def _raw_output(self, message: Any) -> str:
        if self.structured_output == "function_calling":
            if message.tool_calls:
                return json.dumps(message.tool_calls[0]["args"], ensure_ascii=False)
            if message.invalid_tool_calls:
                return str(message.invalid_tool_calls[0].get("args") or "")
        content = message.content if isinstance(message.content, str) else json.dumps(message.content)
        fenced = _FENCE_RE.match(content)
        return fenced.group(1) if fenced else content

    def _send(self, runnable: Any, messages: list[tuple[str, str]], prompt_id: str) -> tuple[Any, int]:
        """One logical request with tenacity retries; returns the AI message and the number of HTTP requests."""
        sent = 0

        def before_sleep(state: RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            reason = _retry_reason(exc)
            self.metrics.retry(reason)
            wait = state.next_action.sleep if state.next_action else 0.0
            log.warning(
                "llm prompt=%s model=%s attempt %d failed (%s: %s); retrying in %.2f s",
                prompt_id, self.model, state.attempt_number, reason, exc, wait,
            )

        retrying = Retrying(
            retry=retry_if_exception(is_transient),
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    sent += 1
                    self.metrics.record(prompt_id, self.model, http_requests=1)
                    try:
                        message = runnable.invoke(messages)
                    except json.JSONDecodeError as exc:
                        raise MalformedResponseError(f"unparseable response body: {exc}") from exc
        except (openai.OpenAIError, httpx.HTTPError, MalformedResponseError) as exc:
            raise LLMUnavailableError(f"{prompt_id} on {self.model}: {type(exc).__name__}: {exc}",
                                      reason=_failure_reason(exc)) from exc
        return message, sent

    def complete(
        self, prompt: Prompt, variables: dict[str, str], schema: type[T], check: Callable[[T], None] | None = None
    ) -> Completion[T]:
        """Render, ask (with retries and one re-ask on invalid output), validate, cache and count."""
        messages = prompt.render(variables)
        key = cache_key(self.model, prompt.id, schema.__name__, messages)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                value = schema.model_validate_json(hit)
                if check:
                    check(value)
            except (ValidationError, ValueError):
                log.warning("llm cache entry %s for %s no longer validates; asking again", key[:12], prompt.id)
            else:
                self.metrics.record(prompt.id, self.model, calls=1, cache_hits=1)
                log.info("llm prompt=%s model=%s cached=true", prompt.id, self.model)
                return Completion(value, prompt.id, self.model, cached=True)

        runnable = self._runnable(schema)
        started = time.monotonic()
        self.metrics.record(prompt.id, self.model, calls=1)
        conversation = list(messages)
        requests = prompt_tokens = completion_tokens = 0
        for turn in range(2):  # the first answer, then one re-ask
            message, sent = self._send(runnable, conversation, prompt.id)
            requests += sent
            usage = getattr(message, "usage_metadata", None) or {}
            p_tok, c_tok = int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))
            prompt_tokens, completion_tokens = prompt_tokens + p_tok, completion_tokens + c_tok
            self.metrics.record(prompt.id, self.model, prompt_tokens=p_tok, completion_tokens=c_tok)
            raw = self._raw_output(message)
            try:
                value = schema.model_validate_json(raw)
                if check:
                    check(value)
            except (ValidationError, ValueError) as exc:
                problem = str(exc)[:800]
                log.warning("llm prompt=%s model=%s invalid output (turn %d): %s", prompt.id, self.model, turn + 1, problem)
                if turn == 0:
                    self.metrics.record(prompt.id, self.model, reasks=1)
                    conversation += [
                        ("ai", raw[:4000]),
                        ("human", f"That reply is invalid: {problem}\nReply again with only the corrected JSON object."),
                    ]
                    continue
                raise LLMOutputError(f"{prompt.id} on {self.model}: invalid output after a re-ask: {problem}") from exc
            latency = time.monotonic() - started
            log.info(
                "llm prompt=%s model=%s requests=%d prompt_tokens=%d completion_tokens=%d latency_s=%.2f",
                prompt.id, self.model, requests, prompt_tokens, completion_tokens, latency,
            )
            if self.cache is not None:
                self.cache.put(key, prompt.id, self.model, value.model_dump_json(), prompt_tokens, completion_tokens)
            return Completion(value, prompt.id, self.model, False, prompt_tokens, completion_tokens, requests, latency)
        raise AssertionError("unreachable")
