"""Classification and calibration metrics, written out so the suite needs no scikit-learn."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from evals.datasets import tokens


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Share of items whose prediction equals the gold label (0.0 on no items)."""
    if not gold:
        return 0.0
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def per_class(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and support of every label (a label never predicted has precision 0)."""
    out = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        predicted = sum(p == label for p in pred)
        support = sum(g == label for g in gold)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support, "predicted": predicted}
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean F1 over `labels` (pass the gold classes of the set, so absent classes do not count)."""
    if not labels:
        return 0.0
    scores = per_class(gold, pred, labels)
    return sum(scores[label]["f1"] for label in labels) / len(labels)


def confusion_matrix(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> list[list[int]]:
    """Counts with rows = gold label and columns = predicted label, in the order of `labels`."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    return matrix


def classification_summary(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict:
    """Accuracy, macro-F1 over the gold classes present, per-class scores and the confusion matrix."""
    present = [label for label in labels if label in set(gold)]
    return {
        "n": len(gold),
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred, present),
        "macro_f1_labels": present,
        "per_class": per_class(gold, pred, labels),
        "confusion": {"labels": list(labels), "matrix": confusion_matrix(gold, pred, labels)},
        "gold_distribution": dict(Counter(gold)),
        "pred_distribution": dict(Counter(pred)),
    }


def majority_baseline(train_gold: Sequence[str], eval_gold: Sequence[str], labels: Sequence[str]) -> dict:
    """Accuracy and macro-F1 of always answering the most frequent label of `train_gold` (the dev split)."""
    if not train_gold or not eval_gold:
        return {"label": None, "accuracy": 0.0, "macro_f1": 0.0}
    label = Counter(train_gold).most_common(1)[0][0]
    pred = [label] * len(eval_gold)
    present = [lab for lab in labels if lab in set(eval_gold)]
    return {"label": label, "accuracy": accuracy(eval_gold, pred), "macro_f1": macro_f1(eval_gold, pred, present)}


def reliability(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> dict:
    """Equal-width confidence bins (count, mean confidence, accuracy) and the expected calibration error."""
    edges = [i / bins for i in range(bins + 1)]
    rows = []
    ece = 0.0
    total = len(confidences)
    for i in range(bins):
        low, high = edges[i], edges[i + 1]
        members = [
            (c, ok) for c, ok in zip(confidences, correct, strict=True)
            if low <= c < high or (i == bins - 1 and c == high)
        ]
        if members:
            mean_conf = sum(c for c, _ in members) / len(members)
            acc = sum(ok for _, ok in members) / len(members)
            ece += len(members) / total * abs(acc - mean_conf)
        else:
            mean_conf = acc = None
        rows.append({"low": low, "high": high, "count": len(members), "confidence": mean_conf, "accuracy": acc})
    return {"bins": rows, "ece": ece if total else None, "n": total}


def token_f1(a: str, b: str) -> float:
    """Bag-of-words F1 between two texts (SQuAD-style), on lower-cased Unicode word tokens."""
    ta, tb = Counter(tokens(a)), Counter(tokens(b))
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    precision = common / sum(ta.values())
    recall = common / sum(tb.values())
    return 2 * precision * recall / (precision + recall)


def greedy_match(gold: Sequence[str], system: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one matching of gold and system texts by descending token F1, keeping pairs with F1 >= threshold."""
    scored = sorted(
        ((token_f1(s, g), gi, si) for gi, g in enumerate(gold) for si, s in enumerate(system)),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_system: set[int] = set()
    pairs = []
    for score, gi, si in scored:
        if score < threshold:
            break
        if gi in used_gold or si in used_system:
            continue
        used_gold.add(gi)
        used_system.add(si)
        pairs.append((gi, si, score))
    return pairs


def recall_at_1(similarity_rows_argmax: Sequence[int], expected: Sequence[int]) -> float:
    """Share of queries whose top-ranked candidate is the expected one."""
    if not expected:
        return 0.0
    return sum(a == e for a, e in zip(similarity_rows_argmax, expected, strict=True)) / len(expected)
