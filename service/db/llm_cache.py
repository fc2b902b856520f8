"""The LLM reply cache's table (the interface and its key are in `service/llm/cache.py`)."""

from __future__ import annotations

import time

from sqlalchemy import delete, func, insert, select

from service.db.schema import llm_replies
from service.db.session import Session


class ReplyCacheRepository:
    """Validated replies (the parsed JSON) with the token usage of the call that made them."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> str | None:
        return self._session.scalar(select(llm_replies.c.reply).where(llm_replies.c.key == key))

    def put(self, key: str, prompt: str, model: str, reply: str, prompt_tokens: int, completion_tokens: int) -> None:
        with self._session.transaction() as tx:
            tx.execute(delete(llm_replies).where(llm_replies.c.key == key))
            tx.execute(insert(llm_replies).values(key=key, prompt=prompt, model=model, reply=reply,
                                                  prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                                                  created_at=time.time()))

    def __len__(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(llm_replies)))
