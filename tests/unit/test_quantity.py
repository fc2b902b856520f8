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


def test_bounds_read_as_the_table_in_figures_py_says():
    up_to_half = one("jusqu'à la moitié", "fr")  # a reported maximum: the source's figure is about half
    assert compare(up_to_half, one("tới 50%", "vi")).relation == "agree"
    assert compare(up_to_half, one("45%", "en")).relation == "agree"
    assert compare(up_to_half, one("up to 30%", "en")).relation == "conflict"
    assert compare(up_to_half, one("about 30%", "en")).relation == "conflict"  # two reports of one figure disagree
    assert compare(up_to_half, one("60%", "en")).relation == "conflict"
    up_to_40m = one("up to €40 million", "en")  # the figure, not its rounding (30 million reads 25-35 million)
    assert compare(up_to_40m, one("30 millions d'euros", "fr")).relation == "conflict"
    assert compare(up_to_40m, one("€35 million", "en")).relation == "agree"
    at_most_half = one("at most 50%", "en")  # a limit: anything below fits
    assert at_most_half.qualifier == "at_most" and one("tối đa 50%", "vi").qualifier == "at_most"
    assert compare(at_most_half, one("30%", "en")).relation == "compatible"
    assert compare(at_most_half, one("60%", "en")).relation == "conflict"
    assert compare(one("less than 50%", "en"), one("50%", "en")).relation == "conflict"
    assert compare(one("more than 100", "en"), one("50", "en")).relation == "conflict"
    assert compare(one("more than 100", "en"), one("100", "en")).relation == "conflict"
    assert compare(one("more than 100", "en"), one("120", "en")).relation == "agree"
    assert compare(one("at least 10", "en"), one("12", "en")).relation == "agree"
    assert compare(one("at least 10", "en"), one("40", "en")).relation == "compatible"
    assert compare(one("up to $1 billion", "en"), one("up to $100 million", "en")).relation == "conflict"
    assert compare(one("up to 10", "en"), one("at least 20", "en")).relation == "conflict"


def test_dates_and_units_that_do_not_compare():
    assert compare(one("14 February 1970", "en"), one("1970", "en")).relation == "agree"
    assert compare(one("14 February 1970", "en"), one("1971", "en")).relation == "conflict"
    assert compare(one("$5 billion", "en"), one("5 billion euros", "en")).relation == "unrelated"


def test_digits_inside_names_are_not_figures():
    assert extract_quantities("GPT-4 and the A380 flew", 0, "en") == []


@pytest.mark.parametrize("text, language, values", [
    ("Ngày 12/3, hãng đã ký thỏa thuận mua 50 máy bay", "vi", [50]),  # a day/month date, not 12 of something
    ("Le 12/3, la compagnie a commandé 40 avions", "fr", [40]),
    ("It runs 24/7 for 3 clients", "en", [3]),
    ("The carrier will buy 50 Boeing 737 MAX jets", "en", [50]),  # a model number after a name
    ("Sales of the Renault 5, launched last year, doubled", "en", []),
    ("Toyota 50 plants closed", "en", [50]),  # a name, then a counted noun: a figure
    ("Since 2019, the firm has hired 300 engineers", "en", [2019, 300]),  # the first word is no name
])
def test_dates_ratios_and_model_numbers_are_not_counts(text, language, values):
    assert [q.value for q in extract_quantities(text, 0, language)] == values


def _claim(text: str, language: str):
    from service.analysis.quantity import extract_quantities
    from service.models import Claim

    return Claim(id="c", document_id="d", index=0, text=text, quote=text, start=0, end=len(text), language=language,
                 quantities=extract_quantities(text, 0, language))


def test_what_a_figure_measures():
    from service.analysis.figures import measures

    (stations,) = measures(_claim("The line will have 48 stations", "en"))
    assert (stations.kind, stations.what) == ("count", "stations")
    (length,) = measures(_claim("La ligne fera 120 km de long", "fr"))
    assert (length.kind, length.unit, length.quantity.value) == ("length", "m", 120_000)
    (hired,) = measures(_claim("At least 10 were hired", "en"))
    assert (hired.kind, hired.what) == ("count", "")
    (vi,) = measures(_claim("Tuyến có 48 nhà ga", "vi"))
    assert vi.what == "nhà ga"
    (strike,) = measures(_claim("a 48-hour strike", "en"))
    assert (strike.kind, strike.quantity.value) == ("duration", 48 * 3600)
    contacted, hired = measures(_claim("Meta contacted more than 100 employees, of whom at least 10 were hired", "en"))
    assert "contacted" in contacted.context and "hired" not in contacted.context and "hired" in hired.context


