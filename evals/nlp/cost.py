"""Share of ingest time spent extracting claims, on the synthetic benchmark articles: `python -m evals.nlp.cost`.

The service's FactChecker ingests the articles of `evals.bench.synthetic.corpus_for_claims(N)` with the real
embedder; its preparer's extractor is wrapped so that every `extract` call is timed inside the ingest it belongs to.
Models are loaded before the clock starts (a server loads them once, at start). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from evals.bench.harness import base_embedder, document_in, open_checker
from evals.bench.synthetic import corpus_for_claims


class TimedExtractor:
    """The configured extractor, with the seconds its calls took, per language of the article."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "offline")
        self.seconds = 0.0
        self.calls = 0

    def extract(self, text: str, language_hint: str | None = None):
        started = time.perf_counter()
        try:
            return self.inner.extract(text, language_hint)
        finally:
            self.seconds += time.perf_counter() - started
            self.calls += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=600, help="size of the synthetic corpus, in claims")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=8, help="documents per ingest_many call")
    args = parser.parse_args(argv)
    from service.analysis.nlp import models

    models.warm()
    _, articles = corpus_for_claims(args.claims, args.seed)
    embedder = base_embedder()
    embedder.passage(["warm-up"])
    per_language: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory(prefix="extraction-cost-") as tmp:
        checker = open_checker(Path(tmp) / "data", embedder=embedder)
        timed = TimedExtractor(checker.preparer.extractor)
        checker.preparer.extractor = timed
        total = 0.0
        for i in range(0, len(articles), args.chunk):
            part = articles[i : i + args.chunk]
            before = timed.seconds
            started = time.perf_counter()
            checker.ingest_many([document_in(a) for a in part])
            total += time.perf_counter() - started
            for a in part:  # attribute the chunk's extraction time by characters, per language
                per_language[a.language] += (timed.seconds - before) * len(a.text) / sum(len(x.text) for x in part)
        stored = checker.db.claims.count()
        checker.close()
    print(json.dumps({
        "articles": len(articles), "claims_stored": stored, "ingest_s": round(total, 2),
        "extraction_s": round(timed.seconds, 2), "extraction_share": round(timed.seconds / total, 3),
        "extraction_s_by_language": {k: round(v, 2) for k, v in sorted(per_language.items())},
        "articles_by_language": {lang: sum(a.language == lang for a in articles) for lang in sorted(per_language)},
        "load_average_1m": round(os.getloadavg()[0], 1),
    }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
