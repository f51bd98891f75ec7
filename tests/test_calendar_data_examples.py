"""Every `examples` entry of holidays.toml and deadline_phrases.toml, run through the code."""
import datetime as dt

import pytest
from schemas import Obligation, Span

from extractors import tables
from extractors.clauses import parse_clauses
from extractors.deadlines import describe, find_deadlines, pass_down_deadlines
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
    for table, entries in _PHRASES.items() if isinstance(entries, list) and table != "task_label"
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


TASK_LIST_EXAMPLES = [
    pytest.param(text, expected, id=f"task_label:{e['word']}")
    for e in tables.entries("deadline_phrases", "task_label") for text, expected in e["examples"]
]


@pytest.mark.parametrize("text,expected", TASK_LIST_EXAMPLES)
def test_task_list_example(text, expected):
    """The tasks of a labelled list take the limit its period_label item states."""
    clauses = parse_clauses(text, 0, len(text))
    obligations = [Obligation(clause=cid, text="", span=Span(start=0, end=0)) for cid, _ in expected]
    pass_down_deadlines(text, clauses, obligations, letter_date=_PHRASES["letter_date"])
    assert [[ob.clause, describe(ob.deadline) if ob.deadline else "-"] for ob in obligations] == expected
