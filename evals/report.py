"""Writes a run's folder: config.json, results.jsonl, summary.json, summary.md and the PNG plots."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

from evals.plots import plot_confusion, plot_reliability
from evals.sets import ANCHORS, TARGETS, SetOutcome

SET_TITLES = {
    "climate_fever": "Verdicts: CLIMATE-FEVER (claim vs. corpus of all evidence sentences)",
    "averitec": "Verdicts: AVeriTeC (claim vs. corpus of all QA answers)",
    "xnli_retrieval": "Cross-lingual retrieval: XNLI fr/vi sentence -> its English translation",
    "xnli_stance": "Cross-lingual stance: XNLI judge_pair with premise and hypothesis in different languages",
    "vitaminc": "Numbers: VitaminC contrastive revisions (judge_pair)",
    "fever_symmetric": "Numbers: FEVER-Symmetric (judge_pair)",
    "factcheck_bench": "Claim extraction: Factcheck-Bench gold claims",
    "propsegment_props": "Claim extraction: PropSegmEnt propositions",
    "propsegment_xdoc": "Cross-document: PropSegmEnt proposition vs. another document of its cluster",
    "seeds": "Seeds: hand-written gold verdicts for the seed and extra articles",
}


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _target_text(set_name: str, metric: str) -> str:
    target = TARGETS.get(set_name, {}).get(metric)
    return f"≥ {target:.2f}" if target is not None else ""


def _cell(set_name: str, metric: str, value) -> str:
    target = TARGETS.get(set_name, {}).get(metric)
    if target is None or value is None:
        return _fmt(value)
    return f"{_fmt(value)} ({'meets' if value >= target else 'below'})"


def headline_table(sets: dict[str, dict[str, dict]], backends: Sequence[str]) -> str:
    """The markdown table of every set's headline metrics, one column per backend, with targets."""
    lines = ["| set | metric | " + " | ".join(backends) + " | target |",
             "|---|---|" + "---|" * len(backends) + "---|"]
    for set_name, by_backend in sets.items():
        metrics = next(iter(by_backend.values()))["headline"]
        for metric in metrics:
            cells = []
            for backend in backends:
                summary = by_backend.get(backend) or by_backend.get("embeddings")
                cells.append(_cell(set_name, metric, summary["headline"].get(metric)) if summary else "–")
            lines.append(f"| {set_name} | {metric} | " + " | ".join(cells) + f" | {_target_text(set_name, metric)} |")
    return "\n".join(lines)


def _per_class_table(summary: dict) -> str:
    lines = ["| class | precision | recall | F1 | support | predicted |", "|---|---|---|---|---|---|"]
    for label, scores in summary["per_class"].items():
        lines.append(f"| {label} | {_fmt(scores['precision'])} | {_fmt(scores['recall'])} | {_fmt(scores['f1'])} | "
                     f"{scores['support']} | {scores['predicted']} |")
    return "\n".join(lines)


