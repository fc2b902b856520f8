"""One clause -> atomic facts: relative and participial clauses, appositions and lists become claims of their own.

Rules work on word shapes and closed word classes (pronouns, prepositions, auxiliaries), not on a parser, and a
clause longer than MAX_CLAUSE_CHARS is left whole, so the cost per sentence is bounded. The rules run on English
only. The list tables have French and Vietnamese rows, but list splitting stays off for those languages: on the
seed articles it cut decimal commas ("14,3 tỷ USD") and elided prepositions ("d'OpenAI, Google et Anthropic").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.analysis.languages import packs


@dataclass(frozen=True)
class Piece:
    """One atomic fact of a clause: `text` is decontextualised, [start, end) is its source span in the clause."""

    start: int
    end: int
    text: str


_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\s,;:]+")  # "20,000" is one word, not "20" and "000"
# The word classes of each language pack (languages/): determiners, words a list item never crosses going left
# (prepositions, verbs that introduce objects, list introducers), words that mark a clause, list conjunctions.
_DETERMINERS = {code: p.determiners for code, p in packs().items()}
_LIST_LEFT_STOP = {code: p.list_left_stop for code, p in packs().items()}
_FINITE = {code: p.finite for code, p in packs().items()}
_CONJ = {code: p.list_conjunctions for code, p in packs().items()}
_INTRODUCERS = {code: re.compile(p.list_introducers, re.IGNORECASE) for code, p in packs().items()}


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start() + start, m.end() + start) for m in _WORD.finditer(text[start:end])]


@dataclass(frozen=True)
class _Series:
    items: list[tuple[int, int]]  # spans of the items in the clause
    introducer: tuple[int, int] | None  # "such as" before the first item
    end: int  # where the text after the list resumes


def find_series(text: str, language: str) -> _Series | None:
    """The coordinated list of a clause ('A, B, and C', or 'such as A and B'), with the span of each item."""
    lang = language if language in _LIST_LEFT_STOP else "en"
    stops, finite, dets = _LIST_LEFT_STOP[lang], _FINITE[lang], _DETERMINERS[lang]
    best: _Series | None = None
    for conj in re.finditer(rf",?\s+(?:{_CONJ[lang]})\s+", text, re.IGNORECASE):
        before = text[: conj.start()]
        bounds = [0] + [m.end() for m in re.finditer(r",\s+", before)]
        ends = [m.start() for m in re.finditer(r",\s+", before)] + [len(before)]
        # walk the comma-separated segments right to left: short, verbless ones are items
        items: list[tuple[int, int]] = []
        host = 0
        opener = (text[conj.end() :].split()[:1] or [""])[0].lower()
        parallel = opener in stops and opener not in finite and opener not in {"and", "or", "et", "ou", "và"}
        pending: int | None = None  # end of a parallel item continued by a nested list ("features, benefits")
        for i in range(len(bounds) - 1, 0, -1):
            words = before[bounds[i] : ends[i]].split()
            if parallel and words and words[0].lower() == opener and len(words) <= 8 and not any(
                    w.lower() in finite for w in words):
                items.insert(0, (bounds[i], pending if pending is not None else ends[i]))
                pending = None
                continue
            if parallel and words and len(words) <= 4 and not any(w.lower() in finite for w in words):
                pending = pending if pending is not None else ends[i]
                continue
            if parallel:
                host = i
                break
            if (not words or len(words) > 6 or any(w.lower() in finite for w in words) or words[0].lower() in stops
                    or ":" in before[bounds[i] : ends[i]]):
                host = i
                break
            items.insert(0, (bounds[i], ends[i]))
        # the first item: the host segment's last words, up to a stop word, about as long as the other items
        longest = max([len(text[a:b].split()) for a, b in items] + [2])
        taken: list[tuple[int, int]] = []
        if parallel:
            host_words = _words(text, bounds[host], ends[host])
            starts = [k for k, (a, b) in enumerate(host_words) if text[a:b].lower() == opener]
            if not starts or (not items and len(host_words) - starts[-1] > 8):
                continue
            taken = host_words[starts[-1] :]
            first = (taken[0][0], pending if pending is not None else taken[-1][1])
            intro = _INTRODUCERS[lang].search(text[: first[0]])
            rest_start = conj.end()
            stop = re.search(r"[,;:!?]|(?<![A-Z])\.(?=\s|$)", text[rest_start:])
            last_end = rest_start + (stop.start() if stop else len(text) - rest_start)
            series = _Series([first] + items + [(rest_start, last_end)], (intro.start(), intro.end()) if intro else None,
                             last_end)
            pair = opener in _PAIR_PREPOSITIONS.get(lang, set()) | {"to"} and len(host_words) - starts[-1] <= 6
            if len(series.items) >= 3 or items or intro or pair:  # "as Governor and as a Senator"
                if best is None or len(series.items) >= len(best.items):
                    best = series
            continue
        for a, b in reversed(_words(text, bounds[host], ends[host])):
            word = text[a:b].lower().strip("\"'“”")
            if word in stops or word in finite or len(taken) > longest or (taken and text[b : b + 1] in ":;"):
                break
            taken.insert(0, (a, b))
            if word in dets:
                break
        if not taken:
            continue
        first = (taken[0][0], taken[-1][1])
        if not items and _two_names(text, conj, lang):
            first = _name_before(text, conj.start()) or first
        intro = _INTRODUCERS[lang].search(text[: first[0]])
        introducer = (intro.start(), intro.end()) if intro else None
        if not items and not introducer and not _two_names(text, conj, lang):
            pair = _determiner_pair(text, conj, lang) or _noun_pair(text, conj, lang)
            if pair is None:
                continue
            first = pair
        # the last item runs to the next punctuation, cut at a preposition when it is much longer than the others
        rest_start = conj.end()
        stop = re.search(r"[,;:!?]|(?<![A-Z])\.(?=\s|$)|\s(?:which|who|that|because|when|while|qui|que|mà|khi|is|are|was|were|has|have|had|can|"
                         r"could|will|would|may|might|est|sont|était|étaient|là|đã|sẽ)\s",
                         text[rest_start:])
        last_end = rest_start + (stop.start() if stop else len(text) - rest_start)
        last_words = _words(text, rest_start, last_end)
        if not last_words:
            continue
        longest = max(longest, len(text[first[0] : first[1]].split()))
        if (items or introducer) and len(last_words) > longest + 2:
            for i, (a, b) in enumerate(last_words[1:], 1):
                if text[a:b].lower() in {"in", "on", "at", "during", "for", "dans", "en", "pendant", "trong", "tại"}:
                    last_end = last_words[i - 1][1]
                    break
        all_items = [first] + items + [(rest_start, last_end)]
        lead = text[: first[0]].split()[-2:]
        if len(lead) == 2 and lead[0][:1].isupper() and lead[1].lower() in {"for", "of", "de", "du", "des"} and all(
                text[a:b].strip()[:1].isupper() for a, b in all_items):
            continue  # "Minister for Food, Agriculture and Fisheries" is one title
        if _adjective_series(text, all_items, dets):
            continue
        series = _Series(all_items, introducer, last_end)
        if best is None or (bool(series.introducer), len(series.items)) >= (bool(best.introducer), len(best.items)):
            best = series
    return best


def _two_names(text: str, conj: re.Match, lang: str) -> bool:
    """'Jupiter and Saturn', 'JavaScript and LiveScript': two capitalised names joined by a conjunction."""
    left = re.search(r"((?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’.-]*)$", text[: conj.start()])
    right = re.match(r"(?:the\s+)?([A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*){0,3})", text[conj.end() :])
    if not (left and right) or "," in conj.group(0):
        return False
    head = text[: left.start()].split()
    return bool(head) and head[-1].lower() not in _DETERMINERS.get(lang, set()) | {"between"}


_PAIR_DETS = {"en": {"a", "an", "the"}, "fr": {"un", "une", "le", "la", "les", "des"},
              "vi": set()}


_PAIR_PREPOSITIONS = {"en": {"as", "in", "on", "at", "for", "to", "by", "with", "from"},
                      "fr": {"dans", "pour", "par", "avec", "comme", "à", "en"}, "vi": set()}


def _determiner_pair(text: str, conj: re.Match, lang: str) -> tuple[int, int] | None:
    """'as a significant victory for X and a setback for Y': two determiner phrases of three words or more."""
    dets = _PAIR_DETS.get(lang, set())
    right = text[conj.end() :].split()
    if "," in conj.group(0) or not right:
        return None
    if right[0].lower() in _PAIR_PREPOSITIONS.get(lang, set()):
        # "served as Governor of Massachusetts and as a U.S. Senator": the same preposition opens both items
        words = _words(text, 0, conj.start())[-10:]
        for a, b in reversed(words):
            if text[a:b].lower() in _FINITE.get(lang, set()) or text[b : b + 1] in ",;:":
                return None
            if text[a:b].lower() == right[0].lower():
                return (a, words[-1][1])
        return None
    if right[0].lower() not in dets:
        return None
    words = _words(text, 0, conj.start())[-8:]
    for i in range(len(words) - 1, -1, -1):
        a, b = words[i]
        word = text[a:b].lower()
        if word in _FINITE.get(lang, set()) or text[b : b + 1] in ",;:":
            return None
        if word in dets:
            before = text[: a].split()[-1:] or [""]
            if before[0].lower() in {"between", "both", "entre"} or len(words) - i < 3:
                return None
            return (a, words[-1][1])
    return None


# Words that open the object of a present-tense verb ("makes about half", "sells the", "owns 40%").
_VP_OBJECT_START = frozenset({"a", "an", "the", "its", "their", "his", "her", "about", "around", "nearly", "almost",
                              "more", "less", "up", "over", "some", "most", "half", "all", "roughly", "several"})


def _noun_pair(text: str, conj: re.Match, lang: str) -> tuple[int, int] | None:
    """'forms copper sulfate (CuSO4) and elemental iron': two bare noun phrases, each of two to five words, the
    first bounded on its left by a verb or preposition; the first item's span, or None."""
    if lang != "en" or "," in conj.group(0):
        return None
    right = re.match(r"[^,;:.!?]*", text[conj.end() :]).group(0)
    right = re.split(r"\s(?:which|who|that|because|when|while|is|are|was|were|has|have|had|can|will)\s", right)[0].split()
    if not 2 <= len(right) <= 8 or right[0].lower() in _DETERMINERS["en"] | _FINITE["en"] | _LIST_LEFT_STOP["en"]:
        return None
    if re.fullmatch(r"[a-z]{3,}s", right[0]) and (right[1].lower() in _VP_OBJECT_START or right[1][:1].isdigit()):
        return None  # "employs 20,000 people and makes about half of ...": a verb phrase, not a second noun
    taken: list[tuple[int, int]] = []
    for a, b in reversed(_words(text, 0, conj.start())):
        word = text[a:b]
        low = word.lower()
        if low in _LIST_LEFT_STOP["en"] or low in _FINITE["en"] or text[b : b + 1] in ",;:" or (
                taken and re.fullmatch(r"[a-z]{3,}s", word) and low not in _NOT_VERBS):  # "offers" ends the phrase
            break
        if low in _DETERMINERS["en"] or len(taken) == 5:
            return None  # a determiner phrase ("the king and princess") or no clear left edge
        taken.insert(0, (a, b))
    if not 2 <= len(taken) <= 5 or len(taken) == len(_words(text, 0, conj.start())) \
            or text[taken[0][0] : taken[0][1]].endswith("ing"):  # "shaping academic and policy discussions"
        return None
    return taken[0][0], taken[-1][1]


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    m = re.search(r"((?:[A-Z][\w'’.-]*\s){0,3}[A-Z][\w'’.-]*)$", text[:end])
    return (m.start(), end) if m else None


