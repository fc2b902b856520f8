"""Figures across languages and scales: '14,3 milliards de dollars' = '$14.3 billion' = '14,3 tỷ USD'.

Each figure becomes a Quantity with a value in base units, a unit, a qualifier (up to, about, at least...)
and the rounding its written precision implies; `figures.compare` decides whether two figures for the same
quantity agree, conflict, or are merely compatible.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from service.analysis.languages import any_language, pack, packs
from service.models import Quantity

def _longest_first(patterns) -> str:
    """One alternation of every alternative of `patterns`, longest first: the longest written form wins."""
    alternatives = dict.fromkeys(alt for p in patterns for alt in p.split("|") if alt)
    return "|".join(sorted(alternatives, key=len, reverse=True))


# Figures are recognised in every language the analyser reads (see languages/__init__.py); their reading
# depends on the text's language.
_ANY = any_language()
_SCALES = sorted(_ANY.scales, key=lambda s: -s[1])
_CURRENCY_WORDS = _ANY.currencies
_CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₫": "VND"}
_PERCENT = "%|" + _longest_first([p.percent for p in packs().values()])
_QUALIFIERS = [(p, name) for name in ("up_to", "at_most", "at_least", "more_than", "less_than", "about")
               for p in [pattern for pattern, n in _ANY.qualifiers if n == name]]
_FRACTIONS = sorted(_ANY.fractions, key=lambda f: -f[1])
_VAGUE = sorted(_ANY.vague_amounts, key=lambda v: v[1])
_MONTHS = _ANY.months
_SMALL_NUMBERS = _ANY.small_numbers

_NUM = r"\d{1,3}(?:[ \u00a0\u202f.,’']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_SCALE_RE = _longest_first(p for p, _ in _SCALES)
_CUR_WORD_RE = _longest_first(p for p, _ in _CURRENCY_WORDS)
_QUAL_RE = _longest_first(p for p, _ in _QUALIFIERS)
_LINKER_RE = _longest_first(p.figure_linkers for p in packs().values())
_SYMBOL_RE = r"us\$|\$|€|£|¥|₫"

# One figure: [qualifier] [currency symbol] number [scale] [de|of] [currency word | percent].
_FIGURE = re.compile(
    rf"(?P<qual>(?:{_QUAL_RE})\s+(?:les\s+|la\s+|l['’]|de\s+|d['’]|the\s+)?)?"
    rf"(?P<sym>{_SYMBOL_RE})?\s?"
    rf"(?P<num>{_NUM}|(?:{'|'.join(_SMALL_NUMBERS)})(?=\s+(?:{_SCALE_RE})\b))"
    rf"(?:\s?(?P<scale>{_SCALE_RE})\b)?"
    rf"(?:\s?(?:(?:{_LINKER_RE})\s?)?\s?(?P<cur>{_CUR_WORD_RE})\b|\s?(?P<pct>{_PERCENT}))?",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    rf"(?P<qual>(?:{_QUAL_RE})\s+)?(?P<frac>{_longest_first(p for p, _ in _FRACTIONS)})\b", re.IGNORECASE
)
_VAGUE_RE = re.compile(
    rf"(?P<vague>{_longest_first(p for p, _, _ in _VAGUE)})\s+(?P<scale>{_SCALE_RE})\b"
    rf"(?:\s?(?:(?:{_LINKER_RE})\s?)?\s?(?P<cur>{_CUR_WORD_RE})\b)?",
    re.IGNORECASE,
)
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A time of day written with its minutes: "10:42 a.m.", "10 h 42", "10h42", "10 giờ 42 (phút)". One figure, in
# hours after midnight; its hour alone would be read as a count and its minutes as another.
_CLOCK = re.compile(
    r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])\s*(?::|h|giờ)\s*(?P<min>[0-5]\d)(?![\d.,:])(?:\s*phút)?"
    r"(?:\s*(?P<pm>p\.?\s?m\b\.?)|\s*a\.?\s?m\b\.?|\s*giờ?\s*(?P<vipm>chiều|tối|đêm))?",
    re.IGNORECASE,
)
_DATE_DMY = re.compile(rf"\b(?P<d>\d{{1,2}})(?:er)?\s+(?P<m>{_MONTH_NAMES})\.?\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
_DATE_MDY = re.compile(rf"\b(?P<m>{_MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
_DATE_MY = re.compile(rf"\b(?P<m>{_MONTH_NAMES})\.?\s+(?:of\s+)?(?P<y>\d{{4}})\b", re.IGNORECASE)
_DATE_VI = re.compile(
    r"(?:ngày\s+(?P<d>\d{1,2})\s+)?tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4})|/(?P<y2>\d{4}))?", re.IGNORECASE
)
_MONTH_ONLY = re.compile(rf"\b(?:{_longest_first(p.month_prepositions for p in packs().values())})\s+(?P<m>{_MONTH_NAMES})\b",
                         re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d.,$€£])\b(?P<y>1[89]\d\d|20\d\d|2100)\b(?![.,]\d|\s?%|\s?(?:" + _SCALE_RE + r")\b)", re.IGNORECASE)


_WORD_FIGURES: dict[str, re.Pattern] = {}


def _word_figure(language: str) -> re.Pattern | None:
    """Numbers written in words ('vingt-trois', 'deux cent cinquante', 'twenty-three'), read with text2num; a lone
    'un'/'une'/'one' is an article, not a figure."""
    words = pack(language).number_words if language in ("fr", "en") else ""
    if not words:
        return None
    if language not in _WORD_FIGURES:
        word = rf"(?:{words})"
        _WORD_FIGURES[language] = re.compile(
            rf"(?<![\w-])(?P<qual>(?:{_QUAL_RE})\s+(?:les\s+|la\s+|de\s+|d['’]|the\s+)?)?"
            rf"(?P<words>{word}(?:(?:-|\s+(?:et\s+|and\s+)?){word})*)(?![\w-])"
            rf"(?:\s?(?P<scale>{_SCALE_RE})\b)?"
            rf"(?:\s?(?:(?:{_LINKER_RE})\s)?\s?(?P<cur>{_CUR_WORD_RE})\b|\s?(?P<pct>{_PERCENT}))?",
            re.IGNORECASE)
    return _WORD_FIGURES[language]


def _words_value(words: str, language: str) -> float | None:
    from text_to_num import text2num

    if words.lower() in ("un", "une", "one"):
        return None
    try:
        return float(text2num(re.sub(r"\s+", " ", words.lower()), language))
    except ValueError:
        return None


def _parse_number(raw: str, language: str) -> tuple[float, float]:
    """Value and the half-unit of its last written digit ('14,3' in French is 14.3, precision 0.05)."""
    raw = raw.strip()
    if raw.lower() in _SMALL_NUMBERS:
        return float(_SMALL_NUMBERS[raw.lower()]), 0.5
    s = raw.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    groups = re.split(r"[ .,']", s)
    seps = re.findall(r"[ .,']", s)
    if not seps:
        return float(s), _half_unit(s, "")
    last_sep, last_group = seps[-1], groups[-1]
    thousands_only = all(len(g) == 3 for g in groups[1:])
    if last_sep in " '" or (thousands_only and len(groups) > 2 and len(set(seps)) == 1):
        integer, fraction = "".join(groups), ""
    elif len(set(seps)) > 1:
        integer, fraction = "".join(groups[:-1]), last_group  # "1,234.5" or "1.234,5"
    elif thousands_only and len(last_group) == 3:
        # "1,000" is a thousand in English; "1.000" is a thousand in French and Vietnamese; "14,300" likewise.
        decimal_mark = "." if language == "en" else ","
        if last_sep == decimal_mark and language in ("fr", "vi") and last_sep == ",":
            integer, fraction = groups[0], last_group
        elif last_sep == decimal_mark and language == "en":
            integer, fraction = groups[0], last_group
        else:
            integer, fraction = "".join(groups), ""
    else:
        integer, fraction = "".join(groups[:-1]), last_group
    value = float(f"{integer}.{fraction}" if fraction else integer)
    return value, _half_unit(integer, fraction)


def _half_unit(integer: str, fraction: str) -> float:
    if fraction:
        return 0.5 * 10 ** (-len(fraction))
    # "14" is rounded to the unit; "100" or "1000" round figures are read to their last significant digit,
    # capped below so that a round figure still distinguishes 100 from 120.
    stripped = integer.rstrip("0")
    zeros = len(integer) - len(stripped) if stripped else 0
    return 0.5 * 10**zeros


def _scale_value(word: str | None, language: str) -> float:
    if not word:
        return 1.0
    w = word.lower()
    # The text's own language first: a French "billion" is a million million.
    for pattern, factor in [*pack(language).scales, *_SCALES]:
        if re.fullmatch(pattern, w):
            return factor
    return 1.0


def _currency(word: str | None, symbol: str | None) -> str | None:
    if symbol:
        return _CURRENCY_SYMBOLS.get(symbol.lower())
    if word:
        for pattern, code in _CURRENCY_WORDS:
            if re.fullmatch(pattern, word.lower()):
                return code
    return None


def _qualifier(text: str | None) -> str:
    if not text:
        return "exact"
    t = text.strip().lower()
    for pattern, name in _QUALIFIERS:
        if re.match(rf"(?:{pattern})\b", t) or re.match(rf"(?:{pattern})", t):
            return name
    return "exact"


def _cap_precision(value: float, precision: float) -> float:
    # A round figure is not a range of ±50%: cap the implied rounding at 10% of the value.
    return min(precision, abs(value) * 0.1) if value else precision


_NAME_BEFORE = re.compile(r"(?<![.!?:;]\s)(?<!^)\b[A-Z][\w&-]*\s$")
_NAME_AFTER = re.compile(r"\s[A-Z0-9]|[,.;:)]|\s*$")


def _designation(text: str, start: int, end: int) -> bool:
    """A number that names a model or an edition after a capitalised name, "Boeing 737 MAX", "iPhone 15, ...",
    "Route 66.": the name before it (not the sentence's first word) and no counted word after it."""
    return bool(_NAME_BEFORE.search(text[max(0, start - 40) : start])) and bool(_NAME_AFTER.match(text, end))


def extract_quantities(text: str, offset: int = 0, language: str = "en") -> list[Quantity]:
    """All figures of `text` (a sentence or clause); offsets are shifted by `offset` into the document."""
    found: list[Quantity] = []
    starts: list[int] = []  # the spans taken so far, sorted by start (checking a span is a bisection, so a text
    ends: list[int] = []  # with tens of thousands of figures is read in linear-logarithmic time, not quadratic)

    def free(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, a)
        if i and ends[i - 1] > a:
            return False
        return not (i < len(starts) and starts[i] < b)

    def add(q: Quantity, a: int, b: int) -> None:
        found.append(q)
        i = bisect.bisect_right(starts, a)
        starts.insert(i, a)
        ends.insert(i, b)

    for rx in (_DATE_DMY, _DATE_MDY):
        for m in rx.finditer(text):
            try:
                day = dt.date(int(m["y"]), _MONTHS[m["m"].lower()], int(m["d"]))
            except (ValueError, KeyError):
                continue
            add(Quantity(text=m.group(0), value=day.toordinal(), unit="date", precision=0.0,
                         start=offset + m.start(), end=offset + m.end()), m.start(), m.end())
    for m in _DATE_VI.finditer(text):
        if not free(m.start(), m.end()):
            continue
        year = m["y"] or m["y2"]
        month = int(m["m"])
        if not 1 <= month <= 12:
            continue
        if year and m["d"]:
            try:
                value, precision, unit = dt.date(int(year), month, int(m["d"])).toordinal(), 0.0, "date"
            except ValueError:
                continue
        elif year:
            value, precision, unit = dt.date(int(year), month, 15).toordinal(), 15.0, "date"
        else:
            value, precision, unit = float(month), 0.0, "month"
        add(Quantity(text=m.group(0), value=value, unit=unit, precision=precision,
                     start=offset + m.start(), end=offset + m.end()), m.start(), m.end())
    for m in _DATE_MY.finditer(text):
        if not free(m.start(), m.end()):
            continue
        value = dt.date(int(m["y"]), _MONTHS[m["m"].lower()], 15).toordinal()
        add(Quantity(text=m.group(0), value=value, unit="date", precision=15.0,
                     start=offset + m.start(), end=offset + m.end()), m.start(), m.end())
    for m in _MONTH_ONLY.finditer(text):
        if free(m.start("m"), m.end("m")):
            add(Quantity(text=m["m"], value=_MONTHS[m["m"].lower()], unit="month", precision=0.0,
                         start=offset + m.start("m"), end=offset + m.end("m")), m.start("m"), m.end("m"))
    for m in _CLOCK.finditer(text):
        if not free(m.start(), m.end()):
            continue
        hours = int(m["h"]) + int(m["min"]) / 60
        if (m["pm"] or m["vipm"]) and hours < 12:
            hours += 12
        add(Quantity(text=m.group(0).strip(), value=hours, unit="clock", precision=0.0,
                     start=offset + m.start(), end=offset + m.start() + len(m.group(0).rstrip())), m.start(), m.end())
    for m in _VAGUE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        low, high = next((lo, hi) for p, lo, hi in _VAGUE if re.fullmatch(p, m["vague"].lower()))
        scale = _scale_value(m["scale"], language)
        value = (low + high) / 2 * scale
        add(Quantity(text=m.group(0), value=value, unit=_currency(m["cur"], None) or "count", qualifier="about",
                     precision=(high - low) / 2 * scale, start=offset + m.start(), end=offset + m.end()),
            m.start(), m.end())
    for m in _FIGURE.finditer(text):
        a, b = m.start("num") - (len(m["sym"]) if m["sym"] else 0), m.end()
        if m["qual"]:
            a = m.start()
        if not free(m.start("num"), m.end("num")):
            continue
        # Skip digits glued to letters or hyphens: "GPT-4", "3D", "A380".
        before = text[m.start("num") - 1] if m.start("num") > 0 else " "
        after = text[m.end("num")] if m.end("num") < len(text) else " "
        if (before.isalpha() or before in "-_/") and not m["sym"]:
            continue
        if after.isalpha() and not (m["scale"] or m["cur"] or m["pct"]):
            continue
        bare = not (m["sym"] or m["scale"] or m["cur"] or m["pct"] or m["qual"])
        # Numbers joined by a slash are a date, a fraction or a ratio ("ngày 12/3", "1/3", "24/7"), never a count.
        if bare and after == "/" and text[m.end("num") + 1 : m.end("num") + 2].isdigit():
            continue
        if bare and _designation(text, m.start("num"), m.end("num")):
            continue
        value, precision = _parse_number(m["num"], language)
        scale = _scale_value(m["scale"], language)
        currency = _currency(m["cur"], m["sym"])
        if m["pct"]:
            unit = "%"
        elif currency:
            unit = currency
        elif not m["scale"] and _YEAR.fullmatch(m["num"]) and not m["qual"]:
            unit = "year"
        else:
            unit = "count"
        value *= scale
        precision = _cap_precision(value, precision * scale)
        add(Quantity(text=text[a:b].strip(), value=value, unit=unit, qualifier=_qualifier(m["qual"]),
                     precision=precision, start=offset + a, end=offset + a + len(text[a:b].rstrip())),
            a, b)
    word_figure = _word_figure(language)
    for m in word_figure.finditer(text) if word_figure else ():
        a, b = m.start(), m.end()
        if not free(m.start("words"), m.end("words")):
            continue
        value = _words_value(m["words"], language)
        if value is None:
            continue
        scale = _scale_value(m["scale"], language)
        currency = _currency(m["cur"], None)
        unit = "%" if m["pct"] else currency or "count"
        add(Quantity(text=text[a:b].strip(), value=value * scale, unit=unit, qualifier=_qualifier(m["qual"]),
                     precision=_cap_precision(value * scale, 0.5 * scale), start=offset + a,
                     end=offset + a + len(text[a:b].rstrip())), a, b)
    for m in _FRACTION_RE.finditer(text):
        if not free(m.start("frac"), m.end("frac")):
            continue
        value = next(v for p, v in _FRACTIONS if re.fullmatch(p, m["frac"].lower()))
        qualifier = _qualifier(m["qual"])
        add(Quantity(text=m.group(0), value=value, unit="%", qualifier="about" if qualifier == "exact" else qualifier,
                     precision=2.5, start=offset + m.start(), end=offset + m.end()), m.start(), m.end())
    found.sort(key=lambda q: q.start)
    return found