def _details(set_name: str, backend: str, summary: dict) -> list[str]:
    out = [f"#### {backend}", ""]
    if "per_class" in summary:
        out += [_per_class_table(summary), ""]
    baseline = summary.get("majority_baseline_from_dev")
    if baseline:
        out.append(f"- majority class of dev (`{baseline['label']}`) on this split: accuracy "
                   f"{_fmt(baseline['accuracy'])}, macro-F1 {_fmt(baseline['macro_f1'])}")
    for key in ("evidence_stance_retrieved", "evidence_stance_direct", "judge_pair_on_whole_document",
                "cross_lingual"):
        if key in summary:
            part = summary[key]
            out.append(f"- {key.replace('_', ' ')}: accuracy {_fmt(part['accuracy'])}, macro-F1 {_fmt(part['macro_f1'])}"
                       f" (per class F1: " + ", ".join(f"{k} {_fmt(v['f1'])}" for k, v in part["per_class"].items()) + ")")
    for key, part in summary.items():
        if key.startswith("subset_"):
            out.append(f"- accuracy on `{key.removeprefix('subset_')}` items: {_fmt(part['accuracy'])} (n={part['n']})")
    if "by_languages" in summary:
        out.append("- by (claim-evidence) languages: " + ", ".join(
            f"{k} acc {_fmt(v['accuracy'])} / F1 {_fmt(v['macro_f1'])}" for k, v in summary["by_languages"].items()))
    if "by_language" in summary:
        out.append("- by query language: " + ", ".join(
            f"{k} R@1 {_fmt(v['recall_at_1'])}, R@5 {_fmt(v['recall_at_5'])} (n={v['n']})"
            for k, v in summary["by_language"].items()) + f"; candidates {summary['candidates']}")
    for key in ("reference_sentence_as_claim", "reference_other_rater"):
        if key in summary:
            part = summary[key]
            out.append(f"- {key.replace('_', ' ')}: recall {_fmt(part['recall'])}, precision {_fmt(part['precision'])}")
    if "gold_claims" in summary:
        out.append(f"- gold claims {summary['gold_claims']}, system claims {summary['system_claims']}, "
                   f"matched {summary['matched']} ({summary['match_rule']})")
    if "claim_checkworthiness" in summary:
        out.append(f"- check-worthiness of matched claims: accuracy {_fmt(summary['claim_checkworthiness']['accuracy'])}")
    for key in ("ece", "errors", "corpus_documents", "missing_claims", "seconds"):
        if summary.get(key) is not None:
            out.append(f"- {key}: {_fmt(summary[key])}")
    return out + [""]


def render_markdown(summary: dict) -> str:
    """The human-readable summary of a run: headline table, anchors, then per-set details."""
    backends = summary["backends"]
    lines = [f"# Eval run `{summary['run']}` — split `{summary['split']}`", ""]
    if summary.get("partial"):
        lines += ["**Partial run (subsampled with --limit): not a reportable number.**", ""]
    lines += [f"Command: `{summary['command']}`  ", f"Wall time: {summary['wall_seconds']:.0f} s; "
              f"backends: {', '.join(backends)}; commit {summary.get('commit') or 'unknown'}", ""]
    if summary.get("skipped_backends"):
        lines += [f"Not run: {summary['skipped_backends']}", ""]
    lines += [headline_table(summary["sets"], backends), ""]
    anchors = [f"- **{name}**: {text}" for name, text in ANCHORS.items() if name in summary["sets"]]
    if anchors:
        lines += ["Anchors:", ""] + anchors + [""]
    for set_name, by_backend in summary["sets"].items():
        lines += [f"### {SET_TITLES.get(set_name, set_name)}", ""]
        for backend, set_summary in by_backend.items():
            lines += _details(set_name, backend, set_summary)
    return "\n".join(lines)


def write_run(out_dir: Path, config: dict, outcomes: list[SetOutcome], summary: dict) -> None:
    """Write config.json, results.jsonl, summary.json, summary.md and the plots into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with (out_dir / "results.jsonl").open("w", encoding="utf-8") as handle:
        for outcome in outcomes:
            for row in outcome.rows:
                handle.write(json.dumps({"set": outcome.name, "backend": outcome.backend, **row},
                                        ensure_ascii=False, default=str) + "\n")
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "summary.md").write_text(render_markdown(summary) + "\n", encoding="utf-8")
    curves: dict[str, dict[str, dict]] = {}
    for outcome in outcomes:
        for title, confusion in outcome.confusions.items():
            slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
            plot_confusion(confusion["labels"], confusion["matrix"], f"{outcome.name} [{outcome.backend}]: {title}",
                           out_dir / f"confusion_{outcome.name}_{slug}_{outcome.backend}.png")
        if outcome.reliability and outcome.reliability["n"]:
            curves.setdefault(outcome.name, {})[outcome.backend] = outcome.reliability
    for set_name, by_backend in curves.items():
        plot_reliability(by_backend, f"{set_name}: reliability of confidence", out_dir / f"reliability_{set_name}.png")