def test_a_time_with_its_minutes_is_one_clock_figure_and_a_magnitude_is_not_a_count():
    from service.analysis.figures import describe, measures

    struck = [measures(_claim(text, language)) for text, language in [
        ("A magnitude 6.2 earthquake struck the province at 10:42 a.m. on Tuesday", "en"),
        ("Le séisme de magnitude 6,2 a frappé la province à 10 h 42", "fr"),
        ("Trận động đất mạnh 6,2 độ xảy ra lúc 10 giờ 42 sáng thứ Ba", "vi")]]
    for found in struck:
        assert [(m.kind, describe(m.quantity) if m.kind == "clock" else m.quantity.value) for m in found] == [
            ("magnitude", 6.2), ("clock", "10:42")]
    (afternoon,) = measures(_claim("The quake hit at 3:15 p.m.", "en"))
    assert describe(afternoon.quantity) == "15:15"
    (heat,) = measures(_claim("Nhiệt độ lên tới 38 độ", "vi"))
    assert heat.kind == "temperature"


def test_clock_times_are_not_durations():
    from service.analysis.figures import describe, measures

    started = [measures(_claim(text, language))[0] for text, language in [
        ("The walkout began at 6 a.m. on Thursday", "en"), ("Le mouvement a débuté jeudi à 6 heures", "fr"),
        ("Cuộc đình công bắt đầu từ 6 giờ sáng thứ Năm", "vi")]]
    assert {(m.kind, describe(m.quantity)) for m in started} == {("clock", "06:00")}
    (evening,) = measures(_claim("lúc 7 giờ tối", "vi"))
    assert describe(evening.quantity) == "19:00"
    lasted = [measures(_claim(text, language))[0] for text, language in [
        ("La grève durera 48 heures", "fr"), ("Cuộc đình công kéo dài 48 giờ", "vi"), ("a 48-hour strike", "en")]]
    assert {(m.kind, describe(m.quantity)) for m in lasted} == {("duration", "2 days")}
    five = measures(_claim("The walkout started at 5 a.m", "en"))[0]
    assert compare(started[0].quantity, five.quantity).relation == "conflict"


def test_figures_of_different_kinds_or_counted_things_are_not_one_quantity():
    from service.analysis.figures import measures, same_measure

    (count,) = measures(_claim("The network has 48 stations", "en"))
    (money,) = measures(_claim("The contract is worth 2.4 billion euros", "en"))
    (length,) = measures(_claim("The line is 48 km long", "en"))
    (trains,) = measures(_claim("The network has 40 trains", "en"))
    (gares,) = measures(_claim("Le réseau compte 40 gares", "fr"))
    assert not same_measure(count, money, same_event=True)
    assert not same_measure(count, length, same_event=True)
    assert not same_measure(count, trains, same_event=True)  # both counts, of different things
    assert same_measure(count, gares, same_event=False)  # one class of counted noun, across languages
    (rames,) = measures(_claim("Le réseau compte 40 rames", "fr"))
    assert same_measure(trains, rames, same_event=False) and not same_measure(rames, gares, same_event=True)
    (unnamed,) = measures(_claim("At least 10 were hired", "en"))
    assert same_measure(unnamed, count, same_event=True) and not same_measure(unnamed, count, same_event=False)


def test_a_counted_noun_that_looks_like_a_participle_is_still_counted():
    from service.analysis.figures import measures, same_measure

    (staff,) = measures(_claim("Đồng Xanh compte plus de 5 000 salariés", "fr"))
    (plants,) = measures(_claim("Đồng Xanh exploite six usines dans le sud du Vietnam", "fr"))
    assert (staff.what, staff.counts) == ("salariés", "employee")
    assert not same_measure(staff, plants, same_event=True)  # employees and plants are two counts


def test_about_a_figure_may_meet_a_strict_bound():
    """"about X" reads X ± 10% (the table in figures.py): it may be "more than X"; a figure at the bound may not."""
    assert compare(one("about 12,000 homes", "en"), one("more than 12,000 homes", "en")).relation != "conflict"
    assert compare(one("khoảng 12.000 ngôi nhà", "vi"), one("plus de 12 000 maisons", "fr")).relation != "conflict"
    assert compare(one("about 30%", "en"), one("less than 30%", "en")).relation != "conflict"
    assert compare(one("about 10,000 homes", "en"), one("more than 12,000 homes", "en")).relation == "conflict"
    assert compare(one("12,000 homes", "en"), one("more than 12,000 homes", "en")).relation == "conflict"
