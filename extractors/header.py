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
from typing import Generic, TypeVar, cast

from extractors.assignees import split_names, starts_with_action
from extractors.bodies import starts_body
from extractors.dates import find_date
from extractors.keys import KEY_PATTERN, DocumentKey, parse_key
from extractors.lines import LIST_ITEM, Line, is_upper, lines_of, list_item_text, looks_like_paragraph
from extractors.split import NATIONAL_MOTTO, NUMBER_LINE, STAMP_LINE, opening_words
from extractors.tables import entries, phrase_pattern

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
    block_start: int | None = None  # set when the header is one paragraph (a news report)

    @property
    def start(self) -> int:
        """Where the first header field starts: what comes before is no part of the letter."""
        if self.block_start is not None:
            return self.block_start
        found = [f.start for f in (self.key, self.place, self.date, self.doc_type, self.subject, self.stamp) if f]
        found += [ln.start for ln in self.issuer_lines[:1]] + [m.start for m in self.marks.values()]
        return min(found, default=self.body_start)


_MOTTO = re.compile(r"Độc\s+lập\s*-?\s*Tự\s+do\s*-?\s*Hạnh\s+phúc", re.I)
_NUMBER_VALUE = re.compile(r"^S[ốôổo]\s*[:.;]?\s*")
_PLACE_DATE = re.compile(
    r"(?P<place>[^\W\d_][^\n,;:]{1,40}?)\s*,?\s+(?P<date>ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}"
    r"|ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})",
    re.I,
)
_STAMP_WORD = re.compile(r"^Đ[ẾEÊ]N\b")
_STAMP_NUMBER = re.compile(r"Số\s*:\s*(\d+)\b[^/]*$")
_STAMP_LABEL = re.compile(r"^Chuy[ểêỂÊe]n\s*[:;]?\s+", re.I)
_BARE_DATE = re.compile(r"^[,\s]*ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\s*$", re.I)
_BLANK_NUMBER = re.compile(r"^S[ốôổo]\s*[:.]\s*[/.…]*\s*/")
_LEGAL_BASIS = re.compile(r"^Căn\s+cứ\b")
_KEY_VALUE = re.compile(KEY_PATTERN, re.VERBOSE)  # the number as keys.py reads every number
_SUBJECT = re.compile(r"^(?:V/v|Về\s+việc|Về\s*:)\s*[:.]?\s*", re.I)
_DEAR = re.compile(rf"^(?:{phrase_pattern(w['word'] for w in entries('recipients', 'addressing'))})\s*[:.]?\s*", re.I)
# After an addressee: why it is sent ("(để báo cáo)"), or a line of its particulars ("Mã số thuế: ...").
_PURPOSE = re.compile(rf"\s*\(\s*(?:{phrase_pattern(w['word'] for w in entries('recipients', 'purpose'))})\s[^()]*\)\s*$", re.I)
_DETAIL = re.compile(rf"(?:{phrase_pattern(w['word'] for w in entries('recipients', 'detail'))})(?:\s+\w+){{0,4}}\s*:", re.I)
_TELEGRAM_TO = re.compile(r"^(?P<who>[^\n]{3,80}?)\s+điện\s*:\s*$", re.I)
_OPENING = re.compile("^" + opening_words())
_CLAUSE_LABEL = re.compile(r"^(?:[IVX]+\.|\d+\.|[a-zđ]\)|Điều\s+\d)")


@cache
def _type_titles() -> dict[str, tuple[str, str]]:
    return {e["label"].casefold(): (e["code"], e["label"]) for e in entries("doc_types", "type")}


@cache
def _marks() -> dict[str, tuple[str, str]]:
    return {e["text"]: (e["field"], e["value"]) for e in entries("signature", "mark")}


def _read_stamp(lines: list[Line], i: int) -> tuple[Stamp, int]:
    """The stamp's field lines from lines[i] on; returns the stamp and the next index."""
    number = date = routing = None
    j = i
    while j < len(lines) and (j == i or STAMP_LINE.match(lines[j].text)):
        t = lines[j].text
        if j > i and (label := _STAMP_LABEL.match(t)) and is_upper(t[label.end() :]) and starts_body(t[label.end() :]):
            break  # not a routing note: the issuer's line, which OCR put after the stamp's label
        if m := re.search(r"Số\s*:\s*(\d+)", t):
            number = m.group(1)
        if m := re.search(r"Ngày\s*:\s*(.+)$", t):
            if found := find_date(m.group(1)):
                date = found.iso
        if m := re.search(r"Chuy[ểêe]n\s*:\s*(.+)$", t):
            routing = m.group(1).strip()
        j += 1
    return Stamp(number, date, routing, lines[i].start, lines[j - 1].end), j


