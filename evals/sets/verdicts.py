"""Claim-level verdict sets: CLIMATE-FEVER, AVeriTeC, PropSegmEnt cross-document, and the seed gold verdicts."""

from __future__ import annotations

from collections import defaultdict

from evals import datasets as ds
from evals.metrics import classification_summary
from evals.sets.common import (
    ERROR,
    EvalContext,
    SetOutcome,
    bar,
    check_claim_row,
    error_text,
    evidence_rows,
    ingest,
    ingested_reports,
    strongest,
    subsample,
    verdict_summary,
)
from service.models import STANCES, ClaimReport, DocumentIn
from service.pipeline.verdicts import aggregate_features


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
        reports = ingest(fc, [DocumentIn(text=texts[e].text, title=texts[e].title, source=texts[e].source)
                               for e in evidence_ids], ctx, "climate_fever")
        doc_to_evidence: dict[str, set[str]] = defaultdict(set)
        for evidence_id, report in zip(evidence_ids, reports, strict=True):
            doc_to_evidence[report.id].add(evidence_id)
        for case in bar(cases, ctx, "climate_fever: claims"):
            report, row = check_claim_row(fc, case.id, case.claim)
            pairs = []
            for ev in case.evidence:
                if report is not None:
                    retrieved, score = strongest(report.evidence,
                                                  lambda item, ev=ev: ev.id in doc_to_evidence.get(item.document_id, ()))
                else:
                    retrieved, score = ERROR, 0.0
                try:
                    direct = fc.judge_pair(case.claim, ev.text)
                    direct_stance, direct_score = direct.stance, direct.score
                except Exception as exc:  # recorded, counted wrong
                    direct_stance, direct_score = ERROR, 0.0
                    row.setdefault("error", error_text(exc))
                pairs.append({"evidence_id": ev.id, "gold": ev.gold_stance, "retrieved": retrieved,
                              "retrieved_score": score, "direct": direct_stance, "direct_score": direct_score})
            rows.append({"id": case.id, "claim": case.claim, "gold": case.gold, **row,
                         "evidence_returned": len(report.evidence) if report else 0, "pairs": pairs})
    summary, confusions, rel = verdict_summary(rows, dev_gold)
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
        reports = ingest(fc, [DocumentIn(text=ev.text, title=ev.title, source=ev.source) for ev in docs],
                          ctx, "averitec")
        own: dict[str, set[str]] = defaultdict(set)  # claim id -> its own answers' document ids
        for ev, report in zip(docs, reports, strict=True):
            own[ev.id.split(":")[0]].add(report.id)
        for case in bar(cases, ctx, "averitec: claims"):
            report, row = check_claim_row(fc, case.id, case.claim)
            own_ids = own.get(case.id.removeprefix("av"), set())
            row["evidence_returned"] = len(report.evidence) if report else 0
            # how much of the decided evidence came from this claim's own answers rather than distractors
            row["evidence_from_own_answers"] = sum(
                1 for item in (report.evidence if report else []) if item.document_id in own_ids)
            rows.append({"id": case.id, "claim": case.claim, "gold": case.gold, **row})
    summary, confusions, rel = verdict_summary(rows, dev_gold)
    summary["corpus_documents"] = len(docs)
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"],
                           "disputed_f1": summary["per_class"]["disputed"]["f1"]}
    return SetOutcome("averitec", ctx.backend, rows, summary, confusions, rel)


def run_propsegment_xdoc(ctx: EvalContext) -> SetOutcome:
    """Stance of a proposition against another document of its cluster, read off check_claim's evidence."""
    relations = subsample(ds.load_propsegment_relationships(ctx.split, ctx.data_dir), lambda r: r.id, ctx.limit)
    documents = ds.load_propsegment_documents(ctx.split, ctx.data_dir)
    texts = {d.id: d.text for d in documents}
    rows = []
    with ctx.open_checker() as fc:
        reports = ingest(fc, [DocumentIn(text=d.text, title=d.cluster_id, source=f"propsegment:{d.id}")
                               for d in documents], ctx, "propsegment_xdoc")
        doc_of_report = {report.id: doc.id for doc, report in zip(documents, reports, strict=True)}
        checked: dict[str, ClaimReport | dict] = {}
        for rel in bar(relations, ctx, "propsegment_xdoc: propositions"):
            row = {"id": rel.id, "proposition": rel.proposition, "premise_document_id": rel.premise_document_id,
                   "gold": rel.gold}
            if rel.proposition not in checked:
                report, info = check_claim_row(fc, rel.id, rel.proposition)
                checked[rel.proposition] = report if report is not None else info
            report = checked[rel.proposition]
            if isinstance(report, dict):
                row.update(pred=ERROR, confidence=None, error=report.get("error"))
            else:
                stance, score = strongest(
                    report.evidence, lambda item, rel=rel: doc_of_report.get(item.document_id) == rel.premise_document_id)
                row.update(pred=stance, confidence=score if stance != "neutral" else None)
            try:
                direct = fc.judge_pair(rel.proposition, texts[rel.premise_document_id])
                row.update(direct=direct.stance, direct_score=direct.score)
            except Exception as exc:  # recorded, counted wrong
                row.update(direct=ERROR, direct_error=error_text(exc))
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


