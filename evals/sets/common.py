"""What every set shares: the context it runs in, its outcome, item helpers, and a fresh FactChecker per set."""

from __future__ import annotations

import contextlib
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator, Sequence, TypeVar

from tqdm import tqdm

from evals import datasets as ds
from evals.metrics import classification_summary, majority_baseline, reliability
from service.models import VERDICTS, ClaimReport, DocumentIn
from service.pipeline.verdicts import aggregate_features

T = TypeVar("T")


ERROR = "error"  # prediction recorded when the system raised on an item; always counted wrong


MATCH_THRESHOLD = 0.6  # token F1 a system claim needs to count as finding a gold claim (the issue's rule)


SENTENCE_ASSIGN_MIN = 0.5  # share of a claim quote's tokens that must lie in a gold sentence to belong to it


INGEST_CHUNK = 128  # documents per ingest_many call: big enough to batch embeddings, small enough to show progress

# Quality bars the issue sets; the report marks each headline number against them.


TARGETS: dict[str, dict[str, float]] = {
    "climate_fever": {"accuracy": 0.50, "macro_f1": 0.40},
    "xnli_retrieval": {"recall_at_1": 0.95},
    "factcheck_bench": {"recall": 0.75, "precision": 0.75},
    "propsegment_props": {"recall": 0.50, "precision": 0.70},
    "extraction_en": {"recall": 0.75, "precision": 0.75},
    "extraction_fr": {"recall": 0.75, "precision": 0.75},
    "extraction_vi": {"recall": 0.75, "precision": 0.75},
    "news": {"accuracy": 0.85},
    "averitec": {"accuracy": 0.56, "macro_f1": 0.30},
}


ANCHORS: dict[str, str] = {
    "climate_fever": "FEVER-trained entailment model: 38.78% label accuracy (CLIMATE-FEVER paper); "
    "majority class: 42.6% accuracy, 0.15 macro-F1 (whole dataset)",
}


@dataclass
class EvalContext:
    """What every set needs: the split, an optional subsample size and a factory for fresh FactCheckers."""

    split: str
    backend: str
    open_checker: Callable[[], ContextManager]
    data_dir: Path = ds.DEFAULT_DATA_DIR
    limit: int | None = None
    progress: bool = True


@dataclass
class SetOutcome:
    """Rows (one per item), a JSON-able summary, confusion matrices and reliability bins of one set."""

    name: str
    backend: str
    rows: list[dict]
    summary: dict
    confusions: dict[str, dict] = field(default_factory=dict)  # title -> {"labels", "matrix"}
    reliability: dict | None = None


def subsample(items: Sequence[T], key: Callable[[T], str], limit: int | None) -> list[T]:
    """The first `limit` items in a file-order-independent hash order (all items when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    return sorted(items, key=lambda item: ds.stable_order(key(item)))[:limit]


def bar(items: Iterable[T], ctx: EvalContext, desc: str, total: int | None = None) -> Iterator[T]:
    return iter(tqdm(items, desc=f"{desc} [{ctx.backend}]", total=total, disable=not ctx.progress,
                     unit="it", dynamic_ncols=True))


def error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def ingest(fc, docs: Sequence[DocumentIn], ctx: EvalContext, desc: str) -> list:
    """Ingest documents in chunks with a progress bar; returns the DocumentReports in input order."""
    out = []
    parts = chunks(list(docs), INGEST_CHUNK)
    for part in bar(parts, ctx, f"{desc}: ingest", total=len(parts)):
        out.extend(ingested_reports(fc.ingest_many(list(part))))
    return out


def ingested_reports(results: list) -> list:
    """DocumentReports from ingest_many, which pairs each with a 'created' flag."""
    return [r[0] if isinstance(r, tuple) else r for r in results]


def strongest(evidence: Iterable, keep: Callable[[object], bool]) -> tuple[str, float]:
    """The stance and score of the highest-scored non-neutral evidence item that `keep` accepts."""
    best = ("neutral", 0.0)
    for item in evidence:
        if item.stance != "neutral" and keep(item) and item.score >= best[1]:
            best = (item.stance, item.score)
    return best


def verdict_summary(rows: list[dict], dev_gold: list[str]) -> tuple[dict, dict, dict]:
    gold = [r["gold"] for r in rows]
    pred = [r["pred"] for r in rows]
    summary = classification_summary(gold, pred, VERDICTS)
    summary["majority_baseline_from_dev"] = majority_baseline(dev_gold, gold, VERDICTS)
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    scored = [r for r in rows if r.get("confidence") is not None]
    rel = reliability([r["confidence"] for r in scored], [r["pred"] == r["gold"] for r in scored])
    summary["ece"] = rel["ece"]
    return summary, {"claim verdicts": summary["confusion"]}, rel


EVIDENCE_FIELDS = ("document_id", "source_group", "stance", "score", "basis", "kind", "same_source", "quote",
                   "rationale")


def evidence_rows(evidence: Iterable) -> list[dict]:
    """A claim's evidence as stored on a result row: enough to recompute any decision feature offline (the
    claim-level aggregator is trained on these rows of the dev splits)."""
    return [{name: getattr(e, name) for name in EVIDENCE_FIELDS} for e in evidence]


def check_claim_row(fc, case_id: str, claim: str) -> tuple[ClaimReport | None, dict]:
    started = time.perf_counter()
    try:
        report = fc.check_claim(claim)
    except Exception as exc:  # recorded on the row and counted wrong; see module docstring
        return None, {"pred": ERROR, "confidence": None, "error": error_text(exc),
                      "seconds": time.perf_counter() - started}
    return report, {"pred": report.verdict, "confidence": report.confidence,
                    "features": aggregate_features(report.evidence), "evidence": evidence_rows(report.evidence),
                    "seconds": round(time.perf_counter() - started, 4)}


def embed_all(fn: Callable, texts: list[str], ctx: EvalContext, desc: str, batch: int = 64):
    """Embed in batches behind a progress bar (thousands of sentences take minutes on 2 cores)."""
    import numpy as np

    parts = [fn(list(chunk)) for chunk in bar(chunks(texts, batch), ctx, desc, total=-(-len(texts) // batch))]
    return np.vstack(parts)


@contextlib.contextmanager
def open_eval_checker(backend: str):
    """A FactChecker on a fresh temporary corpus, forced to the offline analyser or required to use the LLM."""
    from evals.embedding_cache import shared_embedder
    from service.bootstrap import open_factchecker
    from service.settings import Settings

    with tempfile.TemporaryDirectory(prefix="factcheck-eval-") as tmp:
        overrides = {"llm_base_url": None} if backend == "offline" else {}
        settings = Settings(data_dir=Path(tmp), **overrides)
        with open_factchecker(settings, embedder=shared_embedder(settings.embedding_batch_size)) as fc:
            if fc.backend_name != backend:
                raise RuntimeError(f"asked for the {backend} backend, the FactChecker runs {fc.backend_name}")
            yield fc