def _subject_end(text: str, lines: list[Line], i: int, first: str) -> int:
    """Index past the lines that continue a subject begun on lines[i] (its text so far: `first`).

    Web copies wrap a title in capitals over several lines with no blank line after it, so
    a capitals line continues a capitals subject; it stops at a blank line, at another header
    field, at the body's first words, or at a signing authority's line ("CHỦ TỊCH UBND TỈNH ...").
    """
    j = i + 1
    if not first.strip() and j < len(lines):
        first = lines[j].text  # "V/v" alone: the subject is the next line, whatever it starts with
        j += 1
    # a first line too short to tell ("Ý" / "KIẾN CHỈ ĐẠO ..."): the subject is in the case of the next
    upper = is_upper(first) if sum(c.isalpha() for c in first) >= 2 or j >= len(lines) else is_upper(lines[j].text)
    while j < len(lines) and "\n\n" not in text[lines[j - 1].end : lines[j].start + 1]:
        t = lines[j].text
        if (
            _DEAR.match(t) or LIST_ITEM.match(t) or _OPENING.match(t) or _CLAUSE_LABEL.match(t)
            or NUMBER_LINE.match(t) or _place_date_line(t) or _starts_with_title(t)
            or (is_upper(t) != upper and (len(t.split()) > 3 or upper))
        ):
            break
        j += 1
    return j


@cache
def _title_start() -> re.Pattern[str]:
    titles = sorted((e["name"] for e in entries("bodies", "title")), key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(t) for t in titles) + r")\s+\S", re.I)


def _starts_with_title(t: str) -> bool:
    """A signing authority's own line in a decision: 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI'."""
    m = _title_start().match(t)
    return m is not None and starts_body(t[m.end() - 1 :])


def _without_motto(text: str, lines: list[Line]) -> list[Line]:
    """The lines with the national motto cut out, wherever its words were wrapped.

    A flattened two-column header puts it beside the issuer ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ
    HỘI ...") or breaks it over lines ("CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"); what is left of
    such a line is still a header field.
    """
    if not lines:
        return lines
    lo, hi = lines[0].start, lines[-1].end
    spans = [m.span() for p in (NATIONAL_MOTTO, _MOTTO) for m in p.finditer(text, lo, hi)]
    if not spans:
        return lines
    out = []
    for ln in lines:
        pos, pieces = ln.start, []
        for s, e in sorted(spans):
            if e <= ln.start or s >= ln.end:
                continue
            pieces.append((pos, max(pos, s)))
            pos = max(pos, e)
        pieces.append((pos, ln.end))
        if len(pieces) == 1:
            out.append(ln)
            continue
        for s, e in pieces:
            piece = text[s:e]
            stripped = piece.strip(" -|")
            if any(c.isalpha() or c.isdigit() for c in stripped):
                first = s + piece.index(stripped)
                out.append(Line(first, first + len(stripped), stripped))
    return out


