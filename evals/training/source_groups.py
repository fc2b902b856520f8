"""Calibrate source-group detection on NTREX dev: translations must group, partial rewrites must not.

NTREX holds whole news documents professionally translated into French and Vietnamese. From its dev split this
builds pairs of documents the way a corpus receives them and measures, for each pair, the share of each side's
claims that has a close counterpart in the other (coverage in both directions):
  translation   the document and its full translation                                  -> one source group
  copy          the document and itself with one sentence dropped (a syndicated edit)     -> one source group
  excerpt       the document and a short report holding 2-4 of its sentences translated  -> independent
  other         two different documents                                                  -> independent
  same-topic    two Wikipedia articles on one topic (PropSegmEnt clusters, English)      -> independent

    python -m evals.training.source_groups [--limit 40]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict

import numpy as np

from evals import datasets as ds
from evals.embedding_cache import shared_embedder
from service.analysis.claims import extract_claims


def _documents(split: str) -> dict[str, dict[str, list[str]]]:
    docs: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"en": [], "fr": [], "vi": []})
    path = ds.DEFAULT_DATA_DIR / "ntrex_en_fr_vi" / f"ntrex_en_fr_vi.{split}.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in sorted(rows, key=lambda r: (r["doc_id"], r["sentence_in_doc"])):
        for lang in ("en", "fr", "vi"):
            docs[row["doc_id"]][lang].append(row[lang])
    return docs


def _same_topic(split: str) -> list[tuple[str, str]]:
    """Pairs of different articles on one topic: PropSegmEnt's clusters of Wikipedia articles."""
    clusters: dict[str, list[str]] = defaultdict(list)
    for line in (ds.DEFAULT_DATA_DIR / "propsegment" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["split"] == split:
            clusters[row["cluster_id"]].append(row["text"])
    return [(texts[0], texts[1]) for _, texts in sorted(clusters.items()) if len(texts) >= 2]


def _claims_and_vectors(sentences: list[str], embedder):
    claims = extract_claims("\n\n".join(sentences))
    texts = [c.text for c in claims]
    return claims, embedder.query(texts), embedder.passage(texts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.training.source_groups", description=__doc__)
    parser.add_argument("--split", default="dev", choices=ds.SPLITS)
    parser.add_argument("--limit", type=int, default=40, help="documents (deterministic sample)")
    parser.add_argument("--aligned", default="0.80,0.82,0.84,0.86,0.88")
    args = parser.parse_args(argv)
    rng = random.Random(20261130)
    embedder = shared_embedder()
    docs = _documents(args.split)
    ids = sorted(d for d in docs if len(docs[d]["en"]) >= 6)
    ids = sorted(ids, key=ds.stable_order)[: args.limit]
    pairs: list[tuple[str, tuple, tuple]] = []
    for i, doc_id in enumerate(ids):
        d = docs[doc_id]
        lang = ("fr", "vi")[i % 2]
        en = _claims_and_vectors(d["en"], embedder)
        pairs.append(("translation", en, _claims_and_vectors(d[lang], embedder)))
        drop = rng.randrange(len(d["en"]))
        pairs.append(("copy", en, _claims_and_vectors([s for j, s in enumerate(d["en"]) if j != drop], embedder)))
        k = rng.randint(2, 4)
        picked = sorted(rng.sample(range(len(d[lang])), k))
        pairs.append(("excerpt", en, _claims_and_vectors([d[lang][j] for j in picked], embedder)))
        other = docs[ids[(i + 1) % len(ids)]]
        pairs.append(("other", en, _claims_and_vectors(other[lang], embedder)))
    for a_text, b_text in _same_topic(args.split)[: args.limit]:
        pairs.append(("same-topic", _claims_and_vectors([a_text], embedder), _claims_and_vectors([b_text], embedder)))
    for rule in ("plain", "mutual", "monotone"):
        _report(pairs, rule, [float(a) for a in args.aligned.split(",")])
    return 0


def _counterparts(ca, qa, pa, cb, qb, pb, aligned: float, rule: str) -> np.ndarray:
    """For each claim of A: does B hold a counterpart (similarity >= aligned, and per rule mutual or consistent)?"""
    sim = qa @ pb.T
    best = sim.argmax(axis=1)
    ok = sim.max(axis=1) >= aligned
    if rule == "mutual":
        back = (qb @ pa.T).argmax(axis=1)
        ok &= np.array([back[j] == i for i, j in enumerate(best)])
    elif rule == "monotone":
        back = (qb @ pa.T).argmax(axis=1)
        ok &= np.array([back[j] == i for i, j in enumerate(best)])
        kept = _longest_increasing([(i, int(best[i])) for i in range(len(qa)) if ok[i]])
        ok = np.zeros(len(qa), dtype=bool)
        ok[[i for i, _ in kept]] = True
    return ok


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of aligned pairs in the same order on both sides (pairs sorted by the first index)."""
    best: list[list[tuple[int, int]]] = []
    for pair in pairs:
        chain = max((c for c in best if c[-1][1] < pair[1]), key=len, default=[])
        best.append(chain + [pair])
    return max(best, key=len, default=[])


def _consistent(a, b) -> bool:
    """A translation keeps figures and names: every figure of one is in the other, and they share a name if both name."""
    fa, fb = {round(q.value, 6) for q in a.quantities}, {round(q.value, 6) for q in b.quantities}
    if (fa or fb) and fa != fb:
        return False
    from service.analysis.entities import entity_key

    na, nb = {entity_key(e) for e in a.entities}, {entity_key(e) for e in b.entities}
    return not (na and nb) or bool(na & nb) or any(x in y or y in x for x in na for y in nb if len(x) > 3 and len(y) > 3)


def _report(pairs, rule: str, bars: list[float]) -> None:
    for aligned in bars:
        print(f"\nrule {rule}, aligned >= {aligned}")
        by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for kind, (ca, qa, pa), (cb, qb, pb) in pairs:
            if not len(qa) or not len(qb):
                by_kind[kind].append((0.0, 0.0))
                continue
            by_kind[kind].append((float(_counterparts(ca, qa, pa, cb, qb, pb, aligned, rule).mean()),
                                  float(_counterparts(cb, qb, pb, ca, qa, pa, aligned, rule).mean())))
        for kind, values in by_kind.items():
            low = np.array([min(v) for v in values])
            high = np.array([max(v) for v in values])
            print(f"  {kind:<12} min-side coverage p10/p50/p90 {np.percentile(low, 10):.2f}/{np.median(low):.2f}/"
                  f"{np.percentile(low, 90):.2f}   max-side p50 {np.median(high):.2f}")
        for bar in (0.4, 0.5, 0.6, 0.7):
            right = sum((min(v) >= bar) == (kind in ("translation", "copy"))
                        for kind, vs in by_kind.items() for v in vs)
            print(f"  group when both sides >= {bar}: {right}/{sum(len(v) for v in by_kind.values())} right")


if __name__ == "__main__":
    raise SystemExit(main())
