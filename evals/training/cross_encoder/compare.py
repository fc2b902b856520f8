"""Paired comparison of two exported cross-encoders on the held-out dev part (each with its own manifest bars).

    python -m evals.training.cross_encoder.compare --a service/analysis/data/cross_encoder \\
        --b .train-ckpt/r2-export --out evals/training/cross_encoder/compare.heldout.r1-r2.json

Scores both on the same pairs as `evaluate --split heldout` (XNLI left out), then a bootstrap over pairs
(1,000 resamples, seed 0) gives a 95% interval for each difference b - a, and per set the pairs only one of
the two gets right. Pairs are resampled one by one although CLIMATE-FEVER's evidence pairs of one claim are
related, so the intervals are somewhat too narrow for that set.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from evals.training.cross_encoder import data as data_mod
from evals.training.cross_encoder.evaluate import collect, decide, score, selection_score
from service.analysis.cross_encoder import CrossEncoder

KEYS = ["climate_fever/macro_f1", "vitaminc/accuracy", "fever_symmetric/accuracy", "ntrex/supports_recall",
        "ntrex/neutral_recall", "ntrex/refutes_recall"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", type=Path, required=True)
    parser.add_argument("--b", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args()
    sets = collect("heldout", data_mod.SEED, 0)
    preds = {}
    for name, path in (("a", args.a), ("b", args.b)):
        model = CrossEncoder.load(path)
        preds[name] = {k: np.array(decide(model.predict_proba([c for c, _, _, _ in v], [e for _, e, _, _ in v]),
                                          model.thresholds)) for k, v in sets.items()}
    base = {n: score(sets, {k: list(v) for k, v in preds[n].items()}) for n in preds}
    for n in base:
        base[n]["selection"] = selection_score(base[n])
    rng = np.random.default_rng(0)
    diffs: dict[str, list[float]] = {k: [] for k in KEYS + ["selection"]}
    for _ in range(args.resamples):
        resampled, pa, pb = {}, {}, {}
        for k, v in sets.items():
            idx = rng.integers(0, len(v), len(v))
            resampled[k] = [v[i] for i in idx]
            pa[k], pb[k] = list(preds["a"][k][idx]), list(preds["b"][k][idx])
        sa, sb = score(resampled, pa), score(resampled, pb)
        for k in KEYS:
            diffs[k].append(sb[k] - sa[k])
        diffs["selection"].append(selection_score(sb) - selection_score(sa))
    result = {"a": str(args.a), "b": str(args.b), "metrics": {}, "only_one_right": {}}
    for k in KEYS + ["selection"]:
        d = np.array(diffs[k])
        result["metrics"][k] = {"a": round(base["a"][k], 4), "b": round(base["b"][k], 4),
                                "b_minus_a": round(base["b"][k] - base["a"][k], 4),
                                "ci95": [round(float(np.percentile(d, 2.5)), 4), round(float(np.percentile(d, 97.5)), 4)]}
    for k, v in sets.items():
        gold = np.array([x[2] for x in v])
        ra, rb = preds["a"][k] == gold, preds["b"][k] == gold
        result["only_one_right"][k] = {"a_only": int((ra & ~rb).sum()), "b_only": int((~ra & rb).sum()), "n": len(v)}
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