def read_header(text: str, start: int, end: int) -> Header:
    """Header fields of the letter in text[start:end], and where its body starts."""
    h = Header(body_start=end)
    lines = _without_motto(text, lines_of(text, start, end))
    header_until = _last_header_line(lines)
    i = 0
    expect_subject = False
    numbered = False  # a "Số:" line without a number read
    while i < len(lines):
        ln = lines[i]
        t = ln.text
        if STAMP_LINE.match(t) and _STAMP_WORD.match(t):
            above = lines[i - 1] if i else None
            h.stamp, i = _read_stamp(lines, i)
            if h.stamp.number is None and above and (m := _STAMP_NUMBER.search(above.text)):
                # the stamp's number, read by OCR on the line above its ĐẾN
                h.stamp = Stamp(m.group(1), h.stamp.date, h.stamp.routing, above.start, h.stamp.end)
                h.stray = [ln for ln in h.stray if ln is not above]
            continue
        if (label := _STAMP_LABEL.match(t)) and h.key is None and label.end() < len(t):
            # a stamp field glued by OCR onto a header line: "Chuyên: UBND TỈNH TÂY NINH"
            ln = Line(ln.start + label.end(), ln.end, t[label.end() :])
            t = ln.text
        if t.strip() in _marks():
            fld, value = _marks()[t.strip()]
            h.marks[fld] = Found(value, ln.start, ln.end)
            i += 1
            continue
        if h.key is None and h.date is None and not h.issuer_lines and _take_portal_heading(h, ln):
            i += 1
            continue
        if h.key is None and _BLANK_NUMBER.match(t):
            i += 1  # a draft's "Số: /KH-UBND": no number yet
            numbered = True
            continue
        if h.key is None and NUMBER_LINE.match(t) and (key_text := _KEY_VALUE.match(t, cast(re.Match[str], _NUMBER_VALUE.match(t)).end())):
            if key := parse_key(key_text.group(0)):
                h.key = Found(key, ln.start + key_text.start(), ln.start + key_text.end())
            # OCR puts the right-hand column on the same line: "Số: 8731/UBND Cần Giờ, ngày ..."
            after = t[key_text.end() :]
            offset = ln.start + key_text.end() + (len(after) - len(after.lstrip(" .,;:-_")))
            if h.date is None and (pd := _place_date_line(after.strip(" .,;:-_"))):
                _take_place_date(h, Line(offset, ln.end, ""), pd)
            elif h.date is None and _BARE_DATE.match(after) and (found := find_date(after)):
                h.date = Found(found.iso, offset, ln.end)  # the date line, its place lost, joined on
            i += 1
            continue
        if h.date is None and (pd := _place_date_line(t)):
            _take_place_date(h, ln, pd)
            i += 1
            continue
        if h.date is None and (bare := _BARE_DATE.match(t)) and (found := find_date(t)):
            h.date = Found(found.iso, ln.start + bare.start(), ln.start + bare.end())  # place lost by OCR
            i += 1
            continue
        if h.subject is None and (m := _SUBJECT.match(t)):
            j = _subject_end(text, lines, i, t[m.end() :])
            _take_subject(h, text, ln.start + m.end(), lines[j - 1].end)
            if h.doc_type is None:
                h.doc_type = Found(("cong_van", "Công văn"), ln.start, ln.start + m.end())
            i = j
            expect_subject = False
            continue
        title = t.strip().rstrip(":").strip().casefold()
        if h.subject is None and is_upper(t) and (not t.rstrip().endswith(":") or _subject_follows(lines, i)) and (
            taken := _type_title_lines(lines, i, title, untyped=h.doc_type is None)
        ):
            code_label, last = taken
            h.doc_type = Found(code_label, ln.start, lines[last].end)
            expect_subject = True
            i = last + 1
            continue
        if expect_subject and not (
            _DEAR.match(t) or _LEGAL_BASIS.match(t) or t.rstrip().endswith((";", ":")) or _starts_with_title(t)
        ):
            j = _subject_end(text, lines, i, t)
            _take_subject(h, text, ln.start, lines[j - 1].end)
            expect_subject = False
            i = j
            continue
        if (m := _DEAR.match(t)) or (m := _TELEGRAM_TO.match(t)):
            i = _read_recipients(h, text, lines, i, ln.start + m.end())
            continue
        if is_upper(t) and h.key is None and h.date is None and not h.recipients and not numbered:
            # the issuer is above the "Số:" line: a capitalized line below a blank or unread number
            # is a decision's authority line or a stamp read as text, not the issuer
            h.issuer_lines.append(ln)
            i += 1
            continue
        if i > header_until and _starts_body(t):
            h.body_start = ln.start
            break
        h.stray.append(ln)
        i += 1
    return h


def _subject_follows(lines: list[Line], i: int) -> bool:
    """Whether the line after line i opens the subject ("Về việc ..."): then a type title read with
    a colon ("QUYẾT ĐỊNH :", a speck after it) is the header's title, not the operative "QUYẾT ĐỊNH:"."""
    return i + 1 < len(lines) and _SUBJECT.match(lines[i + 1].text) is not None


