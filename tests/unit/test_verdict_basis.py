"""How a verdict was reached (rule or model, strength, independent sources): derived, stored, sorted, filtered."""

from __future__ import annotations

import numpy as np
import pytest
from alembic import command
from sqlalchemy import text

from service.db import Database
from service.db.migrate import _config
from service.models import Claim, EvidenceOut
from service.pipeline.verdict_basis import verdict_basis
from service.pipeline.verdicts import raw_decision


def ev(stance: str, score: float, *, doc: str = "d2", group: str | None = None, same: bool = False,
       basis: str = "model", kind: str = "evidence") -> EvidenceOut:
    return EvidenceOut(document_id=doc, quote="q", start=0, end=1, stance=stance, score=score, same_source=same,
                       source_group=group or doc, rationale="r", basis=basis, kind=kind)


def test_two_matching_figures_from_independent_sources_outweigh_a_weak_model_guess():
    figures = verdict_basis("corroborated", [ev("supports", 0.9, doc="d2", basis="rule"),
                                             ev("supports", 0.9, doc="d3", basis="rule")])
    guess = verdict_basis("corroborated", [ev("supports", 0.41, doc="d2")])
    assert (figures.basis, figures.independent_sources) == ("rule", 2)
    assert (guess.basis, guess.independent_sources, guess.strength) == ("model", 1, 0.41)
    assert figures.strength == pytest.approx(0.99) and figures.strength > guess.strength


def test_copies_and_translations_count_once_and_same_source_evidence_not_at_all():
    evidence = [ev("supports", 0.6, doc="d2", group="g"), ev("supports", 0.7, doc="d3", group="g"),
                ev("supports", 0.95, doc="d0", same=True, basis="rule")]
    b = verdict_basis("corroborated", evidence)
    assert (b.basis, b.independent_sources) == ("model", 1)  # the rule-decided item is the claim's own source
    assert b.strength == pytest.approx(0.7)  # the strongest copy, once


def test_a_rule_outranks_the_model_and_decides_alone():
    evidence = [ev("refutes", 0.8, doc="d2"), ev("supports", 0.9, doc="d3", basis="rule")]
    assert raw_decision(evidence).verdict == "corroborated"  # the model's refutation does not count
    b = verdict_basis("corroborated", evidence)
    assert (b.basis, b.independent_sources) == ("rule", 1)
    assert b.strength == round(raw_decision([ev("supports", 0.9, doc="d3", basis="rule")]).raw, 3)


def test_a_denial_in_the_claims_own_article_is_rule_decided_with_no_independent_source():
    b = verdict_basis("disputed", [ev("refutes", 0.9, doc="d1", same=True, basis="rule", kind="denial")])
    assert (b.basis, b.strength, b.independent_sources) == ("rule", 0.9, 0)


def test_nothing_stands_behind_an_unverified_verdict():
    for evidence in ([], [ev("supports", 0.8, same=True)]):
        b = verdict_basis("unverified", evidence)
        assert (b.basis, b.strength, b.independent_sources) == (None, 0.0, 0)


def _store(tmp_path, n: int) -> Database:
    db = Database.sqlite(tmp_path / "f.sqlite3")
    claims = [Claim(id=f"c{i}", document_id="d1", index=i, text=f"claim {i}", quote="x", start=0, end=1,
                    language="en") for i in range(n)]
    with db.transaction() as tx:
        for doc in ("d1", "d2", "d3"):
            db.documents.insert(tx, {"id": doc, "text": "x", "language": "en", "languages": ["en"], "sections": [],
                                     "source_group": doc})
        db.claims.insert(tx, claims, [0] * n, np.zeros((n, 4)), [[] for _ in claims])
    return db


# (verdict, evidence) for each claim: strengths repeat, so that ties cross page boundaries.
CORPUS = [
    ("corroborated", [ev("supports", 0.41)]),
    ("corroborated", [ev("supports", 0.9, basis="rule"), ev("supports", 0.9, doc="d3", basis="rule")]),
    ("unverified", []),
    ("contradicted", [ev("refutes", 0.41)]),
    ("corroborated", [ev("supports", 0.6), ev("supports", 0.5, doc="d3")]),
    ("disputed", [ev("refutes", 0.9, doc="d1", same=True, basis="rule", kind="denial")]),
    ("corroborated", [ev("supports", 0.41, basis="rule")]),
    ("unverified", []),
]


@pytest.fixture
def listed(tmp_path) -> Database:
    db = _store(tmp_path, len(CORPUS))
    with db.transaction() as tx:
        for i, (verdict, evidence) in enumerate(CORPUS):
            db.verdicts.save(tx, f"c{i}", verdict, 0.3 + i / 100, evidence, "offline", None, "ingest",
                             verdict_basis(verdict, evidence))
    return db


