"""Comparing two figures: do they measure the same thing, and do they agree, conflict, or merely fit together?

What a figure measures (`Measure`): its kind (money in one currency, a percentage, a date, a clock time, a count
of something, a length, a mass, a duration, ...), read from its unit and the words written right after it; for a count, what is
counted (the noun after it: "48 stations", "100 employés"). Two figures are compared only when they are of one kind
in compatible units and, for counts, count the same thing; the stance rules add that the two claims must be about
the same event (their predicate frames, or a near-paraphrase when neither names one).

How a figure reads (the interval semantics of qualifiers):

| written | reads as | example against a point figure p |
|---|---|---|
| 14.3 billion (exact) | the interval its precision implies: 14.25-14.35 billion; a round 100 is capped at ±10%, a percentage at ±1 point | 14 vs 14.3 billion: agree; 4 vs 14.3: conflict |
| about / around / nearly / environ / khoảng X | X ± 10% (or its precision, if wider) | about 30% vs 28%: agree |
| up to / as much as / jusqu'à / lên tới X | a reported maximum: the figure the source gives is X at most, and about X | up to 50% vs 45%: agree; vs 30%: conflict (a smaller figure reported for the same quantity); vs 60%: conflict |
| at most / no more than / au plus / tối đa X | a limit: anything up to X | at most 50% vs 30%: compatible; vs 60%: conflict |
| less than / moins de / dưới X | below X | less than 50% vs 50%: conflict |
| at least / au moins / ít nhất X | X or more | at least 10 vs 12: agree; vs 8: conflict; vs 40: compatible |
| more than / plus de / hơn X | above X | more than 100 vs 100: conflict; vs 120: agree |

Two bounds in one direction compare as numbers (up to 1 billion vs up to 100 million: conflict); an upper against a
lower bound conflicts only when the ranges cannot meet. "compatible" decides nothing: the pair is left to the stance
model. "About 30%" against "up to half" is two reports of one figure that disagree: a conflict.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from service.analysis.languages import any_language, pack
from service.models import Claim, Quantity


@dataclass(frozen=True)
class Measure:
    """A figure with what it measures: kind and unit, its value in that unit, and for counts what is counted."""

    quantity: Quantity  # its value and precision in `unit` (120 km -> 120000 m)
    kind: str  # money, percent, date, year, month, clock, count, length, area, mass, volume, power, energy, speed, ...
    unit: str  # currency code, "%", "m", "kg", "s" ...; "" for counts
    what: str = ""  # for counts: the counted noun as written, lower-cased ("stations", "nhân viên")
    counts: str = ""  # for counts: the class of what is counted, shared by every language ("station")
    language: str = "und"  # the language `what` is written in
    context: str = ""  # the words that say what happened to this figure: the claim, or its part around the figure


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|[°%]\w*|[\w/²]+", re.UNICODE)
_LINK = re.compile(r"^(?:of|de|d['’]|des|du)$", re.IGNORECASE)


@cache
def _units(language: str | None) -> list[tuple[re.Pattern, str, str, float]]:
    """Unit words of the text's language first, then of every language (units are often written in English)."""
    entries = list(pack(language).units) + list(any_language().units)
    return [(re.compile(rf"(?:{p})(?![\w²])", re.IGNORECASE), kind, unit, factor) for p, kind, unit, factor in entries]


@cache
def _counted(language: str | None) -> list[tuple[re.Pattern, str]]:
    """Counted-noun classes of the text's language, then of every language, longest written form first."""
    entries = [(alt, name) for lp in (pack(language), any_language()) for name, p in lp.counted.items()
               for alt in p.split("|")]
    entries.sort(key=lambda e: -len(e[0]))
    return [(re.compile(rf"(?:{alt})(?!\w)", re.IGNORECASE), name) for alt, name in entries]


@cache
def _not_counted(language: str | None) -> re.Pattern:
    """Words after a number that start a verb phrase, not name what is counted ("10 were hired", "10 ont été")."""
    lp = pack(language)
    words = "|".join(filter(None, [lp.verb_start, lp.subject_end, lp.hard_split, lp.coordination, lp.complementisers]))
    return re.compile(rf"^(?:{words})$", re.IGNORECASE)


