"""Working days of the Vietnamese civil service, and the civil-code rules for counting.

Monday to Friday, less public holidays (Bộ luật Lao động 2019 Điều 112) and their nghỉ bù
(Điều 111.3), with each year's official schedule (days off, make-up Saturdays) taken from
extractors/data/holidays.toml when the year is there, and the Labour Code rule otherwise.
Counting follows Bộ luật Dân sự 2015 Điều 147–148: the start day is not counted, and a
limit whose last day is a weekend or holiday ends at the end of the next working day.
"""
from __future__ import annotations

import datetime as dt
from functools import cache

from extractors import tables
from extractors.lunar import lunar_to_solar

_DAY = dt.timedelta(days=1)


@cache
def _overrides() -> dict[int, tuple[frozenset[dt.date], frozenset[dt.date]]]:
    return {
        e["year"]: (frozenset(e["days_off"]), frozenset(e["work_days"]))
        for e in tables.entries("holidays", "year")
    }


@cache
def statutory_holidays(year: int) -> frozenset[dt.date]:
    """The Labour Code's holidays of `year` (any weekday), before nghỉ bù."""
    days: set[dt.date] = set()
    for e in tables.entries("holidays", "fixed"):
        d = dt.date(year, e["month"], e["day"])
        days.add(d)
        if "extra_day" in e and year >= e.get("since_extra", 0):
            days.add(d + dt.timedelta(days=e["extra_day"][d.weekday()]))
    for e in tables.entries("holidays", "lunar"):
        base = lunar_to_solar(e["day"], e["month"], year)
        if base is not None:
            days.update(base + dt.timedelta(days=o) for o in e["offsets"])
    return frozenset(days)


@cache
def _rule_days_off(year: int) -> frozenset[dt.date]:
    """Weekdays off by the rule: holidays on weekdays, plus nghỉ bù for those on weekends."""
    holidays = sorted(statutory_holidays(year))
    off = {d for d in holidays if d.weekday() < 5}
    for d in holidays:
        if d.weekday() >= 5:
            nxt = d + _DAY
            while nxt.weekday() >= 5 or nxt in off:
                nxt += _DAY
            off.add(nxt)
    return frozenset(off)


def has_official_schedule(year: int) -> bool:
    return year in _overrides()


def days_off(year: int) -> frozenset[dt.date]:
    """Every Monday–Friday of `year` (and nghỉ bù spilling from it) that is not worked."""
    if year in _overrides():
        return _overrides()[year][0]
    # nghỉ bù of a late-December holiday could spill into January; none exists today.
    return _rule_days_off(year)


def is_working_day(d: dt.date) -> bool:
    if year_entry := _overrides().get(d.year):
        if d in year_entry[1]:
            return True
    if d.weekday() >= 5:
        return False
    return d not in days_off(d.year)


def next_working_day(d: dt.date) -> dt.date:
    """`d` itself when it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += _DAY
    return d


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (the start day is not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    d = start
    while n:
        d += _DAY
        if is_working_day(d):
            n -= 1
    return d


def due_after_days(start: dt.date, n: int) -> dt.date:
    """The end of a limit of n calendar days from `start`: start + n, moved to the next
    working day when it falls on a day off (BLDS 2015 Điều 147–148)."""
    if n < 0:
        raise ValueError("n must not be negative")
    return next_working_day(start + dt.timedelta(days=n))
