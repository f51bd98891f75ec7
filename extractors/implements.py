"""Which directive(s) a letter carries out.

The letter says so in its opening: "Thực hiện Công văn số 5611/UBND-VX ...", "Triển khai
Công điện số 968/CĐ-TTg ...", "Thực hiện chỉ đạo của UBND tỉnh tại Công văn số ...",
"Tiếp theo Công văn số ...", or in a subject such as "V/v triển khai thực hiện Công điện
số 968/CĐ-TTg". Only the documents that are the object of that opening count: not the
ones named inside their subject ("... về sửa đổi Nghị định số ..."), not the legal bases
("Căn cứ ..."), not a report being answered ("Phúc đáp ..."), and not what the letter
goes on to ask ("..., Chủ tịch UBND tỉnh yêu cầu thực hiện Nghị định ...").
"""
from __future__ import annotations

import re

from schemas import Reference

from extractors.lines import Line

_OPENING = re.compile(r"^(?:Thực\s+hiện|Triển\s+khai|Tiếp\s+theo|Tiếp\s+tục\s+thực\s+hiện|Thi\s+hành)\b", re.I)
_SUBJECT_OPENING = re.compile(r"^(?:V/v\s+)?(?:tổ\s+chức\s+)?(?:triển\s+khai|thực\s+hiện|tiếp\s+tục\s+thực\s+hiện)\b", re.I)
# Where the opening phrase gives way to the main clause.
_MAIN_CLAUSE = re.compile(
    r";\s+(?!(?:và\s+)?(?:các\s+)?(?:Công|Chỉ|Kế|Quyết|Nghị|Thông|Chương|Hướng|Văn|Kết|số)\b)"
    r"|\.(?:\s|$)|,\s+ngày\s+\d|:\s*$",
    re.M,
)
# Between two citations: words that put the second inside the subject of the first, or a
# new main clause (", Sở Nội vụ đề nghị ...") that the second belongs to.
_SUBORDINATE = re.compile(
    r"\b(?:về|quy\s+định|kèm\s+theo|hướng\s+dẫn|sửa\s+đổi|thay\s+thế|ban\s+hành)\b"
    r"|,\s*[A-ZĐ]\w*\b.{0,80}?\b(?:đề\s+nghị|yêu\s+cầu|thông\s+báo|có\s+ý\s+kiến|chỉ\s+đạo|giao)\b",
)


# "..., Nghị quyết số 80-NQ/TW", "và Kế hoạch số 16/KH-HĐTĐKT": one more object of the same
# opening, whatever the previous citation's subject said.
_COORDINATED = re.compile(
    r"(?:[,;]|\bvà)\s*(?:các\s+)?(?:[A-ZĐ][\wđ]*(?:\s+[\wđ]+){0,3}\s+)?số\s*$"
)


def _objects(text: str, start: int, end: int, refs: list[Reference]) -> list[Reference]:
    """The citations in text[start:end] that are the object of an opening phrase."""
    cut = _MAIN_CLAUSE.search(text, start, end)
    stop = cut.start() if cut else end
    mentions = sorted(
        ((span.start, span.end, ref) for ref in refs for span in ref.mentions if start <= span.start < stop),
        key=lambda m: m[0],
    )
    out: list[Reference] = []
    prev_end = None
    for s, e, ref in mentions:
        coordinated = _COORDINATED.search(text, max(prev_end or start, s - 60), s)
        if prev_end is not None and not coordinated and _SUBORDINATE.search(text, prev_end, s):
            break
        if ref not in out:
            out.append(ref)
        prev_end = e
    return out


def find_implements(
    text: str, opening: list[Line], subject: tuple[int, int] | None, refs: list[Reference]
) -> list[Reference]:
    """The references the letter carries out, from its opening paragraphs and its subject."""
    found: list[Reference] = []
    for ln in opening:
        if _OPENING.match(ln.text):
            found += [r for r in _objects(text, ln.start, ln.end, refs) if r not in found]
    if subject and _SUBJECT_OPENING.match(text[subject[0] : subject[1]]):
        found += [r for r in _objects(text, subject[0], subject[1], refs) if r not in found]
    return found
