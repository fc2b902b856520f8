"""Typed errors, mapped to HTTP statuses in one place (service/http/errors.py)."""

from __future__ import annotations


class FactCheckError(Exception):
    """Base of every error the service raises on purpose."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class InputError(FactCheckError):
    """The caller sent something we cannot process (empty text, bad encoding)."""

    status = 422
    code = "invalid_input"


class EmptyTextError(InputError):
    code = "empty_text"


class TextTooLargeError(InputError):
    status = 413
    code = "text_too_large"


class NotFoundError(FactCheckError):
    status = 404
    code = "not_found"


class StoreError(FactCheckError):
    """The record store or the vector store cannot serve the request."""

    status = 503
    code = "store_unavailable"

    def __init__(self, message: str, *, retry_after: int | None = 5) -> None:
        super().__init__(message, retry_after=retry_after)


class LLMError(FactCheckError):
    """The LLM endpoint failed after its retries, or kept answering junk."""

    status = 502
    code = "llm_failed"
