"""Documents are verified outside the corpus write lock: one document's verification never holds up another's
storing and verifying, and a verdict computed before a later document arrived never overwrites the verdicts that
later document caused. The result equals the same documents ingested one after the other."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from service.checker import FactChecker
from service.db.locks import OwnerLease
from service.pipeline.prepare import document_id_for
from tests.reliability.test_repair import DOCS, Crash, open_checker
from tests.support import sql

BASE, A, B = DOCS[:6], DOCS[6], DOCS[7]  # B changes verdicts of A's claims when it arrives after A


def verdicts(checker: FactChecker) -> dict[str, str]:
    return dict(sql(checker, "SELECT id, verdict FROM claims"))


def test_a_document_stored_while_another_is_verified_is_seen_and_never_overwritten(tmp_path):
    reference = open_checker(tmp_path / "one-by-one")
    for d in [*BASE, A, B]:
        reference.ingest(d)
    expected = verdicts(reference)
    b_caused = sql(reference, "SELECT COUNT(*) FROM verdict_history WHERE reason = 'document_added'")[0][0]
    assert b_caused, "B must change verdicts of earlier claims, or this test proves nothing"

    checker = open_checker(tmp_path / "interleaved")
    for d in BASE:
        checker.ingest(d)
    verify = checker.verifier.verify
    a_verified, b_done = threading.Event(), threading.Event()
    held: list[bool] = []

    def verify_a_then_wait_for_b(p):
        """A's verdicts are computed before B is stored, and saved only after B's ingest (and the recomputation of
        A's claims it causes) has finished."""
        result = verify(p)
        if threading.current_thread() is a_thread and not a_verified.is_set():
            held.append(checker.db.lock._depth > 0)
            a_verified.set()
            assert b_done.wait(120), "B's ingest did not finish while A was being verified"
        return result

    checker.verifier.verify = verify_a_then_wait_for_b
    errors: list[BaseException] = []

    def ingest_a():
        try:
            checker.ingest(A)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    a_thread = threading.Thread(target=ingest_a)
    a_thread.start()
    assert a_verified.wait(120)
    checker.ingest(B)  # would wait for A forever if A's verification held the lock
    b_done.set()
    a_thread.join(120)
    assert not a_thread.is_alive() and not errors, errors
    assert held == [False], "A was verified under the corpus write lock"
    assert verdicts(checker) == expected
    assert checker.db.documents.pending() == []


def test_the_next_ingest_finishes_only_the_pending_documents_whose_owner_died(tmp_path, monkeypatch):
    checker = open_checker(tmp_path)
    for d in BASE:
        checker.ingest(d)
    monkeypatch.setattr(checker.ingestor, "_verify_new", lambda *a, **k: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        checker.ingest(A)
    monkeypatch.undo()
    a_id = document_id_for(A.text)
    other = OwnerLease(tmp_path)  # another process on this host, verifying A right now
    with checker.db.transaction() as tx:
        tx.execute(text("UPDATE pending_documents SET owner = :o"), {"o": other.hold()})
    checker.ingest(B)
    assert checker.db.documents.pending() == [a_id], "a live ingest's document was taken from it"
    assert checker.repair()["documents_resumed"] == 0
    other.close()  # ... and it dies
    checker.ingest(DOCS[8])
    assert checker.db.documents.pending() == []
    assert sql(checker, "SELECT COUNT(*) FROM claims c WHERE c.document_id = :d AND NOT EXISTS"
                        " (SELECT 1 FROM verdict_history h WHERE h.claim_id = c.id)", d=a_id)[0][0] == 0


def test_a_verdict_computed_before_a_deletion_and_saved_after_it_cites_nothing_deleted(tmp_path):
    checker = open_checker(tmp_path)
    for d in [*BASE, A]:
        checker.ingest(d)
    a_id = document_id_for(A.text)
    verify = checker.verifier.verify
    b_verified, a_deleted = threading.Event(), threading.Event()

    def verify_b_then_wait_for_the_deletion(p):
        result = verify(p)
        if threading.current_thread() is b_thread and not b_verified.is_set():
            assert any(e.document_id == a_id for v in result for e in v.evidence), "B must cite A"
            b_verified.set()
            assert a_deleted.wait(120)
        return result

    checker.verifier.verify = verify_b_then_wait_for_the_deletion
    b_thread = threading.Thread(target=checker.ingest, args=(B,))
    b_thread.start()
    assert b_verified.wait(120)
    checker.delete(a_id)  # B's verdicts, computed while A existed, are saved after this
    a_deleted.set()
    b_thread.join(120)
    assert not b_thread.is_alive()
    assert sql(checker, "SELECT COUNT(*) FROM evidence WHERE document_id = :d", d=a_id)[0][0] == 0
    assert checker.db.documents.pending() == []
