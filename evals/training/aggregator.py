"""Fit the claim-level decision: P(verdict | a claim's evidence), a multinomial model over AGGREGATE_FEATURES.

    python -m evals --split dev --sets climate_fever,news,xdoc --run aggregate-dev --no-progress
    python -m evals.training.aggregator evals/results/aggregate-dev/results.jsonl [--write]

The rows of a dev run keep each claim's evidence in full (evals/sets/common.evidence_rows), so the features are
recomputed here from the evidence exactly as service/pipeline/verdicts.aggregate_features computes them in the
service. Only sets whose licences let us ship what is fitted on them are fitted on (`--fit-sets`: CLIMATE-FEVER,
the team's news gold set, the NTREX cross-document benchmark); AVeriTeC and XNLI are CC BY-NC 4.0 and only measured.

Two model families are compared by grouped cross-validation on the dev rows (5 folds; a news story, an xdoc
original/report pair or a CLIMATE-FEVER claim stays within one fold, so no fold sees another's corpus): a
multinomial logistic regression (scikit-learn, L2, C chosen from a small grid by the same folds) and gradient-boosted
trees (scikit-learn's HistGradientBoostingClassifier). Each fitted set weighs the same, and each gold verdict within
a set (`set_weights`). The table gives, per set,
accuracy / macro-F1 / ECE of the rules' verdict (what the run predicted), and of each model held out. --write fits
the chosen logistic model on all fitted rows and writes service/analysis/data/verdict_model.json (the service
applies it with numpy: no scikit-learn at run time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from evals.metrics import classification_summary, reliability
from service.models import VERDICTS, EvidenceOut
from service.pipeline.verdicts import AGGREGATE_FEATURES, MODEL_PATH, aggregate_features

FIT_SETS = "climate_fever,news,xdoc"
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


def _evidence(row: dict) -> list[EvidenceOut]:
    return [EvidenceOut(claim_id=None, start=0, end=len(e["quote"]), backend="offline", **e)
            for e in row.get("evidence") or []]


def load_rows(paths: list[Path]) -> list[dict]:
    """Rows with a gold verdict and a system claim (missing and failed items carry no evidence to learn from)."""
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("gold") in VERDICTS and row.get("pred") in VERDICTS and "evidence" in row:
                row["x"] = aggregate_features(_evidence(row))
                rows.append(row)
    return rows


def group_of(row: dict) -> str:
    """The unit that stays within one fold: its corpus where claims share one (a story, an xdoc pair)."""
    return f"{row['set']}:{row.get('story') or row.get('pair') or row['id']}"


def folds_of(rows: list[dict]) -> np.ndarray:
    from evals.datasets import stable_order

    groups = sorted({group_of(r) for r in rows}, key=stable_order)
    fold = {g: i % FOLDS for i, g in enumerate(groups)}
    return np.array([fold[group_of(r)] for r in rows])


def set_weights(rows: list[dict]) -> np.ndarray:
    """Each set weighs the same, and within a set each gold verdict weighs the same (macro-F1 is the aim: on
    CLIMATE-FEVER and the cross-document benchmark a likelihood fit alone learns to say "unverified")."""
    per_set, per_class = defaultdict(int), defaultdict(int)
    for r in rows:
        per_set[r["set"]] += 1
        per_class[(r["set"], r["gold"])] += 1
    classes = defaultdict(int)
    for name, _ in per_class:
        classes[name] += 1
    return np.array([len(rows) / (len(per_set) * classes[r["set"]] * per_class[(r["set"], r["gold"])])
                     for r in rows])


def logistic(c: float):
    from sklearn.linear_model import LogisticRegression

    # the bias is AGGREGATE_FEATURES[0]; sklearn's own intercept is off so the weights ship as one matrix
    return LogisticRegression(C=c, fit_intercept=False, max_iter=2000)


def boosted():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, l2_regularization=1.0,
                                          random_state=0)


def verdict_proba(model, x: np.ndarray) -> np.ndarray:
    """A fitted model's class probabilities, columns in VERDICTS order."""
    cols = [list(model.classes_).index(v) for v in range(len(VERDICTS))]
    return model.predict_proba(x)[:, cols]


def held_out(make, x: np.ndarray, y: np.ndarray, w: np.ndarray, fit: np.ndarray, folds: np.ndarray) -> np.ndarray:
    """Class probabilities (VERDICTS order) of every row from a model that never saw its fold."""
    proba = np.zeros((len(y), len(VERDICTS)))
    for k in range(FOLDS):
        train = fit & (folds != k)
        proba[folds == k] = verdict_proba(make().fit(x[train], y[train], sample_weight=w[train]), x[folds == k])
    return proba