def _adjective_series(text: str, items: list[tuple[int, int]], dets: set[str]) -> bool:
    """'their ethereal, haunting and atmospheric sound': one-word modifiers sharing the last item's noun."""
    *head, last = items
    if len(text[last[0] : last[1]].split()) < 2:
        return False
    words = [text[a:b].split() for a, b in head]
    if words and words[0] and words[0][0].lower() in dets:
        words[0] = words[0][1:]
    elif not (text[: head[0][0]].split()[-1:] or [""])[0].lower() in dets:
        return False  # "including sourcing, screening and hiring candidates" are not modifiers
    return all(len(w) == 1 and w[0][:1].islower() for w in words)


def expand_series(text: str, language: str) -> list[Piece]:
    """One piece per list item: the clause with the list replaced by that item (and one without an exemplifying list)."""
    series = find_series(text, language)
    if series is None:
        return []
    first_start = series.items[0][0]
    prefix, suffix = text[:first_start], text[series.end :]
    boundary = re.search(r",\s+(?:and|but|or|while|whereas|which|who|et|mais|qui|và|nhưng)\s|;", suffix)
    if boundary:
        suffix = suffix[: boundary.start()]
    out: list[Piece] = []
    if series.introducer:
        # "caused by various factors, such as diet, stress, ..." also states "caused by various factors"
        base = (text[: series.introducer[0]].rstrip(" ,") + " " + suffix.lstrip(" ,")).strip()
        if len(base.split()) >= 4:
            out.append(Piece(0, len(text), _tidy(base)))
    if series.introducer:
        # "supports a wide range of chart types including line charts" states "supports line charts"
        np_start = _np_start(text, series.introducer[0], language)
        if np_start is not None:
            prefix = text[:np_start]
    shared = _shared_determiner(text, series.items, language)
    for i, (a, b) in enumerate(series.items):
        item = text[a:b].strip(" ,")
        if shared and i > 0 and item.split()[0].lower() not in _DETERMINERS.get(language, set()):
            item = f"{shared} {item}"
        out.append(Piece(0, len(text), _tidy(prefix + item + suffix)))
    return out


