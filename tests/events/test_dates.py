from datetime import date

import pytest

from fogwatch.events.dates import anchor_from_text, find_dates

ANCHOR = date(2020, 2, 4)  # a Tuesday


def one(text, anchor=ANCHOR):
    found = find_dates(text.lower(), anchor)
    assert found, text
    d = found[0]
    return (d.date.isoformat(), d.date_end.isoformat() if d.date_end else None, d.precision)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("On February 1 and 2, the troops", ("2020-02-01", "2020-02-02", 2)),
        ("Fighting went on between February 1 and February 7, the", ("2020-02-01", "2020-02-07", 2)),
        ("Early on February 2, five airstrikes", ("2020-02-02", None, 1)),
        ("On January 31 and February 1, the rebels", ("2020-01-31", "2020-02-01", 2)),
        ("Since the start of the operation in southeastern Idlib on December 19, forces", ("2019-12-19", "2020-02-04", 3)),
        ("the army said on Monday", ("2020-02-03", None, 1)),
        ("clashes last week", ("2020-01-28", None, 2)),
        ("yesterday", ("2020-02-03", None, 1)),
        ("On February 3, the ministry", ("2020-02-03", None, 1)),
        ("On December 30, the army", ("2019-12-30", None, 1)),
        ("on 12 March 2017", ("2017-03-12", None, 1)),
        ("Feb. 3, 2016", ("2016-02-03", None, 1)),
    ],
)
def test_rules_and_dateparser(text, expected):
    assert one(text) == expected


def test_no_false_dates_in_road_names_and_the_verb_may():
    assert find_dates("clashes near the m4 and m5 may continue".lower(), ANCHOR) == []


def test_no_month_in_a_place_name_that_starts_like_one():
    """ "in Marsabit" is no March, "3 Marakwet herders" no 3 March, "in Augusta" no August: a month is a whole word."""
    for text in ("raiders attacked a village in marsabit", "killed 3 marakwet herders", "in augusta", "in junction city"):
        assert find_dates(text, ANCHOR) == [], text
    assert one("on 5 mar. 2019") == ("2019-03-05", None, 1)


def test_without_an_anchor_yearless_dates_stay_unresolved():
    assert find_dates("on february 3", None) == []
    assert find_dates("on monday", None) == []
    assert one("on 3 february 2020", None) == ("2020-02-03", None, 1)


def test_anchor_from_the_opening_date():
    assert anchor_from_text("wed 05 apr 2017 syria attack") == date(2017, 4, 5)


def test_the_calendar_reads_a_canonical_day_as_dateparser_does():
    """``_month_day`` reads "february 3" by the calendar instead of dateparser (a speed path): on every month name
    and abbreviation with days 0-40 both give the same answer, "february 29" included and "april 31" refused."""
    from fogwatch.events import dates

    keys = {dates._canonical(f"{name} {day}") for name in dates._MONTH_NAMES for day in range(41)}
    assert len(keys) > 400
    for key in sorted(keys):
        assert dates._month_day.__wrapped__(key) == dates._parsed_month_day(key), key
    assert dates._month_day("february 29") == (2, 29) and dates._month_day("april 31") is None
