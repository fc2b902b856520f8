"""The claim-level decision: the verdict rules, the features the learned model reads, and the shipped model."""

from __future__ import annotations

import json

import numpy as np
import pytest

from service.models import VERDICTS, EvidenceOut
from service.pipeline import verdicts


def _evidence(stance: str, score: float, doc: str, **kw) -> EvidenceOut:
    return EvidenceOut(document_id=doc, claim_id=f"{doc}:c", quote="q", start=0, end=1, stance=stance, score=score,
                       same_source=kw.pop("same_source", False), rationale="r", backend="offline", **kw)


def _feature(evidence, name: str) -> float:
    return verdicts.aggregate_features(evidence)[verdicts.AGGREGATE_FEATURES.index(name)]


def test_rules_follow_the_design():
    assert verdicts.raw_decision([])[0] == "unverified"
    assert verdicts.raw_decision([_evidence("supports", 0.8, "a")])[0] == "corroborated"
    assert verdicts.raw_decision([_evidence("refutes", 0.8, "a")])[0] == "contradicted"
    assert verdicts.raw_decision([_evidence("supports", 0.8, "a"), _evidence("refutes", 0.6, "b")])[0] == "disputed"
    # a copy of the claim's own story neither corroborates nor contradicts
    assert verdicts.raw_decision([_evidence("supports", 0.9, "a", same_source=True)])[0] == "unverified"
    # a denial counts even inside the claim's own document
    assert verdicts.raw_decision([_evidence("refutes", 0.9, "a", same_source=True, kind="denial")])[0] == "disputed"


def test_features_count_source_groups_not_documents():
    two_copies = [_evidence("supports", 0.6, "a"), _evidence("supports", 0.8, "b", source_group="a")]
    two_sources = [_evidence("supports", 0.6, "a"), _evidence("supports", 0.8, "b")]
    assert _feature(two_copies, "groups_for") == pytest.approx(np.log(2))
    assert _feature(two_sources, "groups_for") == pytest.approx(np.log(3))
    assert _feature(two_copies, "second_for") == 0.0 and _feature(two_sources, "second_for") == 0.6
    # the claim's own source group is never evidence, a denial is whatever document it is in
    own = [_evidence("supports", 0.9, "a", same_source=True)]
    assert _feature(own, "groups_for") == 0.0 and _feature(own, "best_for_model") == 0.0
    denial = [_evidence("refutes", 0.9, "a", same_source=True, kind="denial", basis="rule")]
    assert _feature(denial, "denial") == 0.9 and _feature(denial, "rules_disputed") == 1.0
    # rule and model strengths are read apart
    mixed = [_evidence("refutes", 0.7, "a", basis="rule"), _evidence("supports", 0.95, "b")]
    assert _feature(mixed, "best_against_rule") == 0.7 and _feature(mixed, "best_for_model") == 0.95
    assert _feature(mixed, "for_and_against") == pytest.approx(0.95 * 0.7)


def test_decide_takes_the_most_probable_verdict_of_the_model(monkeypatch):
    weights = np.zeros((len(VERDICTS), len(verdicts.AGGREGATE_FEATURES)))
    weights[VERDICTS.index("unverified"), 0] = 1.0  # bias toward unverified ...
    weights[VERDICTS.index("contradicted"), verdicts.AGGREGATE_FEATURES.index("best_against_model")] = 3.0
    monkeypatch.setattr(verdicts, "_model_file", lambda: {"weights": weights.tolist()})
    assert verdicts.decide([])[0] == "unverified"
    verdict, confidence = verdicts.decide([_evidence("refutes", 1.0, "a")])  # ... unless refuted strongly
    z = np.array([0.0, 3.0, 0.0, 1.0])
    assert verdict == "contradicted" and confidence == round(float(np.exp(3) / np.exp(z).sum()), 3)


def test_without_a_model_the_rules_decide(monkeypatch):
    monkeypatch.setattr(verdicts, "_model_file", lambda: {})
    assert verdicts.decide([_evidence("refutes", 0.5, "a")]) == ("contradicted", 0.5)


def test_a_model_fitted_on_other_features_is_refused(tmp_path, monkeypatch):
    stale = tmp_path / "verdict_model.json"
    stale.write_text(json.dumps({"features": ["bias", "raw"], "classes": list(VERDICTS), "weights": []}))
    monkeypatch.setattr(verdicts, "MODEL_PATH", stale)
    verdicts._model_file.cache_clear()
    try:
        with pytest.raises(ValueError, match="refit"):
            verdicts.decide([])
    finally:
        verdicts._model_file.cache_clear()


def test_the_shipped_model_reads_evidence_as_an_editor_would():
    assert verdicts._model_file(), "service/analysis/data/verdict_model.json ships with the service"
    cases = {
        "unverified": [],
        "corroborated": [_evidence("supports", 0.9, "a", basis="rule"), _evidence("supports", 0.9, "b", basis="rule")],
        "contradicted": [_evidence("refutes", 0.9, "a", basis="rule"), _evidence("refutes", 0.9, "b", basis="rule")],
        "disputed": [_evidence("supports", 0.9, "a", basis="rule"),
                     _evidence("refutes", 0.9, "b", same_source=True, kind="denial", basis="rule")],
    }
    for expected, evidence in cases.items():
        verdict, confidence = verdicts.decide(evidence)
        assert verdict == expected, (expected, evidence)
        assert 0.25 < confidence < 1.0
