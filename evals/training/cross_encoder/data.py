"""The cross-encoder's training pairs, read only from DEV splits of commercially usable data (`mix.py` assembles
them into a training set with its manifest).

Sources (licence; what becomes a pair):
- SNLI 1.0 dev (CC BY-SA 4.0; training only): premise = evidence, hypothesis = claim.
- CLIMATE-FEVER dev (Wikipedia evidence, CC BY-SA; no licence stated for the annotations): each claim's five
  evidence sentences with their per-evidence labels.
- VitaminC real dev subset (CC BY-SA 3.0) and FEVER-Symmetric dev (CC BY-SA 3.0 / Wikipedia terms).
- NTREX-128 dev, en/fr/vi (CC BY-SA 4.0): cross-lingual and same-language pairs made here (see `ntrex_pairs`):
  a sentence vs its translation or a clause-deleted restatement -> supports; vs another sentence of the same
  story -> neutral; vs a copy with one figure, date, name or negation changed -> refutes; and, against the
  shortcut "an edited-looking text is false", pairs where BOTH sides carry the same edit -> supports.
XNLI and AVeriTeC (CC BY-NC 4.0) are never read here.

A held-out part of dev (by group: CLIMATE-FEVER claim, VitaminC case, FEVER claim, NTREX document) is kept
apart for model selection, early stopping and the decision thresholds: `heldout_group`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from evals.datasets import DEFAULT_DATA_DIR, load_climate_fever, load_fever_symmetric, load_vitaminc

SEED = 20261130
LANGS = ("en", "fr", "vi")
HELDOUT_SHARE = 10  # percent of dev groups held out for selection

SOURCES = {
    "snli": {"path": "nli_train/snli.train.jsonl", "licence": "CC BY-SA 4.0", "split": "SNLI 1.0 dev (training only)"},
    "climate_fever": {"path": "climate_fever/climate_fever.dev.jsonl",
                      "licence": "evidence: Wikipedia CC BY-SA 3.0; annotations: no licence stated upstream",
                      "split": "dev"},
    "vitaminc": {"path": "vitaminc/vitaminc.dev.jsonl", "licence": "CC BY-SA 3.0 (Wikipedia-derived)", "split": "dev"},
    "fever_symmetric": {"path": "fever_small/fever_symmetric_dev.jsonl",
                        "licence": "CC BY-SA 3.0 (Wikipedia terms)", "split": "dev"},
    "ntrex": {"path": "ntrex_en_fr_vi/ntrex_en_fr_vi.dev.jsonl", "licence": "CC BY-SA 4.0", "split": "dev"},
}
EXCLUDED = {"xnli": "CC BY-NC 4.0: measured only, never trained on",
            "averitec": "CC BY-NC 4.0: measured only, never trained on"}


@dataclass
class Pair:
    claim: str
    evidence: str
    label: str  # supports / refutes / neutral
    source: str
    kind: str  # e.g. "nli", "evidence", "translation", "restatement", "edit:figure", "other-sentence"
    group: str
    langs: str = "en-en"  # evidence language - claim language
    heldout: bool = False


def _md5(text: str) -> int:
    return int(hashlib.md5(text.encode("utf-8")).hexdigest(), 16)


def heldout_group(group: str) -> bool:
    """A dev group (claim / case / document) kept out of training for selection (salted: the test split used md5 % 5)."""
    return _md5("stance-ce-heldout:" + group) % 100 < HELDOUT_SHARE


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(_md5(f"{seed}:{key}"))


# --- controlled edits (shared with evaluate.py, which applies them to NTREX test) ------------------------

_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?(?![\w])")
_MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}
_WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "vi": ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ Nhật"],
}


def _new_number(raw: str, rng: random.Random) -> str:
    digits = re.sub(r"\D", "", raw)
    head = re.match(r"\d+", raw).group(0)
    value = int(head)
    if len(head) == 4 and 1800 <= value <= 2100 and len(digits) == 4:
        return str(value + rng.choice([-5, -3, -2, -1, 1, 2, 3, 4]))
    if value == 0:
        new = rng.randint(2, 9)
    elif value < 10:
        new = rng.choice([v for v in range(1, 13) if v != value])
    else:
        factor = rng.choice([0.3, 0.5, 0.6, 1.5, 2.0, 3.0])
        new = max(1, int(round(value * factor)))
        if new == value:
            new = value + rng.randint(1, 9)
    return str(new) + raw[len(head):]


def edit_figure(text: str, lang: str, rng: random.Random, target: str | None = None) -> str | None:
    """One figure changed (a year moves by a few years, a count or amount by a clear factor)."""
    matches = [m for m in _NUMBER.finditer(text) if target is None or m.group(0) == target]
    if not matches:
        return None
    m = rng.choice(matches)
    return text[:m.start()] + _new_number(m.group(0), rng) + text[m.end():]


def edit_date(text: str, lang: str, rng: random.Random) -> str | None:
    """A month or weekday name swapped for another."""
    options = []
    for names in (_MONTHS.get(lang, []), _WEEKDAYS.get(lang, [])):
        for name in names:
            flags = 0 if lang == "en" else re.IGNORECASE
            # "May" in English is too often the modal verb: only when a day number or year is next to it
            pattern = r"\bMay\b(?=\s+\d)" if name == "May" else r"\b" + re.escape(name) + r"\b"
            for m in re.finditer(pattern, text, flags):
                options.append((m, names))
    if not options:
        return None
    m, names = rng.choice(options)
    current = m.group(0).lower()
    new = rng.choice([n for n in names if n.lower() != current])
    if m.group(0)[:1].isupper():
        new = new[:1].upper() + new[1:]
    return text[:m.start()] + new + text[m.end():]


_CAP_SEQ = re.compile(r"(?<![\w])([A-ZÀ-ÝĐ][\w’'-]+(?:\s+[A-ZÀ-ÝĐ][\w’'-]+)*)", re.UNICODE)
_NOT_NAMES = {"The", "A", "An", "In", "On", "At", "It", "He", "She", "They", "We", "I", "This", "That", "But", "And",
              "Le", "La", "Les", "Un", "Une", "Des", "Il", "Elle", "Ils", "Elles", "Ce", "Cette", "Mais", "Et", "En",
              "Các", "Những", "Một", "Ông", "Bà", "Anh", "Chị", "Tuy", "Nhưng", "Và", "Theo", "Trong", "Khi",
              "Mr", "Mrs", "Ms", "Dr", "M", "Mme"}


def names_in(text: str) -> list[str]:
    """Capitalised word sequences that are not sentence openers or pronouns: a rough name finder."""
    out = []
    for m in _CAP_SEQ.finditer(text):
        words = m.group(1).split()
        while words and words[0] in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        if m.start() == 0 and len(words) == 1:
            continue  # a lone capitalised sentence opener is usually an ordinary word
        if len(name) >= 3:
            out.append(name)
    return out


def edit_name(text: str, lang: str, rng: random.Random, pool: list[str]) -> str | None:
    """One name replaced by another name of the same story (pool), absent from this text."""
    here = names_in(text)
    candidates = [n for n in dict.fromkeys(pool) if n not in text and not any(n in h or h in n for h in here)]
    if not here or not candidates:
        return None
    old = rng.choice(here)
    return text.replace(old, rng.choice(candidates), 1)


_EN_NEG_REMOVE = [(r"\bcannot\b", "can"), (r"\bcan't\b", "can"), (r"\bwon't\b", "will"), (r"\b(\w+)n't\b", r"\1"),
                  (r"\b(is|are|was|were|has|have|had|will|would|can|could|should|must|do|does|did) not\b", r"\1"),
                  (r"\bnever\b", "ever"), (r"\bno longer\b", "still")]
_EN_AUX = re.compile(r"\b(is|are|was|were|has|have|had|will|would|could|should|must|does|did|do)\b")
_FR_NEG_REMOVE = [(r"\bne\s+(\w+)\s+(pas|plus|jamais)\b", r"\1"), (r"\bn[’'](\w+)\s+(pas|plus|jamais)\b", r"\1")]
_FR_VERBS = ["est", "sont", "était", "étaient", "a", "ont", "avait", "avaient", "sera", "seront", "va", "vont",
             "peut", "peuvent", "doit", "doivent", "fait", "font", "veut", "veulent", "aura", "auront", "serait",
             "pourrait", "devrait"]
_VI_NEG_REMOVE = [(r"\bkhông phải là\b", "là"), (r"\bđã không\b", "đã"), (r"\bsẽ không\b", "sẽ"), (r"\bkhông thể\b", "có thể"),
                  (r"\bkhông có\b", "có"), (r"\bchưa từng\b", "đã từng"), (r"\bchưa\b", "đã"), (r"\bkhông\b", "")]
_VI_INSERT = [(r"\bcó thể\b", "không thể"), (r"\bđã\b", "đã không"), (r"\bsẽ\b", "sẽ không"), (r"\blà\b", "không phải là"),
              (r"\bcó\b", "không có"), (r"\bđang\b", "không")]


def _sub_once(pattern: str, repl: str, text: str, flags: int = 0) -> str | None:
    new, n = re.subn(pattern, repl, text, count=1, flags=flags)
    return re.sub(r"\s{2,}", " ", new).strip() if n and new != text else None


def edit_negation(text: str, lang: str, rng: random.Random) -> str | None:
    """The main assertion negated, or its negation removed (so 'not' appears on both sides of the labels)."""
    if lang == "en":
        for pattern, repl in _EN_NEG_REMOVE:
            new = _sub_once(pattern, repl, text, re.IGNORECASE)
            if new:
                return new
        return _sub_once(_EN_AUX.pattern, r"\1 not", text)
    if lang == "fr":
        for pattern, repl in _FR_NEG_REMOVE:
            new = _sub_once(pattern, repl, text, re.IGNORECASE)
            if new:
                return new
        verbs = [m for m in re.finditer(r"\b(" + "|".join(_FR_VERBS) + r")\b", text)]
        if not verbs:
            return None
        m = verbs[0]
        verb = m.group(1)
        negated = ("n’" if verb[0] in "aeiouéêè" else "ne ") + verb + " pas"
        return text[:m.start()] + negated + text[m.end():]
    if lang == "vi":
        for pattern, repl in _VI_NEG_REMOVE:
            new = _sub_once(pattern, repl, text)
            if new:
                return new
        for pattern, repl in _VI_INSERT:
            new = _sub_once(pattern, repl, text)
            if new:
                return new
    return None


EDIT_KINDS = ("figure", "date", "name", "negation")


def controlled_edit(text: str, lang: str, rng: random.Random, pool: list[str],
                    kinds: tuple[str, ...] = EDIT_KINDS) -> tuple[str, str] | None:
    """(edited text, kind): one figure, date, name or negation changed; figures and dates first when present."""
    order = [k for k in kinds if k in ("figure", "date")]
    rng.shuffle(order)
    rest = [k for k in kinds if k not in ("figure", "date")]
    rng.shuffle(rest)
    for kind in order + rest:
        if kind == "figure":
            new = edit_figure(text, lang, rng)
        elif kind == "date":
            new = edit_date(text, lang, rng)
        elif kind == "name":
            new = edit_name(text, lang, rng, pool)
        else:
            new = edit_negation(text, lang, rng)
        if new and new != text:
            return new, kind
    return None


def clause_deleted(text: str, rng: random.Random) -> str | None:
    """A shorter restatement the full sentence entails: one non-initial comma clause or parenthesis dropped."""
    stripped = re.sub(r"\s*\([^)]*\)", "", text)
    if stripped != text and len(stripped.split()) >= 5:
        return stripped
    chunks = [c for c in re.split(r",\s+", text)]
    if len(chunks) < 2:
        return None
    options = []
    for i in range(1, len(chunks)):
        kept = chunks[:i] + chunks[i + 1:]
        candidate = ", ".join(kept).rstrip(",;: ")
        if len(candidate.split()) >= 5 and not re.search(r"\b(not|pas|không|but|mais|nhưng)\b", chunks[i]):
            options.append(candidate)
    head = chunks[0].rstrip(",;: ")
    if len(head.split()) >= 6:
        options.append(head)
    if not options:
        return None
    result = rng.choice(options)
    return result if result.endswith((".", "!", "?")) else result + "."


# --- sources ---------------------------------------------------------------------------------------------


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def snli_pairs(data_dir: Path) -> list[Pair]:
    label = {"entailment": "supports", "contradiction": "refutes", "neutral": "neutral"}
    return [Pair(r["hypothesis"], r["premise"], label[r["label"]], "snli", "nli", "snli:" + r["premise"])
            for r in _jsonl(data_dir / SOURCES["snli"]["path"])]


def fact_pairs(data_dir: Path) -> list[Pair]:
    out = []
    for case in load_climate_fever("dev", data_dir):
        for ev in case.evidence:
            out.append(Pair(case.claim, ev.text, ev.gold_stance, "climate_fever", "evidence", case.id))
    for p in load_vitaminc("dev", data_dir):
        out.append(Pair(p.claim, p.evidence, p.gold, "vitaminc", "evidence", "v" + p.group))
    for p in load_fever_symmetric("dev", data_dir):
        out.append(Pair(p.claim, p.evidence, p.gold, "fever_symmetric", "evidence", "fs" + p.claim))
    return out


def load_ntrex(split: str, data_dir: Path = DEFAULT_DATA_DIR) -> dict[str, list[dict]]:
    """NTREX sentences of a split by document, in document order."""
    docs: dict[str, list[dict]] = defaultdict(list)
    for row in _jsonl(data_dir / "ntrex_en_fr_vi" / f"ntrex_en_fr_vi.{split}.jsonl"):
        docs[row["doc_id"]].append(row)
    for rows in docs.values():
        rows.sort(key=lambda r: r["sentence_in_doc"])
    return dict(docs)


DIRECTIONS_CROSS = [(a, b) for a in LANGS for b in LANGS if a != b]
DIRECTIONS_ALL = [(a, b) for a in LANGS for b in LANGS]


def ntrex_pairs(docs: dict[str, list[dict]], seed: int, per_sentence: dict[str, float],
                distinct_directions: bool = False) -> list[Pair]:
    """Cross-lingual and same-language pairs from NTREX sentences; `per_sentence` says how many of each kind.

    Kinds: translation (supports, directions across languages only), restatement (clause deleted, supports,
    all 9 directions), both-edited (the same figure or name changed on both sides, supports), other-sentence
    (neutral), edit (refutes: the claim or the evidence side edited). With `distinct_directions` (round 2)
    a sentence's translation pairs take different directions (up to all 6); round 1 drew each independently.
    """
    out: list[Pair] = []
    for doc_id, rows in docs.items():
        pools = {lang: [n for r in rows for n in names_in(r[lang])] for lang in LANGS}
        for row in rows:
            key = f"{doc_id}:{row['sentence_in_doc']}"
            rng = _rng(seed, "ntrex:" + key)

            def count(kind: str) -> int:
                want = per_sentence.get(kind, 0.0)
                return int(want) + (1 if rng.random() < want - int(want) else 0)

            def add(claim: str, evidence: str, label: str, kind: str, ev_lang: str, cl_lang: str) -> None:
                out.append(Pair(claim, evidence, label, "ntrex", kind, "nt" + doc_id, f"{ev_lang}-{cl_lang}"))

            n_translation = count("translation")
            if distinct_directions:
                chosen = rng.sample(DIRECTIONS_CROSS, min(n_translation, len(DIRECTIONS_CROSS)))
            else:
                chosen = [rng.choice(DIRECTIONS_CROSS) for _ in range(n_translation)]
            for a, b in chosen:
                add(row[b], row[a], "supports", "translation", a, b)
            for _ in range(count("restatement")):
                a, b = rng.choice(DIRECTIONS_ALL)
                short = clause_deleted(row[b], rng)
                if short:
                    add(short, row[a], "supports", "restatement", a, b)
            for _ in range(count("other-sentence")):
                others = [r for r in rows if r is not row]
                if others:
                    a, b = rng.choice(DIRECTIONS_ALL)
                    add(rng.choice(others)[b], row[a], "neutral", "other-sentence", a, b)
            for _ in range(count("edit")):
                a, b = rng.choice(DIRECTIONS_ALL)
                if rng.random() < 0.5:  # the claim is the edited side
                    edited = controlled_edit(row[b], b, rng, pools[b])
                    if edited:
                        add(edited[0], row[a], "refutes", "edit:" + edited[1], a, b)
                else:  # the evidence is the edited side
                    edited = controlled_edit(row[a], a, rng, pools[a])
                    if edited:
                        add(row[b], edited[0], "refutes", "edit:" + edited[1], a, b)
            for _ in range(count("both-edited")):
                a, b = rng.choice(DIRECTIONS_ALL)
                shared = [m.group(0) for m in _NUMBER.finditer(row[a]) if m.group(0) in row[b]]
                if shared:
                    target = rng.choice(shared)
                    new = _new_number(target, rng)
                    add(row[b].replace(target, new, 1), row[a].replace(target, new, 1), "supports", "both-edited:figure", a, b)
                    continue
                names = [n for n in names_in(row[a]) if n in row[b]]
                others = [n for n in pools[a] if n not in row[a] and n not in row[b]]
                if names and others:
                    old, new = rng.choice(names), rng.choice(others)
                    add(row[b].replace(old, new, 1), row[a].replace(old, new, 1), "supports", "both-edited:name", a, b)
    return out


def ntrex_probe_pairs(docs: dict[str, list[dict]], seed: int, directions: list[tuple[str, str]] | None = None,
                      one_direction: bool = False) -> list[Pair]:
    """The NTREX protocol of the targets: each sentence (evidence, language a) against, in language b, its
    translation (supports), another sentence of the same story (neutral) and its translation with one figure,
    date, name or negation changed (refutes). All `directions` (default: the 6 across languages), or one drawn
    per sentence and kind when `one_direction` (the cheaper held-out probe used while training)."""
    directions = directions or DIRECTIONS_CROSS
    out: list[Pair] = []
    for doc_id, rows in docs.items():
        pools = {lang: [n for r in rows for n in names_in(r[lang])] for lang in LANGS}
        for row in rows:
            key = f"{doc_id}:{row['sentence_in_doc']}"
            rng = _rng(seed, "ntrex-probe:" + key)
            others = [r for r in rows if r is not row]
            for kind in ("translation", "other-sentence", "edit"):
                chosen = [rng.choice(directions)] if one_direction else directions
                for a, b in chosen:
                    pair_rng = _rng(seed, f"ntrex-probe:{key}:{kind}:{a}-{b}")
                    group, langs = "nt" + doc_id, f"{a}-{b}"
                    if kind == "translation":
                        out.append(Pair(row[b], row[a], "supports", "ntrex", kind, group, langs))
                    elif kind == "other-sentence" and others:
                        out.append(Pair(pair_rng.choice(others)[b], row[a], "neutral", "ntrex", kind, group, langs))
                    elif kind == "edit":
                        edited = controlled_edit(row[b], b, pair_rng, pools[b])
                        if edited:
                            out.append(Pair(edited[0], row[a], "refutes", "ntrex", "edit:" + edited[1], group, langs))
    return out


NTREX_PER_SENTENCE = {"translation": 1.5, "restatement": 1.0, "other-sentence": 1.6, "edit": 2.0, "both-edited": 0.5}

def summary(pairs: list[Pair]) -> dict:
    """Counts by source, label, kind and language direction, for training and held-out parts."""
    out: dict = {}
    for part, members in (("train", [p for p in pairs if not p.heldout]), ("heldout", [p for p in pairs if p.heldout])):
        out[part] = {
            "n": len(members),
            "by_source_label": {f"{s}/{l}": n for (s, l), n in sorted(Counter((p.source, p.label) for p in members).items())},
            "by_kind": dict(sorted(Counter(f"{p.source}/{p.kind}" for p in members).items())),
            "ntrex_directions": dict(sorted(Counter(p.langs for p in members if p.source == "ntrex").items())),
        }
    return out