@cache
def _portal_heading() -> re.Pattern[str]:
    """A web portal's heading for a letter whose header block it dropped: "Công văn số 1234/UBND-VX
    ngày 05/3/2024 của UBND tỉnh Đồng Nai V/v triển khai ...", "Công văn 1234/UBND-VX về việc ..."."""
    labels = sorted((e["label"] for e in entries("doc_types", "type")), key=len, reverse=True)
    return re.compile(
        r"^(?P<type>" + "|".join(re.escape(x) for x in labels) + r")\s+(?:số\s*:?\s*)?(?P<key>\d[\w.&/\-]*/[\w.&\-]+)"
        r"(?:\s*,?\s*ngày\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}))?"
        r"(?:\s+(?:của|do)\s+(?P<issuer>.+?))?"
        r"(?:\s*[:,-]?\s+(?P<subject_label>V/v|về\s+việc|về)\s+(?P<subject>.+))?$",
        re.I,
    )


def _take_portal_heading(h: Header, ln: Line) -> bool:
    """Key, type, date and subject from a portal's heading line; whether it was one."""
    m = _portal_heading().match(ln.text)
    if m is None or (key := parse_key(m.group("key"))) is None or not (m.group("date") or m.group("subject")):
        return False
    h.key = Found(key, ln.start + m.start("key"), ln.start + m.end("key"))
    label = m.group("type").casefold()
    h.doc_type = Found(_type_titles()[label], ln.start + m.start("type"), ln.start + m.end("type"))
    if m.group("date") and (found := find_date("ngày " + m.group("date"))):
        h.date = Found(found.iso, ln.start + m.start("date"), ln.start + m.end("date"))
    if m.group("subject"):
        h.subject = Found(m.group("subject").strip(), ln.start + m.start("subject"), ln.end)
    if m.group("issuer") and starts_body(m.group("issuer")):
        h.issuer_lines.append(Line(ln.start + m.start("issuer"), ln.start + m.end("issuer"), m.group("issuer")))
    return True


def _type_title_lines(lines: list[Line], i: int, title: str, *, untyped: bool = True,
                      ) -> tuple[tuple[str, str], int] | None:
    """The type's title on lines[i] ("QUYẾT ĐỊNH"), or wrapped onto the next line ("QUYẾT" / "ĐỊNH");
    the (code, label) and the index of its last line. `untyped`: no type title was read before (a
    "KẾT LUẬN CỦA ..." under "THÔNG BÁO" is the subject of the notice)."""
    if title in _type_titles():
        return _type_titles()[title], i
    # "THÔNG BÁO KẾT LUẬN": a title naming the type and, after it, what kind of that type it is;
    # "QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH": an older title naming its issuer
    words = title.split()
    for cut in range(1, len(words)):
        first, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if first in _type_titles() and (rest in _type_titles() or (untyped and words[cut] == "của" and starts_body(" ".join(words[cut + 1:])))):
            return _type_titles()[first], i
    if i + 1 < len(lines) and is_upper(lines[i + 1].text):
        joined = f"{title} {lines[i + 1].text.strip().rstrip(':').strip().casefold()}"
        if joined in _type_titles():
            return _type_titles()[joined], i + 1
    return None


def _place_date_line(t: str) -> re.Match[str] | None:
    """'Cần Giờ, ngày 29 tháng 11 năm 2023' as a line of its own (not a date in a sentence)."""
    pd = _PLACE_DATE.match(t)
    if pd and pd.end() >= len(t.rstrip(" .")) - 1 and not any(c.isdigit() for c in pd.group("place")):
        return pd
    return None


def _take_subject(h: Header, text: str, start: int, end: int) -> None:
    raw = text[start:end]
    lead = len(raw) - len(raw.lstrip(" :.-\n"))
    value = " ".join(raw[lead:].split())
    if value:
        h.subject = Found(value, start + lead, end)


def _take_place_date(h: Header, ln: Line, pd: re.Match[str]) -> None:
    found = find_date(pd.group("date"))
    place = pd.group("place").strip()
    if found is None or not place[0].isupper() or len(place.split()) > 6:
        return
    h.place = Found(place, ln.start + pd.start("place"), ln.start + pd.end("place"))
    h.date = Found(found.iso, ln.start + pd.start("date"), ln.start + pd.end("date"))


