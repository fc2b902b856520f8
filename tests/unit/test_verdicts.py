"""Verdict rules and the calibrated confidence."""

from __future__ import annotations

import math

import numpy as np

from evals.training.calibrate import fit_logistic
from service.pipeline import verdicts
from service.models import EvidenceOut


def _evidence(stance: str, score: float, doc: str, **kw) -> EvidenceOut:
    return EvidenceOut(document_id=doc, claim_id=f"{doc}:c", quote="q", start=0, end=1, stance=stance, score=score,
                       same_source=kw.pop("same_source", False), rationale="r", backend="offline", **kw)


def test_rules_follow_the_design():
    assert verdicts.raw_decision([])[0] == "unverified"
    assert verdicts.raw_decision([_evidence("supports", 0.8, "a")])[0] == "corroborated"
    assert verdicts.raw_decision([_evidence("refutes", 0.8, "a")])[0] == "contradicted"
    assert verdicts.raw_decision([_evidence("supports", 0.8, "a"), _evidence("refutes", 0.6, "b")])[0] == "disputed"
    # a copy of the claim's own story neither corroborates nor contradicts
    assert verdicts.raw_decision([_evidence("supports", 0.9, "a", same_source=True)])[0] == "unverified"
    # a denial counts even inside the claim's own document
    assert verdicts.raw_decision([_evidence("refutes", 0.9, "a", same_source=True, kind="denial")])[0] == "disputed"


def test_decide_reads_the_confidence_from_the_shipped_logistic_model(monkeypatch):
    weights = [0.0] * len(verdicts.FEATURES)
    weights[verdicts.FEATURES.index("sources_for")] = 1.0
    monkeypatch.setattr(verdicts, "_calibration_file", lambda: {"model": "logistic", "weights": {"corroborated": weights}})
    one = verdicts.decide([_evidence("supports", 0.5, "a")])
    two = verdicts.decide([_evidence("supports", 0.5, "a"), _evidence("supports", 0.5, "b")])
    assert one == ("corroborated", round(1 / (1 + math.exp(-math.log(2))), 3))
    assert two == ("corroborated", round(1 / (1 + math.exp(-math.log(3))), 3))
    # copies of one story are one source
    same = verdicts.decide([_evidence("supports", 0.5, "a"), _evidence("supports", 0.5, "b", source_group="a")])
    assert same == one
    # a verdict the model has no weights for keeps its raw score
    assert verdicts.decide([_evidence("refutes", 0.5, "a")]) == ("contradicted", 0.5)


def test_the_shipped_model_gives_every_verdict_a_probability():
    data = verdicts._calibration_file()
    assert data["model"] == "logistic" and tuple(data["features"]) == verdicts.FEATURES
    assert set(data["weights"]) == {"corroborated", "contradicted", "disputed", "unverified"}
    cases = [[], [_evidence("supports", 0.9, "a", basis="rule")], [_evidence("refutes", 0.4, "a")],
             [_evidence("supports", 0.7, "a"), _evidence("refutes", 0.6, "b")],
             [_evidence("refutes", 0.9, "a", same_source=True, kind="denial", basis="rule")]]
    for evidence in cases:
        _, confidence = verdicts.decide(evidence)
        assert 0.0 < confidence < 1.0


def test_the_calibration_fit_recovers_a_known_model():
    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(4000), rng.normal(size=4000)])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(x @ [0.5, 2.0])))).astype(float)
    beta = fit_logistic(x, y, np.ones(4000), l2=0.0)
    assert np.allclose(beta, [0.5, 2.0], atol=0.15)
