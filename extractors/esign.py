"""The digital-signature stamp of an e-office PDF: who signed, for which body, and when.

An e-office system stamps every signed PDF with a small box ("Ký bởi: …", "Cơ quan: …",
"Thời gian ký: 16.04.2020 07:37:07 +07:00"). On a scanned letter that box is often the PDF's
only text layer: it is no text layer of the letter (the page must be OCR'd), but it is evidence
worth keeping — the signing time bounds the date of issue when a handwritten day cannot be read.
Labels are data (extractors/data/esign.toml).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.tables import entries

# 16.04.2020 07:37:07, 07/02/2025 10:15, 2024.11.06 14:02:11 (day first unless the year leads)
_TIME = re.compile(
    r"(?:(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})|(?P<y2>\d{4})[./-](?P<m2>\d{1,2})[./-](?P<d2>\d{1,2}))"
    r"(?:[ T,]+(?P<hh>\d{1,2}):(?P<mm>\d{2})(?::(?P<ss>\d{2}))?)?")


@dataclass(frozen=True)
class StampLine:
    field: str
    value: str
    start: int  # offsets of the whole line in the text
    end: int


@cache
def _labels() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((e["field"], re.compile(rf"^\s*(?:{e['pattern']})\s*", re.I)) for e in entries("esign", "label"))


def stamp_lines(text: str) -> list[StampLine]:
    """The lines of `text` that are lines of a digital-signature stamp."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        for field, label in _labels():
            if m := label.match(line):
                out.append(StampLine(field, line[m.end():].strip(), pos, pos + len(line.rstrip("\r\n"))))
                break
        pos += len(line)
    return out


def without_stamp(text: str) -> str:
    """`text` with its stamp lines taken out: what is left of a letter's own text layer."""
    lines = stamp_lines(text)
    for ln in reversed(lines):
        text = text[: ln.start] + text[ln.end :]
    return text


def signed_at(value: str) -> str | None:
    """The ISO date and time of a stamp's signing time ('16.04.2020 07:37:07' -> '2020-04-16T07:37:07')."""
    m = _TIME.search(value)
    if not m:
        return None
    day, month, year = (m.group("d"), m.group("m"), m.group("y")) if m.group("y") else (
        m.group("d2"), m.group("m2"), m.group("y2"))
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return None
    iso = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if m.group("hh"):
        iso += f"T{int(m.group('hh')):02d}:{m.group('mm')}:{m.group('ss') or '00'}"
    return iso