def _np_start(text: str, end: int, language: str) -> int | None:
    """Start of the noun phrase ending at `end` ('a wide range of chart types'), crossing 'of'; None when the
    phrase is not bounded by a preposition, a verb or a determiner (so it cannot be replaced cleanly)."""
    stops = _LIST_LEFT_STOP.get(language, _LIST_LEFT_STOP["en"]) - {"of", "de"}
    start = None
    for a, b in reversed(_words(text, 0, end)):
        word = text[a:b].lower()
        if word in {"and", "or", "et", "ou", "và"} or text[b : b + 1] in ":;":
            return None
        if word in _DETERMINERS.get(language, set()):
            return a
        if word in stops or word in _FINITE.get(language, set()) or _EN_VERBISH.match(word) and start is not None \
                and language == "en" and word.endswith("s") and len(word) > 4:
            return start
        start = a
        if word in _DETERMINERS.get(language, set()):
            return start
    return None


def _shared_determiner(text: str, items: list[tuple[int, int]], language: str) -> str | None:
    """'a star's temperature, size, and luminosity': the other items share 'a star's'."""
    words = text[items[0][0] : items[0][1]].split()
    if len(words) < 2 or any(len(text[a:b].split()) > 2 for a, b in items[1:]):
        return None
    for k, word in enumerate(words[:-1]):
        if word.endswith(("'s", "’s", "s'")):
            return " ".join(words[: k + 1])
    return None


