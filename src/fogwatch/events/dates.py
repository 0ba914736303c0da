"""Event dates: spans found by rule, each span resolved with ``dateparser``, anchored to publication.

``dateparser.search`` over free text misfires on this genre ("M4 and M5",
"may"), so we find the spans ourselves and hand only a span to ``dateparser``.
Its answer gives month and day (and the year when the span has one); the year
of a yearless date is then chosen against the anchor (the publication date or
the dateline): the latest year that does not put the date more than two weeks
after the anchor, so "Since December 19" in a February report is the previous
December.

Our own rules cover what ``dateparser`` does not: two-day and range forms
("On February 1 and 2", "between February 1 and February 7", "On January 31
and February 1"), "Since December 19" (a span up to the anchor), weekdays
("on Monday": the latest such day on or before the anchor), "last week",
"yesterday", and month-only forms. ``time_precision`` follows ACLED: 1 a day,
2 a week (or a span of up to 7 days), 3 a month or longer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

_MONTH_NAMES = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# a month's name or abbreviation as a whole word: not the start of "Marsabit", "Augusta" or "Junction"
_M = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?"
_D = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_Y = r"(?:,?\s+(?:19|20)\d\d)"
# One calendar day: "February 3", "Feb. 3, 2020", "3 February 2020", "05 Apr 2017".
_DAY = r"(?:" + _M + r"\s+" + _D + r"\b" + _Y + r"?|" + _D + r"\s+" + _M + r"(?:" + _Y + r")?)"
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DATE_RE = re.compile(
    r"\b(?:"
    r"(?P<since>since|from)\s+(?:(?:the\s+)?(?:start|beginning)\s+of\s+[a-z ]{0,40}?\s+on\s+)?(?P<since_day>" + _DAY + r")(?!\s*(?:to|until|through|and|-)\s*\d)"
    r"|between\s+(?P<b1>" + _DAY + r")\s+and\s+(?P<b2>" + _DAY + r"|" + _D + r"\b)"
    r"|(?:from\s+)?(?P<r1>" + _DAY + r")\s*(?:to|until|through|till|-|–)\s*(?P<r2>" + _DAY + r"|" + _D + r"\b)"
    r"|(?P<a1>" + _DAY + r")\s+and\s+(?P<a2>" + _DAY + r"|" + _D + r"\b(?!\s*(?:" + _M + r"|%|km|people|civilians|soldiers|militants)))"
    r"|(?P<day>" + _DAY + r")"
    r"|(?P<weekday>(?:last\s+|on\s+|this\s+|early\s+|late\s+)?" + _WEEKDAY + r")"
    r"|(?P<rel>yesterday|today|last night|this morning|tonight|last week|this week|past week|last month|this month|earlier this week|earlier this month)"
    r"|(?:in|during|since|early|late|mid|mid-)\s*(?P<month>" + _M + r")(?P<month_year>" + _Y + r")?(?!\s*\d)"
    r")",
)


Day = date  # the field ``DateMention.date`` hides the type's name in the class body


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # relative to the string searched
    end: int
    date: Day
    date_end: Day | None
    precision: int  # 1 day, 2 week, 3 month
    reason: str


@lru_cache(maxsize=1)
def _parser():
    """One reusable dateparser parser: English, absolute dates only (relative forms are our rules)."""
    from dateparser.date import DateDataParser  # imported on first use (~0.2 s)

    return DateDataParser(
        languages=["en"],
        # A fixed leap-year base so that "February 29" parses; the real year is chosen against the anchor.
        settings={"RELATIVE_BASE": datetime(2000, 12, 31), "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"], "PARSERS": ["absolute-time"]},
    )


_YEAR = re.compile(r",?\s*((?:19|20)\d\d)\b")


def _dateparser_month_day(span: str) -> tuple[int, int, int | None] | None:
    """(month, day, year or None) of one day span such as "Feb. 3" or "3 February 2020", via dateparser.

    The year, when written, is read by the pattern; dateparser parses the month and day, cached
    per distinct spelling, so a corpus costs a few hundred parser calls, not one per mention.
    """
    year_m = _YEAR.search(span)
    year = int(year_m.group(1)) if year_m else None
    key = _canonical(_YEAR.sub("", span).strip().lower())
    # cached per calendar day ("3 feb." and "February 3rd" share "february 3"): at most 366 parser calls
    parsed = _month_day(key)
    if parsed is None:
        return None
    return parsed[0], parsed[1], year


def _canonical(span: str) -> str:
    """ "3 feb." / "feb 3rd" / "february 03" -> "february 3": one parser call per calendar day, not per spelling."""
    month = re.search(_M, span)
    day = re.search(r"\d{1,2}", span)
    if not month or not day:
        return span
    word = month.group(0).rstrip(".")
    full = next((name for name, num in _MONTH_NAMES.items() if num == _MONTH_NAMES.get(word) and len(name) > 4 or name == "may" and word == "may"), word)
    return f"{full} {int(day.group(0))}"


_CANONICAL_DAY = re.compile(r"([a-z]+) (\d{1,2})")


@lru_cache(maxsize=1024)
def _month_day(key: str) -> tuple[int, int] | None:
    """(month, day) of a day span. A canonical "february 3" is read by the calendar (the parser's answer on every
    such key, tests/events/test_dates.py; about 6 CPU ms a key saved), anything else by dateparser."""
    canonical = _CANONICAL_DAY.fullmatch(key)
    if canonical and canonical.group(1) in _MONTH_NAMES:
        month, day = _MONTH_NAMES[canonical.group(1)], int(canonical.group(2))
        try:
            date(2000, month, day)  # a leap year, as the parser's base: "february 29" is a day
        except ValueError:
            return None
        return month, day
    return _parsed_month_day(key)


def _parsed_month_day(key: str) -> tuple[int, int] | None:
    data = _parser().get_date_data(key)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.month, data.date_obj.day


def _clean(span: str) -> str:
    return re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", span).replace(",", " ").strip()


def _place_year(month: int, day: int, year: int | None, anchor: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        if anchor is None:
            return None
        for y in (anchor.year + 1, anchor.year, anchor.year - 1):
            try:
                candidate = date(y, month, day)
            except ValueError:
                continue
            if candidate <= anchor + timedelta(days=14):
                return candidate
    except ValueError:
        return None
    return None


def resolve_day(span: str, anchor: date | None, month_hint: int | None = None) -> date | None:
    """One day span ("February 3", "3", with ``month_hint`` for "February 1 and 2") as a date."""
    text = _clean(span)
    if text.isdigit():
        if month_hint is None:
            return None
        return _place_year(month_hint, int(text), None, anchor)
    md = _dateparser_month_day(text)
    if md is None:
        return None
    return _place_year(md[0], md[1], md[2], anchor)


def _month_of(span: str) -> int | None:
    m = re.search(_M, span)
    return _MONTH_NAMES.get(m.group(0).rstrip(".")) if m else None


def _range(first: str, second: str, anchor: date | None, reason: str) -> tuple[date, date | None, int, str] | None:
    start = resolve_day(first, anchor)
    if start is None:
        return None
    end = resolve_day(second, anchor, month_hint=start.month) if not _clean(second).isdigit() else None
    if end is None and _clean(second).isdigit():
        try:
            end = date(start.year, start.month, int(_clean(second)))
        except ValueError:
            end = None
    if end is None:
        return (start, None, 1, reason)
    if end < start:  # "December 30 and January 2": the end is in the next year
        try:
            end = end.replace(year=end.year + 1)
        except ValueError:
            return (start, None, 1, reason)
    days = (end - start).days
    if days == 0:
        return (start, None, 1, reason)
    return (start, end, 2 if days <= 7 else 3, reason)


def find_dates(folded: str, anchor: date | None) -> list[DateMention]:
    """Date mentions in a folded sentence, resolved against ``anchor``; unresolvable ones are left out."""
    out = []
    for m in DATE_RE.finditer(folded):
        mention = resolve_match(m, anchor)
        if mention is not None:
            out.append(mention)
    return out


_DATE_HINT = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|week|month|night|morning")


def date_matches(folded: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The date spans of ``folded[start:end]``, unresolved (cheap: one pattern pass, no dateparser)."""
    end = len(folded) if end is None else end
    if not _DATE_HINT.search(folded, start, end):
        return []
    return list(DATE_RE.finditer(folded, start, end))