def _all_pages(db: Database, limit: int, **filters) -> list[str]:
    from service.pipeline.reports import Reports

    reports, out, cursor = Reports(db), [], None
    while True:
        items, cursor = reports.claims(limit=limit, after_seq=cursor, **filters)
        out += [c.id for c in items]
        if cursor is None:
            return out


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_model_decided_weakest_first_pages_without_loss_or_repeat(listed, limit):
    assert _all_pages(listed, limit, basis="model", sort="strength") == ["c0", "c3", "c4"]
    expected = sorted(range(len(CORPUS)), key=lambda i: (verdict_basis(*CORPUS[i]).strength, i))
    assert _all_pages(listed, limit, sort="strength") == [f"c{i}" for i in expected]
    expected = sorted(range(len(CORPUS)), key=lambda i: (-verdict_basis(*CORPUS[i]).independent_sources, i))
    assert _all_pages(listed, limit, sort="-sources") == [f"c{i}" for i in expected]
    assert _all_pages(listed, limit, sort="-confidence") == [f"c{i}" for i in reversed(range(len(CORPUS)))]


def test_filters_by_basis_and_sources(listed):
    assert _all_pages(listed, 50, basis="rule") == ["c1", "c5", "c6"]
    assert _all_pages(listed, 50, basis="none") == ["c2", "c7"]
    assert _all_pages(listed, 50, min_sources=2) == ["c1", "c4"]
    assert _all_pages(listed, 50, max_sources=0, verdict="disputed") == ["c5"]
    (report,) = listed_reports(listed, "c1")
    assert (report.basis, report.strength, report.independent_sources) == ("rule", 0.99, 2)
    assert {e.source_group for e in report.evidence} == {"d2", "d3"}  # read from the documents table


def listed_reports(db: Database, claim_id: str):
    from service.pipeline.reports import Reports

    return [Reports(db).claim(claim_id)]


def test_a_cursor_whose_claim_was_deleted_still_continues_after_it(listed):
    from service.pipeline.reports import Reports

    reports = Reports(listed)
    first, cursor = reports.claims(limit=3, sort="strength")
    with listed.transaction() as tx:
        tx.execute(text("DELETE FROM claims WHERE id = :id"), {"id": first[-1].id})
    rest = _rest(reports, cursor)
    whole = _all_pages(listed, 50, sort="strength")
    assert [c.id for c in first[:-1]] + rest == whole


def _rest(reports, cursor) -> list[str]:
    out = []
    while cursor is not None:
        items, cursor = reports.claims(limit=2, after_seq=cursor, sort="strength")
        out += [c.id for c in items]
    return out


def test_the_migration_gives_stored_verdicts_their_basis(tmp_path):
    path = tmp_path / "f.sqlite3"
    config = _config()
    db = Database.sqlite(path)  # at head: step back to before the columns, as a store of the previous version
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        connection.execute(text(
            "INSERT INTO documents (id, text, language, languages, sections, source_group, created_at) VALUES"
            " ('d1', 'x', 'en', '[\"en\"]', '[]', 'd1', 1), ('d2', 'x', 'en', '[\"en\"]', '[]', 'g', 1),"
            " ('d3', 'x', 'en', '[\"en\"]', '[]', 'g', 1), ('d4', 'x', 'en', '[\"en\"]', '[]', 'd4', 1)"))
        for i, verdict in enumerate(["corroborated", "unverified"]):
            connection.execute(text(
                "INSERT INTO claims (id, document_id, idx, text, quote, start, \"end\", language, checkworthy,"
                " quantities, entities, negated, qvec, pvec, verdict, confidence, updated_at) VALUES"
                f" ('c{i}', 'd1', {i}, 'x', 'x', 0, 1, 'en', 1, '[]', '[]', 0, x'00000000', x'00000000', '{verdict}', 0.3, 1)"))
        connection.execute(text(
            "INSERT INTO evidence (claim_id, position, document_id, quote, start, \"end\", stance, score, same_source,"
            " rationale, backend, kind, basis) VALUES"
            " ('c0', 0, 'd2', 'q', 0, 1, 'supports', 0.6, 0, 'r', 'offline', 'evidence', 'model'),"
            " ('c0', 1, 'd3', 'q', 0, 1, 'supports', 0.8, 0, 'r', 'offline', 'evidence', 'model'),"
            " ('c0', 2, 'd4', 'q', 0, 1, 'supports', 0.5, 0, 'r', 'offline', 'evidence', 'rule')"))
    db.close()
    db = Database.sqlite(path)  # upgrades again
    c0, c1 = db.claims.get("c0"), db.claims.get("c1")
    assert (c0.basis, c0.independent_sources, c0.strength) == ("rule", 1, 0.5)  # d4's rule outranks the model
    assert (c1.basis, c1.independent_sources, c1.strength) == (None, 0, 0.0)
