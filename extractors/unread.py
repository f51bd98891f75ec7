"""A header whose handwritten or stamped number or day OCR could not read: keep what is printed.

Most e-office letters are numbered and dated by hand or by a stamp after signing ("Số: 46
/TB-UBND", "ngày 24 tháng 01 năm 2025": the 46 and the 24 are ink). Where OCR gives no clean
digits there (pipeline/zones.py writes "…" for a zone it could not read; a first reading may be
junk such as "4@`"), the printed part is kept — the symbol, the month and year — the rest is
null, and the letter is flagged for review with the reason. A value that cannot be right is
treated the same way and never emitted: a day the month does not have, a date of issue before a
letter it cites.

`complete_header` runs once per letter, after the header and the references are read.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from extractors.dates import make_date
from extractors.header import Found, Header
from extractors.keys import parse_key
from extractors.lines import lines_of
from schemas import Reference

# "Số: 4@` /TB-UBND", "Số: … /CT-UBND", "Số: /TB-UBND": a number line whose number is not digits
# (a text layer may go on with the right column: "Số: /TB-UBND Quảng Ngãi, ngày tháng 11 năm 2024")
_NUMBER_LINE = re.compile(r"^S[ốôổo]\s*[:.;]?\s*(?P<number>[^/\n]{0,12}?)\s*/\s*(?P<symbol>[^\s/]+(?:\s*-\s*[^\s/-]+)*)")
_DIGITS = re.compile(r"\d{1,6}")
CITED_AFTER_DAYS = 365
# a date right after a cited letter's number ("tại tờ trình số 41/TTr-UBND, ngày 02 tháng 04 năm 2008"):
# the cited letter's date, not the date line (whose number line says "Số:", with a capital)
_CITED_BEFORE = re.compile(r"\bsố\s*:?\s*[^\s/]+/[^\s,]+\s*,?\s*$")
# a place as a date line names it: words in capitals ("Hà Nội", "TP. Hồ Chí Minh"), or a level before them
_PLACE = re.compile(r"(?:(?:thành phố|tỉnh|huyện|thị xã|quận|xã|phường|thị trấn)\s)?"
                    r"(?:[A-ZĐÀ-Ỹ][^\W\d_]*\.?\s?){1,5}")
# "ngày … tháng 01 năm 2025", "ngày 34 tháng 01 năm 2025", "ngày tháng 11 năm 2024"
_DATE_LINE = re.compile(
    r"ngày\s*(?P<day>[^\n]{0,8}?)\s*tháng\s*(?P<month>\d{1,2})\s*năm\s*(?P<year>(?:19|20)\d\d)\b", re.I)


def complete_header(h: Header, text: str, references: list[Reference]) -> list[tuple[str, str]]:
    """Fill in the printed part of an unread number or day of `h`; return (code, message) notes.

    Codes: `unread_number` (key keeps its symbol, number null), `unread_day` (date given as its
    month), `implausible_date` (a date that cannot be the date of issue, left out).
    """
    reasons: list[tuple[str, str]] = []
    header_lines = lines_of(text, 0, h.body_start)
    if h.key is None:
        reasons += _partial_number(h, header_lines)
    if h.date is not None and h.place is not None and not _PLACE.fullmatch(h.place.value):
        # "Về kế hoạch giảng dạy từ ngày 01/3/2022": a date in the subject, not the place-date line
        reasons.append(("implausible_date",
                        f"the date {h.date.value} follows {h.place.value!r}, which is no place: not the date of issue"))
        h.date = h.place = None
    if h.date is not None and (late := _cited_after(h.date.value, references)):
        reasons.append(("implausible_date", f"the date {h.date.value} is over a year before a letter it cites "
                                            f"({late}): not the date of issue"))
        h.date = None
    if h.date is None:
        reasons += _partial_date(h, header_lines, references)
    return reasons


def _partial_number(h: Header, lines) -> list[tuple[str, str]]:  # noqa: ANN001 - extractors.lines.Line
    for ln in lines:
        m = _NUMBER_LINE.match(ln.text)
        if not m or _DIGITS.fullmatch(m.group("number")):
            continue
        key = parse_key(f"0/{m.group('symbol')}")
        if key is None:
            continue
        partial = dataclasses.replace(key, key=f"/{key.symbol}", number="")
        h.key = Found(partial, ln.start + m.start("symbol") - 1, ln.start + m.end("symbol"))
        h.issuer_lines = [x for x in h.issuer_lines if x.start != ln.start]
        h.stray = [x for x in h.stray if x.start != ln.start]
        read = m.group("number").strip(" .…")
        what = f"OCR read {read!r}" if read else "it is blank or handwritten"
        return [("unread_number", f"the number before /{key.symbol} could not be read ({what}): number left out")]
    return []


def _partial_date(h: Header, lines, references: list[Reference]) -> list[tuple[str, str]]:  # noqa: ANN001
    for ln in lines:
        m = _DATE_LINE.search(ln.text)
        if not m:
            continue
        if _CITED_BEFORE.search(ln.text[: m.start()]):
            continue
        year, month = int(m.group("year")), int(m.group("month"))
        if not make_date(1, month, year) or _cited_after(f"{year:04d}-{month:02d}-28", references):
            continue
        day = m.group("day").strip(" .…")
        if day.isdigit() and (iso := make_date(int(day), month, year)):
            h.date = Found(iso, ln.start + m.start(), ln.start + m.end())  # a date line whose place OCR garbled
            return []
        h.date = Found(f"{year:04d}-{month:02d}", ln.start + m.start(), ln.start + m.end())
        place = ln.text[: m.start()].strip(" ,.")
        if h.place is None and _PLACE.fullmatch(place):
            h.place = Found(place, ln.start, ln.start + len(place))
        if day.isdigit():
            what = f"day {day} of month {month} cannot be"
        else:
            what = f"the day could not be read ({f'OCR read {day!r}' if day else 'blank or handwritten'})"
        return [("unread_day", f"{what}: the date of issue is given as its month, {year:04d}-{month:02d}")]
    return []


def _cited_after(date: str, references: list[Reference]) -> str | None:
    """A cited letter dated over a year after `date` (a letter cites earlier ones), or None.

    A year, not a day: a letter may cite one dated the same week, and typed texts carry slips
    ("ngày 06 tháng 1" for tháng 11); years apart is a misread year.
    """
    if len(date) != 10:
        return None
    limit = dt.date.fromisoformat(date) + dt.timedelta(days=CITED_AFTER_DAYS)
    later = [r for r in references if r.date and len(r.date) == 10 and dt.date.fromisoformat(r.date) > limit]
    return f"{later[0].key} of {later[0].date}" if later else None
