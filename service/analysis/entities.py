"""Named entities without a model: capitalised spans, acronyms and camel-case names, across en/fr/vi."""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

from service.analysis.languages import any_language

# Capitalised words that start sentences or mark titles rather than name something, in every language: names are
# read the same way whatever the sentence's language (headlines and quotes mix languages).
_NOT_NAMES = any_language().not_names
_PERSON_TITLES = re.compile(r"^(?:mr|mrs|ms|dr|prof|m|mme|ông|bà|anh|chị)\.?\s+", re.IGNORECASE)
_ORG_MARKERS = re.compile(
    r"\b(?:ai|inc|corp|group|bank|labs?|university|université|institute|ltd|llc|sa|gmbh|co|airlines|airways|"
    r"motors|electronics|holdings?|technologies|systems|industries|pharma|energy|telecom|media|news|press|"
    r"ministry|ministère|bộ|agency|agence|police|council|committee|court|tribunal|union|syndicat|công ty|"
    r"tập đoàn|ngân hàng)\b", re.IGNORECASE
)
_TOKEN = re.compile(r"[^\W_][\w’'&.-]*", re.UNICODE)
_ELISION = re.compile(r"^(?:d|l|qu|s|n|j|c)['’]", re.IGNORECASE)
_CONNECTORS = {"of", "de", "du", "des", "la", "le", "van", "von", "der", "&", "bin", "al"}


def _is_capitalised(word: str) -> bool:
    core = _ELISION.sub("", word)
    if not core:
        return False
    first = core[0]
    if first.isupper():
        return True
    # camel-case and lower-first brands: "xAI", "iPhone", "eBay"
    return len(core) > 1 and any(c.isupper() for c in core[1:]) and first.isalpha()


@lru_cache(maxsize=65536)  # pure, and called for every (claim, candidate) pair by the stance rules
def entity_key(name: str) -> str:
    """A comparable form of a name: case-folded, accents removed, elisions and titles dropped."""
    name = _PERSON_TITLES.sub("", _ELISION.sub("", name.strip()))
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"\s+", " ", "".join(c for c in decomposed if not unicodedata.combining(c))).strip(" .,'’")


def extract_entities(text: str, known: set[str] | None = None) -> list[str]:
    """Names in a sentence, longest spans first-seen order; `known` are keys seen capitalised mid-sentence elsewhere."""
    known = known or set()
    words = [(m.group(0), m.start()) for m in _TOKEN.finditer(text)]
    ends = [m.end() for m in _TOKEN.finditer(text)]
    spans: list[list[str]] = []
    current: list[str] = []
    for i, (word, _) in enumerate(words):
        clean = word.rstrip(".,;:’'")
        core = _ELISION.sub("", clean)
        sentence_initial = i == 0 or text[: words[i][1]].rstrip().endswith((".", ":", "!", "?", "\n", '"', "“", "«"))
        if sentence_initial and current and re.fullmatch(r"[A-Z]\.", words[i - 1][0]):
            sentence_initial = False  # the name goes on after an initial: "William O. Douglas"
        capital = _is_capitalised(clean) and not core.isdigit()
        common = entity_key(core) in _NOT_NAMES
        if capital and common and current and core.isupper():
            current.append(core)  # "Scale AI": a generic acronym continues a name
        elif capital and not common and (not sentence_initial or _looks_like_name(core, words, i, known)):
            if _ELISION.match(clean) and current:
                spans.append(current)
                current = []
            current.append(core)
        elif current and clean.lower() in _CONNECTORS and i + 1 < len(words) and _is_capitalised(words[i + 1][0]) \
                and entity_key(words[i + 1][0]) not in _NOT_NAMES and clean.lower() in {"of", "&", "van", "von", "bin", "al"}:
            current.append(clean)
        else:
            if current:
                spans.append(current)
            current = []
            if capital and common and core.isupper() and len(core) <= 3:
                continue
        follows = text[ends[i] : ends[i] + 1]
        initial = word.endswith(".") and len(clean) == 1 and clean.isupper()  # "William O. Douglas"
        if current and not initial and (word != clean or (follows and follows in ",;:()[]\"“”«»—–/")):  # punctuation closes a name
            spans.append(current)
            current = []
    if current:
        spans.append(current)
    seen: dict[str, str] = {}
    for span in spans:
        while span and span[-1].lower() in _CONNECTORS:
            span = span[:-1]
        if not span:
            continue
        name = " ".join(span)
        key = entity_key(name)
        if len(key) < 2 or key in _NOT_NAMES:
            continue
        seen.setdefault(key, name)
    return list(seen.values())


_NOT_NAMES = {entity_key(w) for w in _NOT_NAMES}


def _looks_like_name(core: str, words: list[tuple[str, int]], i: int, known: set[str]) -> bool:
    if entity_key(core) in known:
        return True
    if core.isupper() and len(core) >= 2:
        return True
    if any(c.isupper() for c in core[1:]):
        return True
    nxt = words[i + 1][0] if i + 1 < len(words) else ""
    gap = words[i + 1][1] - (words[i][1] + len(words[i][0])) if nxt else 0
    return bool(nxt) and gap == 1 and _is_capitalised(nxt) and entity_key(nxt) not in _NOT_NAMES


def known_names(sentences: list[str]) -> set[str]:
    """Keys of words that appear capitalised somewhere other than at a sentence start."""
    keys: set[str] = set()
    for sentence in sentences:
        words = _TOKEN.findall(sentence)
        for word in words[1:]:
            clean = _ELISION.sub("", word.rstrip(".,;:’'"))
            if clean and _is_capitalised(clean) and entity_key(clean) not in _NOT_NAMES:
                keys.add(entity_key(clean))
    return keys


def is_person(name: str) -> bool:
    """Two or three capitalised words with no organisation marker: 'Sam Altman', 'Shengjia Zhao'."""
    parts = name.split()
    return 2 <= len(parts) <= 4 and not _ORG_MARKERS.search(name) and all(p[:1].isupper() for p in parts) \
        and not any(any(c.isupper() for c in p[1:]) for p in parts)  # "DeepMind", "OpenAI", "AI" are not people


def entity_overlap(a: list[str], b: list[str]) -> float:
    """Share of the names in `a` that `b` mentions (a name matches on its full key or a distinctive part of it)."""
    if not a:
        return 0.0
    keys_b = {entity_key(x) for x in b}
    parts_b = {p for k in keys_b for p in k.split() if len(p) > 2}
    hits = 0.0
    for name in a:
        key = entity_key(name)
        if key in keys_b:
            hits += 1
        elif any(k in key or key in k for k in keys_b if len(k) > 2) or (
            len(key.split()) > 1 and key.split()[-1] in parts_b
        ):
            hits += 0.75
    return hits / len(a)
