"""Relative dates ("mardi prochain", "hôm qua", "last Tuesday") resolved against the document's date.

A news article dates its events against its dateline: "on Thursday" in a story published on Thursday 21 May is
21 May, and another outlet's "21/5" or "jeudi 21 mai" is the same day. The resolved day is added to the claim's
quantities as a date (quantity.py writes explicit dates the same way), so the figure checks compare dates as
dates. The document's date is the `published_at` a user posts, else the first full date in its first lines (the
dateline: "PARIS, May 21, 2026 (Wire) -", "HÀ NỘI, 21/5/2026 -"); without either nothing relative is resolved.
Slash-written day/month dates of French and Vietnamese text ("ngày 21/5", "(21/5/2026)") are read here too: the
figure reader leaves them alone, since "12/4" alone may be a score or a fraction.

A bare weekday is the nearest such day (three days either side: a news story's "Tuesday" is this week's);
"last"/"dernier" take the most recent one before, "next"/"prochain" the first one after; Vietnamese counts
calendar weeks ("thứ Ba tuần trước" is the Tuesday of the week before, "thứ Ba tuần tới" of the week after). A
quote that already states a full date keeps it (the explicit date is better than a resolved weekday).

Measured against dateparser 1.2 (`search_dates`, the document's date as RELATIVE_BASE, the text's language given)
on eleven news phrases in en/fr/vi dated Thursday 21 May 2026: it read a bare "on Thursday" as the week before,
"mardi prochain" as the Tuesday past and "jeudi à 6 heures" as a day of 2025, and missed "hôm qua" (4 of 11
wrong); the packs' short word lists read all eleven (tests/unit/test_dates.py holds them).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from service.analysis.languages import pack
from service.analysis.quantity import extract_quantities
from service.models import Quantity

DATELINE_CHARS = 300  # where the dateline's date is looked for
DIRECTIONS = ("past", "next", "last_week", "next_week")
# Day/month dates written with a slash ("21/5/2026", "ngày 12/4", "jeudi (21/5)"), read day first as French and
# Vietnamese write them (English text is left alone: "5/21" and "21/5" are both written there). Without a year the
# date needs a day word just before it and a document date to take the year from.
NUMERIC_DATE = re.compile(r"(?<![\d/.,])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{4}))?(?![\d/]|,\d|\.\d)")
DAY_FIRST = ("fr", "vi")
DAY_WORDS = re.compile(r"(?:ngày|hôm|le|du|au|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|thứ \w+|chủ nhật)"
                       r"\W{0,3}$", re.IGNORECASE)


def reference_date(published_at, text: str, language: str | None = None) -> dt.date | None:
    """The date relative dates resolve against: `published_at` when given, else the dateline's full date."""
    if isinstance(published_at, dt.datetime):
        return published_at.date()
    if isinstance(published_at, dt.date):
        return published_at
    if isinstance(published_at, str) and published_at.strip():
        try:
            return dt.date.fromisoformat(published_at.strip()[:10])
        except ValueError:
            pass
    head = text[:DATELINE_CHARS]
    for q in extract_quantities(head, 0, language or "und"):
        if q.unit == "date" and q.precision == 0.0:
            return dt.date.fromordinal(int(q.value))
    if language in DAY_FIRST:
        for q in numeric_dates(head, 0, None, language):
            return dt.date.fromordinal(int(q.value))
    return None


def numeric_dates(quote: str, start: int, reference: dt.date | None, language: str | None) -> list[Quantity]:
    """Date quantities for the slash-written day/month dates of a French or Vietnamese quote."""
    if language not in DAY_FIRST:
        return []
    out = []
    for m in NUMERIC_DATE.finditer(quote):
        if m["y"]:
            year = int(m["y"])
        elif reference is not None and DAY_WORDS.search(quote[max(0, m.start() - 14) : m.start()]):
            year = reference.year
        else:
            continue
        try:
            day = dt.date(year, int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        out.append(Quantity(text=m.group(0), value=day.toordinal(), unit="date", precision=0.0,
                            start=start + m.start(), end=start + m.end()))
    return out


@cache
def _patterns(language: str | None) -> tuple[re.Pattern | None, list[tuple[re.Pattern, int]], dict[str, int]]:
    p = pack(language)
    if not p.weekdays:
        return None, [], {}
    days = "|".join(sorted((re.escape(d) for d in p.weekdays), key=len, reverse=True))
    marks = [f"(?P<{name}>{getattr(p, 'weekday_' + name)})" for name in DIRECTIONS if getattr(p, "weekday_" + name)]
    before = f"(?:(?:{'|'.join(m.replace('?P<', '?P<b_') for m in marks)})\\s+)?" if marks else ""
    after = f"(?:\\s+(?:{'|'.join(marks)}))?" if marks else ""
    weekday = re.compile(rf"(?<!\w){before}(?P<day>{days})(?!\w){after}", re.IGNORECASE)
    relative = [(re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), offset) for pattern, offset in p.relative_days]
    return weekday, relative, {k.lower(): v for k, v in p.weekdays.items()}


def resolve_weekday(reference: dt.date, weekday: int, direction: str | None = None) -> dt.date:
    """The `weekday` (Monday = 0) nearest to `reference`, the one before ("past") or after ("next") it, or that day
    of the calendar week before ("last_week") or after ("next_week")."""
    ahead = (weekday - reference.weekday()) % 7
    if direction in ("last_week", "next_week"):
        monday = reference - dt.timedelta(days=reference.weekday())
        return monday + dt.timedelta(days=weekday + (-7 if direction == "last_week" else 7))
    if direction == "past":
        return reference - dt.timedelta(days=(7 - ahead) % 7 or 7)
    if direction == "next":
        return reference + dt.timedelta(days=ahead or 7)
    return reference + dt.timedelta(days=ahead - 7 if ahead > 3 else ahead)


def relative_dates(quote: str, start: int, reference: dt.date | None, language: str | None,
                   taken: list[Quantity] | tuple[Quantity, ...] = ()) -> list[Quantity]:
    """Date quantities for the relative dates of a quote at offset `start`, resolved against `reference` (only the
    slash-written dates with a year when the document has no date).

    Slash-written day/month dates count as full dates. Nothing relative when the quote states a full date; never
    over a figure in `taken`."""
    spans = [(q.start, q.end) for q in taken]
    found = [q for q in numeric_dates(quote, start, reference, language)
             if not any(q.start < e and s < q.end for s, e in spans)]
    spans += [(q.start, q.end) for q in found]
    if reference is None or found or any(q.unit == "date" and q.precision == 0.0 for q in taken):
        return found
    weekday, relative, names = _patterns(language)

    def add(m: re.Match, day: dt.date) -> None:
        a, b = start + m.start(), start + m.end()
        if any(a < e and s < b for s, e in spans):
            return
        spans.append((a, b))
        found.append(Quantity(text=m.group(0), value=day.toordinal(), unit="date", precision=0.0, start=a, end=b))

    for pattern, offset in relative:
        for m in pattern.finditer(quote):
            add(m, reference + dt.timedelta(days=offset))
    if weekday is not None:
        for m in weekday.finditer(quote):
            groups = m.groupdict()
            direction = next((d for d in DIRECTIONS if groups.get(d) or groups.get("b_" + d)), None)
            add(m, resolve_weekday(reference, names[m["day"].lower()], direction))
    return found