def _read_recipients(h: Header, text: str, lines: list[Line], i: int, rest_start: int) -> int:
    """The addressees after a "Kính gửi" line: on the line itself, or listed below it (dashed,
    or undashed after a bare "Kính gửi:"), each item as long as it runs over its lines."""
    ln = lines[i]
    rest = text[rest_start : ln.end].strip()
    if rest:
        pos = rest_start
        for part in re.split(r"(;)", text[rest_start : ln.end]):
            if part != ";" and (name := list_item_text(part)):
                s = text.index(name, pos)
                # "Kính gửi: Sở Nội vụ, Sở Tài chính.": bodies side by side on one line
                for body in split_names(text, s, s + len(name)):
                    h.recipients.append(Found(body.text.strip(), body.start, body.end))
            pos += len(part)
    i += 1
    ended = False  # the last item closed with ".": only another short dashed item goes on
    while i < len(lines):
        dashed = bool(LIST_ITEM.match(lines[i].text))
        if not dashed and (rest or ended):
            break
        item, j = _recipient_item(text, lines, i)
        flat = " ".join(item.text.split())
        if _DEAR.match(flat) or _OPENING.match(list_item_text(flat)):
            break
        named = list_item_text(flat)
        if not flat.endswith((";", ".")) and not dashed or len(flat.split()) > _LONGEST_RECIPIENT or (
                ended and (not flat.endswith((";", ".")) or starts_with_action(named, 0, len(named)))):
            break
        i = j
        name = _PURPOSE.sub("", named).rstrip(" ;.,")
        if name and not _DETAIL.match(name):
            s = item.start + len(item.text) - len(item.text.lstrip("-+• "))
            h.recipients.append(Found(name, s, item.end - (len(item.text) - len(item.text.rstrip(";., ")))))
        ended = flat.endswith(".")
    return i


# An addressee, however long its title, is a line or three; a longer "item" is the body's.
_LONGEST_RECIPIENT = 40


def _recipient_item(text: str, lines: list[Line], i: int) -> tuple[Line, int]:
    """The item that starts on lines[i], with the lines it runs on to ("... các tỉnh: Hưng Yên,
    Ninh" / "Bình, Bắc Ninh."; "- Bộ trưởng các Bộ:" / "" / "Quốc phòng, Công an,"), and the
    index after it. An item goes on while it has not closed with ";" or "." and the next line is
    no item, "Kính gửi" or opening of its own: after "," or ":" (even past a blank line), or as a
    short line (OCR keeps a name's last word on a line of its own) or one that closes like an item
    and is no order."""
    item, j = lines[i], i + 1
    while j < len(lines):
        end = item.text.rstrip(" *")
        nxt = lines[j]
        if end.endswith((";", ".")) or LIST_ITEM.match(nxt.text) or _DEAR.match(nxt.text) or _OPENING.match(nxt.text):
            break
        open_end = end.endswith((",", ":"))
        words = len(nxt.text.split())
        if "\n\n" in text[item.end : nxt.start + 1] and not open_end:
            break
        closes = nxt.text.rstrip().endswith((",", ";", ".", ":"))
        if not (open_end or words <= 6 or (closes and len(item.text.split()) + words <= _LONGEST_RECIPIENT
                                            and not starts_with_action(nxt.text, 0, len(nxt.text)))):
            break
        item, j = Line(item.start, nxt.end, text[item.start : nxt.end]), j + 1
    return item, j


# A letter's header fits in its first lines; the body's own "Về việc ..." further down is not one.
_HEADER_LINES = 40


def _last_header_line(lines: list[Line]) -> int:
    """Index of the last line, before the first clause, that can only be a header field.

    Running text above it (a web page's headline, an OCR'd note) is not the body.
    """
    last = -1
    subject_seen = False
    for i, ln in enumerate(lines[:_HEADER_LINES]):
        t = ln.text
        if _CLAUSE_LABEL.match(t):
            break
        title = t.strip().casefold()
        # "Về việc ..." is a subject once: a later paragraph that opens so ("Về việc góp vốn ..., đề
        # nghị ...") is the body's
        subject = bool(_SUBJECT.match(t)) and not subject_seen and not (looks_like_paragraph(t) and t.endswith("."))
        subject_seen = subject_seen or subject
        if (
            NUMBER_LINE.match(t)
            or _place_date_line(t)
            or subject
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
