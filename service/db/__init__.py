"""The persistence layer: one database (SQLite by default) holding every table the service keeps.

`Database.open(settings)` gives the connection factory, the migrations and one repository per concern.
Pipeline stages use only these repositories, so another backend (Postgres) plugs in here alone.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from service.db import engine as engines
from service.db.claims import ClaimRepository
from service.db.documents import DocumentRepository
from service.db.events import EventRepository
from service.db.llm_cache import ReplyCacheRepository
from service.db.locks import CorpusLock
from service.db.migrate import upgrade
from service.db.reviews import ReviewRepository
from service.db.session import Session
from service.db.verdicts import VerdictRepository
from service.errors import StoreError


class Database:
    """Repositories over one migrated database, and the lock that serialises writers to the corpus."""

    def __init__(self, url: str, lock_path: Path | None = None) -> None:
        self.url = url
        self.engine = engines.create(url)
        try:
            upgrade(self.engine)
        except Exception as exc:  # a store we cannot open or migrate: say which, in one error type
            raise StoreError(f"cannot open the record store {engines.describe(url)}: {exc}") from exc
        self.session = Session(self.engine)
        self.documents = DocumentRepository(self.session)
        self.claims = ClaimRepository(self.session)
        self.verdicts = VerdictRepository(self.session)
        self.reviews = ReviewRepository(self.session)
        self.events = EventRepository(self.session)
        self.llm_cache = ReplyCacheRepository(self.session)
        # Writers on one host (threads and uvicorn workers) queue on a file lock beside the SQLite file.
        self.lock = CorpusLock(lock_path)

    @classmethod
    def sqlite(cls, path: Path | str) -> Database:
        """The embedded store: a SQLite file (or ':memory:'), with its write lock beside it."""
        if str(path) == ":memory:":
            return cls(engines.sqlite_url(path))
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(engines.sqlite_url(path), path.parent / "write.lock")

    def transaction(self):
        """One write transaction (a context manager yielding the connection the repositories write with)."""
        return self.session.transaction()

    def ping(self) -> None:
        """Raise StoreError when the store cannot answer."""
        with self.session.read() as connection:
            connection.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()
