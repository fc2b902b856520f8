"""Typed errors of the LLM path; the backends catch LLMError and fall back to the offline analyser."""

from __future__ import annotations

from service.errors import LLMError

__all__ = ["LLMError", "LLMOutputError", "LLMUnavailableError"]


class LLMUnavailableError(LLMError):
    """The endpoint kept failing (429, 5xx, timeouts, connection errors) through every attempt, or refused the request."""

    code = "llm_unavailable"


class LLMOutputError(LLMError):
    """The endpoint answered, but not with output that validates against the schema, even after one re-ask."""

    code = "llm_invalid_output"
