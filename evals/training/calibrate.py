"""Fit the verdict confidence: P(verdict right | what decided it), a logistic model per verdict over the decision's
features (service/pipeline/verdicts.FEATURES: rule or model, independent sources for and against, their strength,
a denial, the raw score), on the pooled dev decisions of several labelled sets.

    python -m evals --split dev --sets climate_fever,averitec,news --run calib-dev --no-progress
    python -m evals.training.calibrate evals/results/calib-dev/results.jsonl [--write]

Only sets whose licence lets us ship what is fitted on them are fitted on (`--fit-sets`, default CLIMATE-FEVER
and the team's news gold set); AVeriTeC and XNLI are CC BY-NC 4.0, so they are measured, never fitted on. Each
fitted set weighs the same (CLIMATE-FEVER holds more claims than the news set), every weight is L2-penalised
toward zero, and the printed ECE of a fitted set is cross-validated (5 folds over the claims), so that it estimates
held-out calibration; a set not fitted on is scored by the model fitted on all the others. --write fits on every
fitted set's claims and writes the model next to the analyser.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from evals.metrics import reliability
from service.models import VERDICTS
from service.pipeline.verdicts import CALIBRATION_PATH, FEATURES

L2 = 1.0  # penalty on each weight (features are of order 1)


def _rows(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("features") and r.get("pred") in VERDICTS]


def fit_logistic(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, steps: int = 50) -> np.ndarray:
    """Weighted L2-penalised logistic regression by Newton's method (small, dense, well-conditioned)."""
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.01  # the bias is barely penalised
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30, 30)))
        grad = x.T @ (w * (p - y)) + penalty * beta
        hess = (x * (w * p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return beta


def _fit(rows: list[dict]) -> dict[str, list[float]]:
    per_set = defaultdict(int)
    for r in rows:
        per_set[r["set"]] += 1
    weights = {}
    for verdict in VERDICTS:
        mine = [r for r in rows if r["pred"] == verdict]
        if not mine:
            continue
        x = np.array([r["features"] for r in mine], dtype=float)
        y = np.array([float(r["pred"] == r["gold"]) for r in mine])
        w = np.array([len(rows) / (len(per_set) * per_set[r["set"]]) for r in mine])  # each set weighs the same
        weights[verdict] = [round(float(b), 5) for b in fit_logistic(x, y, w)]
    return weights


def _predict(weights: dict[str, list[float]], row: dict) -> float:
    beta = weights.get(row["pred"])
    if beta is None:
        return 0.5
    return float(1.0 / (1.0 + np.exp(-np.clip(np.dot(beta, row["features"]), -30, 30))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.training.calibrate", description=__doc__)
    parser.add_argument("results", type=Path, nargs="+", help="results.jsonl of dev runs")
    parser.add_argument("--fit-sets", default="climate_fever,news",
                        help="sets to fit on (licences permitting shipping the result); the others are only measured")
    parser.add_argument("--write", action="store_true", help=f"fit on every fit set and write {CALIBRATION_PATH.name}")
    args = parser.parse_args(argv)
    fit_sets = set(args.fit_sets.split(","))
    rows = [r for path in args.results for r in _rows(path)]
    sets = sorted({r["set"] for r in rows})
    fitted = [i for i, r in enumerate(rows) if r["set"] in fit_sets]
    held_out: dict[int, float] = {}
    for fold in range(5):
        weights = _fit([rows[i] for k, i in enumerate(fitted) if k % 5 != fold])
        for k, i in enumerate(fitted):
            if k % 5 == fold:
                held_out[i] = _predict(weights, rows[i])
    final = _fit([rows[i] for i in fitted])
    for i, r in enumerate(rows):
        if r["set"] not in fit_sets:
            held_out[i] = _predict(final, r)
    for name in sets:
        idx = [i for i, r in enumerate(rows) if r["set"] == name]
        correct = [rows[i]["pred"] == rows[i]["gold"] for i in idx]
        before = reliability([rows[i]["confidence"] for i in idx], correct)["ece"]
        after = reliability([held_out[i] for i in idx], correct)["ece"]
        how = "5-fold, held out" if name in fit_sets else "not fitted on"
        print(f"{name}: {len(idx)} claims, accuracy {np.mean(correct):.3f}, ECE shipped {before:.3f} -> "
              f"logistic {after:.3f} ({how})")
    if args.write:
        CALIBRATION_PATH.write_text(json.dumps({
            "model": "logistic", "features": list(FEATURES), "weights": final,
            "fitted_on": {name: f"dev, {sum(r['set'] == name for r in rows)} claims" for name in sets
                          if name in fit_sets},
            "command": "python -m evals.training.calibrate " + " ".join(str(p) for p in args.results) + " --write",
            "fitted_at": dt.date.today().isoformat(),
        }, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
