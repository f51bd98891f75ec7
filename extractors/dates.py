"""Calendar dates as Vietnamese letters write them: always day, month, year.

"ngày 29 tháng 11 năm 2023", "ngày 05/9/2016", "26/09/2023", "15.12.2023", "14/1/23".
The forms are few and fixed, so plain patterns read them exactly and fast; free-form
phrases ("hết năm 2023", "quý I/2026") are deadlines and are read elsewhere.

This is the one reader of calendar dates: the header, the references and the deadlines
all build their days with make_date, so a day that does not exist ("31/02/2023", an OCR
or typing slip) is no date anywhere, and neither is a year no letter of the state bears.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import cast

# "ngày 29 tháng 11 năm 2023", also as OCR and web copies give it: "ngày29 tháng 11, năm 2023"
_WORDS = r"ngày\s*(?P<d1>\d{1,2})\s*tháng\s*(?P<m1>\d{1,2})\s*,?\s*năm\s*(?P<y1>\d{4})"
_NUMERIC = r"(?P<d2>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m2>\d{1,2})\s*(?P=sep)\s*(?P<y2>\d{4}|\d{2})(?!\d)"
DATE_RE = re.compile(rf"(?:{_WORDS}|(?<![\d/.])(?:ngày\s*)?{_NUMERIC})", re.IGNORECASE)
_SPACES = re.compile(r"[ \t]*")
# The years of the state's letters: a number outside them is no year of issue.
_FIRST_YEAR, _LAST_YEAR = 1945, 2100


@dataclass(frozen=True)
class FoundDate:
    iso: str
    start: int
    end: int


def make_date(day: int, month: int, year: int) -> str | None:
    """The ISO day, or None when there is no such day ("31/02/2023"); "23" is 2023."""
    if year < 100:
        year += 2000
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
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
    m = DATE_RE.match(text, cast(re.Match[str], _SPACES.match(text, pos)).end())  # matches always, maybe empty
    if m:
        iso = _from_match(m)
        if iso:
            return FoundDate(iso, m.start(), m.end())
    return None
