"""The claim-level decision: from a claim's evidence to its verdict and a confidence that reads as a probability.

Two layers. The verdict rules (README, "Verdicts") give a verdict from the evidence of other source groups: a
denial → disputed; support and refutation → disputed; support → corroborated; refutation → contradicted; nothing →
unverified (`raw_decision`). They no longer decide alone: a multinomial logistic model over per-source features of
the evidence (AGGREGATE_FEATURES: the rules' verdict, how many independent source groups stand on each side, the
strongest support and refutation by a deterministic check and by the stance model, the runner-up on each side, a
denial) gives P(verdict | evidence) for the four verdicts, and the most probable is the verdict; its probability is
the confidence. The rules' verdict is one of its features, so it learns how far to trust them (on CLIMATE-FEVER
one weak refutation among many sentences should not make a claim contradicted; in a newsroom corpus it should).
The model is fitted on dev splits only by `python -m evals.training.aggregator` (service/analysis/data/
verdict_model.json); without that file the rules decide and the raw score is the confidence.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from service.models import VERDICTS, EvidenceOut, Verdict

MODEL_PATH = Path(__file__).parent.parent / "analysis" / "data" / "verdict_model.json"


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


def independent(evidence: list[EvidenceOut]) -> list[EvidenceOut]:
    """The evidence from other source groups (a claim's own story, copies and translations included, is not)."""
    return [e for e in evidence if not e.same_source]


def counted(evidence: list[EvidenceOut]) -> list[EvidenceOut]:
    """The evidence from other sources that the verdict rules count.

    A deterministic check outranks the learned model: when figures, employers, denials or negation decided some
    independent evidence, the model's judgements of the other pairs do not count (on the news gold set's dev half
    the model's refutations of claims that matching figures corroborate were wrong far more often than right).
    """
    others = independent(evidence)
    if any(e.basis == "rule" and e.stance != "neutral" for e in others):
        return [e for e in others if e.basis == "rule"]
    return others


def denials(evidence: list[EvidenceOut]) -> list[EvidenceOut]:
    """Denials of the claim and assertions against a denying claim: they count even inside the claim's own document
    (README, "Verdicts")."""
    return [e for e in evidence if e.kind in ("denial", "assertion") and e.stance == "refutes"]


def raw_decision(evidence: list[EvidenceOut]) -> Decision:
    """Verdict by the rules, with the uncalibrated score."""
    count = counted(evidence)
    support = _combine(_per_source(count, "supports"))
    refute = _combine(_per_source(count, "refutes"))
    denied = denials(evidence)
    by_rule = any(e.basis == "rule" for e in denied + [e for e in count if e.stance != "neutral"])
    if denied:
        denial = _combine([e.score for e in denied])
        return Decision("disputed", max(denial, support * refute), by_rule)
    has_support = any(e.stance == "supports" for e in count)
    has_refute = any(e.stance == "refutes" for e in count)
    if has_support and has_refute:
        return Decision("disputed", max(support * refute, min(support, refute)), by_rule)
    if has_support:
        return Decision("corroborated", support * (1 - refute), by_rule)
    if has_refute:
        return Decision("contradicted", refute * (1 - support), by_rule)
    return Decision("unverified", (1 - support) * (1 - refute), by_rule)


# What the claim-level model reads of a claim's evidence (independent = from another source group).
AGGREGATE_FEATURES = (
    "bias",
    "rules_corroborated", "rules_contradicted", "rules_disputed",  # the rules' verdict (unverified: all three 0)
    "by_rule",  # a deterministic check (figures, dates, employers, denials, negation) decided counted evidence
    "groups_for", "groups_against",  # log(1 + independent source groups) on each side, any basis
    "best_for_rule", "best_against_rule",  # strongest independent score from a deterministic check, per side
    "best_for_model", "best_against_model",  # strongest independent score from the stance model, per side
    "second_for", "second_against",  # the runner-up source group's score per side (0 when one group or none)
    "denial",  # strongest denial or assertion-against-denial, own document included
    "for_and_against",  # best_for x best_against: both sides strong
)


def _best(evidence: list[EvidenceOut], stance: str, basis: str | None = None) -> float:
    return max((e.score for e in evidence if e.stance == stance and (basis is None or e.basis == basis)), default=0.0)


def aggregate_features(evidence: list[EvidenceOut], decision: Decision | None = None) -> list[float]:
    """The AGGREGATE_FEATURES of a claim's evidence."""
    d = decision or raw_decision(evidence)
    others = independent(evidence)
    support = sorted(_per_source(others, "supports"), reverse=True)
    refute = sorted(_per_source(others, "refutes"), reverse=True)
    denied = denials(evidence)
    best_for, best_against = (support or [0.0])[0], (refute or [0.0])[0]
    return [1.0, float(d.verdict == "corroborated"), float(d.verdict == "contradicted"), float(d.verdict == "disputed"),
            float(d.by_rule), math.log1p(len(support)), math.log1p(len(refute)),
            _best(others, "supports", "rule"), _best(others, "refutes", "rule"),
            _best(others, "supports", "model"), _best(others, "refutes", "model"),
            support[1] if len(support) > 1 else 0.0, refute[1] if len(refute) > 1 else 0.0,
            max((e.score for e in denied), default=0.0), best_for * best_against]


@lru_cache(maxsize=1)
def _model_file() -> dict:
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if tuple(data.get("features", ())) != AGGREGATE_FEATURES or tuple(data.get("classes", ())) != VERDICTS:
        raise ValueError(f"{MODEL_PATH.name} was fitted on other features or classes: refit it "
                         "(python -m evals.training.aggregator)")
    return data


def verdict_probabilities(features: list[float], weights: list[list[float]]) -> np.ndarray:
    """Softmax of the multinomial logistic model: P(verdict) in VERDICTS order."""
    z = np.asarray(weights, dtype=float) @ np.asarray(features, dtype=float)
    z = np.exp(z - z.max())
    return z / z.sum()


def decide(evidence: list[EvidenceOut]) -> tuple[Verdict, float]:
    """Verdict and confidence of a claim from its evidence: the shipped model's most probable verdict, or the
    rules' verdict with its raw score when no model ships."""
    decision = raw_decision(evidence)
    data = _model_file()
    if not data:
        return decision.verdict, round(decision.raw, 3)
    proba = verdict_probabilities(aggregate_features(evidence, decision), data["weights"])
    best = int(np.argmax(proba))
    return VERDICTS[best], round(float(proba[best]), 3)
