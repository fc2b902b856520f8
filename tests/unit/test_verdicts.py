"""Verdict rules and the calibrated confidence."""

from __future__ import annotations

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


def test_fitted_curve_is_monotone_and_shrinks_small_lucky_blocks():
    raw = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99]
    correct = [False, True, False, False, True, False, True, True, False, True, True, True]
    curve = verdicts.fit_curve(raw, correct)
    assert curve["calibrated"] == sorted(curve["calibrated"])
    assert curve["raw"] == sorted(curve["raw"])
    assert 0.0 < curve["calibrated"][0] and curve["calibrated"][-1] < 1.0  # three right in a row is not certainty
    assert curve["n"] == 12 and abs(curve["rate"] - 7 / 12) < 1e-3


def test_decide_maps_the_raw_score_through_the_shipped_curve(monkeypatch):
    monkeypatch.setattr(verdicts, "calibration", lambda: {"corroborated": ([0.0, 1.0], [0.2, 0.6]),
                                                          "rule": ([0.0, 1.0], [0.1, 0.3])})
    verdict, confidence = verdicts.decide([_evidence("supports", 0.5, "a")])
    assert (verdict, confidence) == ("corroborated", 0.4)
    # a deterministic check decided it: the rule curve
    assert verdicts.decide([_evidence("supports", 0.5, "a", basis="rule")]) == ("corroborated", 0.2)
    # a verdict without a curve keeps its raw score
    assert verdicts.decide([_evidence("refutes", 0.5, "a")]) == ("contradicted", 0.5)


def test_the_shipped_curves_are_monotone_probabilities():
    curves = verdicts.calibration()
    assert set(curves) == {"corroborated", "contradicted", "disputed", "unverified", "rule"}
    for raw, calibrated in curves.values():
        assert raw == sorted(raw) and calibrated == sorted(calibrated)
        assert all(0.0 <= c <= 1.0 for c in calibrated)


def test_one_knot_per_raw_value():
    curve = verdicts.fit_curve([1.0, 1.0, 1.0, 1.0, 0.5], [True, False, False, True, False])
    assert len(curve["raw"]) == len(set(curve["raw"])) == 2
