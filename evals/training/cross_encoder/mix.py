"""The cross-encoder's training set, built only from DEV splits of commercially usable data, plus a manifest.

    python -m evals.training.cross_encoder.mix [--mix r3] [--out .train-cache/r3/pairs.jsonl] [--seed 20261130]

A mix is the pairs `data.py` reads and makes, with the generated pairs of `augment.py` added to the training part.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from evals.datasets import DEFAULT_DATA_DIR
from evals.training.cross_encoder import augment
from evals.training.cross_encoder.data import (
    EXCLUDED, HELDOUT_SHARE, NTREX_PER_SENTENCE, SEED, SOURCES, Pair, fact_pairs, heldout_group, load_ntrex,
    ntrex_pairs, snli_pairs, summary,
)

# Data mixes. "r1" is round 1's (the shipped model's warm start); "r2" adds, on the TRAINING part only:
# more NTREX pairs per sentence with distinct translation directions, extra month/weekday edits (and the same
# date swapped on both sides -> supports), unit conversions (supports) and wrong conversions (refutes),
# contrastive refutes made from supports pairs of the fact sets and SNLI, and CLIMATE-FEVER / VitaminC pairs
# repeated (their share of the mix would otherwise fall as NTREX grows).
MIXES = {
    "r1": {"ntrex_per_sentence": NTREX_PER_SENTENCE, "distinct_directions": False},
    "r2": {"ntrex_per_sentence": {"translation": 4.0, "restatement": 1.0, "other-sentence": 2.5, "edit": 4.0,
                                  "both-edited": 0.7},
           "distinct_directions": True,
           "ntrex_dates": {"edits": 2.0, "both": 0.5},
           "ntrex_units": [3.0, 2.0],
           "fact_units": True,
           "contrastive_rate": {"climate_fever": 1.0, "vitaminc": 1.0, "fever_symmetric": 1.0, "snli": 0.3},
           "repeat": {"climate_fever": 2, "vitaminc": 2}},
}
# "r3" = r2 + pairs shaped like the product's (augment.product_pairs_ntrex: denials, reported speech, two facts
# in one claim, speech tags), expected pairs per NTREX training sentence:
MIXES["r3"] = {**MIXES["r2"], "product": {"denial": 1.5, "reported": 1.0, "denial-both": 0.4, "two-fact": 1.0,
                                          "speech-tag": 0.6}}
DEFAULT_MIX = "r3"


def build(data_dir: Path = DEFAULT_DATA_DIR, seed: int = SEED, mix: str = DEFAULT_MIX) -> list[Pair]:
    """All pairs (training + held-out), deterministic for a seed and mix. Generated and repeated pairs come
    from training groups only, so the held-out part is the same whatever the mix."""
    spec = MIXES[mix]
    docs = load_ntrex("dev", data_dir)
    pairs = snli_pairs(data_dir) + fact_pairs(data_dir)
    pairs += ntrex_pairs(docs, seed, spec["ntrex_per_sentence"], spec["distinct_directions"])
    for p in pairs:
        p.claim, p.evidence = p.claim.strip(), p.evidence.strip()
        p.heldout = p.source != "snli" and heldout_group(p.group)
    train_facts = [p for p in pairs if not p.heldout and p.source != "ntrex"]
    train_docs = {d: rows for d, rows in docs.items() if not heldout_group("nt" + d)}
    extra: list[Pair] = []
    for source, times in spec.get("repeat", {}).items():
        extra += [Pair(**{**asdict(p), "kind": p.kind}) for p in train_facts if p.source == source] * (times - 1)
    for source, rate in spec.get("contrastive_rate", {}).items():
        extra += augment.contrastive_refutes([p for p in train_facts if p.source == source], seed, rate)
    if spec.get("fact_units"):
        extra += augment.unit_pairs_facts(train_facts, seed)
    if "ntrex_dates" in spec:
        extra += augment.date_pairs_ntrex(train_docs, seed, **spec["ntrex_dates"])
    if "ntrex_units" in spec:
        extra += augment.unit_pairs_ntrex(train_docs, seed, tuple(spec["ntrex_units"]))
    if "product" in spec:
        extra += augment.product_pairs_ntrex(train_docs, seed, spec["product"])
    for p in extra:
        p.claim, p.evidence, p.heldout = p.claim.strip(), p.evidence.strip(), False
    return pairs + extra



def manifest(pairs: list[Pair], seed: int, data_dir: Path, mix: str = DEFAULT_MIX) -> dict:
    return {
        "seed": seed,
        "data_dir": str(data_dir),
        "sources": {k: {**v, "sha1": hashlib.sha1((data_dir / v["path"]).read_bytes()).hexdigest()} for k, v in SOURCES.items()},
        "excluded": EXCLUDED,
        "heldout_rule": f"md5('stance-ce-heldout:' + group) % 100 < {HELDOUT_SHARE} (groups: CLIMATE-FEVER claim, "
                        "VitaminC case, FEVER-Symmetric claim, NTREX document; SNLI is never held out)",
        "mix": mix,
        "mix_spec": MIXES[mix],
        "ntrex_per_sentence": MIXES[mix]["ntrex_per_sentence"],
        "counts": summary(pairs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None, help="default .train-cache/MIX/pairs.jsonl")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--mix", choices=sorted(MIXES), default=DEFAULT_MIX)
    args = parser.parse_args()
    args.out = args.out or Path(".train-cache") / args.mix / "pairs.jsonl"
    pairs = build(args.data_dir, args.seed, args.mix)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as handle:
        for p in pairs:
            handle.write(json.dumps(asdict(p), ensure_ascii=False) + "\n")
    info = manifest(pairs, args.seed, args.data_dir, args.mix)
    args.out.with_suffix(".manifest.json").write_text(json.dumps(info, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(info["counts"], indent=1))


if __name__ == "__main__":
    main()
