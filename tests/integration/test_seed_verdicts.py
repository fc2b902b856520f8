"""What the seed corpus must show (issue 2), and my own articles that contradict it in three languages."""

import pytest

from tests.support import FIXTURES, SEEDS, doc, find_claim, open_checker

FR_VI_SEED, FR_SEED = SEEDS


@pytest.fixture(scope="module")
def reports(seeded):
    return [seeded.document_report(seeded.db.documents.page(10, None)[i].id) for i in range(2)]


def test_scale_ai_investments_corroborate_each_other(reports):
    fr_143 = find_claim(reports, "14,3 milliards de dollars")
    vi_143 = find_claim(reports, "14,3 tỷ USD")
    fr_14 = find_claim(reports, "14 milliards de dollars")
    for claim in (fr_143, vi_143, fr_14):
        assert claim.verdict == "corroborated"
        independent = [e for e in claim.evidence if not e.same_source and e.stance == "supports"]
        assert independent, claim
        assert "14.3" in independent[0].rationale and "14 billion" in independent[0].rationale


def test_altman_claim_is_disputed_because_meta_denied_it(reports):
    altman = find_claim(reports, "Sam Altman, a affirmé")
    assert altman.attribution.speaker == "Sam Altman"
    assert altman.verdict == "disputed"
    assert any(e.kind == "denial" and e.rationale == "denied by Meta" for e in altman.evidence)


def test_zhao_joining_meta_is_unverified(reports):
    zhao = find_claim(reports, "Shengjia Zhao")
    assert zhao.checkworthy
    assert zhao.verdict == "unverified"
    assert not [e for e in zhao.evidence if not e.same_source]


def test_french_and_vietnamese_halves_are_one_source(reports):
    fr_143 = find_claim(reports, "14,3 milliards de dollars")
    vi_143 = find_claim(reports, "14,3 tỷ USD")
    same = [e for e in fr_143.evidence if e.same_source]
    assert any(e.claim_id == vi_143.id for e in same), "the Vietnamese half is listed as same-source evidence"
    benioff_fr = find_claim(reports, "Marc Benioff de Salesforce")
    # Only the other half of the same article supports it: that never corroborates.
    assert benioff_fr.verdict == "unverified"
    assert all(e.same_source for e in benioff_fr.evidence)


def test_evidence_quotes_are_located(seeded, reports):
    texts = {r.id: r.text for r in reports}
    for report in reports:
        for claim in report.claims:
            assert report.text[claim.start : claim.end] == claim.quote
            for e in claim.evidence:
                assert texts[e.document_id][e.start : e.end] == e.quote


def test_a_translated_copy_joins_the_source_group_and_never_corroborates(tmp_path, embedder):
    """Seed 000's Vietnamese half posted on its own is a copy of seed 000: same group, no corroboration."""
    checker = open_checker(tmp_path / "d", embedder)
    text = FR_VI_SEED.read_text(encoding="utf-8")
    vi_half = text[text.index("Những người đầu tiên") :]
    (original, _), = checker.ingest_many([doc(FR_VI_SEED)])
    from service.models import DocumentIn

    copy, created = checker.ingest(DocumentIn(text=vi_half, source="vi-copy"))
    assert created and copy.source_group == original.source_group
    claim = find_claim(copy, "14,3 tỷ USD")
    assert claim.verdict == "unverified"
    assert claim.evidence and all(e.same_source for e in claim.evidence)


@pytest.fixture(scope="module")
def contested(tmp_path_factory, embedder):
    """Seeds plus my fixture articles: figures (en), who joined whom (fr), percentages (vi), a confirmation."""
    checker = open_checker(tmp_path_factory.mktemp("contested"), embedder)
    seeds = checker.ingest_many([doc(p) for p in SEEDS])
    before = {c.id: c.verdict for r, _ in seeds for c in r.claims}
    names = ["en_scale_ai_4bn.txt", "fr_zhao_google.txt", "vi_benioff_30.txt"]
    added = checker.ingest_many([doc(FIXTURES / n) for n in names])
    reports = [checker.document_report(r.id) for r, _ in seeds] + [r for r, _ in added]
    return checker, before, reports


def test_a_lower_figure_contradicts_and_turns_corroboration_into_dispute(contested):
    checker, before, reports = contested
    four = find_claim(reports, "$4 billion")
    assert four.verdict == "contradicted"
    assert any("14.3 billion" in e.rationale and "4 billion" in e.rationale for e in four.evidence)
    fr_14 = find_claim(reports, "14 milliards de dollars")
    assert before[fr_14.id] == "corroborated" and fr_14.verdict == "disputed"
    history = checker.claim_report(fr_14.id).history
    assert [h.verdict for h in history] == ["corroborated", "disputed"]
    assert history[-1].cause_document_id == four.document_id and history[-1].reason == "document_added"


def test_joining_a_different_company_contradicts(contested):
    _, before, reports = contested
    zhao_google = find_claim(reports, "Google DeepMind")
    assert zhao_google.verdict == "contradicted"
    zhao_meta = find_claim(reports, "Shengjia Zhao", "Meta")
    assert before[zhao_meta.id] == "unverified" and zhao_meta.verdict == "contradicted"
    assert any("different organisation" in e.rationale for e in zhao_meta.evidence)


def test_a_different_percentage_contradicts_across_languages(contested):
    _, _, reports = contested
    benioff_vi = find_claim(reports, "tối đa 30%")
    assert benioff_vi.verdict == "contradicted"
    benioff_fr = find_claim(reports, "Marc Benioff de Salesforce")
    assert benioff_fr.verdict == "contradicted"
    assert any("50%" in e.rationale and "30%" in e.rationale for e in benioff_fr.evidence if not e.same_source)


def test_every_verdict_occurs(contested):
    _, _, reports = contested
    verdicts = {c.verdict for r in reports for c in r.claims}
    assert verdicts == {"corroborated", "contradicted", "disputed", "unverified"}


def test_deleting_the_contradicting_article_restores_the_verdict(tmp_path, embedder):
    checker = open_checker(tmp_path / "d", embedder)
    seeds = checker.ingest_many([doc(p) for p in SEEDS])
    (four, _), = checker.ingest_many([doc(FIXTURES / "en_scale_ai_4bn.txt")])
    fr_14 = find_claim([checker.document_report(r.id) for r, _ in seeds], "14 milliards de dollars")
    assert fr_14.verdict == "disputed"
    checker.delete(four.id)
    after = checker.claim_report(fr_14.id)
    assert after.verdict == "corroborated"
    assert after.history[-1].reason == "document_deleted" and after.history[-1].cause_document_id == four.id


def test_a_denial_in_another_article_disputes_the_claim(tmp_path, embedder):
    from service.models import DocumentIn

    checker = open_checker(tmp_path / "d", embedder)
    (claim_doc, _), (denial_doc, _) = checker.ingest_many([
        DocumentIn(text="Meta offered OpenAI researchers pay packages of up to $1 billion, Sam Altman said on a podcast."),
        DocumentIn(text="Meta denied that it offered OpenAI researchers pay packages of up to $1 billion."),
    ])
    claim = checker.document_report(claim_doc.id).claims[0]
    assert claim.verdict == "disputed"
    assert any(e.kind == "denial" and e.document_id == denial_doc.id for e in claim.evidence)
