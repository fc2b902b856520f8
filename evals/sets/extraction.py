"""Claim extraction sets: Factcheck-Bench atomic claims and PropSegmEnt propositions."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from evals import datasets as ds
from evals.metrics import classification_summary, greedy_match
from evals.sets.common import (
    MATCH_THRESHOLD,
    SENTENCE_ASSIGN_MIN,
    EvalContext,
    SetOutcome,
    bar,
    error_text,
    subsample,
)


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


def _extraction_scores(docs: Sequence[ds.ExtractionDoc], system: dict[str, list], count_unassigned: bool,
                       matched_out: dict[str, list] | None = None) -> dict:
    """Recall/precision of one-to-one token-F1 matches between gold and system claims of the same sentence.

    With `matched_out`, each document's matched gold claims are recorded there as [sentence index, claim index]
    (the scoreboard compares them item by item with the baseline).
    """
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
            if matched_out is not None:
                matched_out.setdefault(doc.id, []).extend([index, gi] for gi, _, _ in pairs)
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
    for doc in bar(docs, ctx, desc):
        started = time.perf_counter()
        row: dict = {"id": doc.id}
        try:
            system[doc.id] = fc.extract(doc.text)
        except Exception as exc:  # recorded; the document then contributes no system claims
            system[doc.id] = []
            row["error"] = error_text(exc)
        row["seconds"] = round(time.perf_counter() - started, 4)
        row["system_claims"] = [{"text": d.text, "quote": d.quote, "checkworthy": d.checkworthy} for d in system[doc.id]]
        row["gold_claims"] = [{"sentence": s.text, "claims": s.claims, "checkworthiness": s.checkworthiness}
                              for s in doc.sentences]
        rows.append(row)
    return system, rows


def _matched_on(rows: list[dict]) -> dict[str, list]:
    """A matched_out for _extraction_scores that writes each document's matches onto its row (`gold_matched`)."""
    out: dict[str, list] = {}
    for row in rows:
        row["gold_matched"] = out.setdefault(row["id"], [])
    return out


def run_factcheck_bench(ctx: EvalContext) -> SetOutcome:
    """Claim extraction on ChatGPT answers against Factcheck-Bench's human claims, plus check-worthiness."""
    docs = subsample(ds.load_factcheck_bench(ctx.split, ctx.data_dir), lambda d: d.id, ctx.limit)
    with ctx.open_checker() as fc:
        system, rows = _extract_all(fc, docs, ctx, "factcheck_bench")
    summary = _extraction_scores(docs, system, count_unassigned=True, matched_out=_matched_on(rows))
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
    summary = _extraction_scores(docs, system, count_unassigned=False, matched_out=_matched_on(rows))
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


# --- the team's French and Vietnamese gold --------------------------------------------------------------


def fragment_report(drafts_by_doc: dict[str, list], language: str) -> dict:
    """Share of check-worthy system claims whose text has no verb or no subject, judged per language by
    `service.analysis.nlp.shape.is_fragment` (French: the spaCy parse of the claim text; Vietnamese: pyvi's tags,
    a verb or adjective predicate after a noun phrase or pronoun, or an existential 'có'; English: word-shape rules)."""
    from service.analysis.nlp.shape import is_fragment

    checkworthy = [d for drafts in drafts_by_doc.values() for d in drafts if d.checkworthy]
    fragments = [d.text for d in checkworthy if is_fragment(d.text, language)]
    return {"checkworthy_claims": len(checkworthy), "fragments": len(fragments),
            "fragment_rate": len(fragments) / len(checkworthy) if checkworthy else 0.0,
            "fragment_examples": fragments[:10]}


def _run_team_gold(ctx: EvalContext, language: str) -> SetOutcome:
    name = f"extraction_{language}"
    docs = subsample(ds.load_extraction_gold(language, ctx.split), lambda d: d.id, ctx.limit)
    with ctx.open_checker() as fc:
        system, rows = _extract_all(fc, docs, ctx, name)
    summary = _extraction_scores(docs, system, count_unassigned=True, matched_out=_matched_on(rows))
    sentence_as_claim = {d.id: [_SentenceClaim(s.text, s.text) for s in d.sentences] for d in docs}
    summary["reference_sentence_as_claim"] = {
        k: v for k, v in _extraction_scores(docs, sentence_as_claim, True).items() if k in ("recall", "precision", "f1")}
    summary["fragments"] = fragment_report(system, language)
    summary["not_self_contained"] = sum(not getattr(d, "self_contained", True) for v in system.values() for d in v)
    summary["match_rule"] = f"one-to-one, token F1 >= {MATCH_THRESHOLD}, within the same gold sentence"
    summary["errors"] = sum("error" in r for r in rows)
    summary["headline"] = {"recall": summary["recall"], "precision": summary["precision"],
                           "fragment_rate": summary["fragments"]["fragment_rate"]}
    return SetOutcome(name, ctx.backend, rows, summary, {})


def run_extraction_fr(ctx: EvalContext) -> SetOutcome:
    """Claim extraction on the team's French news gold (evals/gold/extraction/), with the fragment rate."""
    return _run_team_gold(ctx, "fr")


def run_extraction_vi(ctx: EvalContext) -> SetOutcome:
    """Claim extraction on the team's Vietnamese news gold (evals/gold/extraction/), with the fragment rate."""
    return _run_team_gold(ctx, "vi")


def run_extraction_en(ctx: EvalContext) -> SetOutcome:
    """Claim extraction on the team's English news gold (the same NTREX stories, English side), with the fragment rate."""
    return _run_team_gold(ctx, "en")
