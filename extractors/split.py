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
from typing import Literal

from extractors.lines import is_upper, lines_of

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
LETTER_SIGNALS = (
    re.compile(r"^Kính\s+gửi\b", re.M),
    re.compile(r"^(?:V/v|Về\s+việc)\b", re.M | re.I),
    re.compile(r"^Nơi\s+nhận\b", re.M),
    re.compile(r"^(?:TM|T/M|KT|K/T|TL|T/L|TUQ)\.?\s", re.M),
    re.compile(r"\./\.\s*$", re.M),
)
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
    if REPORTED_LETTER.search(text):
        return [LetterSpan(0, len(text), "news_report")]
    if sum(bool(p.search(text)) for p in LETTER_SIGNALS) >= 2:
        return [LetterSpan(0, len(text))]
    return []
