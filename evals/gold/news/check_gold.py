"""Checks the news gold set and prints its counts.

    python evals/gold/news/check_gold.py                 # gold.jsonl
    python evals/gold/news/check_gold.py gold_pass2.jsonl

Fails (exit 1) when a quote is not an exact substring of its article, a document or story is unknown,
a verdict is not one of the four, an id repeats, a non-check-worthy claim is not unverified, or a claim's
`polarity` or `phenomena` (carried by the stories written after the first four) is outside the vocabulary below.
"""
import collections
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
VERDICTS = ("corroborated", "contradicted", "disputed", "unverified")
POLARITIES = ("asserted", "negated", "denied", "reported", "predicted", "opinion")
PHENOMENA = ("units", "rounding", "qualifier", "figure-conflict", "lookalike", "role", "denial", "cross-language",
             "relative-date", "speech-that", "speech-no-that", "headline", "prediction", "opinion", "source-group",
             "short-report", "single-source")
# "ferry_05_fr 'quoted words'" inside the evidence field; " ... " separates fragments of one quote
EVIDENCE_QUOTE = re.compile(r"([a-z]+_\d\d_(?:en|fr|vi))(?:\.txt)? '(.+?)'"
                            r"(?=;|,|\.|\)|\s\(|\s+(?:refutes|supports|denial|assertion)|\s*$)")


def load_corpora():
    corpora = json.loads((HERE / "corpora.json").read_text(encoding="utf-8"))["stories"]
    docs = {}
    for story, spec in corpora.items():
        for art in spec["articles"]:
            docs[art["file"]] = dict(art, story=story, split=spec["split"])
    return corpora, docs


def load_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def check(rows, docs, full=True):
    errors, warnings = [], []
    seen = set()
    for r in rows:
        rid = r.get("id")
        if rid in seen:
            errors.append(f"{rid}: duplicate id")
        seen.add(rid)
        doc = docs.get(r.get("document"))
        if doc is None:
            errors.append(f"{rid}: unknown document {r.get('document')!r}")
            continue
        if full and r.get("story") != doc["story"]:
            errors.append(f"{rid}: story {r.get('story')!r} but {r['document']} belongs to {doc['story']!r}")
        text = (HERE / "articles" / r["document"]).read_text(encoding="utf-8")
        quote = r.get("quote", "")
        n = text.count(quote)
        if not quote or n == 0:
            errors.append(f"{rid}: quote not found in {r['document']}: {quote!r}")
        elif n > 1:
            warnings.append(f"{rid}: quote occurs {n} times in {r['document']}")
        if r.get("verdict") not in VERDICTS:
            errors.append(f"{rid}: bad verdict {r.get('verdict')!r}")
        if not isinstance(r.get("checkworthy"), bool):
            errors.append(f"{rid}: checkworthy must be true or false")
        elif not r["checkworthy"] and r.get("verdict") != "unverified":
            errors.append(f"{rid}: not check-worthy but {r.get('verdict')} (RULES.md R8.3)")
        if "polarity" in r and r["polarity"] not in POLARITIES:
            errors.append(f"{rid}: polarity {r['polarity']!r} not one of {POLARITIES}")
        for tag in r.get("phenomena", ()):
            if tag not in PHENOMENA:
                errors.append(f"{rid}: phenomenon {tag!r} not one of {PHENOMENA}")
        if full:
            for key in ("rule", "evidence", "note"):
                if key not in r:
                    errors.append(f"{rid}: missing {key}")
            for ev_doc, ev_text in EVIDENCE_QUOTE.findall(r.get("evidence", "")):
                ev_path = HERE / "articles" / f"{ev_doc}.txt"
                if not ev_path.exists():
                    errors.append(f"{rid}: evidence names unknown article {ev_doc}")
                    continue
                ev_art = ev_path.read_text(encoding="utf-8")
                for frag in ev_text.split(" ... "):
                    if frag not in ev_art:
                        warnings.append(f"{rid}: evidence quote not in {ev_doc}: {frag!r}")
    return errors, warnings


def table(counter, rows_keys, cols=VERDICTS):
    lines = ["| | " + " | ".join(cols) + " | total |", "|---" * (len(cols) + 2) + "|"]
    for k in rows_keys:
        vals = [counter[(k, c)] for c in cols]
        lines.append(f"| {k} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    tot = [sum(counter[(k, c)] for k in rows_keys) for c in cols]
    lines.append("| **total** | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |")
    return "\n".join(lines)


def counts(rows, docs, corpora):
    by = {name: collections.Counter() for name in ("story", "language", "split")}
    cw = collections.Counter()
    for r in rows:
        d = docs[r["document"]]
        for name, key in (("story", d["story"]), ("language", d["language"]), ("split", d["split"])):
            by[name][(key, r["verdict"])] += 1
        cw[r["checkworthy"]] += 1
    out = []
    for name, keys in (("story", sorted(corpora)), ("language", ["en", "fr", "vi"]), ("split", ["dev", "test"])):
        out.append(f"Per {name}:\n\n" + table(by[name], keys) + "\n")
    tags = collections.Counter((tag, r["verdict"]) for r in rows for tag in r.get("phenomena", ()))
    if tags:
        out.append("Per phenomenon (a claim may carry several; the first four stories carry none):\n\n"
                   + table(tags, [t for t in PHENOMENA if any(tags[(t, v)] for v in VERDICTS)]) + "\n")
    arts = collections.Counter(d["language"] for d in docs.values())
    covered = {r["document"] for r in rows}
    out.append(f"Articles: {len(docs)} ({', '.join(f'{k} {v}' for k, v in sorted(arts.items()))}); "
               f"with at least one labelled claim: {len(covered)}. "
               f"Check-worthy claims: {cw[True]}, not check-worthy: {cw[False]}.")
    return "\n".join(out)


def main(argv):
    path = pathlib.Path(argv[1]) if len(argv) > 1 else HERE / "gold.jsonl"
    if not path.is_absolute() and not path.exists():
        path = HERE / path
    corpora, docs = load_corpora()
    rows = load_jsonl(path)
    errors, warnings = check(rows, docs, full=path.name == "gold.jsonl")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{path.name}: {len(rows)} claims, {len(errors)} errors, {len(warnings)} warnings\n")
    if not errors:
        print(counts(rows, docs, corpora))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
