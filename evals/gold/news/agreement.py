"""Agreement between two annotation passes of the news gold set.

    python evals/gold/news/agreement.py [gold_pass1.jsonl] [gold_pass2.jsonl]

Defaults: gold_pass1.jsonl (the first pass as it was before adjudication) against gold_pass2.jsonl.
Prints raw agreement and Cohen's kappa on the verdict (4 classes) and on check-worthiness, the
confusion matrix, and every disagreement.
"""
import collections
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
VERDICTS = ("corroborated", "contradicted", "disputed", "unverified")


def load(path):
    path = pathlib.Path(path)
    if not path.exists():
        path = HERE / path
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in map(json.loads, filter(str.strip, f))}


def kappa(pairs, labels):
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    ca = collections.Counter(a for a, _ in pairs)
    cb = collections.Counter(b for _, b in pairs)
    pe = sum(ca[l] * cb[l] for l in labels) / (n * n)
    return po, (po - pe) / (1 - pe) if pe < 1 else 1.0


def main(argv):
    a = load(argv[1] if len(argv) > 1 else "gold_pass1.jsonl")
    b = load(argv[2] if len(argv) > 2 else "gold_pass2.jsonl")
    ids = sorted(set(a) & set(b))
    if set(a) != set(b):
        print(f"warning: {len(set(a) ^ set(b))} ids in only one file")
    v = [(a[i]["verdict"], b[i]["verdict"]) for i in ids]
    c = [(a[i]["checkworthy"], b[i]["checkworthy"]) for i in ids]
    po, k = kappa(v, VERDICTS)
    print(f"claims compared: {len(ids)}")
    print(f"verdict: raw agreement {po:.3f}, Cohen's kappa {k:.3f}")
    po, k = kappa(c, (True, False))
    print(f"check-worthiness: raw agreement {po:.3f}, Cohen's kappa {k:.3f}")
    print("\nconfusion (rows: first pass, columns: second pass)")
    conf = collections.Counter(v)
    print("| | " + " | ".join(VERDICTS) + " |\n" + "|---" * 5 + "|")
    for x in VERDICTS:
        print(f"| {x} | " + " | ".join(str(conf[(x, y)]) for y in VERDICTS) + " |")
    print("\ndisagreements:")
    for i in ids:
        if a[i]["verdict"] != b[i]["verdict"] or a[i]["checkworthy"] != b[i]["checkworthy"]:
            print(f"- {i} {a[i]['document']} {a[i]['quote']!r}: "
                  f"{a[i]['verdict']}/{a[i]['checkworthy']} vs {b[i]['verdict']}/{b[i]['checkworthy']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
