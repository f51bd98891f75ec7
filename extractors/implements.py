"""Which directive(s) a letter carries out.

The letter says so in its opening (words in extractors/data/implements.toml): "Thực hiện
Công văn số 5611/UBND-VX ...", "Triển khai Công điện số 968/CĐ-TTg ...", "Thực hiện chỉ đạo
của UBND tỉnh tại Công văn số ...", "Tiếp theo Công văn số ...", at the start of a paragraph
or of a clause ("Để ..., tiếp theo Công điện số ..., Thủ tướng Chính phủ yêu cầu:"); in
"Căn cứ" + a directive (a công điện, chỉ thị, kế hoạch, kết luận, thông báo, công văn, or a
decision whose number has no year), never a law, decree, circular or resolution cited as
legal basis, and only where no other opening names what the letter carries out (a plan
titled "Thực hiện X" carries out X, its "Căn cứ" list is its background); or in a subject
such as "V/v triển khai thực hiện Công điện số 968/CĐ-TTg", a plan titled "Thực hiện Quyết
định số ..." or "Về Kết luận ... tại Thông báo số ...". The opening ends with the paragraph
that introduces the content ("... có ý kiến như sau:").

Only the documents that are the object of that opening count: not the ones named inside
their subject ("... về sửa đổi Nghị định số ..."), not a report or petition being answered
("Xét báo cáo ...", "Phúc đáp ...": no opening word), and not what the letter goes on to ask
("..., Chủ tịch UBND tỉnh yêu cầu thực hiện Nghị định ...").

A web copy or an OCR text breaks a paragraph where the page wrapped it ("Thực hiện ý kiến
của Ban Tổ chức" / "Trung ương tại Văn bản số ..."): a line that does not end its sentence
runs on into the next.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from schemas import Reference

from extractors import tables
from extractors.keys import match_key
from extractors.lines import Line

_DATA = "implements"
# Where the opening phrase gives way to the main clause: a ";" before anything but another
# document, a full stop, ", ngày 5/11/2025, ..." (a new sentence dated; not the date of a
# citation, see _main_clause_at), or a ":" ending the paragraph.
_MAIN_CLAUSE = re.compile(
    r";\s+(?!(?:và\s+)?(?:các\s+)?(?:Công|Chỉ|Kế|Quyết|Nghị|Thông|Chương|Hướng|Văn|Kết|Quy|số)\b)"
    r"|\.(?:\s|$)|(?P<dated>,\s+ngày\s+\d)|:\s*$",
    re.M | re.I,
)
# Between two citations: words that put the second inside the subject of the first ...
_SUBORDINATE_WORD = re.compile(
    r"(?<!\w)(?:về|quy\s+định|kèm\s+theo|hướng\s+dẫn|sửa\s+đổi|thay\s+thế|ban\s+hành)(?!\w)", re.I
)
# ... or a new main clause (", Sở Nội vụ đề nghị ...") that the second belongs to.
_NEW_MAIN_CLAUSE = re.compile(
    r",\s*(?:[A-ZĐ]\w*\b.{0,80}?\b)?(?:đề\s+nghị|yêu\s+cầu|thông\s+báo|có\s+ý\s+kiến|chỉ\s+đạo|giao)\b"
)
# "..., Nghị quyết số 80-NQ/TW", "và Kế hoạch số 16/KH-HĐTĐKT": one more object of the same
# opening, whatever the previous citation's subject said.
# (A capitalized word starts the type: ", bổ sung Quyết định số ..." is the first one's subject.)
_COORDINATED = re.compile(r"(?:[,;]|(?<!\w)(?:và|VÀ))\s*(?:(?:các|CÁC)\s+)?(?:[A-ZĐ]\w*(?:\s+\w+){0,3}\s+)?(?:số|SỐ)\s*$")
# A line that ends its sentence, so the next line is a paragraph of its own.
_SENTENCE_END = re.compile(r"[.;:!?][\s*_\"”)]*$")
# Before an opening word: the start of the paragraph (after a list mark or emphasis; patterns
# matched at the paragraph's start), or of a clause within it.
_PARAGRAPH_START = r"[\s\-+•*_]*"
_CLAUSE_START = r"(?<=[,;.])\s+"
_SUBJECT_PREFIX = r"\s*(?:V/v|Về\s+việc|Về)?\s*"


_alt = tables.phrase_pattern


def _words(table: str) -> list[str]:
    return [e["word"] for e in tables.entries(_DATA, table)]


@dataclass(frozen=True)
class _Rules:
    opening: re.Pattern[str]
    clause_opening: re.Pattern[str]
    basis: re.Pattern[str]
    basis_subject: re.Pattern[str]
    directive_types: frozenset[str]
    subject_opening: re.Pattern[str]
    continues: re.Pattern[str]
    item_cue: re.Pattern[str]
    cue_kind: dict[str, str]


@cache
def _rules() -> _Rules:
    opening = _alt(_words("opening"))
    basis = _alt(_words("basis"))
    return _Rules(
        opening=re.compile(rf"{_PARAGRAPH_START}(?:{opening})(?!\w)", re.I),
        clause_opening=re.compile(rf"{_CLAUSE_START}(?:{opening})(?!\w)", re.I),
        basis=re.compile(rf"{_PARAGRAPH_START}(?:{basis})(?!\w)", re.I),
        basis_subject=re.compile(rf"(?<!\w)(?:{_alt(_words('basis_subject'))})(?!\w)", re.I),
        directive_types=frozenset(e["code"] for e in tables.entries(_DATA, "directive_type")),
        subject_opening=re.compile(rf"{_SUBJECT_PREFIX}(?:{_alt(_words('subject_opening'))})(?!\w)", re.I),
        # a line that starts a paragraph of its own, whatever the line above ended with
        continues=re.compile(rf"{_PARAGRAPH_START}(?:{opening}|{basis})(?!\w)|\s*[-+•]", re.I),
        item_cue=re.compile(rf"(?<!\w)(?:{_alt(_words('item_cue'))})(?!\w)", re.I),
        cue_kind={_fold(e["word"]): e["kind"] for e in tables.entries(_DATA, "item_cue")},
    )


def _fold(s: str) -> str:
    return " ".join(s.casefold().split())


def _paragraphs(lines: list[Line]) -> list[tuple[int, int]]:
    """The opening's paragraphs: a line that does not end its sentence runs on into the next."""
    rules = _rules()
    out: list[tuple[int, int]] = []
    open_ended = False
    for ln in lines:
        if out and open_ended and not rules.continues.match(ln.text):
            out[-1] = (out[-1][0], ln.end)
        else:
            out.append((ln.start, ln.end))
        open_ended = not _SENTENCE_END.search(ln.text)
    return out