def _tidy(text: str) -> str:
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,;")


# --- English clause structure -------------------------------------------------------------------------------

_EN_AUX = {"is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "may", "might", "must",
           "should", "does", "do", "did"}
_EN_PRONOUNS = {"it", "they", "he", "she", "this", "these", "that", "those", "there", "we", "i", "you", "which", "who",
                "its", "their", "his", "her", "one", "some", "each", "both", "many", "most", "such"}
_EN_NP_START = {"the", "a", "an", "some", "many", "most", "all", "several", "other", "each", "every", "both", "no",
                "only", "few", "various", "different", "certain", "one", "two", "three", "four", "five"}
_EN_OPENER = re.compile(
    r"^(?:(?:in|on|at|during|for|as|after|before|since|by|from|until|under|with|without|between|despite|when|while|"
    r"although|though|if|because|unlike|like|among|following|using|to)\b[^,]{0,80},\s+)",
    re.IGNORECASE,
)
_ADVERBS = {"first", "also", "still", "then", "later", "eventually", "ultimately", "now", "often", "always", "never",
            "already", "initially", "originally", "recently", "currently", "generally", "typically", "usually",
            "officially", "formally", "finally", "once", "soon", "subsequently"}
_AFTER_VERB = {"the", "a", "an", "to", "in", "on", "at", "for", "from", "with", "by", "of", "as", "into", "it", "them",
               "him", "her", "his", "its", "their", "this", "these", "that", "those", "several", "many", "some",
               "more", "most", "up", "out", "over", "about", "through", "between", "both", "all", "each", "no", "not",
               "two", "three", "four", "five", "its", "our", "your", "new", "only"}
_NOT_VERBS = {"this", "thus", "plus", "less", "unless", "across", "towards", "always", "perhaps", "sometimes",
              "series", "species", "news", "means", "physics", "mathematics", "economics", "politics", "games"}
_IRREGULAR_PAST = {"became", "began", "built", "bought", "brought", "came", "chose", "drew", "fell", "found", "gave",
                   "grew", "held", "kept", "knew", "led", "left", "lost", "made", "met", "paid", "ran", "rose", "sold",
                   "sent", "spent", "stood", "took", "taught", "told", "went", "won", "wrote", "said"}
_EN_VERBISH = re.compile(r"^[a-z]+(?:s|ed)$")


