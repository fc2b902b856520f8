"""Keeps secrets out of logs and error bodies: the configured keys by value, and anything shaped like a credential."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "[REDACTED]"

# Shapes of credentials that may turn up in exception text or URLs even when their value is not configured here.
_PATTERNS = [
    re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"(?i)\b(api[_-]?key|x-api-key|authorization|password|passwd|secret|token)(\"?\s*[:=]\s*\"?)[^\s\"',;&]{4,}"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),
    re.compile(r"(?i)(://[^/\s:@]+:)[^@\s/]+@"),  # user:password@host in URLs
]


class Redactor:
    """Replaces known secret values and credential-shaped strings with a mask."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Very short values would mask ordinary words; real keys are long.
        values = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)
        self._values = re.compile("|".join(re.escape(v) for v in values)) if values else None

    def __call__(self, text: str) -> str:
        if self._values is not None:
            text = self._values.sub(MASK, text)
        text = _PATTERNS[0].sub(lambda m: f"{m.group(1)} {MASK}", text)
        text = _PATTERNS[1].sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
        text = _PATTERNS[2].sub(MASK, text)
        text = _PATTERNS[3].sub(lambda m: f"{m.group(1)}{MASK}@", text)
        return text


def secrets_of(settings: object) -> list[str]:
    """Every secret the settings hold: the API keys and the LLM key."""
    found = [key.secret for key in getattr(settings, "keys", [])]
    llm_key = getattr(settings, "llm_api_key", None)
    if llm_key is not None:
        value = llm_key.get_secret_value() if hasattr(llm_key, "get_secret_value") else str(llm_key)
        if value and value != "not-needed":
            found.append(value)
    return found


def _redact_arg(value: object, redactor: Redactor) -> object:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    masked = redactor(text)
    return value if masked == text else masked  # keep the object (and its %d/%r formatting) unless it held a secret


def redact_record(record: logging.LogRecord, redactor: Redactor) -> logging.LogRecord:
    """Mask secrets in a record's message, arguments and traceback; arguments stay arguments, because some
    formatters (uvicorn's access log) read them."""
    if isinstance(record.msg, str):
        record.msg = redactor(record.msg)
    else:
        record.msg = redactor(str(record.msg))
    if isinstance(record.args, tuple):
        record.args = tuple(_redact_arg(a, redactor) for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: _redact_arg(v, redactor) for k, v in record.args.items()}
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redactor(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redactor(record.exc_text)
    return record


_installed: dict[str, Redactor] = {}


def install_log_redaction(settings: object) -> Redactor:
    """Mask secrets in every log record this process creates, whatever handlers and formatters are configured later
    (uvicorn replaces handlers at start-up, so a handler filter would be lost). Idempotent; the newest settings win."""
    redactor = Redactor(secrets_of(settings))
    first = not _installed
    _installed["current"] = redactor
    if first:
        base_factory = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            return redact_record(base_factory(*args, **kwargs), _installed["current"])

        logging.setLogRecordFactory(factory)
    return redactor
