"""Probability-level probes of the failure modes seen in the product, on the HELD-OUT NTREX dev documents.

    python -m evals.training.cross_encoder.probe --model service/analysis/data/cross_encoder [--out probe.json]

Round 1's model, in the product: the neutral probability collapsed (~0.002) on unrelated sentences of the same
story, refutes came out ~0.98 on translations and paraphrases across languages, and the answer changed when
claim and evidence were swapped. `evaluate` counts decisions; this measures the probabilities behind them, on
the held-out NTREX documents of dev (the same documents and pairs as `evaluate --split heldout`, all 6
directions across en/fr/vi), plus a cross-language paraphrase set (the translation with one clause dropped,
which the full sentence entails), and round 3's product-shaped kinds (augment.product_pairs_ntrex on the same
held-out documents: a denial against what it denies -> refutes, "S said that P" -> supports P, a denial against
its translation -> supports, "P1, and P2" against P1 -> neutral, a bare speech tag -> neutral):

- translation / paraphrase -> supports: recall (bars, argmax), mean P(supports), mean P(refutes), share of
  pairs with P(refutes) >= 0.9.
- other sentence of the same story -> neutral: recall, mean and median P(neutral), share with P(neutral) < 0.01.
- controlled edit -> refutes: recall, mean P(refutes).
- order swap (claim and evidence exchanged): decision agreement between the two orders, recall on the
  swapped order, mean max |P - P_swapped|. Translation, other-sentence and edit are symmetric relations (the
  gold label stays when swapped); the paraphrase is not (the shorter sentence does not entail the longer one),
  so its swap numbers are shown but left out of `symmetric`, the pooled swap figures.
No torch: the serving class only.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from evals.training.cross_encoder import augment
from evals.training.cross_encoder import data as data_mod
from evals.training.cross_encoder.evaluate import decide
from service.analysis.cross_encoder import LABELS, CrossEncoder

GOLD = {"translation": "supports", "paraphrase": "supports", "other-sentence": "neutral", "edit": "refutes",
        "product:denial": "refutes", "product:reported": "supports", "product:denial-both": "supports",
        "product:two-fact": "neutral", "product:speech-tag": "neutral"}
PRODUCT_RATES = {"denial": 3.0, "reported": 3.0, "denial-both": 1.5, "two-fact": 3.0, "speech-tag": 2.0}


def _kind(pair: data_mod.Pair) -> str:
    return pair.kind if pair.kind.startswith("product:") else pair.kind.split(":")[0]


def probe_pairs(seed: int) -> list[data_mod.Pair]:
    docs = {d: rows for d, rows in data_mod.load_ntrex("dev").items() if data_mod.heldout_group("nt" + d)}
    pairs = data_mod.ntrex_probe_pairs(docs, seed)
    for doc_id, rows in docs.items():
        for row in rows:
            key = f"{doc_id}:{row['sentence_in_doc']}"
            for a, b in data_mod.DIRECTIONS_CROSS:
                shorter = data_mod.clause_deleted(row[b], data_mod._rng(seed, f"probe-paraphrase:{key}:{a}-{b}"))
                if shorter:
                    pairs.append(data_mod.Pair(shorter, row[a], "supports", "ntrex", "paraphrase", "nt" + doc_id,
                                               f"{a}-{b}"))
    return pairs + augment.product_pairs_ntrex(docs, seed, PRODUCT_RATES)


def summarise(pairs: list[data_mod.Pair], proba: np.ndarray, swapped: np.ndarray, bars: dict) -> dict:
    kinds = np.array([_kind(p) for p in pairs])
    pred, pred_sw = np.array(decide(proba, bars)), np.array(decide(swapped, bars))
    arg, arg_sw = proba.argmax(1), swapped.argmax(1)
    out: dict = {}
    for kind, gold in GOLD.items():
        sel = kinds == kind
        p, s = proba[sel], swapped[sel]
        gi = LABELS.index(gold)
        row = {"n": int(sel.sum()),
               "recall_bars": float(np.mean(pred[sel] == gold)),
               "recall_argmax": float(np.mean(arg[sel] == gi)),
               "mean_p_gold": float(p[:, gi].mean()),
               "median_p_gold": float(np.median(p[:, gi])),
               "mean_p_supports": float(p[:, 0].mean()),
               "mean_p_refutes": float(p[:, 1].mean()),
               "mean_p_neutral": float(p[:, 2].mean()),
               "share_p_refutes_ge_0.9": float(np.mean(p[:, 1] >= 0.9)),
               "share_p_neutral_lt_0.01": float(np.mean(p[:, 2] < 0.01)),
               "swap_decision_agreement": float(np.mean(pred[sel] == pred_sw[sel])),
               "swap_argmax_agreement": float(np.mean(arg[sel] == arg_sw[sel])),
               "swap_recall_bars": float(np.mean(pred_sw[sel] == gold)),
               "swap_mean_max_abs_p_diff": float(np.abs(p - s).max(1).mean())}
        out[kind] = row
    sym = np.isin(kinds, ["translation", "other-sentence", "edit"])
    gold_sym = np.array([GOLD[k] for k in kinds[sym]])
    out["symmetric"] = {"n": int(sym.sum()),
                        "swap_decision_agreement": float(np.mean(pred[sym] == pred_sw[sym])),
                        "swap_argmax_agreement": float(np.mean(arg[sym] == arg_sw[sym])),
                        "recall_bars_both_orders": float(np.mean((pred[sym] == gold_sym) & (pred_sw[sym] == gold_sym))),
                        "swap_mean_max_abs_p_diff": float(np.abs(proba[sym] - swapped[sym]).max(1).mean())}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=data_mod.SEED)
    args = parser.parse_args()
    started = time.time()
    model = CrossEncoder.load(args.model)
    pairs = probe_pairs(args.seed)
    claims, evidences = [p.claim for p in pairs], [p.evidence for p in pairs]
    proba = model.predict_proba(claims, evidences)
    swapped = model.predict_proba(evidences, claims)
    result = {"model": str(args.model), "bars": model.thresholds, "split": "held-out NTREX dev documents",
              "probes": summarise(pairs, proba, swapped, model.thresholds), "seconds": round(time.time() - started, 1)}
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
