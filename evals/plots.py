"""PNG plots of a run: a confusion matrix per set and backend, a reliability diagram per set with confidences."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: evals run in CI and over SSH, never with a display

import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)


def plot_confusion(labels: list[str], matrix: list[list[int]], title: str, path: Path) -> Path:
    """Draw a gold-by-predicted count matrix, each row shaded by its share of the gold class."""
    size = max(3.5, 1.1 * len(labels) + 1.5)
    fig, ax = plt.subplots(figsize=(size, size * 0.85))
    shares = [[cell / max(1, sum(row)) for cell in row] for row in matrix]
    ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    ax.set_xticks(range(len(labels)), labels=labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i, row in enumerate(matrix):
        for j, cell in enumerate(row):
            ax.text(j, i, str(cell), ha="center", va="center", color="white" if shares[i][j] > 0.6 else "black")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_reliability(curves: dict[str, dict], title: str, path: Path) -> Path:
    """Draw accuracy against mean confidence per bin, one line per backend, with the diagonal and ECE."""
    fig, (ax, hist) = plt.subplots(2, 1, figsize=(5, 6), gridspec_kw={"height_ratios": [3, 1]}, sharex=True)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    for name, rel in curves.items():
        points = [(b["confidence"], b["accuracy"]) for b in rel["bins"] if b["count"]]
        if points:
            xs, ys = zip(*points)
            ece = rel.get("ece")
            label = f"{name} (ECE {ece:.3f})" if ece is not None else name
            ax.plot(xs, ys, marker="o", label=label)
        centres = [(b["low"] + b["high"]) / 2 for b in rel["bins"]]
        hist.bar(centres, [b["count"] for b in rel["bins"]], width=0.09, alpha=0.5, label=name)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    hist.set_xlabel("confidence")
    hist.set_ylabel("items")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