@cache
def _clock(language: str | None) -> tuple[list[tuple[re.Pattern, float]], re.Pattern | None, re.Pattern | None]:
    """The clock-time words of the text's language, then of every language (see LanguagePack.clock_marks)."""
    marks = [(re.compile(rf"(?:{p})(?!\w)", re.IGNORECASE), hours)
             for lp in (pack(language), any_language()) for p, hours in lp.clock_marks]
    lp = pack(language)
    if not lp.clock_prepositions:
        return marks, None, None
    before = re.compile(rf"(?<!\w)(?:{lp.clock_prepositions})\s*$", re.IGNORECASE)
    return marks, before, re.compile(rf"(?:{lp.clock_hours})(?!\w)", re.IGNORECASE)


@cache
def _magnitude_marks(language: str | None) -> tuple[re.Pattern, re.Pattern]:
    """The magnitude words of the text's language, then of every language: before the figure, and after it."""
    lps = (pack(language), any_language())
    before = "|".join(f"(?:{lp.magnitude_before})" for lp in lps if lp.magnitude_before) or "(?!)"
    after = "|".join(f"(?:{lp.magnitude_after})" for lp in lps if lp.magnitude_after) or "(?!)"
    return re.compile(rf"(?<!\w)(?:{before})\s*$", re.IGNORECASE), re.compile(rf"^\s*(?:{after})", re.IGNORECASE)


def _magnitude(before: str, after: str, language: str | None) -> bool:
    """An earthquake's magnitude: "magnitude 6.2", "a 6.2-magnitude quake", "động đất mạnh 6,4 độ"."""
    marks_before, marks_after = _magnitude_marks(language)
    return bool(marks_after.match(after) or marks_before.search(before))


def _time_of_day(q: Quantity, before: str, after: str, language: str | None) -> Quantity | None:
    """The figure as hours after midnight when it is a clock time ("6 a.m.", "à 6 heures"), else None."""
    if q.unit != "count" or q.qualifier not in ("exact", "about") or not 0 <= q.value <= 24:
        return None
    marks, preposition, hour_word = _clock(language)
    rest = after.lstrip()
    hours = next((q.value + add if q.value < 12 else q.value for rx, add in marks if rx.match(rest)), None)
    if hours is None and preposition and preposition.search(before) and hour_word.match(rest):
        hours = q.value
    return None if hours is None else q.model_copy(update={"value": hours, "precision": 0.0, "unit": "clock"})


def measure(q: Quantity, after: str, language: str | None, before: str = "") -> Measure:
    """What `q` measures, given the text written right after it (and before it) and the text's language."""
    language = language or "und"
    clock = _time_of_day(q, before, after, language)
    if clock is not None:
        return Measure(clock, "clock", "clock", language=language)
    if q.unit in ("date", "year", "month", "clock"):
        return Measure(q, q.unit, q.unit, language=language)
    if q.unit == "count" and _magnitude(before, after, language):
        return Measure(q, "magnitude", "M", language=language)
    if q.unit == "%":
        return Measure(q, "percent", "%", language=language)
    if q.unit != "count":
        return Measure(q, "money", q.unit, language=language)
    rest = after.lstrip().removeprefix("-")  # "a 48-hour strike"
    for pattern, kind, unit, factor in _units(language):
        if pattern.match(rest):
            scaled = q.model_copy(update={"value": q.value * factor, "precision": q.precision * factor, "unit": unit})
            return Measure(scaled, kind, unit, language=language)
    words = _WORD.findall(rest)[:3]
    while words and _LINK.match(words[0]):
        rest = rest[rest.find(words[0]) + len(words[0]) :].lstrip()
        words = words[1:]
    # A known counted noun is a noun even where it looks like a verb form ("salariés" ends like a participle).
    counts = next((name for pattern, name in _counted(language) if pattern.match(rest)), "")
    if not words or (not counts and _not_counted(language).match(words[0])):
        return Measure(q, "count", "", language=language)
    what = " ".join(words[:2]).lower() if language == "vi" else words[0].lower()  # Vietnamese nouns are two syllables
    return Measure(q, "count", "", what=what, counts=counts, language=language)


