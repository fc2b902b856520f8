"""Choose the stance policy (when the learned model may judge a pair, and how sure it must be) on DEV.

`python -m evals.training.tune_stance --limit 300` ingests the dev corpora of CLIMATE-FEVER and AVeriTeC exactly as the
eval suite does, checks each claim once while recording the candidates the pipeline hands to the stance
judge, then replays those candidates under every policy of a grid (rules and model are cheap once the
vectors are memoised) and prints claim-level accuracy and macro-F1 per set, best first. With
`--write-calibration` it fits the verdict confidence curves (service/pipeline/verdicts.py) for the shipped policy
instead. Never run on test.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import pickle
import sys
from collections.abc import Iterable
from pathlib import Path

from evals import datasets as ds
from evals.embedding_cache import shared_embedder
from evals.metrics import classification_summary, reliability
from evals.sets import open_eval_checker, subsample
from service.analysis.stance import OfflineStanceJudge, StancePolicy
from service.analysis.stance_model import StanceModel
from service.models import VERDICTS, DocumentIn
from service.pipeline.verdicts import (
    CALIBRATION_PATH,
    calibrated,
    fit_curve,
    raw_decision,
    reload_calibration,
)
from service.pipeline.verify import evidence_from


class RecordingJudge:
    """Passes calls through to the real judge and keeps (claim, candidates) of each call."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: list = []

    def judge(self, claim, candidates):
        self.calls.append((claim, list(candidates)))
        return self.inner.judge(claim, candidates)


def _record(fc, cases: Iterable, docs: list[DocumentIn]) -> list[tuple[str, object, list]]:
    """(gold verdict, claim, candidates) for every case, after ingesting its corpus."""
    fc.ingest_many(docs)
    recorder = RecordingJudge(fc.verifier.judge)
    fc.verifier.judge = recorder
    out = []
    for case in cases:
        recorder.calls.clear()
        fc.check_claim(case.claim)
        # no call at all: no candidates, unverified whatever the policy
        claim, candidates = recorder.calls[0] if recorder.calls else (None, [])
        out.append((case.gold, claim, candidates))
    fc.verifier.judge = recorder.inner
    return out


def _decisions(judge: OfflineStanceJudge, recorded) -> list:
    """verdicts.Decision per recorded claim under the judge's policy."""
    out = []
    for _gold, claim, candidates in recorded:
        results = judge.judge(claim, candidates) if claim is not None and candidates else []
        evidence = [evidence_from(c, r) for c, r in zip(candidates, results) if r.stance != "neutral"]
        out.append(raw_decision(evidence))
    return out


def _summary(judge: OfflineStanceJudge, recorded) -> dict:
    """Claim-verdict metrics of the recorded claims under the judge's policy."""
    return classification_summary([g for g, _c, _k in recorded], [d.verdict for d in _decisions(judge, recorded)],
                                  VERDICTS)


def write_calibration(recorded, judges: dict, path: Path, limit: int) -> None:
    """Fit the confidence curves (one per verdict, one for rule-decided verdicts) on the pooled dev decisions of
    the shipped policy; print ECE before and after."""
    pooled: dict[str, tuple[list[float], list[bool]]] = {v: ([], []) for v in (*VERDICTS, "rule")}
    decided = {}
    for name, (items, _weights) in recorded.items():
        decided[name] = list(zip([g for g, _c, _k in items], _decisions(judges[name], items)))
        for gold, (verdict, raw, by_rule) in decided[name]:
            pooled["rule" if by_rule else verdict][0].append(raw)
            pooled["rule" if by_rule else verdict][1].append(gold == verdict)
    curves = {v: fit_curve(raw, ok) for v, (raw, ok) in pooled.items() if raw}
    path.write_text(json.dumps({
        "fitted_on": {name: f"dev, {len(items)} claims" for name, (items, _w) in recorded.items()},
        "command": f"python -m evals.training.tune_stance --limit {limit} --write-calibration",
        "policy": dataclasses.asdict(StancePolicy()), "verdicts": curves}, indent=1) + "\n", encoding="utf-8")
    reload_calibration()
    for name, rows in decided.items():
        correct = [gold == d.verdict for gold, d in rows]
        raw_rel = reliability([d.raw for _g, d in rows], correct)
        cal_rel = reliability([calibrated("rule" if d.by_rule else d.verdict, d.raw) for _g, d in rows], correct)
        print(f"{name}: ECE raw {raw_rel['ece']:.3f} -> calibrated {cal_rel['ece']:.3f} (dev, in-sample; "
              f"{sum(d.by_rule for _g, d in rows)} of {len(rows)} decided by a rule)")