def english_subject(text: str, allow_pronoun: bool = False) -> str | None:
    """The subject noun phrase of an English clause ('The American Fantasy Press'), if it has a plain one."""
    body = _EN_OPENER.sub("", text, count=1)
    after_opener = body != text
    # "Sinking sand, also known as quicksand, is": the parenthetical is not part of the subject
    body = re.sub(r",\s+(?:also known as|also called|better known as|such as|like|including|or)\s[^,]{1,60},", "", body)
    words = body.split()
    if allow_pronoun and words and words[0].lower() in {"it", "they", "he", "she"}:
        return words[0]
    limit = min(len(words), 13)
    verb_at = None
    for i in range(1, limit):
        if words[i - 1].endswith((",", ";", ":")) and not (words[i - 1][:1].isupper() and words[i][:1].isupper()):
            break
        if words[i].lower() in _EN_AUX or (words[i].lower() in _IRREGULAR_PAST and i <= 6):
            verb_at = i
            break
        if verb_at is None and _EN_VERBISH.match(words[i]) and len(words[i]) > 3 and i <= 6 \
                and words[i].lower() not in _NOT_VERBS and _subject_shaped(words[:i], strict=True) \
                and i + 1 < len(words) and (words[i + 1].lower() in _AFTER_VERB or words[i + 1][:1].isdigit()
                                            or words[i + 1].endswith("ly") or words[i].endswith(("es", "ed"))):
            verb_at = -i  # a guess: kept only when no auxiliary follows
    if verb_at is None:
        return None
    subject = words[: abs(verb_at)]
    while len(subject) > 1 and subject[-1].lower() in _ADVERBS:  # "Arsenal first reached" -> "Arsenal"
        subject = subject[:-1]
    if not _subject_shaped(subject, lower_ok=after_opener):
        return None
    return " ".join(subject).strip("\"“”'‘’")


def _subject_shaped(words: list[str], strict: bool = False, lower_ok: bool = False) -> bool:
    first = words[0].lower()
    if first in _EN_PRONOUNS or first in {"there", "here", "what", "how", "why", "if", "when", "so", "then"}:
        return False
    if any(w.lower() in {"that", "which", "who", "whom", "because", "if", "when", "and", "or"} for w in words) and strict:
        return False
    if any(w.lower() in {"that", "which", "who", "whom", "because", "if", "when"} for w in words):
        return False
    for k in range(1, len(words) - 1):  # "Airplane glide ratio refers to the distance": a verb inside
        if words[k].endswith("s") and words[k][:1].islower() and (
                words[k + 1].lower() in {"the", "a", "an", "this", "its", "their"}
                or (words[k + 1].lower() == "to" and k + 2 < len(words) and words[k + 2].lower() in {"the", "a", "an"})):
            return False
    if strict:  # without an auxiliary the verb guess needs a short subject with no verb of its own in it
        return len(words) <= 4 and not any(w.lower() in _IRREGULAR_PAST or w.lower().endswith("ed") for w in words)
    return words[0][:1].isupper() or first in _EN_NP_START or (lower_ok and first not in _EN_PRONOUNS)


def third_person(gerund: str) -> str:
    """'making' -> 'makes', 'providing' -> 'provides', 'grossing' -> 'grosses' (regular verbs)."""
    stem = gerund[:-3]
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        stem = stem[:-1]
    elif re.search(r"(?:[^aeiou][aeiou][kdtpbmvcz]|[aeiou][sc]|dg|rg|rv|lv|ns)$", stem) and not stem.endswith("ect"):
        stem += "e"
    if stem.endswith(("s", "sh", "ch", "x", "z")):
        return stem + "es"
    if re.search(r"[^aeiou]y$", stem):
        return stem[:-1] + "ies"
    return stem + "s"


def relative_antecedent(text: str, end: int) -> str | None:
    """The noun phrase a relative pronoun at `end` refers to (', which ...')."""
    return _np_before(text, end)