def scores(gold: list[str], pred: list[str], confidence: list[float]) -> dict:
    s = classification_summary(gold, pred, VERDICTS)
    ece = reliability(confidence, [g == p for g, p in zip(gold, pred, strict=True)])["ece"]
    return {"accuracy": s["accuracy"], "macro_f1": s["macro_f1"], "ece": ece}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.training.aggregator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", type=Path, nargs="+", help="results.jsonl of dev runs")
    parser.add_argument("--fit-sets", default=FIT_SETS, help="sets fitted on; the others are only measured")
    parser.add_argument("--write", action="store_true", help=f"fit the logistic model and write {MODEL_PATH.name}")
    args = parser.parse_args(argv)
    rows = load_rows(args.results)
    if any(r.get("split") not in (None, "dev") for r in rows):
        parser.error("fit on dev runs only")
    fit_sets = set(args.fit_sets.split(","))
    x = np.array([r["x"] for r in rows])
    y = np.array([VERDICTS.index(r["gold"]) for r in rows])
    fit = np.array([r["set"] in fit_sets for r in rows])
    w = np.zeros(len(rows))
    w[fit] = set_weights([r for r in rows if r["set"] in fit_sets])
    folds = folds_of(rows)
    folds[~fit] = -1  # never held out: scored by models fitted on every fitted fold below

    set_names = np.array([r["set"] for r in rows])

    def macro(proba: np.ndarray) -> float:
        """Mean over the fitted sets of the held-out macro-F1 (each set counts the same)."""
        per_set = []
        for name in sorted(fit_sets):
            idx = np.flatnonzero(set_names == name)
            if idx.size:
                per_set.append(classification_summary([VERDICTS[i] for i in y[idx]],
                                                      [VERDICTS[i] for i in proba[idx].argmax(1)], VERDICTS)["macro_f1"])
        return float(np.mean(per_set))

    grid = {c: held_out(lambda c=c: logistic(c), x, y, w, fit, folds) for c in C_GRID}
    best_c = max(grid, key=lambda c: macro(grid[c]))
    candidates = {"rules": None, f"logistic (C={best_c})": grid[best_c],
                  "boosted trees": held_out(boosted, x, y, w, fit, folds)}
    final = logistic(best_c).fit(x[fit], y[fit], sample_weight=w[fit])
    trees = boosted().fit(x[fit], y[fit], sample_weight=w[fit])
    for name, model in ((f"logistic (C={best_c})", final), ("boosted trees", trees)):
        if (~fit).any():  # sets only measured (AVeriTeC): scored by the models fitted on every fitted row
            candidates[name][~fit] = verdict_proba(model, x[~fit])
    print(f"{len(rows)} claims; logistic C by grouped CV macro-F1 over the fitted sets: "
          + ", ".join(f"{c}: {macro(p):.3f}" for c, p in grid.items()))
    print(f"{'set':<16}{'claims':>7}  " + "  ".join(f"{name:>26}" for name in candidates))
    for name in sorted({r["set"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["set"] == name]
        gold = [rows[i]["gold"] for i in idx]
        cells = []
        for label, proba in candidates.items():
            if proba is None:
                s = scores(gold, [rows[i]["pred"] for i in idx], [rows[i].get("confidence") or 0.0 for i in idx])
            else:
                s = scores(gold, [VERDICTS[k] for k in proba[idx].argmax(1)], list(proba[idx].max(1)))
            cells.append(f"{s['accuracy']:.3f} / {s['macro_f1']:.3f} / {s['ece']:.3f}")
        how = "" if name in fit_sets else " (not fitted on)"
        print(f"{name:<16}{len(idx):>7}  " + "  ".join(f"{c:>26}" for c in cells) + how)
    print("cells: accuracy / macro-F1 / ECE; fitted sets held out by grouped 5-fold CV")
    weights = [[round(float(b), 5) for b in final.coef_[final.classes_.tolist().index(k)]]
               for k in range(len(VERDICTS))]
    print("logistic weights (rows: verdicts, columns: features):")
    print(" " * 14 + " ".join(f"{f[:9]:>9}" for f in AGGREGATE_FEATURES))
    for verdict, row in zip(VERDICTS, weights, strict=True):
        print(f"{verdict:<14}" + " ".join(f"{b:>9.2f}" for b in row))
    if args.write:
        MODEL_PATH.write_text(json.dumps({
            "model": "multinomial_logistic", "features": list(AGGREGATE_FEATURES), "classes": list(VERDICTS),
            "weights": weights, "C": best_c,
            "fitted_on": {name: f"dev, {sum(r['set'] == name for r in rows)} claims" for name in sorted(fit_sets)},
            "command": "python -m evals.training.aggregator " + " ".join(str(p) for p in args.results) + " --write",
            "fitted_at": dt.date.today().isoformat(),
        }, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