def claim_at_quote(report, document_text: str, quote: str):
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


def verdict_at_quote(report, quote: str) -> dict:
    """The row fields of the system claim at a gold quote of a stored document: its verdict, confidence,
    check-worthiness and evidence (pred "missing" when no claim overlaps the quote)."""
    claim = claim_at_quote(report, report.text or "", quote)
    if claim is None:
        return {"pred": "missing", "confidence": None, "claim": None}
    return {"pred": claim.verdict, "confidence": claim.confidence, "claim": claim.text,
            "checkworthy": claim.checkworthy, "features": aggregate_features(claim.evidence),
            "evidence": evidence_rows(claim.evidence)}


def run_seeds(ctx: EvalContext) -> SetOutcome:
    """Ingest each scenario's articles into a fresh corpus and compare claim verdicts with evals/gold/seeds.jsonl."""
    rows = []
    for scenario in ds.load_seeds(ctx.split):
        with ctx.open_checker() as fc:
            names = list(scenario.documents)
            stored = ingested_reports(fc.ingest_many([DocumentIn(text=scenario.documents[n], title=n, source=f"seeds/{n}")
                                              for n in names]))
            by_name = dict(zip(names, stored, strict=True))
            for gold in bar(scenario.golds, ctx, f"seeds: {scenario.name}"):
                row = {"id": gold.id, "scenario": scenario.name, "document": gold.document, "quote": gold.quote,
                       "gold": gold.gold, "note": gold.note}
                claim = claim_at_quote(by_name[gold.document], scenario.documents[gold.document], gold.quote)
                if claim is None:
                    row.update(pred="missing", confidence=None, claim=None)
                else:
                    row.update(pred=claim.verdict, confidence=claim.confidence, claim=claim.text,
                               evidence=evidence_rows(claim.evidence))
                rows.append(row)
    summary, confusions, rel = verdict_summary(rows, [])
    summary.pop("majority_baseline_from_dev", None)  # hand-written gold: no dev split to take a majority from
    summary["missing_claims"] = sum(r["pred"] == "missing" for r in rows)
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"]}
    return SetOutcome("seeds", ctx.backend, rows, summary, confusions, rel)


def run_news(ctx: EvalContext) -> SetOutcome:
    """Each story's articles ingested into a fresh corpus, in publication order; claim verdicts and check-worthiness
    against evals/gold/news/gold.jsonl, and source groups against the translations and copies corpora.json names."""
    rows, pairs = [], []
    for story in ds.load_news(ctx.split):
        with ctx.open_checker() as fc:
            articles = sorted(story.articles, key=lambda a: (a.date, a.file))
            stored = ingested_reports(fc.ingest_many([DocumentIn(text=a.text, title=a.file, source=a.outlet,
                                                                 published_at=a.date) for a in articles]))
            by_file = {a.file: fc.document_report(r.id) for a, r in zip(articles, stored, strict=True)}
            root = {a.file: a.file for a in articles}  # gold source groups: translations and copies, transitively

            def find(f: str) -> str:
                while root[f] != f:
                    f = root[f]
                return f

            for a in articles:
                if a.same_source_as:
                    root[find(a.file)] = find(a.same_source_as)
            for a in articles:
                for b in articles:
                    if a.file < b.file:
                        same = find(a.file) == find(b.file)
                        pairs.append({"story": story.name, "a": a.file, "b": b.file, "gold_same_source": same,
                                      "same_source": by_file[a.file].source_group == by_file[b.file].source_group})
            for gold in bar(story.golds, ctx, f"news: {story.name}"):
                row = {"id": gold.id, "story": story.name, "document": gold.document, "quote": gold.quote,
                       "gold": gold.gold, "gold_checkworthy": gold.checkworthy, "rule": gold.rule, "note": gold.note,
                       "phenomena": list(gold.phenomena)}
                row.update(verdict_at_quote(by_file[gold.document], gold.quote))
                rows.append(row)
    summary, confusions, rel = verdict_summary(rows, [])
    summary.pop("majority_baseline_from_dev", None)
    summary["missing_claims"] = sum(r["pred"] == "missing" for r in rows)
    found = [r for r in rows if r["pred"] != "missing"]
    summary["checkworthiness_accuracy"] = round(sum(r["checkworthy"] == r["gold_checkworthy"] for r in found)
                                                / max(len(found), 1), 3)
    summary["source_group_pairs"] = len(pairs)
    summary["source_group_accuracy"] = round(sum(p["same_source"] == p["gold_same_source"] for p in pairs)
                                             / max(len(pairs), 1), 3)
    summary["source_group_errors"] = [p for p in pairs if p["same_source"] != p["gold_same_source"]]
    summary["headline"] = {"accuracy": summary["accuracy"], "macro_f1": summary["macro_f1"], "ece": summary["ece"],
                           "source_group_accuracy": summary["source_group_accuracy"]}
    return SetOutcome("news", ctx.backend, rows, summary, confusions, rel)

