import pytest

from service.analysis.figures import compare
from service.analysis.quantity import extract_quantities


def one(text: str, language: str):
    found = extract_quantities(text, 0, language)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "language", "value", "unit", "qualifier"),
    [
        ("14,3 milliards de dollars", "fr", 14.3e9, "USD", "exact"),
        ("$14.3 billion", "en", 14.3e9, "USD", "exact"),
        ("14,3 tỷ USD", "vi", 14.3e9, "USD", "exact"),
        ("100 triệu USD", "vi", 100e6, "USD", "exact"),
        ("$100 million", "en", 100e6, "USD", "exact"),
        ("jusqu'à la moitié", "fr", 50.0, "%", "up_to"),
        ("half", "en", 50.0, "%", "about"),
        ("tới 50%", "vi", 50.0, "%", "up_to"),
        ("lên tới 100 triệu USD", "vi", 100e6, "USD", "up_to"),
        ("plus de 100 employés", "fr", 100, "count", "more_than"),
        ("au moins 10", "fr", 10, "count", "at_least"),
        ("ít nhất 10 người", "vi", 10, "count", "at_least"),
        ("hơn 100 nhân viên", "vi", 100, "count", "more_than"),
        ("about 30%", "en", 30, "%", "about"),
        ("at least $2 billion", "en", 2e9, "USD", "at_least"),
        ("1,000 users", "en", 1000, "count", "exact"),
        ("1.500 euros", "fr", 1500, "EUR", "exact"),
    ],
)
def test_figures_normalise_across_languages(text, language, value, unit, qualifier):
    q = one(text, language)
    assert q.value == pytest.approx(value)
    assert (q.unit, q.qualifier) == (unit, qualifier)
    assert text[q.start : q.end] == q.text


def test_design_examples():
    fr, en, vi = one("14,3 milliards de dollars", "fr"), one("$14.3 billion", "en"), one("14,3 tỷ USD", "vi")
    assert compare(fr, en).relation == compare(fr, vi).relation == "agree"
    fourteen = one("14 milliards de dollars", "fr")
    agree = compare(fr, fourteen)
    assert agree.relation == "agree" and "14.3" in agree.rationale and "14 billion" in agree.rationale
    assert compare(fr, one("$4 billion", "en")).relation == "conflict"
    assert compare(one("30%", "en"), one("half", "en")).relation == "conflict"
    assert compare(one("100 triệu USD", "vi"), one("$100 million", "en")).relation == "agree"


def test_bounds():
    up_to_half = one("jusqu'à la moitié", "fr")
    assert compare(up_to_half, one("tới 50%", "vi")).relation == "agree"
    assert compare(up_to_half, one("up to 30%", "en")).relation == "conflict"
    assert compare(up_to_half, one("30%", "en")).relation == "compatible"
    assert compare(up_to_half, one("60%", "en")).relation == "conflict"
    assert compare(one("more than 100", "en"), one("50", "en")).relation == "conflict"
    assert compare(one("at least 10", "en"), one("12", "en")).relation == "agree"


def test_dates_and_units_that_do_not_compare():
    assert compare(one("14 February 1970", "en"), one("1970", "en")).relation == "agree"
    assert compare(one("14 February 1970", "en"), one("1971", "en")).relation == "conflict"
    assert compare(one("$5 billion", "en"), one("5 billion euros", "en")).relation == "unrelated"


def test_digits_inside_names_are_not_figures():
    assert extract_quantities("GPT-4 and the A380 flew", 0, "en") == []
