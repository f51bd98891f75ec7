import datetime as dt
import re

import holidays
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
    ("2026-01-02", False),   # official 2026: swapped for Saturday 10/01
    ("2026-01-10", True),
    ("2026-02-16", False),   # official 2026: 29 tháng Chạp
    ("2026-02-20", False),   # mùng 4
    ("2026-02-23", True),
    ("2026-04-27", False),   # Giỗ Tổ on Sunday 26/4, nghỉ bù Monday
    ("2026-08-31", False),   # official 2026: swapped for Saturday 22/08
    ("2026-09-03", True),    # 02/9 a Wednesday: the adjacent day is 01/9
    ("2027-02-05", False),   # rule: last day of the lunar year (no notice for 2027)
    ("2027-05-03", False),   # rule: 01/5 a Saturday, nghỉ bù Monday
    ("2027-09-03", False),   # rule: 02/9 a Thursday, adjacent day after
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
    assert not has_official_schedule(2027)
    assert D("2027-01-01") in days_off(2027)
    assert {D("2027-02-05"), D("2027-02-08"), D("2027-02-09")} <= days_off(2027)


def test_the_year_we_are_in_and_the_last_one_have_official_schedules():
    assert has_official_schedule(2025) and has_official_schedule(2026)


# --- cross-check against the `holidays` package (PyPI: vacanza/holidays) -------------------------
# Its Vietnam calendar is written from the Labour Codes and the yearly notices independently of
# ours. Two differences are known and kept out of the comparison: Ngày Văn hóa Việt Nam (24/11),
# which it lists from 2026 but no law in force makes a holiday yet (see holidays.toml), and its
# "Day off (substituted from ...)" entries, which are swaps of one year, compared with our
# [[year]] schedules below instead.
NOT_IN_FORCE = {(11, 24)}
SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


def _package_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("VN", years=year, observed=False, language="en_US").items())


@pytest.mark.parametrize("year", range(2021, 2036))
def test_statutory_holidays_agree_with_the_holidays_package(year):
    theirs = {day for day, name in _package_holidays(year).items()
              if (day.month, day.day) not in NOT_IN_FORCE and not SUBSTITUTED.match(name)}
    assert statutory_holidays(year) == theirs


@pytest.mark.parametrize("entry", tables.entries("holidays", "year"), ids=lambda e: str(e["year"]))
def test_the_packages_swapped_days_are_in_our_schedules(entry):
    for day, name in _package_holidays(entry["year"]).items():
        if found := SUBSTITUTED.match(name):
            month, day_of_month, year = map(int, found.groups())
            assert day in entry["days_off"], name
            assert dt.date(year, month, day_of_month) in entry["work_days"], name
