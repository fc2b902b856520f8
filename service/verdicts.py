"""Verdict rules of DESIGN.md, and a confidence that reads as the probability of the verdict given.

Each independent piece of evidence that supports (refutes) is treated as an independent chance p that the
claim is supported (refuted); S = 1 - prod(1 - p) over supporting evidence, R likewise. The verdict follows
the rules; its confidence is S(1-R) for corroborated, R(1-S) for contradicted, max(S·R, denial strength) for
disputed, and (1-S)(1-R) for unverified.
"""

from __future__ import annotations

import math

from service.models import EvidenceOut, Verdict


UNVERIFIED_PRIOR = 0.75


def _combine(scores: list[float]) -> float:
    return 1.0 - math.prod(1.0 - min(max(s, 0.0), 0.99) for s in scores)


def _per_source(evidence: list[EvidenceOut], stance: str) -> list[float]:
    """The strongest score per source group: two copies of one story are one piece of evidence."""
    best: dict[str, float] = {}
    for e in evidence:
        if e.stance == stance:
            group = e.source_group or e.document_id
            best[group] = max(best.get(group, 0.0), e.score)
    return list(best.values())


def decide(evidence: list[EvidenceOut]) -> tuple[Verdict, float]:
    """Verdict and confidence of a claim from its evidence."""
    independent = [e for e in evidence if not e.same_source]
    support = _combine(_per_source(independent, "supports"))
    refute = _combine(_per_source(independent, "refutes"))
    # A denial counts even inside the claim's own document (DESIGN.md: "a denial counts ...").
    denials = [e for e in evidence if e.kind in ("denial", "assertion") and e.stance == "refutes"]
    if denials:
        denial = _combine([e.score for e in denials])
        return "disputed", round(max(denial, support * refute), 3)
    has_support = any(e.stance == "supports" for e in independent)
    has_refute = any(e.stance == "refutes" for e in independent)
    if has_support and has_refute:
        return "disputed", round(max(support * refute, min(support, refute)), 3)
    if has_support:
        return "corroborated", round(support * (1 - refute), 3)
    if has_refute:
        return "contradicted", round(refute * (1 - support), 3)
    # "Nothing decides it" is itself uncertain: the corpus may hold evidence the analyser did not recognise.
    return "unverified", round(UNVERIFIED_PRIOR * (1 - support) * (1 - refute), 3)
