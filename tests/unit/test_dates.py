"""Relative dates resolved against the document's date (service/analysis/dates.py)."""

import datetime as dt

import pytest

from service.analysis.dates import reference_date, relative_dates, resolve_weekday
from service.models import Quantity

THURSDAY = dt.date(2026, 5, 21)


def _days(quote: str, language: str, reference: dt.date = THURSDAY, taken=()) -> list[tuple[str, dt.date]]:
    return [(q.text, dt.date.fromordinal(int(q.value))) for q in relative_dates(quote, 0, reference, language, taken)]


@pytest.mark.parametrize(("language", "quote", "expected"), [
    ("en", "The strike began on Thursday and ends on Saturday.", [("Thursday", THURSDAY), ("Saturday", dt.date(2026, 5, 23))]),
    ("en", "He resigned last Tuesday.", [("last Tuesday", dt.date(2026, 5, 19))]),
    ("en", "The court will rule next week, the lawyer said yesterday.", [("yesterday", dt.date(2026, 5, 20))]),
    ("fr", "Le mouvement a débuté jeudi à 6 heures.", [("jeudi", THURSDAY)]),
    ("fr", "Il a démissionné mardi dernier.", [("mardi dernier", dt.date(2026, 5, 19))]),
    ("fr", "La réunion aura lieu mardi prochain.", [("mardi prochain", dt.date(2026, 5, 26))]),
    ("fr", "hier soir, la police a arrêté deux suspects", [("hier", dt.date(2026, 5, 20))]),
    ("vi", "Hôm qua, cảnh sát đã bắt giữ hai nghi phạm.", [("Hôm qua", dt.date(2026, 5, 20))]),
    ("vi", "Cuộc đình công bắt đầu từ thứ Năm.", [("thứ Năm", THURSDAY)]),
    ("vi", "vào thứ Ba tuần trước", [("thứ Ba tuần trước", dt.date(2026, 5, 12))]),
    ("vi", "phiên tòa sẽ mở vào thứ Hai tuần tới", [("thứ Hai tuần tới", dt.date(2026, 5, 25))]),
])
def test_news_phrases_resolve_against_the_dateline(language, quote, expected):
    assert _days(quote, language) == expected


def test_a_bare_weekday_is_the_nearest_one():
    assert resolve_weekday(THURSDAY, 0) == dt.date(2026, 5, 18)  # Monday: three days back
    assert resolve_weekday(THURSDAY, 6) == dt.date(2026, 5, 24)  # Sunday: three days ahead
    assert resolve_weekday(THURSDAY, 3, "past") == dt.date(2026, 5, 14)
    assert resolve_weekday(THURSDAY, 3, "next") == dt.date(2026, 5, 28)


def test_an_explicit_date_wins_and_figures_are_not_overwritten():
    stated = Quantity(text="21 mai", value=THURSDAY.toordinal(), unit="date", start=6, end=12)
    assert _days("jeudi 21 mai", "fr", taken=[stated]) == []
    count = Quantity(text="hier", value=1, unit="count:x", start=0, end=4)
    assert _days("hier", "fr", taken=[count]) == []


def test_the_reference_is_the_posted_date_or_the_dateline():
    assert reference_date("2026-05-21T08:00:00Z", "") == THURSDAY
    assert reference_date(dt.datetime(2026, 5, 21, 8), "") == THURSDAY
    assert reference_date(None, "PARIS, May 21, 2026 (The Paris Courier) – Nearly 1,900 flights were cancelled.") == THURSDAY
    assert reference_date(None, "Nearly 1,900 flights were cancelled on Thursday.") is None
    assert reference_date("not a date", "HÀ NỘI, ngày 21/5/2026 – Gần 1.900 chuyến bay bị hủy.", "vi") == THURSDAY


def test_slash_dates_are_read_day_first_in_french_and_vietnamese():
    assert _days("bắt đầu từ 6 giờ sáng thứ Năm (21/5, giờ địa phương)", "vi") == [("21/5", THURSDAY)]
    assert _days("le 21/05/2026 à Paris", "fr", reference=dt.date(2020, 1, 1)) == [("21/05/2026", THURSDAY)]
    assert _days("le score final, 12/4, a surpris", "fr") == []  # no day word before it: a score, not a date
    assert _days("on 5/21 the board met", "en") == []  # month first or day first: English is left alone