def resolve_match(m: re.Match[str], anchor: date | None) -> DateMention | None:
    """One span from :data:`DATE_RE` as a date, against ``anchor`` (None when it cannot be resolved)."""
    if True:
        g = m.groupdict()
        resolved: tuple[date, date | None, int, str] | None = None
        if g["since_day"]:
            start = resolve_day(g["since_day"], anchor)
            if start is not None:
                if g["since"] == "since" and anchor is not None and anchor > start:
                    days = (anchor - start).days
                    resolved = (start, anchor, 1 if days == 0 else 2 if days <= 7 else 3, "since a date, up to the anchor")
                else:
                    resolved = (start, None, 1, "a day")
        elif g["b1"]:
            resolved = _range(g["b1"], g["b2"], anchor, "between two days")
        elif g["r1"]:
            resolved = _range(g["r1"], g["r2"], anchor, "a range of days")
        elif g["a1"]:
            resolved = _range(g["a1"], g["a2"], anchor, "two days")
        elif g["day"]:
            if g["day"].strip().isdigit():
                return None
            day = resolve_day(g["day"], anchor)
            if day is not None:
                resolved = (day, None, 1, "a day")
        elif g["weekday"] and anchor is not None:
            words = g["weekday"].split()
            target = _WEEKDAYS.index(words[-1])
            back = (anchor.weekday() - target) % 7
            if words[0] == "last" and back == 0:
                back = 7
            resolved = (anchor - timedelta(days=back), None, 1, "a weekday before the anchor")
        elif g["rel"] and anchor is not None:
            rel = g["rel"]
            if rel in ("yesterday", "last night"):
                resolved = (anchor - timedelta(days=1), None, 1, rel)
            elif rel in ("today", "this morning", "tonight"):
                resolved = (anchor, None, 1, rel)
            elif rel in ("last week", "past week"):
                resolved = (anchor - timedelta(days=7), None, 2, "last week: its midpoint")
            elif rel in ("this week", "earlier this week"):
                resolved = (anchor - timedelta(days=min(3, anchor.weekday())), None, 2, "this week")
            elif rel == "last month":
                first = anchor.replace(day=1) - timedelta(days=1)
                resolved = (first.replace(day=15), None, 3, "last month")
            else:
                resolved = (anchor.replace(day=min(15, anchor.day)), None, 3, "this month")
        elif g["month"]:
            month = _MONTH_NAMES.get(g["month"].rstrip("."))
            year_match = re.search(r"\d{4}", g["month_year"]) if g["month_year"] else None
            year = int(year_match.group(0)) if year_match else None
            if month and g["month"] == "may" and not g["month_year"]:
                return None  # "may" is nearly always the verb
            if month and (year or anchor):
                day = _place_year(month, 15, year, anchor)
                if day is not None:
                    resolved = (day, None, 3, "a month")
        if resolved is None:
            return None
        return DateMention(m.start(), m.end(), resolved[0], resolved[1], resolved[2], resolved[3])


_LEADING_DATE = re.compile(r"(?:" + _WEEKDAY[3:-1] + r"|mon|tue|wed|thu|fri|sat|sun)?\.?,?\s*(?P<day>" + _DAY + r")")


def anchor_from_text(folded_head: str) -> date | None:
    """A full date (with year) opening the text or its dateline: "Wed 05 Apr 2017 ...", "DAMASCUS, Feb 3, 2020 (Reuters) -"."""
    for m in DATE_RE.finditer(folded_head):
        day = m.group("day")
        if day and re.search(r"(?:19|20)\d\d", day):
            return resolve_day(day, None)
    return None


def parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
