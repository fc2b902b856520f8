"""The persistence layer: migrations recorded in the database, stores from before migrations adopted in place,
and a migrated database that matches the one schema definition."""

from __future__ import annotations

import sqlite3

import numpy as np
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from service.db import Database
from service.db.migrate import current, head
from service.db.schema import metadata
from service.models import Claim, EvidenceOut
from tests.support import FIXTURES


def test_a_fresh_store_is_at_the_newest_migration_and_matches_the_schema(tmp_path):
    db = Database.sqlite(tmp_path / "f.sqlite3")
    assert current(db.engine) == head()
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diffs == []


def test_opening_twice_migrates_once(tmp_path):
    Database.sqlite(tmp_path / "f.sqlite3").close()
    db = Database.sqlite(tmp_path / "f.sqlite3")
    with sqlite3.connect(tmp_path / "f.sqlite3") as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [(head(),)]
    assert db.documents.count() == 0


def _legacy_store(path) -> None:
    with sqlite3.connect(path) as raw:
        raw.executescript((FIXTURES / "legacy_store.sql").read_text(encoding="utf-8"))
        raw.execute("INSERT INTO documents (id, text, language, languages, sections, source_group, created_at)"
                    " VALUES ('d1', 'x y', 'en', '[\"en\"]', '{\"spans\": [], \"translated\": []}', 'd1', 1.0)")
        raw.execute("INSERT INTO claims (id, document_id, idx, text, quote, start, \"end\", language, checkworthy,"
                    " quantities, entities, negated, qvec, pvec, updated_at)"
                    " VALUES ('c1', 'd1', 0, 'x', 'x', 0, 1, 'en', 1, '[]', '[]', 0, ?, ?, 1.0)",
                    (np.zeros(4, np.float32).tobytes(), np.zeros(4, np.float32).tobytes()))
        raw.executemany("INSERT INTO claim_keys (key, claim_id, document_id) VALUES (?, 'c1', 'd1')",
                        [("e:first",), ("e:second",)])


def test_a_store_from_before_migrations_is_adopted_and_upgraded_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    _legacy_store(path)
    db = Database.sqlite(path)
    assert current(db.engine) == head()
    assert db.documents.get("d1").text == "x y" and db.claims.get("c1").claim.text == "x"
    # Key postings keep their order (the newest first is what bounds each key's lookup).
    assert [r[0] for r in db.session.all(metadata.tables["claim_keys"].select().order_by("id"))] == [1, 2]
    with db.transaction() as tx:  # the old trigger is gone: one event per verdict change, from the application
        db.verdicts.save(tx, "c1", "corroborated", 0.8, [], "offline", None, "ingest")
    assert [e.payload["verdict"] for e in db.events.after(0)] == ["corroborated"]


