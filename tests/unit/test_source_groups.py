"""Source groups: only texts that cover each other, claim for claim and in order, are one story."""

from __future__ import annotations

import numpy as np

from service.pipeline.source_groups import ALIGNED, counterparts, story_match


def _basis(n: int, dim: int = 64, seed: int = 0) -> np.ndarray:
    vecs = np.random.default_rng(seed).normal(size=(n, dim))
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def _near(vecs: np.ndarray, similarity: float, seed: int = 1) -> np.ndarray:
    """Vectors at about `similarity` (cosine) to `vecs`, row by row."""
    noise = _basis(len(vecs), vecs.shape[1], seed)
    noise -= (noise * vecs).sum(axis=1, keepdims=True) * vecs  # orthogonal to each row
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    return similarity * vecs + np.sqrt(1 - similarity**2) * noise


def test_a_translation_covers_its_original_and_back():
    original = _basis(8)
    translation = _near(original, ALIGNED + 0.05)
    match = story_match(original, original, translation, translation)
    assert match is not None and match.coverage == match.other_coverage == 1.0


def test_a_short_report_of_a_few_facts_stays_independent():
    article = _basis(10)
    report = _near(article[[2, 5, 7]], ALIGNED + 0.05)
    assert len(counterparts(report, report, article, article)) == 3  # every fact of the report is in the article
    assert story_match(report, report, article, article) is None  # but the article is not in the report


def test_the_same_facts_in_another_order_are_another_article():
    article = _basis(8)
    other = _near(article[[5, 2, 7, 0, 3, 6, 1, 4]], ALIGNED + 0.05)
    assert len(counterparts(article, article, other, other)) < 4
    assert story_match(article, article, other, other) is None


def test_one_shared_sentence_is_not_a_story():
    one = _basis(1)
    assert story_match(one, one, _near(one, 0.99), _near(one, 0.99)) is None
