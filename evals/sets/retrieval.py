"""Cross-lingual retrieval: XNLI French/Vietnamese sentences finding their English original."""

from __future__ import annotations

from evals import datasets as ds
from evals.metrics import recall_at_1
from evals.sets.common import EvalContext, SetOutcome, embed_all, subsample


def run_xnli_retrieval(ctx: EvalContext) -> SetOutcome:
    """For every French and Vietnamese sentence, is its English translation the nearest of all English sentences?

    Uses the FactChecker's own embedder the way its vector index does (retrieval.vector_store.VECTOR_SPACE:
    query vectors on both sides); the facade has no raw search call, and retrieval does not depend on the
    analysis backend.
    """
    import numpy as np

    from retrieval.vector_store import VECTOR_SPACE

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
        candidates = embed_all(embedder.query, english_texts, ctx, "xnli_retrieval: en (as indexed)")
        vectors_by_lang = {}
        for lang, entries in queries.items():
            queries[lang] = list(dict.fromkeys(entries))  # premises repeat across the three hypotheses of a row
            vectors_by_lang[lang] = embed_all(embedder.query, [t for t, _, _ in queries[lang]], ctx,
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
