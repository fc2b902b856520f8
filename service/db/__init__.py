"""The persistence layer: one database holding every table the service keeps.

SQLite (a file under the data directory) is the embedded default; Postgres (`FACTCHECK_DATABASE_URL`) lets
several API hosts share one corpus. `Database.open(settings)` gives the connection factory, the migrations, the
corpus write lock that fits the backend, and one repository per concern. Pipeline stages use only these
repositories, so the backend is chosen here alone.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from service.db import engine as engines
from service.db.claims import ClaimRepository
from service.db.documents import DocumentRepository
from service.db.events import EventRepository
from service.db.llm_cache import ReplyCacheRepository
from service.db.locks import AdvisoryCorpusLock, AdvisoryOwnerLease, CorpusLock, OwnerLease
from service.db.migrate import upgrade
from service.db.reviews import ReviewRepository
from service.db.session import Session
from service.db.verdicts import VerdictRepository
from service.errors import StoreError


class Database:
    """Repositories over one migrated database, and the lock that serialises writers to the corpus."""

    def __init__(self, url: str, lock_path: Path | None = None, *, pool_size: int = 8, wait_s: float = 0.0) -> None:
        self.url = engines.normalise_url(url)
        self.engine = engines.create(self.url, pool_size=pool_size)
        try:
            if wait_s > 0:
                engines.wait_until_reachable(self.engine, wait_s)
            upgrade(self.engine)
        except Exception as exc:  # a store we cannot open or migrate: say which, in one error type
            self.engine.dispose()
            raise StoreError(f"cannot open the record store {engines.describe(self.url)}: {exc}") from exc
        if self.shared:
            # Writers on every host queue on an advisory lock in the database they share.
            self.lock: CorpusLock | AdvisoryCorpusLock = AdvisoryCorpusLock(self.engine)
            self.owner: OwnerLease | AdvisoryOwnerLease = AdvisoryOwnerLease(self.engine)
        else:
            # Writers on one host (threads and uvicorn workers) queue on a file lock beside the SQLite file.
            self.lock = CorpusLock(lock_path)
            self.owner = OwnerLease(Path(lock_path).parent if lock_path else None)
        self.session = Session(self.engine, before_write=self.lock.check)
        self.documents = DocumentRepository(self.session)
        self.claims = ClaimRepository(self.session)
        self.verdicts = VerdictRepository(self.session)
        self.reviews = ReviewRepository(self.session)
        self.events = EventRepository(self.session)
        self.llm_cache = ReplyCacheRepository(self.session)

    @property
    def shared(self) -> bool:
        """True when the store is a database server that several hosts may share (Postgres)."""
        return self.engine.dialect.name == "postgresql"

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @classmethod
    def open(cls, url: str | None, data_dir: Path, *, pool_size: int = 8, wait_s: float = 30.0) -> Database:
        """The record store at `url`, or the SQLite file under `data_dir` when `url` is None."""
        if not url:
            return cls.sqlite(Path(data_dir) / "factcheck.sqlite3")
        if url.startswith("sqlite"):
            path = url.split("sqlite:///", 1)[1] if url.startswith("sqlite:///") else ":memory:"
            return cls.sqlite(path)
        return cls(url, pool_size=pool_size, wait_s=wait_s)

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
        self.session.scalar(text("SELECT 1"))

    def close(self) -> None:
        self.owner.close()
        self.engine.dispose()