def _np_before(text: str, end: int) -> str | None:
    """The noun phrase that ends at `end` ('the ECharts JavaScript library', 'Mey Eden'), for a relative pronoun."""
    words = _words(text, 0, end)
    taken: list[str] = []
    crossing = False
    stopped = False
    for a, b in reversed(words[-14:]):
        word = text[a:b]
        low = word.lower()
        if crossing:  # the word after a determiner phrase: "of"/"in" joins it to a head noun phrase
            crossing = False
            if low in {"of", "in"}:
                taken.insert(0, word)
                continue
            break
        if low in {"of", "for"} and taken and taken[0][:1].isupper():
            crossing = False
            taken.insert(0, word)  # "the Association for Computational Linguistics"
            continue
        if low in _LIST_LEFT_STOP["en"] or low in _EN_AUX or low in {"that", "which", "who"}:
            stopped = True
            break
        taken.insert(0, word)
        if low in _DETERMINERS["en"] or low in _EN_NP_START:
            crossing = True
    while taken and taken[0].lower() in {"of", "in", "for", "and", "or"}:
        taken.pop(0)
    while taken and taken[0].lower() == "of":
        taken.pop(0)
    if not taken:
        return None
    tail = 0
    while tail < len(taken) and taken[-1 - tail][:1].isupper():
        tail += 1
    if 0 < tail < len(taken) and taken[-1 - tail].lower() not in {"of", "for", "the", "and", "&", "de"}:
        # "the company Mey Eden" -> "Mey Eden"
        return " ".join(taken[-tail:])
    if stopped and len(taken) <= 3 and "and" not in taken and taken[-1][:1].islower() and not re.search(
            r"(?:er|est|ive|ous|ful|able|ible|al|ic|ly|ing|ed)$", taken[-1]):
        return " ".join(taken)  # "is compressed air, which consists of ..."
    if all(re.fullmatch(r"[\d.,()\-–]+", w) for w in taken):
        return None  # "a film from 2014, which was produced ...": a year is not what the clause is about
    if taken[0].lower() in _DETERMINERS["en"] | _EN_NP_START or all(w[:1].isupper() or w[:1].isdigit() for w in taken):
        phrase = " ".join(taken)
        return phrase if phrase.lower() not in _EN_PRONOUNS else None
    return None


_REL_COMMA = re.compile(r",\s+(?:which|who)\s+(?!means\b|is why\b)", re.IGNORECASE)
_REL_COPULA = re.compile(
    r"^(?P<left>.+?\s(?:is|was|are|were)\s(?:a|an|the|one|also a|also an)\s.+?)\s+(?:who|that|which)\s+"
    r"(?P<verb>(?!(?:the|a|an|it|they|he|she|we|i|you|this|these|there|its|their)\b)[a-z]+)\b",
)
_PARTICIPLE = re.compile(
    r",\s+(?:thereby\s+|thus\s+|while\s+)?(?P<verb>(?!including|according|depending|following|regarding|concerning|"
    r"using|ranging|compared|starting|beginning|excluding|notably)[a-z]{3,}ing)\s+",
)
_ADJ_PHRASE = re.compile(
    r",\s+(?P<phrase>(?:capable|able|responsible|known|famous|renowned|used|located|based|found|designed|"
    r"considered|regarded|named|called|made|built|founded|created|developed|published|released|written|"
    r"directed|produced|owned|run|led)\s+(?:of|to|for|as|in|by|on|from|after)\s[^,]+)",
)
_APPOSITION = re.compile(
    r"^(?P<subj>[^,]{2,60}?),\s+(?P<app>(?:also known as|also called|better known as|formerly|or)\s[^,]{2,80}),\s+"
    r"(?P<rest>.+)$",
    re.IGNORECASE,
)
_CAUSE = re.compile(r"\s+because\s+(?!of\b)|,\s+as\s+(?=(?:it|they|he|she|its|their|his|her)\s)|,\s+(?:where|when)\s+(?=(?:he|she|it|they|we|the|a|an|this|these|its|their|"
                    r"his|her)\b)|,\s+so\s+(?!that\b|as\b)|,\s+and\s+(?=(?:it|they|he|she|this|these|there)\b"
                    r"|(?:the|a|an|its|their|his|her)\s[^,]{1,50}?\s(?:is|are|was|were|has|have|had|can|will)\s"
                    r"|[a-z]+(?:\s[a-z]+){0,2}\s(?:is|are|was|were|has|have|had|can)\s)",
                    re.IGNORECASE)


_HAS_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|can|could|will|would|may|might|does|did|[a-z]{3,}ed)\b")


_LEADING_CAUSE = re.compile(r"^(?:Because|Since)\s+(?P<sub>[^,]{12,}),\s+(?P<main>.{12,})$")
_REL_RESTRICTIVE = re.compile(
    r"(?<=[a-z])\s+(?:that|which|who)\s+(?=(?:are|is|was|were|has|have|had|can|could)\s+[a-z]+(?:ed|en)\b)"
)


_ABSOLUTE = re.compile(r",\s+with\s+(?P<np>(?:[a-z]+\s){0,3}[a-z]+s)\s+(?P<verb>[a-z]{3,}ing)\s+(?P<rest>.+)$")


def _finite_plural(gerund: str, subject: str) -> str:
    """'indicating' after 'higher numbers' -> 'indicate'."""
    verb = third_person(gerund)
    return verb[:-2] if verb.endswith(("ches", "shes", "sses", "xes")) else verb[:-3] + "y" if verb.endswith("ies") \
        else verb[:-1]


