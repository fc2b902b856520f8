"""The record store on a real Postgres cluster: the one migration path gives the one schema, writers on several
processes queue on an advisory lock the database releases when its holder dies, a holder that lost its session
cannot write, and event ids become visible in commit order."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import numpy as np
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from service.db import Database
from service.db.locks import AdvisoryCorpusLock
from service.db.migrate import current, head
from service.db.schema import metadata
from service.errors import StoreError
from service.models import Claim, EvidenceOut, ReviewIn
from tests.support import assert_writers_never_interleave
from tests.support.postgres import database_url, postgres_cluster  # noqa: F401  (fixtures)

pytestmark = pytest.mark.integration


def test_a_fresh_postgres_store_is_at_the_newest_migration_and_matches_the_schema(database_url):  # noqa: F811
    db = Database(database_url)
    assert db.shared and db.backend == "postgresql" and isinstance(db.lock, AdvisoryCorpusLock)
    assert current(db.engine) == head()
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diffs == []
    with db.session.read() as connection:  # the rebuilt claim_keys table carries its own names, not the copy's
        names = set(connection.execute(text("SELECT relname FROM pg_class WHERE relname LIKE 'claim_keys%'")).scalars())
    assert {"claim_keys_id_seq", "claim_keys_pkey"} <= names and not any("new" in n for n in names)


def _open(url: str) -> str:
    db = Database(url)
    version = current(db.engine)
    db.close()
    return version


def test_hosts_starting_at_once_migrate_once(database_url):  # noqa: F811
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        versions = pool.map(_open, [database_url] * 3)
    assert versions == [head()] * 3
    db = Database(database_url)
    with db.session.read() as connection:
        assert list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars()) == [head()]


def _writer(url: str, log_path: str, name: str) -> None:
    db = Database(url)
    for _ in range(3):
        with db.lock:
            with db.lock:  # re-entrant: the pipeline takes it again inside ingest
                with open(log_path, "a") as log:
                    log.write(f"{name}+\n")
                    log.flush()
                    with db.transaction() as tx:  # a write under the lock checks the lock is still held
                        tx.execute(text("SELECT pg_sleep(0.02)"))
                    log.write(f"{name}-\n")


def test_writers_in_two_processes_never_interleave(database_url, tmp_path):  # noqa: F811
    assert_writers_never_interleave(_writer, database_url, tmp_path / "log", timeout_s=120)


def _hold_forever(url: str, ready) -> None:
    db = Database(url)
    db.lock.__enter__()
    ready.set()
    threading.Event().wait()


def test_the_database_releases_the_lock_of_a_killed_holder(database_url):  # noqa: F811
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_forever, args=(database_url, ready))
    holder.start()
    try:
        assert ready.wait(120)
        db = Database(database_url)
        with db.session.read() as connection:
            held = connection.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).scalar()
        assert held == 1
        os.kill(holder.pid, signal.SIGKILL)  # no clean-up runs: only the database can release the lock
        holder.join(30)
        with db.lock:  # would wait forever if the lock outlived its holder
            with db.transaction() as tx:
                tx.execute(text("SELECT 1"))
    finally:
        if holder.is_alive():
            holder.kill()


def test_a_writer_whose_lock_session_ended_cannot_write(database_url):  # noqa: F811
    db = Database(database_url)
    with db.lock:
        with db.session.read() as connection:
            pid = connection.execute(text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted")).scalar()
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        # Another host may hold the lock now: writing on would interleave with it.
        with pytest.raises(StoreError, match="lock was lost"):
            with db.transaction() as tx:
                tx.execute(text("SELECT 1"))
    with db.lock:  # released cleanly despite the dead session, and can be taken again
        with db.transaction() as tx:
            tx.execute(text("SELECT 1"))


def _one_claim(db: Database) -> None:
    claim = Claim(id="c1", document_id="d1", index=0, text="Meta invested $14.3 billion.", quote="q", start=0, end=1,
                  language="en", entities=["Meta"])
    with db.transaction() as tx:
        db.documents.insert(tx, {"id": "d1", "text": "q", "language": "en", "languages": ["en"], "title": "a\x00b",
                                 "sections": {"spans": [[0, 1, "en"]], "translated": []}, "source_group": "d1"})
        db.claims.insert(tx, [claim], [0], np.arange(4, dtype=np.float32)[None], [["e:meta"]])
        db.verdicts.save(tx, "c1", "unverified", 0.2, [EvidenceOut(
            document_id="d2", quote="q", start=0, end=1, stance="neutral", score=0.1, same_source=False,
            rationale="r")], "offline", None, "ingest")


def test_repositories_round_trip_on_postgres(database_url):  # noqa: F811
    db = Database(database_url)
    _one_claim(db)
    stored = db.claims.get("c1")
    assert stored.claim.entities == ["Meta"] and stored.verdict == "unverified"
    assert np.array_equal(stored.vec, np.arange(4, dtype=np.float32))
    assert db.claims.ids_for_keys(["e:meta"], None, 5) == [("c1", 1)]
    assert db.claims.ids_for_keys(["e:meta"], "d1", 5) == []
    assert db.documents.get("d1").title == "ab"  # Postgres text cannot hold NUL: metadata loses it
    # A lookup by a value holding NUL (from a request) finds nothing, as nothing stored can hold one.
    assert db.documents.get("d1\x00") is None and db.claims.get("c\x00") is None
    assert db.claims.page(verdict=None, document_id=None, q="\x00", checkworthy=None, limit=5, after_seq=None) == []
    db.llm_cache.put("k", "p", "m", "first", 1, 2)
    db.llm_cache.put("k", "p", "m", "second", 1, 2)  # the same key again (another host) replaces, never fails
    assert db.llm_cache.get("k") == "second" and len(db.llm_cache) == 1


def _someone_waits_on_an_advisory_lock(db: Database) -> bool:
    with db.session.read() as connection:
        return bool(connection.execute(text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar())


def test_event_ids_become_visible_in_commit_order(database_url):  # noqa: F811
    """A transaction that appends an event blocks the next appender until it commits, so a reader can never see
    id N+1 while N is still uncommitted (a stream that moved past N+1 would never send N)."""
    db = Database(database_url)
    _one_claim(db)
    first_review = ReviewIn(verdict="corroborated", reviewer="ed", note="first")
    claim = type("ClaimRef", (), {"id": "c1", "document_id": "d1", "verdict": "unverified", "confidence": 0.2})
    second = Database(database_url)  # another host
    done = threading.Event()
    result: dict = {}

    with db.transaction() as tx:
        first_id = db.events.append_in(tx, "review_added", {"claim_id": "c1", "document_id": "d1"})

        def second_writer() -> None:
            result["review"] = second.reviews.add(claim, first_review)
            done.set()

        thread = threading.Thread(target=second_writer)
        thread.start()
        # Wait (bounded) until the second writer is queued behind this transaction in the database.
        for _ in range(600):
            if _someone_waits_on_an_advisory_lock(db) or done.is_set():
                break
            threading.Event().wait(0.05)
        assert not done.is_set(), "the second appender committed while an earlier event was uncommitted"
        assert all(e.id < first_id for e in db.events.after(0))  # nothing beyond the open transaction is visible
    thread.join(60)
    assert done.is_set()
    ids = [e.id for e in db.events.after(0)]
    assert ids == sorted(ids) and ids[-1] > first_id and first_id in ids


def test_an_embedded_store_copies_into_postgres_and_keeps_its_ids(database_url, tmp_path):  # noqa: F811
    from service.db.transfer import main as copy_main

    sqlite_path = tmp_path / "factcheck.sqlite3"
    source = Database.sqlite(sqlite_path)
    _one_claim(source)
    source.reviews.add(type("ClaimRef", (), {"id": "c1", "document_id": "d1", "verdict": "unverified",
                                             "confidence": 0.2}), ReviewIn(verdict="corroborated", reviewer="ed"))
    events_before = [(e.id, e.type) for e in source.events.after(0)]
    source.close()
    assert copy_main([f"sqlite:///{sqlite_path}", database_url]) == 0
    target = Database(database_url)
    assert target.claims.get("c1").claim.entities == ["Meta"]
    assert [(e.id, e.type) for e in target.events.after(0)] == events_before  # stream cursors stay valid
    assert [r.verdict for r in target.reviews.for_claim("c1")] == ["corroborated"]
    with target.transaction() as tx:  # new ids follow the copied ones
        new_id = target.events.append_in(tx, "review_added", {"claim_id": "c1"})
    assert new_id == events_before[-1][0] + 1
    assert copy_main([f"sqlite:///{sqlite_path}", database_url]) == 2  # never into a store that holds data
