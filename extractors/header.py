"""The header block of one letter, read line by line (Decree 30/2020, Phụ lục I).

Issuing body and its parent (capitals, top left), national motto, "Số:" number/symbol,
place and date, the type's title and the subject (trích yếu; "V/v ..." for a công văn),
"Kính gửi", urgency and secrecy marks, and the receiving office's "ĐẾN" stamp. Lines of
the block come in any order once OCR has flattened the two columns, so each line is
recognised by its own shape. What is recognised as none of these before the body starts
is a stray line (a handwritten routing note, "7/2023", "Ban") and is reported, not used.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Generic, TypeVar

from extractors.dates import find_date
from extractors.keys import DocumentKey, parse_key
from extractors.lines import Line, is_upper, lines_of, looks_like_paragraph
from extractors.split import NATIONAL_MOTTO, NUMBER_LINE, STAMP_LINE
from extractors.tables import entries

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    value: T
    start: int
    end: int


@dataclass(frozen=True)
class Stamp:
    number: str | None
    date: str | None
    routing: str | None
    start: int
    end: int


@dataclass
class Header:
    key: Found[DocumentKey] | None = None
    place: Found[str] | None = None
    date: Found[str] | None = None
    doc_type: Found[tuple[str, str]] | None = None  # (code, label)
    subject: Found[str] | None = None
    issuer_lines: list[Line] = field(default_factory=list)
    recipients: list[Found[str]] = field(default_factory=list)
    marks: dict[str, Found[str]] = field(default_factory=dict)
    stamp: Stamp | None = None
    stray: list[Line] = field(default_factory=list)
    body_start: int = 0


_MOTTO = re.compile(r"Độc\s+lập\s*-?\s*Tự\s+do\s*-?\s*Hạnh\s+phúc", re.I)
_NUMBER_VALUE = re.compile(r"^S[ốôổo]\s*[:.;]?\s*")
_PLACE_DATE = re.compile(
    r"(?P<place>[^\W\d_][^\n,;:]{1,40}?)\s*,?\s+(?P<date>ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})",
    re.I,
)
_KEY_VALUE = re.compile(r"\d+(?:\s*[/-]\s*[0-9A-Za-zĐđÐ&]+)+")
_SUBJECT = re.compile(r"^(?:V/v|Về\s+việc)\s*[:.]?\s*", re.I)
_DEAR = re.compile(r"^Kính\s+gửi\s*[:.]?\s*")
_TELEGRAM_TO = re.compile(r"^(?P<who>[^\n]{3,80}?)\s+điện\s*:\s*$", re.I)
_LIST_ITEM = re.compile(r"^[-+•]\s*")
_OPENING = re.compile(r"^(?:Căn\s+cứ|Thực\s+hiện|Triển\s+khai|Tiếp\s+theo|Theo|Để|Nhằm|Ngày\s+\d|Qua|Trong|Trên)\b")
_CLAUSE_LABEL = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|Điều\s+\d)")


@cache
def _type_titles() -> dict[str, tuple[str, str]]:
    return {e["label"].casefold(): (e["code"], e["label"]) for e in entries("doc_types", "type")}


@cache
def _marks() -> dict[str, tuple[str, str]]:
    return {e["text"]: (e["field"], e["value"]) for e in entries("signature", "mark")}


def _clean_item(s: str) -> str:
    return _LIST_ITEM.sub("", s).strip().rstrip(";.,").strip()


def _read_stamp(lines: list[Line], i: int) -> tuple[Stamp, int]:
    """The stamp's field lines from lines[i] on; returns the stamp and the next index."""
    number = date = routing = None
    j = i
    while j < len(lines) and (j == i or STAMP_LINE.match(lines[j].text)):
        t = lines[j].text
        if m := re.search(r"Số\s*:\s*(\d+)", t):
            number = m.group(1)
        if m := re.search(r"Ngày\s*:\s*(.+)$", t):
            if found := find_date(m.group(1)):
                date = found.iso
        if m := re.search(r"Chuyển\s*:\s*(.+)$", t):
            routing = m.group(1).strip()
        j += 1
    return Stamp(number, date, routing, lines[i].start, lines[j - 1].end), j


def _paragraph_after(text: str, lines: list[Line], i: int) -> int:
    """Index past the lines that continue lines[i] without a blank line between."""
    j = i + 1
    while j < len(lines) and "\n\n" not in text[lines[j - 1].end : lines[j].start + 1] and not (
        _DEAR.match(lines[j].text) or is_upper(lines[j].text) or _LIST_ITEM.match(lines[j].text)
    ):
        j += 1
    return j


