"""Choose the stance policy (when the cross-encoder may read a pair, and how sure it must be) on DEV.

    python -m evals.training.tune_stance --limit 300 --cache /tmp/tune.pkl

Ingests the dev corpora of CLIMATE-FEVER and AVeriTeC exactly as the eval suite does and checks each claim once,
and ingests the news gold set's dev stories; meanwhile it records what the pipeline hands the stance judge for
each claim (the claim, its candidates) and the evidence that does not come from the judge (a denial inside the
claim's own article). It then replays those candidates under every policy of a grid and prints claim-level
accuracy and macro-F1 per set, best first, with the shipped policy's row. The cross-encoder's probabilities are
cached per pair, so a replay costs only the rules. Never run on test.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from evals import datasets as ds
from evals.metrics import classification_summary
from evals.sets import open_eval_checker, subsample
from evals.sets.verdicts import claim_at_quote
from service.analysis.cross_encoder import CrossEncoder
from service.analysis.stance import OfflineStanceJudge, StancePolicy
from service.models import VERDICTS, DocumentIn, EvidenceOut
from service.pipeline.verdicts import raw_decision
from service.pipeline.verify import evidence_from


@dataclass
class Recorded:
    """One gold claim as the judge saw it: its candidates, and the evidence that came from elsewhere."""

    gold: str
    claim: object  # service.models.Claim, or None when the pipeline made no judge call
    candidates: list
    extra: list[EvidenceOut] = field(default_factory=list)  # same-document denials (not the judge's)


class CachedModel:
    """The shipped cross-encoder with its probabilities remembered per (claim, evidence) pair."""

    def __init__(self, model: CrossEncoder, cache: dict | None = None) -> None:
        self.model = model
        self.cache: dict[tuple[str, str], np.ndarray] = cache if cache is not None else {}
        self.thresholds = model.thresholds

    def predict_proba(self, claims: list[str], evidences: list[str]) -> np.ndarray:
        missing = [(c, e) for c, e in zip(claims, evidences) if (c, e) not in self.cache]
        if missing:
            for pair, row in zip(missing, self.model.predict_proba([c for c, _ in missing], [e for _, e in missing])):
                self.cache[pair] = row
        return np.vstack([self.cache[(c, e)] for c, e in zip(claims, evidences)]) if claims else np.zeros((0, 3))


class _Recorder:
    """Passes judge calls through, keeping each claim's last call (a later document re-verifies earlier claims)."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.calls: dict[str, tuple] = {}

    def judge_many(self, items):
        for claim, candidates in items:
            self.calls[claim.id] = (claim, list(candidates))
        return self.inner.judge_many(items)

    def judge(self, claim, candidates):
        return self.judge_many([(claim, candidates)])[0]


def _record_checks(fc, cases, docs: list[DocumentIn]) -> list[Recorded]:
    """CLIMATE-FEVER / AVeriTeC: each claim checked against the ingested evidence documents."""
    fc.ingest_many(docs)
    recorder = _Recorder(fc.verifier.judge)
    fc.verifier.judge = recorder
    out = []
    for case in cases:
        recorder.calls.clear()
        fc.check_claim(case.claim)
        claim, candidates = next(iter(recorder.calls.values()), (None, []))
        out.append(Recorded(case.gold, claim, candidates))
    fc.verifier.judge = recorder.inner
    return out


def _record_news(fc, story: ds.NewsStory) -> list[Recorded]:
    """A news story ingested in publication order; each gold claim with its last judge call and its own-document
    denials."""
    recorder = _Recorder(fc.verifier.judge)
    fc.verifier.judge = recorder
    articles = sorted(story.articles, key=lambda a: (a.date, a.file))
    stored = fc.ingest_many([DocumentIn(text=a.text, title=a.file, source=a.outlet) for a in articles])
    fc.verifier.judge = recorder.inner
    by_file = {a.file: fc.document_report(r.id) for a, (r, _) in zip(articles, stored, strict=True)}
    out = []
    for gold in story.golds:
        report = by_file[gold.document]
        claim = claim_at_quote(report, report.text or "", gold.quote)
        if claim is None or claim.id not in recorder.calls:
            out.append(Recorded(gold.gold, None, [], [e for e in (claim.evidence if claim else [])
                                                       if e.kind in ("denial", "assertion")]))
            continue
        judged, candidates = recorder.calls[claim.id]
        extra = [e for e in claim.evidence if e.kind in ("denial", "assertion") and e.document_id == claim.document_id]
        out.append(Recorded(gold.gold, judged, candidates, extra))
    return out


