"""Per-call accounting: Prometheus counters plus scoped totals a pipeline can put in a report."""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter

from service.models import LLMUsage


@dataclass
class UsageScope:
    """Totals of the LLM work done while the scope was active (thread- and task-local)."""

    usage: LLMUsage = field(default_factory=LLMUsage)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts: int) -> None:
        with self._lock:
            for key, value in counts.items():
                setattr(self.usage, key, getattr(self.usage, key) + value)

    @property
    def used(self) -> LLMUsage | None:
        """The totals, or None when no LLM work happened (offline reports stay as they were)."""
        return self.usage.model_copy(deep=True) if self.usage.model is not None else None

    def failed(self, reason: str, message: str) -> None:
        with self._lock:
            self.usage.failures[reason] = self.usage.failures.get(reason, 0) + 1
            self.usage.last_failure = message

    def note(self, model: str, prompt_id: str) -> None:
        with self._lock:
            self.usage.model = model
            if prompt_id not in self.usage.prompts:
                self.usage.prompts.append(prompt_id)


_scopes: contextvars.ContextVar[tuple[UsageScope, ...]] = contextvars.ContextVar("llm_usage_scopes", default=())


@contextlib.contextmanager
def track_usage(scope: UsageScope | None = None) -> Iterator[UsageScope]:
    """Collect the LLM usage of everything run inside the block (nested scopes each see it; pass a scope to add to it)."""
    scope = scope if scope is not None else UsageScope()
    token = _scopes.set(_scopes.get() + (scope,))
    try:
        yield scope
    finally:
        _scopes.reset(token)


class LLMMetrics:
    """Prometheus counters of the LLM path, registered on the registry the service exposes at /metrics."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        self.calls = Counter("llm_calls", "LLM completions asked for (cache hits included).", ["prompt", "model"], registry=self.registry)
        self.requests = Counter("llm_requests", "LLM HTTP requests sent (retries and re-asks included).", ["prompt", "model"], registry=self.registry)
        self.tokens = Counter("llm_tokens", "LLM tokens used.", ["kind", "prompt", "model"], registry=self.registry)
        self.cache_hits = Counter("llm_cache_hits", "LLM completions served from the cache.", ["prompt"], registry=self.registry)
        self.retries = Counter("llm_retries", "LLM requests retried on transient errors.", ["reason"], registry=self.registry)
        self.reasks = Counter("llm_reasks", "LLM requests re-asked after invalid output.", ["prompt"], registry=self.registry)
        self.fallbacks = Counter("llm_fallbacks", "Work handed to the offline analyser after LLM failure, by job and reason.",
                                 ["job", "reason"], registry=self.registry)

    def record(self, prompt: str, model: str, **counts: int) -> None:
        """Count one event in Prometheus and in every active usage scope."""
        if counts.get("calls"):
            self.calls.labels(prompt, model).inc(counts["calls"])
        if counts.get("http_requests"):
            self.requests.labels(prompt, model).inc(counts["http_requests"])
        if counts.get("prompt_tokens"):
            self.tokens.labels("prompt", prompt, model).inc(counts["prompt_tokens"])
        if counts.get("completion_tokens"):
            self.tokens.labels("completion", prompt, model).inc(counts["completion_tokens"])
        if counts.get("cache_hits"):
            self.cache_hits.labels(prompt).inc(counts["cache_hits"])
        if counts.get("reasks"):
            self.reasks.labels(prompt).inc(counts["reasks"])
        for scope in _scopes.get():
            scope.note(model, prompt)
            scope.add(**counts)

    def retry(self, reason: str) -> None:
        self.retries.labels(reason).inc()
        for scope in _scopes.get():
            scope.add(retries=1)

    def fallback(self, job: str, reason: str = "connection", message: str = "") -> None:
        """Count work handed to the offline analyser, with why the LLM failed (see errors.FAILURE_REASONS)."""
        self.fallbacks.labels(job, reason).inc()
        for scope in _scopes.get():
            scope.add(fallbacks=1)
            scope.failed(reason, f"{job}: {message}"[:500] if message else job)
