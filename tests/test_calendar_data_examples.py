"""Every `examples` entry of holidays.toml and deadline_phrases.toml, run through the code."""
import datetime as dt

import pytest

from extractors import tables
from extractors.deadlines import describe, find_deadlines
from extractors.workdays import is_working_day

HOLIDAY_EXAMPLES = [
    pytest.param(d, id=f"{e['name']}:{d}")
    for table in ("fixed", "lunar") for e in tables.entries("holidays", table) for d in e["examples"]
]


@pytest.mark.parametrize("day", HOLIDAY_EXAMPLES)
def test_holiday_example(day):
    assert not is_working_day(day)


YEAR_EXAMPLES = [
    pytest.param(d, working, id=f"{d}:{working}")
    for e in tables.entries("holidays", "year") for d, working in e["examples"]
]


@pytest.mark.parametrize("day,working", YEAR_EXAMPLES)
def test_year_schedule_example(day, working):
    assert is_working_day(day) is working


def test_every_holiday_entry_has_examples():
    data = tables.load("holidays")
    assert all(e.get("examples") for table in ("fixed", "lunar", "year") for e in data[table])


_PHRASES = tables.load("deadline_phrases")
PHRASE_EXAMPLES = [
    pytest.param(text, expected, id=f"{table}:{text[:50]}")
    for table, entries in _PHRASES.items() if isinstance(entries, list)
    for e in entries for text, expected in e["examples"]
]


@pytest.mark.parametrize("text,expected", PHRASE_EXAMPLES)
def test_deadline_phrase_example(text, expected):
    found = find_deadlines(text, letter_date=_PHRASES["letter_date"], received=_PHRASES["received"])
    assert " | ".join(describe(d) for d in found) == expected


def test_every_phrase_entry_has_examples():
    assert all(
        e.get("examples") for entries in _PHRASES.values() if isinstance(entries, list) for e in entries
    )


def test_phrase_dates_are_dates():
    assert isinstance(_PHRASES["letter_date"], dt.date) and isinstance(_PHRASES["received"], dt.date)
