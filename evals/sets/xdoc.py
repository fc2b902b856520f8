"""The cross-document NTREX benchmark (evals/gold/xdoc): originals and independent reports, labels by construction."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from evals import datasets as ds
from evals.metrics import classification_summary
from evals.sets.common import (
    EvalContext,
    SetOutcome,
    bar,
    ingested_reports,
    subsample,
    verdict_summary,
)
from evals.sets.verdicts import verdict_at_quote
from service.models import VERDICTS, DocumentIn

XDOC_DIR = ds.GOLD_DIR / "xdoc"


@dataclass
class XdocDocument:
    """One original or report of the benchmark, as build.py wrote it."""

    id: str
    direction: str
    pair: str
    role: str
    language: str
    title: str
    source: str
    text: str


def load_xdoc(split: str, gold_dir: Path = XDOC_DIR) -> tuple[list[XdocDocument], list[dict]]:
    """The split's documents and labelled claims (evals/gold/xdoc/README.md)."""
    if split not in ds.SPLITS:
        raise ValueError(f"split must be one of {ds.SPLITS}, not {split!r}")

    def rows(name: str) -> list[dict]:
        with (gold_dir / name).open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]

    documents = [XdocDocument(**{k: r[k] for k in ("id", "direction", "pair", "role", "language", "title", "source",
                                                   "text")}) for r in rows(f"{split}.corpora.jsonl")]
    return documents, rows(f"{split}.jsonl")


def limit_to_pairs(documents: list[XdocDocument], claims: list[dict], limit: int | None
                   ) -> tuple[list[XdocDocument], list[dict]]:
    """With a limit, whole original/report pairs in a fixed hash order until they hold `limit` claims, and `limit` of
    those claims: a quick run ingests a handful of documents instead of every direction's corpus."""
    if limit is None or limit >= len(claims):
        return documents, claims
    by_pair: dict[str, list[dict]] = defaultdict(list)
    for claim in claims:
        by_pair[claim["pair"]].append(claim)
    chosen: set[str] = set()
    held = 0
    for pair in sorted(by_pair, key=ds.stable_order):
        if held >= limit:
            break
        chosen.add(pair)
        held += len(by_pair[pair])
    kept = subsample([c for c in claims if c["pair"] in chosen], lambda c: c["id"], limit)
    pairs = {c["pair"] for c in kept}
    return [d for d in documents if d.pair in pairs], kept


def run_xdoc(ctx: EvalContext) -> SetOutcome:
    """Per direction, every original and report ingested into a fresh corpus (unrelated stories side by side); each
    labelled claim compared with the system claim at its quote, and each pair's source groups checked apart."""
    documents, claims = limit_to_pairs(*load_xdoc(ctx.split), ctx.limit)
    rows, pairs = [], []
    directions = sorted({d.direction for d in documents})
    for direction in directions:
        docs = [d for d in documents if d.direction == direction]
        golds = [c for c in claims if c["direction"] == direction]
        with ctx.open_checker() as fc:
            stored = ingested_reports(fc.ingest_many([DocumentIn(text=d.text, title=d.title, source=d.source)
                                                      for d in docs]))
            reports = {d.id: fc.document_report(r.id) for d, r in zip(docs, stored, strict=True)}
            by_pair: dict[str, dict[str, str]] = defaultdict(dict)
            for d in docs:
                by_pair[d.pair][d.role] = d.id
            for pair, members in sorted(by_pair.items()):
                if {"original", "report"} <= members.keys():
                    a, b = reports[members["original"]], reports[members["report"]]
                    pairs.append({"pair": pair, "direction": direction, "original_group": a.source_group,
                                  "report_group": b.source_group, "independent": a.source_group != b.source_group})
            for gold in bar(golds, ctx, f"xdoc: {direction}"):
                row = {"id": gold["id"], "split": gold["split"], "direction": direction, "pair": gold["pair"],
                       "document": gold["document"], "quote": gold["quote"], "gold": gold["gold"],
                       "phenomenon": gold["phenomenon"], "phenomena": [gold["phenomenon"]], "side": gold["side"],
                       "source_sentence": gold["source_sentence"]}
                row.update(verdict_at_quote(reports[gold["document"]], gold["quote"]))
                rows.append(row)
    summary, confusions, rel = verdict_summary(rows, [])
    summary.pop("majority_baseline_from_dev", None)  # labels by construction: no dev majority to compare with
    summary["missing_claims"] = sum(r["pred"] == "missing" for r in rows)
    summary["by_direction"] = {}
    for direction in directions:
        subset = [r for r in rows if r["direction"] == direction]
        if subset:
            scores = classification_summary([r["gold"] for r in subset], [r["pred"] for r in subset], VERDICTS)
            summary["by_direction"][direction] = {"accuracy": scores["accuracy"], "macro_f1": scores["macro_f1"],
                                                  "n": len(subset), "confusion": scores["confusion"]}
    summary["by_phenomenon"] = {}
    for phenomenon in sorted({r["phenomenon"] for r in rows}):
        subset = [r for r in rows if r["phenomenon"] == phenomenon]
        summary["by_phenomenon"][phenomenon] = {
            "accuracy": round(sum(r["pred"] == r["gold"] for r in subset) / len(subset), 3), "n": len(subset),
            "confusion": classification_summary([r["gold"] for r in subset], [r["pred"] for r in subset],
                                                VERDICTS)["confusion"]}
    summary["grouping_pairs"] = len(pairs)
    summary["grouping_accuracy"] = round(sum(p["independent"] for p in pairs) / max(len(pairs), 1), 3)
    summary["grouping_errors"] = [p for p in pairs if not p["independent"]]
    summary["corpus_documents"] = len(documents)
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "grouping_accuracy": summary["grouping_accuracy"]}
    return SetOutcome("xdoc", ctx.backend, rows, summary, confusions, rel)
