"""Typed errors of the LLM path; the backends catch LLMError and fall back to the offline analyser."""

from __future__ import annotations

from service.errors import LLMError

__all__ = ["FAILURE_REASONS", "LLMError", "LLMOutputError", "LLMUnavailableError", "failure_reason"]


#: Why the LLM failed, as reports and /metrics name it.
FAILURE_REASONS = ("rate_limited", "server_error", "timeout", "connection", "refused", "invalid_output")


class LLMUnavailableError(LLMError):
    """The endpoint kept failing (429, 5xx, timeouts, connection errors) through every attempt, or refused the request."""

    code = "llm_unavailable"

    def __init__(self, message: str, *, reason: str = "connection") -> None:
        super().__init__(message)
        self.reason = reason  # one of FAILURE_REASONS


class LLMOutputError(LLMError):
    """The endpoint answered, but not with output that validates against the schema, even after one re-ask."""

    code = "llm_invalid_output"
    reason = "invalid_output"


def failure_reason(exc: BaseException) -> str:
    """The reason an LLM error reports under (see FAILURE_REASONS)."""
    return getattr(exc, "reason", None) or "connection"