def measures(claim: Claim) -> list[Measure]:
    """The figures of a claim with what each measures (read from the claim's quote, where the figures were found).

    With one figure its context is the whole (restored) claim; with several, each figure's context runs from the
    previous figure to a few words after it (the noun it counts), so that "contacted more than 100 ..., of whom at
    least 10 were hired" gives "contacted" to the first and "hired" to the second, and "800 controllers by 2030 and
    a bonus promised in 2024" gives the bonus to 2024 only.
    """
    inside = [q for q in claim.quantities if claim.start <= q.start and q.end <= claim.end]
    out = []
    for q in claim.quantities:
        if q in inside:
            before, after = claim.quote[: q.start - claim.start], claim.quote[q.end - claim.start :]
            i = inside.index(q)
            lo = inside[i - 1].end - claim.start if i > 0 else 0
            hi = min(q.end - claim.start + 30, inside[i + 1].start - claim.start if i + 1 < len(inside) else len(claim.quote))
            context = claim.text if len(inside) == 1 else claim.quote[lo:hi]
        else:  # figures carried from another clause (a denial's content): read them in the restored text
            at = claim.text.find(q.text)
            before, after = (claim.text[:at], claim.text[at + len(q.text) :]) if at >= 0 else ("", "")
            context = claim.text
        out.append(replace(measure(q, after[:60], claim.language, before[-30:]), context=context))
    return out