def _copula_for(subject: str, text: str) -> str:
    m = re.search(r"\b(is|are|was|were)\b", text)
    if m:
        return m.group(1)
    return "are" if subject.split()[-1].lower().endswith("s") and not subject[:1].isupper() else "is"


_DEFINITION = re.compile(r"^(?P<term>[A-Z][^:\s]*(?:\s[^:\s]+){0,4}):\s+(?P<np>(?:a|an|the)\s.+)$")


_ENUMERATION = re.compile(r"^(?P<subject>[^:,]+?)\s+(?P<verb>are|were|include|includes)\s*:\s+(?P<items>.+)$",
                          re.IGNORECASE)


def _member_of(noun_phrase: str) -> str:
    """'Depeche Mode's albums' -> 'an album of Depeche Mode'; 'The four female presidents' -> 'one of the four ...'."""
    m = re.match(r"^(?P<owner>.+?)['’]s\s+(?P<noun>[a-z]+s)$", noun_phrase)
    if m:
        noun = m["noun"][:-3] + "y" if m["noun"].endswith("ies") else m["noun"][:-1]
        article = "an" if noun[:1] in "aeiou" else "a"
        return f"{article} {noun} of {m['owner']}"
    return f"one of {_lower_article(noun_phrase)}"


def _lower_article(noun_phrase: str) -> str:
    first, _, rest = noun_phrase.partition(" ")
    return f"{first.lower()} {rest}" if first in {"The", "A", "An", "Some", "These", "Those"} else noun_phrase


_ANAPHORIC = {"it", "they", "them", "this", "these", "those", "that", "he", "she", "we", "i", "you", "here", "there"}


def list_item_claim(item: str, heading: str) -> str | None:
    """A list line under 'The four female presidents were:' -> 'Abigail Adams (1797-1801) was one of the four ...'."""
    m = re.match(r"^(?P<subject>[^:,]+?)\s+(?P<verb>are|were|include|includes)\s*:$", heading.strip(), re.IGNORECASE)
    if not m or len(m["subject"].split()) > 8 or any(w.lower() in _ANAPHORIC for w in m["subject"].split()):
        return None  # "Some reasons for this include:" says nothing on its own
    copula = "was" if m["verb"].lower() == "were" else "is"
    subject = re.sub(r"^(?:some|many|several|a few|one) of\s+", "", m["subject"], flags=re.IGNORECASE)
    return f"{item} {copula} {_member_of(subject)}"