def read_header(text: str, start: int, end: int) -> Header:
    """Header fields of the letter in text[start:end], and where its body starts."""
    h = Header(body_start=end)
    lines = lines_of(text, start, end)
    header_until = _last_header_line(lines)
    i = 0
    expect_subject = False
    while i < len(lines):
        ln = lines[i]
        t = ln.text
        if STAMP_LINE.match(t) and t.startswith("ĐẾN"):
            h.stamp, i = _read_stamp(lines, i)
            continue
        if NATIONAL_MOTTO.search(t) or _MOTTO.search(t):
            rest = _MOTTO.sub("", NATIONAL_MOTTO.sub("", t)).strip(" -")
            if rest and is_upper(rest) and h.key is None:
                h.issuer_lines.append(Line(ln.start, ln.end, rest))
            i += 1
            continue
        if t.strip() in _marks():
            fld, value = _marks()[t.strip()]
            h.marks[fld] = Found(value, ln.start, ln.end)
            i += 1
            continue
        if h.key is None and NUMBER_LINE.match(t) and (value := _KEY_VALUE.match(t, _NUMBER_VALUE.match(t).end())):
            if key := parse_key(value.group(0)):
                h.key = Found(key, ln.start + value.start(), ln.start + value.end())
            # OCR puts the right-hand column on the same line: "Số: 8731/UBND Cần Giờ, ngày ..."
            if h.date is None and (pd := _place_date_line(t[value.end() :].strip())):
                offset = ln.start + value.end() + (len(t[value.end() :]) - len(t[value.end() :].lstrip()))
                _take_place_date(h, Line(offset, ln.end, ""), pd)
            i += 1
            continue
        if h.date is None and (pd := _place_date_line(t)):
            _take_place_date(h, ln, pd)
            i += 1
            continue
        if h.subject is None and (m := _SUBJECT.match(t)):
            j = _paragraph_after(text, lines, i)
            h.subject = Found(text[ln.start + m.end() : lines[j - 1].end].replace("\n", " "), ln.start + m.end(), lines[j - 1].end)
            if h.doc_type is None:
                h.doc_type = Found(("cong_van", "Công văn"), ln.start, ln.start + m.end())
            i = j
            expect_subject = False
            continue
        title = t.strip().rstrip(":").strip().casefold()
        if h.subject is None and is_upper(t) and title in _type_titles() and not t.rstrip().endswith(":"):
            h.doc_type = Found(_type_titles()[title], ln.start, ln.end)
            expect_subject = True
            i += 1
            continue
        if expect_subject and not _DEAR.match(t):
            j = _paragraph_after(text, lines, i)
            h.subject = Found(text[ln.start : lines[j - 1].end].replace("\n", " "), ln.start, lines[j - 1].end)
            expect_subject = False
            i = j
            continue
        if (m := _DEAR.match(t)) or (m := _TELEGRAM_TO.match(t)):
            i = _read_recipients(h, text, lines, i, ln.start + m.end())
            continue
        if is_upper(t) and h.key is None and h.date is None and not h.recipients:
            h.issuer_lines.append(ln)
            i += 1
            continue
        if i > header_until and _starts_body(t):
            h.body_start = ln.start
            break
        h.stray.append(ln)
        i += 1
    return h


def _place_date_line(t: str) -> re.Match[str] | None:
    """'Cần Giờ, ngày 29 tháng 11 năm 2023' as a line of its own (not a date in a sentence)."""
    pd = _PLACE_DATE.match(t)
    if pd and pd.end() >= len(t.rstrip(" .")) - 1 and not any(c.isdigit() for c in pd.group("place")):
        return pd
    return None


def _take_place_date(h: Header, ln: Line, pd: re.Match[str]) -> None:
    found = find_date(pd.group("date"))
    place = pd.group("place").strip()
    if found is None or not place[0].isupper() or len(place.split()) > 6:
        return
    h.place = Found(place, ln.start + pd.start("place"), ln.start + pd.end("place"))
    h.date = Found(found.iso, ln.start + pd.start("date"), ln.start + pd.end("date"))


def _read_recipients(h: Header, text: str, lines: list[Line], i: int, rest_start: int) -> int:
    ln = lines[i]
    rest = text[rest_start : ln.end].strip()
    if rest:
        pos = rest_start
        for part in re.split(r"(;)", text[rest_start : ln.end]):
            if part != ";" and (name := _clean_item(part)):
                s = text.index(name, pos)
                h.recipients.append(Found(name, s, s + len(name)))
            pos += len(part)
    i += 1
    while i < len(lines) and _LIST_ITEM.match(lines[i].text):
        item = lines[i]
        name = _clean_item(item.text)
        if name:
            s = item.start + item.text.index(name)
            h.recipients.append(Found(name, s, s + len(name)))
        i += 1
        if item.text.rstrip().endswith("."):
            break
    return i


# A letter's header fits in its first lines; the body's own "Về việc ..." further down is not one.
_HEADER_LINES = 40


def _last_header_line(lines: list[Line]) -> int:
    """Index of the last line, before the first clause, that can only be a header field.

    Running text above it (a web page's headline, an OCR'd note) is not the body.
    """
    last = -1
    for i, ln in enumerate(lines[:_HEADER_LINES]):
        t = ln.text
        if _CLAUSE_LABEL.match(t):
            break
        title = t.strip().casefold()
        if (
            NUMBER_LINE.match(t)
            or _place_date_line(t)
            or (_SUBJECT.match(t) and last < i)
            or _DEAR.match(t)
            or (is_upper(t) and title in _type_titles())
        ):
            last = i
    return last


def _starts_body(t: str) -> bool:
    """Whether a line is the first of the body rather than a stray note in the header."""
    if _CLAUSE_LABEL.match(t) or _OPENING.match(t):
        return True
    return looks_like_paragraph(t) and not is_upper(t)
