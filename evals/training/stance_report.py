"""Report the shipped stance model on the TEST splits (reporting only: nothing here feeds back into training).

    OMP_NUM_THREADS=1 python -m evals.training.stance_report [--split test] [--model PATH]

Sets: CLIMATE-FEVER evidence pairs, XNLI en/fr/vi (same-language and cross-language premise/hypothesis),
VitaminC, FEVER-Symmetric. Embeddings are cached under $STANCE_EMBED_CACHE (default /tmp/stance_embed_cache).

Caveat, XNLI: the shared split is by row, and each XNLI premise carries three hypotheses, one per label, so
~96% of test premises sit in dev with their siblings' (other) labels. A model that partly memorises premises
is pushed away from the right label: on dev, CV with row folds instead of premise folds drops XNLI macro-F1
from 0.57 to 0.50. The premise-grouped dev CV printed by train_stance is the better estimate for unseen evidence.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from evals.training.stance_data import SETS, StancePair, load_embedded, prefill
from service.analysis.stance_model import StanceModel

LABELS = StanceModel.LABELS


def classification_metrics(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, macro-F1 over the classes present in gold, per-class P/R/F1 and the confusion matrix (rows = gold)."""
    index = {label: i for i, label in enumerate(LABELS)}
    confusion = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    for g, p in zip(gold, predicted):
        confusion[index[g], index[p]] += 1
    per_class = {}
    for label, i in index.items():
        tp = confusion[i, i]
        precision = tp / confusion[:, i].sum() if confusion[:, i].sum() else 0.0
        recall = tp / confusion[i, :].sum() if confusion[i, :].sum() else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": float(precision), "recall": float(recall), "f1": float(f1), "support": int(confusion[i, :].sum())}
    # FEVER-Symmetric has no neutral gold: averaging a class that cannot be right would only lower every model equally.
    present = [label for label in LABELS if per_class[label]["support"] > 0]
    return {
        "n": len(gold),
        "accuracy": float(np.trace(confusion) / max(len(gold), 1)),
        "macro_f1": float(np.mean([per_class[label]["f1"] for label in present])) if present else 0.0,
        "per_class": per_class,
        "confusion": confusion.tolist(),
    }


def slices(pairs: list[StancePair]) -> dict[str, np.ndarray]:
    """Row indices of each reported slice: per dataset, and for XNLI per language pair plus same/cross-language."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        groups[pair.dataset].append(i)
        if pair.dataset == "xnli":
            premise_lang, claim_lang = pair.variant.split("-")
            groups["xnli/same-lang" if premise_lang == claim_lang else "xnli/cross-lang"].append(i)
            groups[f"xnli/{pair.variant}"].append(i)
    return {name: np.array(rows) for name, rows in groups.items()}


def format_table(results: dict[str, dict]) -> str:
    """Fixed-width table: one row per slice, accuracy, macro-F1, per-class P/R."""
    header = f"{'slice':<20} {'n':>6} {'acc':>6} {'macroF1':>8} " + " ".join(f"{label[:3]}P/R".rjust(11) for label in LABELS)
    lines = [header, "-" * len(header)]
    for name, m in results.items():
        pr = " ".join(f"{m['per_class'][label]['precision']:.2f}/{m['per_class'][label]['recall']:.2f}".rjust(11) for label in LABELS)
        lines.append(f"{name:<20} {m['n']:>6} {m['accuracy']:>6.3f} {m['macro_f1']:>8.3f} {pr}")
    return "\n".join(lines)


def format_confusions(results: dict[str, dict]) -> str:
    """Confusion matrices (rows gold, columns predicted, LABELS order) for the top-level slices."""
    lines = [f"confusion (rows gold, cols predicted: {', '.join(LABELS)})"]
    for name, m in results.items():
        if "/" in name and name not in ("xnli/same-lang", "xnli/cross-lang"):
            continue
        lines.append(f"  {name:<18} " + "  ".join(str(row) for row in m["confusion"]))
    return "\n".join(lines)


def main() -> None:
    """Evaluate the shipped model on every set's split and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--model", default=None, help="npz path (default: the shipped model)")
    args = parser.parse_args()

    model = StanceModel.load(args.model)
    prefill(args.split)  # no-op when the cache is warm
    pairs: list[StancePair] = []
    claim_parts, evidence_parts = [], []
    for dataset in SETS:
        set_pairs, claim_vecs, evidence_vecs = load_embedded(dataset, args.split)
        pairs += set_pairs
        claim_parts.append(claim_vecs)
        evidence_parts.append(evidence_vecs)
    claim_vecs, evidence_vecs = np.vstack(claim_parts), np.vstack(evidence_parts)

    started = time.perf_counter()
    proba = model.predict_proba([p.claim for p in pairs], [p.evidence for p in pairs], claim_vecs, evidence_vecs)
    elapsed = time.perf_counter() - started
    gold = [p.label for p in pairs]
    decisions = {"argmax": [LABELS[i] for i in proba.argmax(axis=1)], "thresholds": model.decide(proba)}

    print(f"stance model: {model.metadata.trained_at}, features v{model.metadata.feature_version}, thresholds {model.thresholds}")
    print(f"inference: {len(pairs)} pairs in {elapsed:.2f}s = {len(pairs) / elapsed:,.0f} pairs/s (embeddings excluded)\n")
    for rule, predicted in decisions.items():
        results = {name: classification_metrics([gold[i] for i in rows], [predicted[i] for i in rows]) for name, rows in slices(pairs).items()}
        print(f"== {args.split} split, decision = {rule}")
        print(format_table(results))
        print(format_confusions(results))
        print()


if __name__ == "__main__":
    main()
