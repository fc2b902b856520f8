"""Reply cache keyed by (model, prompt name@version, rendered input): an unchanged corpus makes no calls.

The replies live in the record store (`service/db/llm_cache.py`); the client sees only this interface.
"""

from __future__ import annotations

import hashlib
import json
from typing import Protocol


def cache_key(model: str, prompt_id: str, schema_name: str, messages: list[tuple[str, str]]) -> str:
    """Stable sha256 of everything that determines a reply."""
    blob = json.dumps([model, prompt_id, schema_name, messages], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ReplyCache(Protocol):
    """Validated replies (the parsed JSON) with the token usage of the call that made them."""

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, prompt: str, model: str, reply: str, prompt_tokens: int, completion_tokens: int) -> None: ...
