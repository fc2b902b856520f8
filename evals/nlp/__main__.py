"""Measure the analyser's library swaps on dev data: `python -m evals.nlp`.

- language identification: the hand-written detector this project used before (letters and function words, kept
  here as the baseline) against lingua restricted to en/fr/vi (service.analysis.text.detect_language), on XNLI dev
  hypotheses, NTREX dev sentences and their first four words;
- sentence splitting: the project's splitter (service.analysis.text.sentences) against pysbd 0.3.4 (when installed:
  `pip install pysbd==0.3.4`), on NTREX dev documents (headline dropped, three sentences per paragraph) and the
  Factcheck-Bench dev answers, by F1 of exactly matched sentences.

Only dev splits are read.
"""

from __future__ import annotations

import collections
import re
import time
from pathlib import Path

from evals import datasets as ds
from service.analysis.languages import pack
from service.analysis.text import detect_language, sentences

_VI_CHARS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def legacy_detect_language(text: str) -> str:
    """The detector the analyser used before lingua (commit bb02d75), for comparison only."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "und"
    if sum(1 for c in letters if c in _VI_CHARS) / len(letters) > 0.03:
        return "vi"
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    fr = sum(1 for w in words if w in pack("fr").function_words or w.split("'")[0] in {"l", "d", "qu", "n", "s", "c", "j"})
    en = sum(1 for w in words if w in pack("en").function_words)
    fr += sum(1 for c in letters if c in "éèêàçùûîôœ") / 3
    if fr == 0 and en == 0:
        return "und"
    return "fr" if fr > en else "en"


def _ntrex(data_dir: Path) -> list[dict]:
    return list(ds._jsonl(data_dir / "ntrex_en_fr_vi" / "ntrex_en_fr_vi.dev.jsonl"))


def language_identification(data_dir: Path) -> dict:
    items: list[tuple[str, str, str]] = []
    for row in list(ds._jsonl(data_dir / "xnli_en_fr_vi" / "xnli_en_fr_vi.dev.jsonl"))[:1500]:
        items += [(row[f"hypothesis_{lang}"], lang, "xnli_hypotheses") for lang in ("en", "fr", "vi")]
    for row in _ntrex(data_dir)[:800]:
        for lang in ("en", "fr", "vi"):
            items.append((row[lang], lang, "ntrex_sentences"))
            items.append((" ".join(row[lang].split()[:4]), lang, "ntrex_first_4_words"))
    out = {}
    for name, detect in (("hand-written (before)", legacy_detect_language), ("lingua (now)", detect_language)):
        started = time.perf_counter()
        scores: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
        for text, lang, kind in items:
            scores[kind][0] += detect(text) == lang
            scores[kind][1] += 1
        out[name] = {kind: round(a / n, 4) for kind, (a, n) in scores.items()}
        out[name]["seconds"] = round(time.perf_counter() - started, 2)
    return out


def sentence_splitting(data_dir: Path) -> dict:
    cases: dict[str, list[tuple[str, list[str]]]] = collections.defaultdict(list)
    docs: dict[str, list[dict]] = collections.defaultdict(list)
    for row in _ntrex(data_dir):
        docs[row["doc_id"]].append(row)
    for rows in docs.values():
        rows = sorted(rows, key=lambda r: r["sentence_in_doc"])[1:]  # the headline has no full stop
        for lang in ("en", "fr", "vi"):
            sents = [r[lang] for r in rows]
            paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
            cases[f"ntrex_{lang}"].append(("\n\n".join(paras), sents))
    for doc in ds.load_factcheck_bench("dev", data_dir):
        cases["factcheck_bench_en"].append((doc.text, [s.text for s in doc.sentences]))
    splitters = {"project splitter": lambda text, lang: [s.text for s in sentences(text, lang)]}
    try:
        import pysbd

        segmenters: dict[str, object] = {}

        def with_pysbd(text: str, lang: str) -> list[str]:
            code = lang if lang in ("en", "fr") else "en"  # pysbd has no Vietnamese rules
            seg = segmenters.setdefault(code, pysbd.Segmenter(language=code, clean=False, char_span=True))
            return [s.sent for para in text.split("\n\n") for s in seg.segment(para)]

        splitters["pysbd 0.3.4"] = with_pysbd
    except ImportError:
        pass
    out = {}
    for name, split in splitters.items():
        started = time.perf_counter()
        row = {}
        for key, items in cases.items():
            tp = fp = fn = 0
            for text, gold in items:
                predicted = collections.Counter(s.strip() for s in split(text, key.split("_")[-1]))
                expected = collections.Counter(s.strip() for s in gold)
                hit = sum((predicted & expected).values())
                tp, fp, fn = tp + hit, fp + sum(predicted.values()) - hit, fn + sum(expected.values()) - hit
            precision, recall = tp / (tp + fp), tp / (tp + fn)
            row[key] = round(2 * precision * recall / (precision + recall), 3)
        row["seconds"] = round(time.perf_counter() - started, 2)
        out[name] = row
    return out


def main() -> None:
    data_dir = ds.DEFAULT_DATA_DIR
    for title, result in (("language identification (accuracy)", language_identification(data_dir)),
                          ("sentence splitting (F1 of exact sentences)", sentence_splitting(data_dir))):
        print(f"## {title}")
        for name, row in result.items():
            print(f"- {name}: " + ", ".join(f"{k} {v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
