"""The LLM reply cache's table (the interface and its key are in `service/llm/cache.py`)."""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from service.db.schema import llm_replies
from service.db.session import Session


class ReplyCacheRepository:
    """Validated replies (the parsed JSON) with the token usage of the call that made them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> str | None:
        return self._session.scalar(select(llm_replies.c.reply).where(llm_replies.c.key == key))

    def put(self, key: str, prompt: str, model: str, reply: str, prompt_tokens: int, completion_tokens: int) -> None:
        """Store a reply; the newest wins. One statement, so two hosts caching the same key at once both succeed."""
        values = dict(key=key, prompt=prompt, model=model, reply=reply, prompt_tokens=prompt_tokens,
                      completion_tokens=completion_tokens, created_at=time.time())
        with self._session.transaction() as tx:
            insert_ = postgresql.insert if tx.dialect.name == "postgresql" else sqlite.insert
            statement = insert_(llm_replies).values(**values)
            tx.execute(statement.on_conflict_do_update(
                index_elements=[llm_replies.c.key],
                set_={k: statement.excluded[k] for k in values if k != "key"},
            ))

    def __len__(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(llm_replies)))