def _opening_paragraphs(text: str, opening: list[Line]) -> list[tuple[int, int]]:
    """The paragraphs of the opening, up to the one that introduces the content with ":"
    ("..., Sở Nội vụ có ý kiến như sau:", "QUYẾT ĐỊNH:"); what follows it is the content."""
    out = []
    for start, end in _paragraphs(opening):
        out.append((start, end))
        if text[start:end].rstrip(" *_\n").endswith(":"):
            break
    return out


def _mentions(start: int, end: int, refs: list[Reference]) -> list[tuple[int, int, Reference]]:
    return sorted(
        ((span.start, span.end, ref) for ref in refs for span in ref.mentions if start <= span.start < end),
        key=lambda m: m[0],
    )


def _main_clause_at(text: str, start: int, end: int, mentions: list[tuple[int, int, Reference]]) -> int:
    """Where the opening phrase that starts at `start` ends."""
    cited_ends = {e for _, e, _ in mentions}
    for m in _MAIN_CLAUSE.finditer(text, start, end):
        if m.group("dated") and m.start() in cited_ends:
            continue  # "Chỉ thị số 50-CT/TW, ngày 23/7/2025 của ...": the citation's own date
        return m.start()
    return end


def _objects(text: str, start: int, end: int, refs: list[Reference]) -> list[tuple[Reference, int]]:
    """The citations in text[start:end] that are the object of an opening phrase, each with
    where its mention ends."""
    stop = _main_clause_at(text, start, end, _mentions(start, end, refs))
    out: list[tuple[Reference, int]] = []
    prev_end = None
    for s, e, ref in _mentions(start, stop, refs):
        if prev_end is None and _NEW_MAIN_CLAUSE.search(text, start, s):
            break  # "Để triển khai ..., đề nghị các đơn vị thực hiện Công văn số ...": what it goes on to ask
        coordinated = _COORDINATED.search(text, max(prev_end or start, s - 60), s)
        if prev_end is not None and not coordinated and (
            _SUBORDINATE_WORD.search(text, prev_end, s) or _NEW_MAIN_CLAUSE.search(text, prev_end, s)
        ):
            break
        if all(ref is not r for r, _ in out):
            out.append((ref, e))
        prev_end = e
    return out