def split_english(text: str) -> list[Piece]:
    """Relative clauses, participial and adjectival phrases, appositions and 'because' clauses as separate facts."""
    m = _DEFINITION.match(text)
    if m and not _HAS_VERB.search(" ".join(m["np"].split()[:4])):  # "Cost: the software is expensive" is a clause  # a glossary line "Intellilink: a tool for linking data" says "Intellilink is a tool for linking data"
        return _recurse(text, [Piece(0, len(text), f"{m['term']} is {m['np']}")])
    m = _ENUMERATION.match(text)
    if m and len(m["subject"].split()) <= 8:
        series = find_series(m["items"], "en")
        if series and series.items[0][0] == 0:
            copula = {"are": "is", "were": "was", "include": "is", "includes": "is"}[m["verb"].lower()]
            owner = _member_of(m["subject"])
            start = m.start("items")
            return [Piece(start + a, start + b, f"{m['items'][a:b].strip()} {copula} {owner}")
                    for a, b in series.items]
    subject = english_subject(text, allow_pronoun=True)
    m = _LEADING_CAUSE.match(text)
    if m:  # "Because black holes are more massive, their forces are stronger": two facts
        return _recurse(text, [Piece(m.start("sub"), m.end("sub"), m["sub"]),
                               Piece(m.start("main"), len(text), m["main"])])
    m = _APPOSITION.match(text)
    if m and re.match(r"(?:is|are|was|were|has|have|had|can|[a-z]+s|[a-z]+ed)\b", m["rest"]):
        subj = m["subj"].strip()
        app = m["app"]
        copula = _copula_for(subj, m["rest"])
        return _recurse(text, [Piece(0, len(text), f"{subj} {m['rest']}"),
                                Piece(0, m.end("app"), f"{subj} {copula} {app}")])
    m = _CAUSE.search(text)
    if m and m.group(0).lstrip(", ").lower().startswith("and") and not _HAS_VERB.search(text[: m.start()]):
        m = None  # "a star's temperature, size, and luminosity are": a list, not two clauses
    if m and m.start() > 12 and len(text) - m.end() > 12:
        return _recurse(text, [Piece(0, m.start(), text[: m.start()]), Piece(m.end(), len(text), text[m.end() :])])
    m = _REL_COMMA.search(text)
    if m:
        antecedent = _np_before(text, m.start())
        if antecedent:
            body_start = m.end()
            rest = text[body_start:]
            close = re.search(r",\s+(?=(?:is|are|was|were|has|have|had|can|will|may)\b)", rest)
            if close:  # "The fins, which help control the board, are made of plastic"
                body = rest[: close.start()]
                main = text[: m.start()] + " " + rest[close.end() :]
                return _recurse(text, [Piece(0, len(text), main), Piece(m.start(), body_start + close.start(),
                                                                         f"{antecedent} {body}")])
            return _recurse(text, [Piece(0, m.start(), text[: m.start()]), Piece(m.start(), len(text),
                                                                                  f"{antecedent} {rest}")])
    m = _REL_COPULA.match(text)
    if m and subject:
        left_end = m.end("left")
        body = text[m.start("verb") :]
        return _recurse(text, [Piece(0, left_end, text[:left_end]), Piece(m.start("verb"), len(text),
                                                                          f"{subject} {body}")])
    m = _REL_RESTRICTIVE.search(text)
    if m and _HAS_VERB.search(text[: m.start()]):  # "formed from elements that are created through reactions"
        antecedent = _np_before(text, m.start())
        if antecedent and antecedent.lower() not in {"it", "this"}:
            return _recurse(text, [Piece(0, m.start(), text[: m.start()]),
                                   Piece(m.start(), len(text), f"{antecedent} {text[m.end():]}")])
    m = re.search(r",\s+(?:meaning|which means)\s+(?:that\s+)?", text)
    if m and m.start() > 12:
        return _recurse(text, [Piece(0, m.start(), text[: m.start()]), Piece(m.end(), len(text), text[m.end() :])])
    m = _ABSOLUTE.search(text)
    if m and m.start() > 12:  # "..., with higher numbers indicating that X": the numbers indicate that X
        return _recurse(text, [Piece(0, m.start(), text[: m.start()]),
                               Piece(m.start(), len(text), f"{m['np']} {_finite_plural(m['verb'], m['np'])} {m['rest']}")])
    m = _PARTICIPLE.search(text)
    if m and subject and m.start() > 12:
        rest = text[m.end() :]
        return _recurse(text, [Piece(0, m.start(), text[: m.start()]),
                               Piece(m.start(), len(text), f"{subject} {third_person(m['verb'])} {rest}")])
    m = _ADJ_PHRASE.search(text)
    if m and subject and m.start() > 12 and m.end() == len(text.rstrip(" .")):
        copula = _copula_for(subject, text)
        return _recurse(text, [Piece(0, m.start(), text[: m.start()]),
                               Piece(m.start(), len(text), f"{subject} {copula} {m['phrase']}")])
    return []


def _recurse(text: str, pieces: list[Piece], depth: int = 0) -> list[Piece]:
    out: list[Piece] = []
    for piece in pieces:
        inner = split_english(piece.text) if depth < 3 and piece.text != text else []
        if inner and all(0 <= p.start <= p.end <= len(piece.text) for p in inner):
            # spans of the inner split index the piece's text; when that text was rewritten keep the piece's span
            rewritten = text[piece.start : piece.end] != piece.text
            out.extend(Piece(piece.start if rewritten else piece.start + p.start,
                             piece.end if rewritten else piece.start + p.end, p.text) for p in inner)
        else:
            out.append(piece)
    return out


MAX_CLAUSE_CHARS = 600  # longer "clauses" are run-on text (no punctuation): left whole, so splitting stays linear


def atomic_pieces(text: str, language: str) -> list[Piece]:
    """The atomic facts of one clause; an empty list when the clause already states one fact."""
    if len(text) > MAX_CLAUSE_CHARS:
        return []
    pieces = split_english(text) if language == "en" else []
    if not pieces:
        pieces = [Piece(0, len(text), text)]
    out: list[Piece] = []
    for piece in pieces:
        items = expand_series(piece.text, language) if language == "en" else []
        if items:
            out.extend(Piece(piece.start, piece.end, i.text) for i in items)
        else:
            out.append(piece)
    if len(out) == 1 and out[0].text == text:
        return []
    return [Piece(p.start, p.end, _tidy(p.text)) for p in out if len(p.text.split()) >= 3]
