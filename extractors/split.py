"""Where each letter starts and ends in a file that may hold several.

A letter starts with its header block: issuing body, national motto, "Số:" line. A
forwarding letter followed by the directive it forwards (sample 004) has two such
blocks. A web page that reports a letter ("... ban hành Công văn số 966/UBND-KSTTHC về
...") has none: it yields one `news_report`. Text with neither, but with enough of a
letter's parts (Kính gửi, V/v, Nơi nhận, a signature prefix), is one letter whose header
was lost; text with none of it is no letter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from extractors.attachments import is_caption
from extractors.closing import is_authority_line, is_person_name, is_signing_title
from extractors.lines import Line, is_upper, lines_of, looks_like_paragraph
from extractors.tables import entries, phrase_pattern

NUMBER_LINE = re.compile(r"^S[ốôổo]\s*[:.;]?\s*\d[^\n]*/")
# A certified copy's block (SAO Y / SAO LỤC / TRÍCH SAO) has its own number but is no new letter.
COPY_NUMBER = re.compile(r"/\s*(?:SY|SL|TrS)\s*-", re.I)
# The national motto; party documents carry the party's name in its place.
NATIONAL_MOTTO = re.compile(
    r"C[ỘO]NG\s+H[ÒO]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM|Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM",
    re.I,
)
# Fields of the incoming-mail stamp ("ĐẾN Số: 11116 / Ngày: 14/1/23 / Chuyển: ...").
# OCR reads the stamp's ĐẾN as ĐEN, and Chuyển as Chuyên.
STAMP_LINE = re.compile(r"^(?:Đ[ẾEÊ]N\b|Số\s*:\s*\d+\b[^/]*$|Ngày\s*:\s*[\d/.\-\s]+$|Giờ\s*:|Chuy[ểêe]n\s*:)")
REPORTED_LETTER = re.compile(
    r"\bban\s+hành\s+(?:Công\s+văn|Công\s+điện|Chỉ\s+thị|Kế\s+hoạch|Thông\s+báo|Quyết\s+định|Văn\s+bản|"
    r"Hướng\s+dẫn|Chương\s+trình|Nghị\s+quyết)\s+số\s+\d"
)
NOI_NHAN = re.compile(r"^N[ơo]i\s+nh[ậâ]n\b")


@cache
def opening_words() -> str:
    """The words a body paragraph opens with, as a regex (letter_signals.toml [[opening]]);
    "Ngày" only before a number ("Ngày 20 tháng 11, ..."), as a date line is no opening."""
    words = [w for e in entries("letter_signals", "opening") for w in e["words"]]
    return r"(?:" + phrase_pattern(words) + r"\b|Ngày\s+\d)"


@cache
def _signals() -> dict[str, list[re.Pattern[str]]]:
    """extractors/data/letter_signals.toml, by kind."""
    kinds: dict[str, list[re.Pattern[str]]] = {}
    for e in entries("letter_signals", "signal"):
        kinds.setdefault(e["kind"], []).append(re.compile(e["pattern"], re.M))
    return kinds


# Header lines of one letter lie within this many lines of each other.
_HEADER_WINDOW = 12


@dataclass(frozen=True)
class LetterSpan:
    start: int
    end: int
    form: Literal["letter", "news_report"] = "letter"


def _is_header_line(text: str) -> bool:
    return is_upper(text) or bool(STAMP_LINE.match(text)) or bool(NUMBER_LINE.match(text))


def is_motto_line(line: str, next_line: str = "") -> bool:
    """The national motto (or the Party's name) as a header prints it: in capitals, perhaps wrapped
    over two lines ("CỘNG HÒA XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM"). The same words in a sentence ("Quốc khánh
    nước Cộng hòa xã hội chủ nghĩa Việt Nam") are no header."""
    if "NAM" not in line and "NAM" not in next_line:
        return False  # cheap literal pre-filter: the motto in capitals ends "VIỆT NAM"
    for candidate in (line, f"{line} {next_line}"):
        if (m := NATIONAL_MOTTO.search(candidate)) and is_upper(m.group(0)) and m.start() < len(line):
            return True
    return False


def split_letters(text: str) -> list[LetterSpan]:
    lines = lines_of(text)
    anchors = [
        i
        for i, ln in enumerate(lines)
        if (NUMBER_LINE.match(ln.text) and not COPY_NUMBER.search(ln.text))
        or is_motto_line(ln.text, lines[i + 1].text if i + 1 < len(lines) else "")
    ]
    groups: list[list[int]] = []
    for i in anchors:
        if groups and i - groups[-1][-1] <= _HEADER_WINDOW:
            groups[-1].append(i)
        elif groups and _issued_with_previous(lines, i):
            continue  # the header of a plan or regulation issued with the letter before: no new letter
        else:
            groups.append([i])
    if groups:
        starts = [0]
        for prev, group in zip(groups, groups[1:]):
            first = group[0]
            while first - 1 > prev[-1] and _is_header_line(lines[first - 1].text):
                first -= 1
            starts.append(lines[first].start)
        ends = starts[1:] + [len(text)]
        return [LetterSpan(s, e) for s, e in zip(starts, ends)]
    # A letter's own parts first: a letter that cites another as "ban hành Công văn số ..." is no news page.
    parts = sum(bool(p.search(text)) for p in _signals()["part"]) + any(is_authority_line(ln.text) for ln in lines)
    if parts >= 2 or (_has_instructions(lines) and _has_closing(lines)):
        return [LetterSpan(0, len(text))]
    if REPORTED_LETTER.search(text):
        return [LetterSpan(0, len(text), "news_report")]
    if _has_instructions(lines) and _has_directed_list(lines):
        return [LetterSpan(0, len(text))]  # a letter's body with its header and closing cut off
    return []


def _issued_with_previous(lines: list[Line], i: int) -> bool:
    """A header block (motto, issuer) at lines[i] with no number of its own and, under its title, a
    caption "(Ban hành kèm theo Quyết định số ...)": an attachment of the letter before it."""
    window = lines[i : i + _HEADER_WINDOW + 6]
    own_number = any(NUMBER_LINE.match(ln.text) and not COPY_NUMBER.search(ln.text) for ln in window[1:_HEADER_WINDOW])
    return not NUMBER_LINE.match(lines[i].text) and not own_number and any(is_caption(ln.text) for ln in window)


_NUMBERED_ITEM = re.compile(r"^(?:\d{1,2}|[IVX]{1,4})[.)/]\s")


def _has_directed_list(lines: list[Line]) -> bool:
    """A lead-in that asks ("Chủ tịch Ủy ban nhân dân thành phố yêu cầu:") and numbered items under it:
    a letter's body, even with its header and closing cut off (a copy on a news page)."""
    instruction = _signals()["instruction"]
    for i, ln in enumerate(lines):
        if ln.text.rstrip().endswith(":") and any(p.search(ln.text) for p in instruction):
            return sum(bool(_NUMBERED_ITEM.match(x.text)) for x in lines[i + 1 :]) >= 2
    return False


def _has_instructions(lines: list[Line]) -> bool:
    """A paragraph of running text that tells someone to act."""
    instruction = _signals()["instruction"]
    return any(looks_like_paragraph(ln.text) and any(p.search(ln.text) for p in instruction) for ln in lines)


# A signature block sits at the end: its title and the signer's name within these last lines.
_CLOSING_LINES = 12


def _has_closing(lines: list[Line]) -> bool:
    """A letter's closing without its header: "Nơi nhận", or a signing title with a name under it."""
    tail = lines[-_CLOSING_LINES:]
    if any(NOI_NHAN.match(ln.text) for ln in lines):
        return True
    return any(is_signing_title(a.text) and is_person_name(b.text.strip()) for a, b in zip(tail, tail[1:]))