def _carried_out_basis(text: str, start: int, end: int, refs: list[Reference]) -> list[Reference]:
    """The directives a "Căn cứ" paragraph names: a directive type, a number without a year
    (a legal norm's carries one), and a subject that does not set up the issuer."""
    rules = _rules()
    objects = _objects(text, start, end, refs)
    out = []
    for i, (ref, mention_end) in enumerate(objects):
        subject_end = objects[i + 1][0].span.start if i + 1 < len(objects) else end
        subject_end = min(subject_end, _main_clause_at(text, mention_end, end, []))
        if (
            ref.doc_type in rules.directive_types
            and ref.year is None
            and not rules.basis_subject.search(text, mention_end, max(mention_end, subject_end))
        ):
            out.append(ref)
    return out


def find_implements(
    text: str, opening: list[Line], subject: tuple[int, int] | None, refs: list[Reference]
) -> list[Reference]:
    """The references the letter carries out, from its opening paragraphs and its subject."""
    rules = _rules()
    found: list[Reference] = []

    def add(more: list[Reference]) -> None:
        for r in more:
            if all(match_key(r.key) != match_key(f.key) for f in found):
                found.append(r)

    based: list[Reference] = []
    for start, end in _opening_paragraphs(text, opening):
        if rules.basis.match(text, start, end):
            based += _carried_out_basis(text, start, end, refs)
            continue
        starts = [m.end() for m in rules.clause_opening.finditer(text, start, end)]
        if m := rules.opening.match(text, start, end):
            starts.insert(0, m.end())
        for at in starts:
            add([r for r, _ in _objects(text, at, end, refs)])
    if subject and (m := rules.subject_opening.match(text, subject[0], subject[1])):
        add([r for r, _ in _objects(text, m.end(), subject[1], refs)])
    if not found:
        add(based)  # "Căn cứ" names what is carried out only where nothing else says so
    return found


# How far back from a citation a cue may stand.
_CUE_REACH = 200


def _sentence_start(text: str, start: int, pos: int) -> int:
    """Where the sentence holding `pos` starts: after the last ". " or ";", unless that ";" only
    goes on with the list of documents ("...; Chỉ thị số 41-CT/TW")."""
    cut = max(text.rfind(". ", start, pos), start)
    semi = text.rfind(";", start, pos)
    while semi > cut:
        if not _COORDINATED.match(text, semi, pos):
            return semi
        semi = text.rfind(";", start, semi)
    return cut


def named_directive(text: str, start: int, end: int, refs: list[Reference]) -> tuple[Reference, int, int] | None:
    """The document an item itself says it carries out ('triển khai thực hiện Công điện số
    968/CĐ-TTg'), with the span of that mention; None when it names none."""
    rules = _rules()
    for pos, mention_end, ref in _mentions(start, end, refs):
        since = max(_sentence_start(text, start, pos), pos - _CUE_REACH)
        kinds = [rules.cue_kind[_fold(m.group())] for m in rules.item_cue.finditer(text, since, pos)]
        if not kinds or kinds[-1] == "basis":
            continue  # no cue, or "Căn cứ" right before it
        if "verb" in kinds or (kinds[-1] == "pointer" and "basis" not in kinds):
            return ref, pos, mention_end  # carried out, or pointed at outside a "Căn cứ" sentence
    return None