def test_evidence_from_before_it_recorded_its_basis_reads_as_model_decided(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE evidence (claim_id TEXT NOT NULL, position INTEGER NOT NULL, document_id TEXT NOT NULL,"
                    " evidence_claim_id TEXT, quote TEXT NOT NULL, start INTEGER NOT NULL, \"end\" INTEGER NOT NULL,"
                    " stance TEXT NOT NULL, score REAL NOT NULL, same_source INTEGER NOT NULL, rationale TEXT NOT NULL,"
                    " backend TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (claim_id, position))")
        raw.execute("INSERT INTO evidence VALUES ('c1', 0, 'd2', 'c2', 'q', 0, 1, 'supports', 0.8, 0, 'r', 'offline',"
                    " 'evidence')")
    (evidence,) = Database.sqlite(path).verdicts.evidence_of(["c1"])["c1"]
    assert evidence.basis == "model" and evidence.stance == "supports"


def _one_claim_store(tmp_path) -> Database:
    db = Database.sqlite(tmp_path / "factcheck.sqlite3")
    claim = Claim(id="c1", document_id="d1", index=0, text="x", quote="x", start=0, end=1, language="en")
    with db.transaction() as tx:
        db.documents.insert(tx, {"id": "d1", "text": "x", "language": "en", "languages": ["en"], "sections": [],
                                 "source_group": "d1"})
        db.claims.insert(tx, [claim], [0], np.zeros((1, 4)), [[]])
    return db


def test_a_verdict_change_becomes_an_event_with_its_cause_and_time(tmp_path, monkeypatch):
    from service.db import verdicts as verdict_repository

    db = _one_claim_store(tmp_path)
    monkeypatch.setattr(verdict_repository.time, "time", lambda: 1795323600.25)
    with db.transaction() as tx:
        db.verdicts.save(tx, "c1", "disputed", 0.7, [], "offline", "d2", "document_added")
    [event] = db.events.after(0)
    assert event.type == "verdict_changed" and event.document_id == "d1"
    assert event.payload == {"claim_id": "c1", "document_id": "d1", "verdict": "disputed", "confidence": 0.7,
                             "cause_document_id": "d2", "reason": "document_added", "at": "2026-11-22T05:00:00.250Z"}


def test_only_verdict_changes_reach_the_event_log(tmp_path):
    db = _one_claim_store(tmp_path)
    with db.transaction() as tx:
        db.verdicts.save(tx, "c1", "unverified", 0.0, [], "offline", None, "ingest")
    with db.transaction() as tx:
        db.verdicts.save(tx, "c1", "corroborated", 0.8, [], "offline", "d2", "document_added")
    with db.transaction() as tx:  # unchanged verdict: no history row, no event
        db.verdicts.save(tx, "c1", "corroborated", 0.9, [], "offline", "d3", "document_added")
    events = db.events.after(0)
    assert [(e.payload["verdict"], e.payload["reason"], e.payload["cause_document_id"]) for e in events] == [
        ("unverified", "ingest", None), ("corroborated", "document_added", "d2")]
    assert all(e.document_id == "d1" for e in events)


def test_claims_come_back_typed_with_their_vectors(tmp_path):
    db = Database.sqlite(tmp_path / "f.sqlite3")
    claim = Claim(id="c1", document_id="d1", index=0, text="Meta invested $14.3 billion.", quote="q", start=0, end=1,
                  language="en", entities=["Meta"])
    vec = np.arange(4, dtype=np.float32)[None]
    with db.transaction() as tx:
        db.documents.insert(tx, {"id": "d1", "text": "q", "language": "en", "languages": ["en"],
                                 "sections": {"spans": [[0, 1, "en"]], "translated": []}, "source_group": "d1"})
        db.claims.insert(tx, [claim], [0], vec, [["e:meta"]])
        db.verdicts.save(tx, "c1", "unverified", 0.2, [EvidenceOut(
            document_id="d2", quote="q", start=0, end=1, stance="neutral", score=0.1, same_source=False,
            rationale="r")], "offline", None, "ingest")
    stored = db.claims.get("c1")
    assert stored.claim == claim and stored.verdict == "unverified"
    assert np.array_equal(stored.vec, vec[0])
    assert db.documents.get("d1").sections == [(0, 1, "en")]
    assert db.claims.ids_for_keys(["e:meta"], None, 5) == [("c1", 1)]
    assert db.claims.ids_for_keys(["e:meta"], "d1", 5) == []
    assert [h.reason for h in db.verdicts.history("c1")] == ["ingest"]


def test_a_claim_that_is_not_self_contained_says_so_after_storage(tmp_path):
    db = Database.sqlite(tmp_path / "f.sqlite3")
    claim = Claim(id="c1", document_id="d1", index=0, text="Il prit fin en 2005.", quote="Il prit fin en 2005",
                  start=0, end=19, language="fr", self_contained=False)
    vectors = np.ones((1, 4), np.float32)
    with db.transaction() as tx:
        db.documents.insert(tx, {"id": "d1", "text": "Il prit fin en 2005.", "language": "fr", "languages": ["fr"],
                                 "sections": {"spans": [[0, 20, "fr"]], "translated": []}, "source_group": "d1"})
        db.claims.insert(tx, [claim], [0], vectors, [[]])
    assert db.claims.get("c1").claim.self_contained is False


def test_the_corpus_version_moves_with_every_stored_and_deleted_document(tmp_path):
    assert Database.sqlite(tmp_path / "empty.sqlite3").documents.corpus_version() == 0
    db = _one_claim_store(tmp_path)
    assert db.documents.corpus_version() == 1
    with db.transaction() as tx:
        db.documents.delete(tx, "d1")
    assert db.documents.corpus_version() == 2


def test_a_verdict_computed_against_an_older_corpus_never_replaces_a_newer_one(tmp_path):
    """Verification runs outside the corpus write lock: the verdict that saw more of the corpus stays, whichever
    of the two is saved last."""
    db = _one_claim_store(tmp_path)
    with db.transaction() as tx:
        assert db.verdicts.save(tx, "c1", "disputed", 0.7, [], "offline", "d3", "document_added", as_of=5)
    with db.transaction() as tx:
        assert not db.verdicts.save(tx, "c1", "corroborated", 0.8, [], "offline", "d2", "ingest", as_of=4)
    with db.transaction() as tx:
        assert not db.verdicts.save(tx, "gone", "corroborated", 0.8, [], "offline", "d2", "ingest", as_of=9)
    stored = db.claims.get("c1")
    assert (stored.verdict, stored.confidence) == ("disputed", 0.7)
    assert [h.verdict for h in db.verdicts.history("c1")] == ["disputed"]
    with db.transaction() as tx:  # the same or a later version replaces it
        assert db.verdicts.save(tx, "c1", "contradicted", 0.6, [], "offline", "d4", "document_added", as_of=5)
    assert db.claims.get("c1").verdict == "contradicted"