def _stem(word: str) -> str:
    """Plural-insensitive form of a counted noun: stations/station, employés/employé, jobs/job."""
    word = word.lower()
    for ending in ("es", "s", "x"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return word[: -len(ending)]
    return word


def same_measure(a: Measure, b: Measure, same_event: bool) -> bool:
    """True when two figures measure the same thing: one kind in one unit; for counts, one class of counted noun
    (in any language) or, without one, the same noun in one language; and otherwise what the caller found about
    the event (a shared frame or event, a paraphrase)."""
    if a.kind != b.kind or a.unit != b.unit:
        return {a.kind, b.kind} <= {"date", "year"} and same_event  # two dates about two events are no conflict
    if a.kind == "count":
        if a.counts and b.counts:
            return a.counts == b.counts  # 48 stations, 52 gares: one count; 48 stations, 40 trains: two
        if a.what and b.what and a.language == b.language != "und" and _stem(a.what) != _stem(b.what):
            return False
    return same_event


Relation = Literal["agree", "conflict", "compatible", "unrelated"]


@dataclass(frozen=True)
class Comparison:
    """How two figures for what may be the same quantity relate, and the words that say so."""

    relation: Relation
    rationale: str


_UPPER = {"up_to", "at_most", "less_than"}
_LOWER = {"at_least", "more_than"}


def _direction(q: Quantity) -> str | None:
    return "upper" if q.qualifier in _UPPER else "lower" if q.qualifier in _LOWER else None


def _interval(q: Quantity) -> tuple[float, float]:
    p = q.precision
    if q.unit == "%":
        p = min(p, 1.0)  # "60%" is a percentage point figure, not 55-65% as a round count would read
    if q.qualifier == "about":
        p = max(p, abs(q.value) * 0.1)
    return q.value - p, q.value + p


def describe(q: Quantity) -> str:
    """A figure in words an editor reads: '14.3 billion USD', '50%', 'up to 1 billion USD'."""
    if q.unit == "date":
        day = dt.date.fromordinal(int(q.value))
        text = day.isoformat() if q.precision == 0 else (day.strftime("%Y-%m") if q.precision <= 16 else str(day.year))
    elif q.unit == "month":
        text = dt.date(2000, int(q.value), 1).strftime("%B")
    elif q.unit == "year":
        text = str(int(q.value))
    elif q.unit == "clock":
        text = f"{int(q.value):02d}:{round(q.value % 1 * 60):02d}"
    elif q.unit == "s":  # durations in the largest unit that keeps them whole-ish: 48 hours, not 172800 s
        seconds = abs(q.value)
        factor, word = next(((f, w) for f, w in _DURATIONS if seconds >= f), (1.0, "seconds"))
        text = f"{_fmt(q.value / factor)} {word}"
    else:
        v = q.value
        for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(v) >= factor:
                text = f"{_fmt(v / factor)} {word}"
                break
        else:
            text = _fmt(v)
        text = f"{text}%" if q.unit == "%" else (text if q.unit == "count" else f"{text} {q.unit}")
    prefix = {"up_to": "up to ", "at_most": "at most ", "at_least": "at least ", "more_than": "more than ",
              "less_than": "less than ", "about": "about "}.get(q.qualifier, "")
    return prefix + text


_DURATIONS = ((365.25 * 86400, "years"), (7 * 86400, "weeks"), (86400, "days"), (3600, "hours"), (60, "minutes"))


def _fmt(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if not float(v).is_integer() else str(int(v))


def comparable(a: Quantity, b: Quantity) -> bool:
    """Same dimension: both money in one currency, both percentages, both dates, both counts."""
    units = {a.unit, b.unit}
    if units <= {"date", "year"}:
        return True
    return a.unit == b.unit


def _as_date_interval(q: Quantity) -> tuple[float, float]:
    if q.unit == "year":
        first = dt.date(int(q.value), 1, 1).toordinal()
        return first, dt.date(int(q.value), 12, 31).toordinal()
    return q.value - q.precision, q.value + q.precision


def compare(claim: Quantity, evidence: Quantity) -> Comparison:
    """Does the evidence figure agree with, conflict with, or merely fit the claim's figure? (See the module's table.)

    Both figures must already measure the same thing (`same_measure`), in one unit.
    """
    if not comparable(claim, evidence):
        return Comparison("unrelated", "")
    said = f"{describe(claim)} vs {describe(evidence)}"
    if {claim.unit, evidence.unit} <= {"date", "year"}:
        (a0, a1), (b0, b1) = _as_date_interval(claim), _as_date_interval(evidence)
        if a1 < b0 or b1 < a0:
            return Comparison("conflict", f"dates differ: {said}")
        return Comparison("agree", f"dates agree: {said}")
    dir_c, dir_e = _direction(claim), _direction(evidence)
    (c0, c1), (e0, e1) = _interval(claim), _interval(evidence)
    tol = 1e-9 * max(abs(claim.value), abs(evidence.value), 1.0)
    if dir_c == dir_e:
        # Both point figures, or both bounds in one direction (a maximum against a maximum): compare the numbers.
        if c1 + tol < e0 or e1 + tol < c0:
            return Comparison("conflict", f"figures differ: {said}")
        exact = math.isclose(claim.value, evidence.value, rel_tol=1e-9)
        return Comparison("agree", f"figures agree{'' if exact else ' within rounding'}: {said}")
    if dir_c and dir_e:
        # An upper bound against a lower bound: they conflict only when the ranges cannot meet.
        upper, lower = (claim, evidence) if dir_c == "upper" else (evidence, claim)
        if _interval(upper)[1] < _interval(lower)[0]:
            return Comparison("conflict", f"ranges cannot meet: {said}")
        return Comparison("compatible", f"ranges overlap: {said}")
    point, bound = (evidence, claim) if dir_c else (claim, evidence)
    p0, p1 = _interval(point)
    b0, b1 = _interval(bound)
    if _direction(bound) == "upper":
        # Against a strict bound a figure at the bound conflicts, unless it is "about" that figure (X ± 10%).
        at_bound = p0 if point.qualifier == "about" else point.value
        if p0 > b1 + tol or (bound.qualifier == "less_than" and at_bound >= bound.value):
            return Comparison("conflict", f"{describe(point)} exceeds {describe(bound)}")
        if point.value >= bound.value * 0.8:  # the figure itself, not its rounding: "30 million" is not "up to 40"
            return Comparison("agree", f"figures agree: {said}")
        if bound.qualifier == "up_to":  # a reported maximum and a smaller figure: two reports of one quantity
            return Comparison("conflict", f"figures differ: {describe(point)} against a reported {describe(bound)}")
        return Comparison("compatible", f"{describe(point)} is within {describe(bound)}")
    at_bound = p1 if point.qualifier == "about" else point.value
    if p1 < b0 - tol or (bound.qualifier == "more_than" and at_bound <= bound.value):
        return Comparison("conflict", f"{describe(point)} is below {describe(bound)}")
    if p0 <= bound.value * 1.25:
        return Comparison("agree", f"figures agree: {said}")
    return Comparison("compatible", f"{describe(point)} satisfies {describe(bound)}")
