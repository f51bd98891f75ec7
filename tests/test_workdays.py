import datetime as dt

import pytest

from extractors import tables
from extractors.lunar import lunar_to_solar, tet
from extractors.workdays import (
    add_working_days,
    days_off,
    due_after_days,
    has_official_schedule,
    is_working_day,
    next_working_day,
    statutory_holidays,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize("year,day", [
    (2019, "2019-02-05"), (2020, "2020-01-25"), (2021, "2021-02-12"), (2022, "2022-02-01"),
    (2023, "2023-01-22"), (2024, "2024-02-10"), (2025, "2025-01-29"), (2026, "2026-02-17"),
    (2027, "2027-02-06"), (2028, "2028-01-26"), (2029, "2029-02-13"),
    (1985, "1985-01-21"),  # a month before the Chinese new year of 1985
    (2007, "2007-02-17"),  # UTC+7: a day before the Chinese one
    (2030, "2030-02-02"),  # UTC+7: a day before the Chinese new year (new moon 23:07 on 2 Feb)
])
def test_tet(year, day):
    assert tet(year) == D(day)


@pytest.mark.parametrize("year,day", [
    (2022, "2022-04-10"), (2023, "2023-04-29"), (2024, "2024-04-18"), (2025, "2025-04-07"),
    (2026, "2026-04-26"),
])
def test_gio_to(year, day):
    assert lunar_to_solar(10, 3, year) == D(day)


def test_leap_months():
    # 2023 had a leap 2nd month, 2025 a leap 6th month
    assert lunar_to_solar(1, 2, 2023, leap=True) == D("2023-03-22")
    assert lunar_to_solar(1, 3, 2023) == D("2023-04-20")
    assert lunar_to_solar(1, 6, 2025, leap=True) == D("2025-07-25")
    assert lunar_to_solar(1, 5, 2025, leap=True) is None
    assert lunar_to_solar(1, 2, 2024, leap=True) is None


@pytest.mark.parametrize("day,working", [
    ("2023-11-29", True),    # Wednesday
    ("2023-12-02", False),   # Saturday
    ("2023-12-03", False),   # Sunday
    ("2024-01-01", False),   # Tết Dương lịch
    ("2024-02-08", False),   # 29 Tết (official schedule)
    ("2024-02-15", True),
    ("2024-04-29", False),   # swapped day off
    ("2024-05-04", True),    # make-up Saturday
    ("2025-02-08", True),    # make-up Saturday
    ("2025-09-01", False),   # Quốc khánh, adjacent day
    ("2026-02-16", False),   # rule: last day of the lunar year
    ("2026-02-20", False),   # rule: mùng 4
    ("2026-02-23", True),
    ("2026-04-27", False),   # rule: Giỗ Tổ on Sunday 26/4, nghỉ bù Monday
    ("2026-09-03", False),   # rule: 02/9 a Wednesday, adjacent day after
    ("2028-09-04", False),   # rule: 02/9 a Saturday: 01/9 off, nghỉ bù Monday
])
def test_is_working_day(day, working):
    assert is_working_day(D(day)) is working


@pytest.mark.parametrize("start,n,expected", [
    ("2023-11-29", 0, "2023-11-29"),
    ("2023-11-29", 1, "2023-11-30"),   # start day not counted
    ("2023-12-01", 5, "2023-12-08"),   # Friday + 5 over a weekend
    ("2024-02-07", 1, "2024-02-15"),   # across Tết Giáp Thìn
    ("2024-04-25", 5, "2024-05-06"),   # across 30/4 with the make-up Saturday 04/5 counted
    ("2023-04-28", 1, "2023-05-04"),   # Giỗ Tổ, 30/4, 01/5 and nghỉ bù
])
def test_add_working_days(start, n, expected):
    assert add_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize("start,n,expected", [
    ("2023-11-29", 15, "2023-12-14"),
    ("2023-11-29", 10, "2023-12-11"),  # ends on Saturday 09/12: moves to Monday
    ("2024-04-20", 10, "2024-05-02"),  # ends on 30/4: 01/5 is off too
    ("2024-04-24", 10, "2024-05-04"),  # a make-up Saturday is a working day
])
def test_due_after_days(start, n, expected):
    assert due_after_days(D(start), n) == D(expected)


def test_negative_counts_rejected():
    with pytest.raises(ValueError):
        add_working_days(D("2024-01-02"), -1)
    with pytest.raises(ValueError):
        due_after_days(D("2024-01-02"), -1)


def test_next_working_day():
    assert next_working_day(D("2024-02-10")) == D("2024-02-15")
    assert next_working_day(D("2024-02-15")) == D("2024-02-15")


@pytest.mark.parametrize("entry", tables.entries("holidays", "year"), ids=lambda e: str(e["year"]))
def test_official_schedules_are_consistent(entry):
    year = entry["year"]
    assert has_official_schedule(year)
    off = set(entry["days_off"])
    assert all(d.year == year and d.weekday() < 5 for d in off)
    assert all(d.year == year and d.weekday() >= 5 for d in entry["work_days"])
    # every fixed-date holiday and Giỗ Tổ on a weekday is off in the official schedule
    fixed = {dt.date(year, 1, 1), dt.date(year, 4, 30), dt.date(year, 5, 1), dt.date(year, 9, 2),
             lunar_to_solar(10, 3, year)}
    assert {d for d in fixed if d.weekday() < 5} <= off
    # the Tết days off sit around mùng 1
    assert any(abs((d - tet(year)).days) <= 6 for d in off)
    # and the schedule gives at least as many weekdays off as the Labour Code's holidays
    assert len(off) - len(entry["work_days"]) >= len({d for d in statutory_holidays(year) if d.weekday() < 5})


def test_rule_without_schedule():
    assert not has_official_schedule(2026)
    assert D("2026-01-01") in days_off(2026)
    assert {D("2026-02-16"), D("2026-02-17"), D("2026-02-18"), D("2026-02-19"), D("2026-02-20")} <= days_off(2026)
