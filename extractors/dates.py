"""Calendar dates as Vietnamese letters write them: always day, month, year.

"ngày 29 tháng 11 năm 2023", "ngày 05/9/2016", "26/09/2023", "15.12.2023", "14/1/23".
The forms are few and fixed, so plain patterns read them exactly and fast; free-form
phrases ("hết năm 2023", "quý I/2026") are deadlines and are read elsewhere.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WORDS = r"ngày\s+(?P<d1>\d{1,2})\s+tháng\s+(?P<m1>\d{1,2})\s+năm\s+(?P<y1>\d{4})"
_NUMERIC = r"(?P<d2>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m2>\d{1,2})\s*(?P=sep)\s*(?P<y2>\d{4}|\d{2})(?!\d)"
DATE_RE = re.compile(rf"(?:{_WORDS}|(?<![\d/.])(?:ngày\s+)?{_NUMERIC})", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int
    end: int


def make_date(day: int, month: int, year: int) -> str | None:
    if year < 100:
        year += 2000
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> str | None:
    if m.group("d1"):
        return make_date(int(m.group("d1")), int(m.group("m1")), int(m.group("y1")))
    return make_date(int(m.group("d2")), int(m.group("m2")), int(m.group("y2")))


def find_date(text: str, start: int = 0, end: int | None = None) -> FoundDate | None:
    """The first valid date in text[start:end]."""
    for m in DATE_RE.finditer(text, start, len(text) if end is None else end):
        iso = _from_match(m)
        if iso:
            return FoundDate(iso, m.start(), m.end())
    return None


def date_at(text: str, pos: int) -> FoundDate | None:
    """A date that starts exactly at `pos` (after optional spaces)."""
    m = DATE_RE.match(text, pos + len(text[pos:]) - len(text[pos:].lstrip(" ")))
    if m:
        iso = _from_match(m)
        if iso:
            return FoundDate(iso, m.start(), m.end())
    return None