def _record(limit: int) -> dict[str, tuple[list[Recorded], dict[str, float]]]:
    recorded = {}
    checks = {
        "climate_fever": subsample(ds.load_climate_fever("dev"), lambda c: c.id, limit),
        "averitec": subsample(ds.load_averitec("dev"), lambda c: c.id, limit),
    }
    for name, cases in checks.items():
        docs = list({ev.id: DocumentIn(text=ev.text, title=ev.title, source=ev.source)
                     for c in cases for ev in c.evidence}.values())
        with open_eval_checker("offline") as fc:
            print(f"{name}: {len(cases)} claims, {len(docs)} documents", file=sys.stderr)
            items = _record_checks(fc, cases, docs)
            recorded[name] = (items, _weights(fc, items))  # the corpus's name weights, frozen for the replay
    news: list[Recorded] = []
    weights: dict[str, float] = {}
    for story in ds.load_news("dev"):
        with open_eval_checker("offline") as fc:
            print(f"news: {story.name}, {len(story.golds)} claims", file=sys.stderr)
            items = _record_news(fc, story)
            news += items
            weights.update(_weights(fc, items))
    recorded["news"] = (news, weights)
    return recorded


def _weights(fc, items: list[Recorded]) -> dict[str, float]:
    from service.analysis.entities import entity_key

    keys = {entity_key(e) for r in items for c in ([r.claim] if r.claim else []) + [k.claim for k in r.candidates]
            for e in c.entities}
    return {k: fc.verifier.rarity(k) for k in keys}


def _verdicts(judge: OfflineStanceJudge, items: list[Recorded]) -> list[str]:
    out = []
    for r in items:
        results = judge.judge(r.claim, r.candidates) if r.claim is not None and r.candidates else []
        evidence = [evidence_from(c, res) for c, res in zip(r.candidates, results) if res.stance != "neutral"]
        out.append(raw_decision(evidence + r.extra).verdict)
    return out


GRID = {
    "supports_min": (0.5, 0.6, 0.7, 0.8),
    "refutes_min": (0.45, 0.55, 0.65, 0.75),
    "learned_min_similarity": (0.83, 0.85, 0.87),
    "learned_min_name_weight": (0.5, 1.0),
    "max_model_pairs": (3, 6),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.training.tune_stance", description=__doc__)
    parser.add_argument("--limit", type=int, default=300, help="dev claims per check set (deterministic subsample)")
    parser.add_argument("--top", type=int, default=15, help="policies to print")
    parser.add_argument("--cache", type=Path, default=None,
                        help="pickle of the recorded candidates and, per model file, its probabilities: written once, "
                             "replayed after (a retrained model reuses the candidates)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    probabilities: dict[str, dict] = {}
    if args.cache and args.cache.exists():
        with args.cache.open("rb") as fh:
            recorded, probabilities = pickle.load(fh)
    else:
        recorded = _record(args.limit)
    encoder = CrossEncoder.load()
    model_id = hashlib.sha1(encoder.model_path.read_bytes()).hexdigest()
    model = CachedModel(encoder, probabilities.setdefault(model_id, {}))

    def judge(weights: dict[str, float], policy: StancePolicy | None = None) -> OfflineStanceJudge:
        return OfflineStanceJudge(model=model, rarity=lambda k: weights.get(k, 1.0), policy=policy)

    rows = []
    default = StancePolicy()
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values))
        params["learned_min_similarity_named"] = params["learned_min_similarity"]
        policy = dataclasses.replace(default, **params)
        scores = {}
        for name, (items, weights) in recorded.items():
            summary = classification_summary([r.gold for r in items], _verdicts(judge(weights, policy), items), VERDICTS)
            scores[name] = (summary["accuracy"], summary["macro_f1"])
        rows.append((policy, scores))
    if args.cache:
        with args.cache.open("wb") as fh:
            pickle.dump((recorded, probabilities), fh)
    rows.sort(key=lambda r: -sum(f1 for _acc, f1 in r[1].values()))
    shipped = [("shipped", s) for p, s in rows if p == default]
    for policy, scores in rows[: args.top] + shipped:
        cells = "  ".join(f"{n} acc {a:.3f} F1 {f:.3f}" for n, (a, f) in scores.items())
        label = "shipped" if policy == "shipped" else ", ".join(f"{k}={getattr(policy, k)}" for k in GRID)
        print(f"{cells}  | {label}")
    best = rows[0][0]
    for name, (items, weights) in recorded.items():
        summary = classification_summary([r.gold for r in items], _verdicts(judge(weights, best), items), VERDICTS)
        print(f"best on {name}: " + json.dumps({k: summary[k] for k in ("confusion", "per_class")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