def _corpora(split: str, limit: int | None):
    cf = subsample(ds.load_climate_fever(split), lambda c: c.id, limit)
    cf_docs = {ev.id: DocumentIn(text=ev.text, title=ev.title, source=ev.source) for c in cf for ev in c.evidence}
    av = subsample(ds.load_averitec(split), lambda c: c.id, limit)
    av_docs = [DocumentIn(text=ev.text, title=ev.title, source=ev.source) for c in av for ev in c.evidence]
    return {"climate_fever": (cf, list(cf_docs.values())), "averitec": (av, av_docs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.training.tune_stance", description=__doc__)
    parser.add_argument("--limit", type=int, default=300, help="dev claims per set (deterministic subsample)")
    parser.add_argument("--top", type=int, default=15, help="policies to print")
    parser.add_argument("--judged", type=lambda s: [int(x) for x in s.split(",")], default=None,
                        help="also replay with only the N most similar candidates per claim, e.g. 16,20")
    parser.add_argument("--write-calibration", action="store_true",
                        help=f"fit the confidence curves for the shipped policy and write {CALIBRATION_PATH.name}")
    parser.add_argument("--cache", type=Path, default=None,
                        help="pickle of the recorded candidates and vectors: written once, replayed after")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    embedder = shared_embedder()
    if args.cache and args.cache.exists():
        with args.cache.open("rb") as fh:
            recorded, embedder._memo = pickle.load(fh)
    else:
        recorded = {}
        for name, (cases, docs) in _corpora("dev", args.limit).items():
            with open_eval_checker("offline") as fc:
                print(f"{name}: {len(cases)} claims, {len(docs)} documents", file=sys.stderr)
                items = _record(fc, cases, docs)
                # Replay needs this corpus's name weights: freeze them before the checker closes.
                recorded[name] = (items, {k: fc.verifier.rarity(k) for k in _names(items)})
        if args.cache:
            with args.cache.open("wb") as fh:
                pickle.dump((recorded, embedder._memo), fh)
    model = StanceModel.load()

    def judge(weights: dict[str, float], policy: StancePolicy | None = None) -> OfflineStanceJudge:
        """The offline judge on the memoised vectors and the recorded corpus's frozen name weights."""
        return OfflineStanceJudge(model=model, embed_pair=lambda c, e: (embedder.query(c), embedder.passage(e)),
                                  rarity=lambda k: weights.get(k, 1.0), policy=policy)

    if args.write_calibration:
        judges = {name: judge(weights) for name, (_items, weights) in recorded.items()}
        write_calibration(recorded, judges, CALIBRATION_PATH, args.limit)
        return 0
    grid = {
        "topical": (0.84, 0.85),
        "learned_min_similarity": (0.85,),
        "hedged": ("neutral", "supports", "judged"),
        "supports_min": (0.38, 0.42, 0.46),
        "refutes_min": (0.5, 0.55, 0.6),
    }
    rows = []
    default = StancePolicy()
    for judged, values in itertools.product(args.judged or [None], itertools.product(*grid.values())):
        policy = dataclasses.replace(default, **dict(zip(grid, values)))
        scores = {}
        for name, (items, weights) in recorded.items():
            if judged:  # fewer candidates per claim, as a smaller FACTCHECK_CANDIDATES_PER_CLAIM would give
                items = [(g, c, k[:judged]) for g, c, k in items]
            summary = _summary(judge(weights, policy), items)
            scores[name] = (summary["accuracy"], summary["macro_f1"])
        rows.append((policy, judged, scores))
    rows.sort(key=lambda r: -sum(acc + f1 for acc, f1 in r[2].values()))
    shipped = dataclasses.replace(default, supports_min=default.supports_min or model.thresholds["supports"],
                                  refutes_min=default.refutes_min or model.thresholds["refutes"])
    current = [("current", j, s) for p, j, s in rows if p == shipped]
    for policy, judged, scores in rows[: args.top] + current:
        cells = "  ".join(f"{n} acc {a:.3f} F1 {f:.3f}" for n, (a, f) in scores.items())
        label = "current" if policy == "current" else ", ".join(f"{k}={getattr(policy, k)}" for k in grid)
        print(f"{cells}  | {label}, judged={judged or 'as recorded'}")
    best = rows[0][0]  # confusion matrices below: as recorded
    for name, (items, weights) in recorded.items():
        summary = _summary(judge(weights, best), items)
        print(f"best on {name}: " + json.dumps({k: summary[k] for k in ("confusion", "per_class")}))
    return 0


def _names(items) -> set[str]:
    from service.analysis.entities import entity_key

    keys = set()
    for _gold, claim, candidates in items:
        for c in ([claim] if claim else []) + [k.claim for k in candidates]:
            keys.update(entity_key(e) for e in c.entities)
    return keys


if __name__ == "__main__":
    sys.exit(main())
