"""Pair-level stance sets, through `judge_pair`: VitaminC, FEVER-Symmetric, XNLI (same and cross-language)."""

from __future__ import annotations

import time
from typing import Sequence

from evals import datasets as ds
from evals.metrics import classification_summary, reliability
from evals.sets.common import ERROR, EvalContext, SetOutcome, bar, error_text, subsample
from service.models import STANCES


def _judge_rows(fc, pairs: Sequence[ds.StancePair], ctx: EvalContext, desc: str) -> list[dict]:
    rows = []
    for pair in bar(pairs, ctx, desc):
        started = time.perf_counter()
        row = {"id": pair.id, "claim": pair.claim, "evidence": pair.evidence, "gold": pair.gold, "tags": pair.tags}
        try:
            result = fc.judge_pair(pair.claim, pair.evidence)
            row.update(pred=result.stance, confidence=result.score, rationale=result.rationale)
        except Exception as exc:  # recorded, counted wrong
            row.update(pred=ERROR, confidence=None, error=error_text(exc))
        row["seconds"] = round(time.perf_counter() - started, 4)
        rows.append(row)
    return rows


def _stance_summary(rows: list[dict], labels: Sequence[str], tags: Sequence[str]) -> tuple[dict, dict]:
    summary = classification_summary([r["gold"] for r in rows], [r["pred"] for r in rows], labels)
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    for tag in tags:
        tagged = [r for r in rows if tag in r["tags"]]
        summary[f"subset_{tag}"] = {"n": len(tagged),
                                    "accuracy": sum(r["pred"] == r["gold"] for r in tagged) / len(tagged) if tagged else None}
    scored = [r for r in rows if r.get("confidence") is not None]
    rel = reliability([r["confidence"] for r in scored], [r["pred"] == r["gold"] for r in scored])
    summary["ece"] = rel["ece"]
    return summary, rel


def run_vitaminc(ctx: EvalContext) -> SetOutcome:
    """judge_pair on VitaminC revisions; accuracy overall, on contrastive cases and where only a figure flips."""
    pairs = subsample(ds.load_vitaminc(ctx.split, ctx.data_dir), lambda p: p.id, ctx.limit)
    with ctx.open_checker() as fc:
        rows = _judge_rows(fc, pairs, ctx, "vitaminc")
    summary, rel = _stance_summary(rows, STANCES, ("contrastive", "figure_flip"))
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "figure_flip_accuracy": summary["subset_figure_flip"]["accuracy"]}
    return SetOutcome("vitaminc", ctx.backend, rows, summary, {"stance": summary["confusion"]}, rel)


def run_fever_symmetric(ctx: EvalContext) -> SetOutcome:
    """judge_pair on FEVER-Symmetric (supports/refutes only: a neutral answer is wrong)."""
    pairs = subsample(ds.load_fever_symmetric(ctx.split, ctx.data_dir), lambda p: p.id, ctx.limit)
    with ctx.open_checker() as fc:
        rows = _judge_rows(fc, pairs, ctx, "fever_symmetric")
    summary, rel = _stance_summary(rows, STANCES, ("figure",))
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "figure_accuracy": summary["subset_figure"]["accuracy"]}
    return SetOutcome("fever_symmetric", ctx.backend, rows, summary, {"stance": summary["confusion"]}, rel)


XNLI_STANCE_PAIRS = (("en", "en"), ("en", "fr"), ("en", "vi"), ("fr", "en"), ("vi", "en"))  # (claim, evidence)


def run_xnli_stance(ctx: EvalContext) -> SetOutcome:
    """judge_pair(hypothesis, premise) with the two in different languages (en-en kept as the reference)."""
    items = subsample(ds.load_xnli(ctx.split, ctx.data_dir), lambda r: r.id, ctx.limit)
    pairs = [
        ds.StancePair(id=f"{row.id}:{hyp}-{prem}", claim=row.hypothesis[hyp], evidence=row.premise[prem],
                      gold=row.gold, group=row.id, tags=[f"{hyp}-{prem}"] + (["cross"] if hyp != prem else []))
        for row in items for hyp, prem in XNLI_STANCE_PAIRS
    ]
    with ctx.open_checker() as fc:
        rows = _judge_rows(fc, pairs, ctx, "xnli_stance")
    summary = {"n_rows": len(items), "by_languages": {}}
    confusions = {}
    for hyp, prem in XNLI_STANCE_PAIRS:
        tag = f"{hyp}-{prem}"
        subset = [r for r in rows if tag in r["tags"]]
        part = classification_summary([r["gold"] for r in subset], [r["pred"] for r in subset], STANCES)
        summary["by_languages"][tag] = {k: part[k] for k in ("n", "accuracy", "macro_f1")}
    cross = [r for r in rows if "cross" in r["tags"]]
    pooled = classification_summary([r["gold"] for r in cross], [r["pred"] for r in cross], STANCES)
    summary["cross_lingual"] = pooled
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    confusions["cross-lingual pairs (pooled)"] = pooled["confusion"]
    scored = [r for r in cross if r.get("confidence") is not None]
    rel = reliability([r["confidence"] for r in scored], [r["pred"] == r["gold"] for r in scored])
    summary["ece"] = rel["ece"]
    summary["headline"] = {"cross_accuracy": pooled["accuracy"], "cross_macro_f1": pooled["macro_f1"],
                           "en_en_accuracy": summary["by_languages"]["en-en"]["accuracy"]}
    return SetOutcome("xnli_stance", ctx.backend, rows, summary, confusions, rel)
