"""The verdict rules (README, "Verdicts"), and a confidence that reads as the probability that the verdict is right.

Each independent piece of evidence that supports (refutes) is treated as an independent chance p that the
claim is supported (refuted); S = 1 - prod(1 - p) over supporting evidence, R likewise. The verdict follows
the rules; its raw score is S(1-R) for corroborated, R(1-S) for contradicted, max(S·R, denial strength) for
disputed, and (1-S)(1-R) for unverified. Evidence is not independent and the learned stance scores are
optimistic, so the raw score alone says little: the confidence is a logistic model per verdict over what decided
it (FEATURES: a deterministic check or the model, independent sources on each side, the strongest of each, a
denial, the raw score), fitted on the dev splits of labelled sets by `python -m evals.training.calibrate`
(data/verdict_calibration.json), so that it reads as how often such verdicts were right there.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from service.models import EvidenceOut, Verdict

CALIBRATION_PATH = Path(__file__).parent.parent / "analysis" / "data" / "verdict_calibration.json"


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


class Decision(NamedTuple):
    verdict: Verdict
    raw: float  # the uncalibrated score
    by_rule: bool  # a deterministic check produced evidence that counted


def counted(evidence: list[EvidenceOut]) -> list[EvidenceOut]:
    """The evidence from other sources that the verdict rules count.

    A deterministic check outranks the learned model: when figures, employers, denials or negation decided some
    independent evidence, the model's judgements of the other pairs do not count (on the news gold set's dev half
    the model's refutations of claims that matching figures corroborate were wrong far more often than right).
    """
    independent = [e for e in evidence if not e.same_source]
    if any(e.basis == "rule" and e.stance != "neutral" for e in independent):
        return [e for e in independent if e.basis == "rule"]
    return independent


def denials(evidence: list[EvidenceOut]) -> list[EvidenceOut]:
    """Denials of the claim and assertions against a denying claim: they count even inside the claim's own document
    (README, "Verdicts")."""
    return [e for e in evidence if e.kind in ("denial", "assertion") and e.stance == "refutes"]


def raw_decision(evidence: list[EvidenceOut]) -> Decision:
    """Verdict by the rules, with the uncalibrated score."""
    independent = counted(evidence)
    support = _combine(_per_source(independent, "supports"))
    refute = _combine(_per_source(independent, "refutes"))
    denied = denials(evidence)
    by_rule = any(e.basis == "rule" for e in denied + [e for e in independent if e.stance != "neutral"])
    if denied:
        denial = _combine([e.score for e in denied])
        return Decision("disputed", max(denial, support * refute), by_rule)
    has_support = any(e.stance == "supports" for e in independent)
    has_refute = any(e.stance == "refutes" for e in independent)
    if has_support and has_refute:
        return Decision("disputed", max(support * refute, min(support, refute)), by_rule)
    if has_support:
        return Decision("corroborated", support * (1 - refute), by_rule)
    if has_refute:
        return Decision("contradicted", refute * (1 - support), by_rule)
    return Decision("unverified", (1 - support) * (1 - refute), by_rule)


# What the confidence reads of a decision: whether a deterministic check decided it, how many independent sources
# stand on each side (copies of one story count once), how strong the strongest of each side is, whether a party
# denies it, and the raw score.
FEATURES = ("bias", "rule", "sources_for", "sources_against", "best_for", "best_against", "denial", "raw")


def decision_features(evidence: list[EvidenceOut], decision: Decision | None = None) -> list[float]:
    """The FEATURES of a claim's decision, from its evidence."""
    d = decision or raw_decision(evidence)
    independent = counted(evidence)
    support, refute = _per_source(independent, "supports"), _per_source(independent, "refutes")
    return [1.0, float(d.by_rule), math.log1p(len(support)), math.log1p(len(refute)), max(support, default=0.0),
            max(refute, default=0.0), float(bool(denials(evidence))), d.raw]


@lru_cache(maxsize=1)
def _calibration_file() -> dict:
    try:
        return json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def logistic_confidence(verdict: str, features: list[float]) -> float | None:
    """P(the verdict is right | its features) under the shipped logistic model; None when no model ships."""
    data = _calibration_file()
    if data.get("model") != "logistic" or verdict not in data["weights"]:
        return None
    z = float(np.dot(data["weights"][verdict], features))
    return round(1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0))), 3)


def decide(evidence: list[EvidenceOut]) -> tuple[Verdict, float]:
    """Verdict and calibrated confidence of a claim from its evidence."""
    decision = raw_decision(evidence)
    confidence = logistic_confidence(decision.verdict, decision_features(evidence, decision))
    return decision.verdict, round(decision.raw, 3) if confidence is None else confidence
