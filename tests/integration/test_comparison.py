"""Comparison on a story the seeds do not tell: independence, figures aligned to what they count, denials across
documents and languages (issue 13). Articles in tests/fixtures/comparison/, written for these tests."""

from __future__ import annotations

import pytest

from service.models import DocumentIn
from tests.support import FIXTURES, find_claim, open_checker

STORY = FIXTURES / "comparison"


def _doc(name: str) -> DocumentIn:
    return DocumentIn(text=(STORY / name).read_text(encoding="utf-8"), source=name, title=name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, embedder):
    """The long French article, its English translation and a short Vietnamese report in its own words."""
    checker = open_checker(tmp_path_factory.mktemp("comparison"), embedder)
    names = ["fr_ligne_long.txt", "en_ligne_translation.txt", "vi_ligne_short.txt"]
    reports = [r for r, _ in checker.ingest_many([_doc(n) for n in names])]
    return checker, {n: checker.document_report(r.id) for n, r in zip(names, reports)}


def test_a_translation_joins_the_source_group_with_its_coverage(corpus):
    _, docs = corpus
    fr, en = docs["fr_ligne_long.txt"], docs["en_ligne_translation.txt"]
    assert fr.source_group == en.source_group
    grouped = fr.grouping or en.grouping
    assert grouped is not None and min(grouped.coverage, grouped.other_coverage) >= 0.6


def test_a_short_report_in_its_own_words_stays_independent_and_corroborates(corpus):
    _, docs = corpus
    vi, fr = docs["vi_ligne_short.txt"], docs["fr_ligne_long.txt"]
    assert vi.source_group != fr.source_group and vi.grouping is None
    stations = find_claim(vi, "48 nhà ga")
    assert stations.verdict == "corroborated"
    assert any(e.document_id in (fr.id, docs["en_ligne_translation.txt"].id) and not e.same_source
               and e.stance == "supports" for e in stations.evidence)


def test_the_translation_does_not_corroborate_its_original(corpus):
    _, docs = corpus
    fr, en = docs["fr_ligne_long.txt"], docs["en_ligne_translation.txt"]
    operate = find_claim(en, "operate the line for ten years")
    assert all(e.same_source for e in operate.evidence if e.document_id == fr.id)
    assert operate.verdict == "unverified"  # only its own source says so


def test_figures_of_other_things_do_not_conflict(tmp_path, embedder):
    checker = open_checker(tmp_path / "d", embedder)
    (long, _), (other, _) = checker.ingest_many([_doc("fr_ligne_long.txt"), _doc("en_ligne_other_figures.txt")])
    for claim in checker.document_report(other.id).claims + checker.document_report(long.id).claims:
        assert not any(e.stance == "refutes" for e in claim.evidence), (claim.text, claim.evidence)


def test_two_counts_of_one_thing_conflict_across_languages(tmp_path, embedder):
    checker = open_checker(tmp_path / "d", embedder)
    (english, _), (revised, _) = checker.ingest_many([_doc("en_ligne_translation.txt"), _doc("fr_ligne_conflict.txt")])
    stations = find_claim(checker.document_report(english.id), "48 stations")
    refuting = [e for e in stations.evidence if e.stance == "refutes" and e.document_id == revised.id]
    assert refuting and "48" in refuting[0].rationale and "52" in refuting[0].rationale
    assert stations.verdict in ("contradicted", "disputed")


def test_a_denial_in_another_language_disputes_the_allegation(tmp_path, embedder):
    checker = open_checker(tmp_path / "d", embedder)
    (allegation, _), (denial, _) = checker.ingest_many([_doc("fr_ligne_allegation.txt"), _doc("en_ligne_denial.txt")])
    bribes = find_claim(checker.document_report(allegation.id), "pots-de-vin")
    assert bribes.verdict == "disputed"
    denied = [e for e in bribes.evidence if e.kind == "denial" and e.document_id == denial.id]
    assert denied and "Alvora Rail" in denied[0].rationale
