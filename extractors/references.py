"""Documents cited in a letter: every number/symbol, with its type, date, issuer and subject.

A citation is written `<Loại> số <số/ký hiệu> ngày <date> của <cơ quan> về <trích yếu>`
(domain.md 4.2), but real letters drop or reorder parts: several numbers under one type
word ("các Công điện số 217/CĐ-TTg, 218/CĐ-TTg và 219/CĐ-TTg"), grouped lists
("các Nghị định của Chính phủ: số 63/2010/NĐ-CP ...; số 92/2017/NĐ-CP ..."), numbers
broken across a line, OCR's D for Đ, or a bare number ("tại 3041/UBND-NC").

The scan looks only at digits followed by "/" or "-": a number is accepted when its
symbol parses (keys.build_key), so dates, ranges, phone numbers and times never match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from typing import cast

from schemas import Reference, Span
from schemas.models import RelationKind

from extractors import keys
from extractors.abbreviations import expand_abbreviations, issuer_name
from extractors.dates import FoundDate, date_at

# --- the number itself -------------------------------------------------------------

# A number not glued to a word, a slash, a dot or a dash before it (14/1/23, 0225.38,
# 2021-2030 ...), then a party type ("68-CTr/TU") or a slash and a symbol.
_KEY = re.compile(r"(?<![\w/.\-])" + keys.KEY_PATTERN, re.VERBOSE)
# A company's own numbering, letters first, right after "số": "số LOR2025/01", "số TDV/01-2020".
_LETTERED = re.compile(r"(?P<key>(?P<sym>[A-ZĐ]{2,8}\d{0,4})\s*/\s*(?P<num>\d{1,4})(?:-(?P<year>\d{4}))?)(?![\w/.\-])")
_SEGMENT = keys.SEGMENT

# --- the words around it ----------------------------------------------------------

def _label_words() -> list[tuple[str, str]]:
    words = []
    for t in keys.DOC_TYPES.values():
        words.append((t.label, t.code))
        words.extend((w, t.code) for w in t.labels)
    words.append(("văn bản", ""))  # generic: the type comes from the symbol
    return sorted(words, key=lambda w: -len(w[0]))


_LABELS = _label_words()
_LABEL_CODE = {w.casefold(): c for w, c in _LABELS}


def _trie_pattern(words: list[str]) -> str:
    """One regex for many words, as a trie: 'c(?:ông (?:văn|điện)|hỉ thị)'. Fails fast."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in node.items() if ch]
        optional = "" in node
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if optional else body

    return emit(trie)


_LABEL = re.compile(
    r"(?<!\w)" + _trie_pattern(sorted({w.casefold() for w, _ in _LABELS})) + r"(?!\w)", re.IGNORECASE
)
# "... số", "... Số:", "số hiệu", right before the number.
_SO_BEFORE = re.compile(r"(?<!\w)số(?:\s+hiệu)?\s*:?\s*$", re.IGNORECASE)
# What may stand between a type word and its "số": "hành động", "của Chính phủ:", "hỏa tốc".
_LABEL_GAP = re.compile(r"[^;.\n\d/()]{0,45}$")
# Numbers of forms and appendices are not documents: "Mẫu số 01/BC", "Phụ lục số 2/KH".
_NOT_A_DOCUMENT = re.compile(r"(?<!\w)(?:mẫu|biểu|biểu mẫu|phụ lục|tài khoản|hộp thư)\s*$", re.IGNORECASE)
# Between two numbers under one type word: ", ", " và ", "; ".
_LIST_GLUE = re.compile(r"\s*(?:[,;]\s*)?(?:(?:và|hoặc|,)\s*)?$")

# Before a cited document's date: ", ngày 23/7/2025", "ban hành ngày ...", "ký ngày ..."
_DATE_INTRO = re.compile(r"[ \t]*,?\s*(?:ban hành\s+|ký\s+)?(?=ngày)", re.IGNORECASE)
_STOP = (
    r"về|quy định|ban hành|hướng dẫn|thực hiện|tại|đã|đến|và|trong|theo|với|nhằm|để|kèm|"
    r"có|phê duyệt|triển khai|thì|đối với|giao|năm|ngày|số|là|nay|được|cho|yêu cầu|chỉ đạo"
)
_ISSUER = re.compile(
    rf"[ \t]*,?[ \t]*của[ \t]+(?P<iss>[^\W\d_][^,;:.()\n]{{0,80}}?)(?=[ \t]+(?:{_STOP})(?!\w)|[ \t]*[,;:.()\n]|[ \t]*$)",
)
_SUBJECT = re.compile(
    r"[ \t]*,?[ \t]*(?:(?:về việc|v/v|về|quy định về|quy định|hướng dẫn về)[ \t]+|(?=(?:ban hành|sửa đổi|bãi bỏ|quy định chi tiết|hướng dẫn thi hành)[ \t]))"
    r"(?P<subj>[^;\n]{3,300})",
    re.IGNORECASE,
)
_SUBJECT_END = re.compile(r"\.(?:\s|$)|\s\(|[.;]$")
_BASIS = re.compile(r"[-+•]?\s*căn cứ(?!\w)", re.IGNORECASE)


@dataclass
class _Ref:
    dk: keys.DocumentKey
    raw: str
    span: Span
    doc_type: str | None
    label: str | None
    date: str | None
    issuer: str | None
    subject: str | None
    relation: str
    mentions: list[Span] = field(default_factory=list)
    issuer_from_text: bool = False


def find_references(text: str) -> list[Reference]:
    """Every document number cited in `text` (a normalized letter), one Reference per document.

    Mentions of the same key merge, unless they give different dates (then they are
    different documents: Chỉ thị 26/CT-TTg of 2016 and of 2023). First mention order.
    """
    if "/" not in text:
        return []
    refs: list[_Ref] = []
    by_key: dict[str, list[_Ref]] = {}
    prev_end = -1
    prev_label: tuple[str | None, str | None] = (None, None)
    lines = _LineStarts(text)
    for m in _candidates(text):
        hit = _accept(text, m) if m.re is _KEY else _accept_lettered(m)
        if hit is None:
            continue
        dk, end = hit
        start = m.start()
        label, label_code, context, own_label = _label_before(text, start, prev_end, prev_label)
        if label is False:
            continue
        if not context and not _has_known_code(dk):
            continue  # a bare "5/QL14" with no "số" or type word: not a citation
        prev_end, prev_label = end, (label, label_code)
        after = end
        date = None
        if found := _date_after(text, after):
            date, after = found.iso, found.end
        issuer = None
        im = _ISSUER.match(text, after, min(len(text), after + 120))
        if im and im.group("iss")[0].isupper() and not _LABEL.match(text, im.start("iss")):
            issuer = expand_abbreviations(im.group("iss").strip())
            after = im.end()
            if date is None and (found := _date_after(text, after)):  # "... của Thủ tướng Chính phủ ngày 15/9/2022"
                date, after = found.iso, found.end
        subject = _subject(text, after)
        doc_type, label = _doc_type(dk, label, label_code, own_label)
        span = Span(start=start, end=end)
        relation = "basis" if _in_basis_paragraph(text, lines.of(start)) else "cites"

        match = keys.match_key(dk.key)
        same = by_key.get(match, [])
        target = None
        if date:
            target = next((r for r in same if r.date == date), None) or next(
                (r for r in same if r.date is None), None
            )
        elif same:
            target = same[-1]
        if target is None:
            r = _Ref(dk, text[start:end], span, doc_type, label, date, issuer or _default_issuer(dk),
                     subject, relation, [span], issuer is not None)
            refs.append(r)
            by_key.setdefault(match, []).append(r)
            continue
        target.mentions.append(span)
        target.date = target.date or date
        if issuer and not target.issuer_from_text:
            target.issuer, target.issuer_from_text = issuer, True
        target.subject = target.subject or subject
        if label_code and target.doc_type == target.dk.doc_type and doc_type != target.doc_type:
            target.doc_type, target.label = doc_type, label
        if relation == "basis":
            target.relation = "basis"
    return [
        Reference(
            key=r.dk.key, raw=r.raw, number=r.dk.number, symbol=r.dk.symbol, year=r.dk.year,
            doc_type=r.doc_type, doc_type_label=r.label, date=r.date, issuer=r.issuer,
            subject=r.subject, relation=cast(RelationKind, r.relation), span=r.span, mentions=r.mentions,
        )
        for r in refs
    ]


_BACK_PARTY = re.compile(r"[^\W\d_]{1,5}$")


def _candidates(text: str):
    """_KEY matches, tried only at the digits before each "/" (cheaper than a regex scan that
    tries every position of the text), and _LETTERED ones after "số"."""
    find, n = text.find, len(text)
    last_end = 0
    p = find("/")
    while p >= 0:
        i = p
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        if i > 0 and not text[i - 1].isdigit():  # party form: "68-CTr/TU"
            pm = _BACK_PARTY.search(text, max(0, i - 5), i)
            if pm:
                i = pm.start()
                while i > 0 and text[i - 1] in " \t":
                    i -= 1
                if i > 0 and text[i - 1] == "-":
                    i -= 1
                    while i > 0 and text[i - 1] in " \t":
                        i -= 1
        if i > 0 and text[i - 1].islower() and i > 1 and text[i - 2].isdigit():
            i -= 1  # "30c/NQ-CP"
        j = i
        while j > 0 and text[j - 1].isdigit() and i - j < 7:
            j -= 1
        if j > 1 and text[j - 1] in ".-" and text[j - 2].isdigit():  # "12.3/2024/NQ-CP", "2025-005/SAV-CHQ"
            j -= 1
            while j > 0 and text[j - 1].isdigit() and i - j < 12:
                j -= 1
        m = _KEY.match(text, j) if last_end <= j < i else None
        if m is None and (k := _lettered_start(text, p)) >= last_end:
            m = _LETTERED.match(text, k)
        if m:
            last_end = m.end()
            yield m
            p = find("/", last_end)
            continue
        p = find("/", p + 1)
        if p >= n:
            break


def _lettered_start(text: str, slash: int) -> int:
    """Where a lettered number ending its symbol at `slash` starts ("số LOR2025/01"), or -1."""
    k = slash
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    digits = k
    while k > 0 and text[k - 1].isdigit() and digits - k < 4:
        k -= 1
    letters = k
    while k > 0 and (text[k - 1].isupper() and text[k - 1].isalpha()) and letters - k < 8:
        k -= 1
    if letters - k < 2 or (k > 0 and (text[k - 1].isalnum() or text[k - 1] in "/-.")):
        return -1
    return k if _SO_BEFORE.search(text, max(0, k - 14), k) else -1


def _accept_lettered(m: re.Match[str]) -> tuple[keys.DocumentKey, int]:
    """A lettered number as printed: its symbol first, then its number (and year)."""
    key = re.sub(r"\s+", "", m.group("key"))
    year = int(m.group("year")) if m.group("year") else None
    return keys.DocumentKey(key, m.group("num"), m.group("sym"), year, None, None, m.group("sym")), m.end()


def _accept(text: str, m: re.Match[str]) -> tuple[keys.DocumentKey, int] | None:
    """The key a regex hit stands for, and where it ends; None when it is not a number."""
    if m.group("ptype"):
        dk = keys.build_key(m.group("num"), None, [], m.group("ptype"), m.group("pissuer"))
        if dk is None or not (keys.issuer_code(m.group("pissuer")) or keys.is_code_like(m.group("pissuer"))):
            return None
        return dk, m.end()
    sym_start = m.start("sym")
    segs = list(_SEGMENT.finditer(text, sym_start, m.end("sym")))
    first = segs[0].group()
    lowercase_key = not any(c.isupper() for c in m.group("sym"))
    known_first = keys.type_code(first) or keys.issuer_code(first)
    if not (known_first or keys.is_code_like(first)):
        return None
    if lowercase_key and not _SO_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        return None  # "5/tb": lower-case symbols only right after "số"
    kept = [segs[0]]
    for s in segs[1:]:
        seg = s.group()
        glued = text[kept[-1].end():s.start()] == "-"
        if keys.type_code(seg) or keys.issuer_code(seg) or keys.is_code_like(seg) or (
                (lowercase_key or seg.isdigit()) and glued):
            kept.append(s)
        else:
            break
    year = int(m.group("year")) if m.group("year") else None
    dk = keys.build_key(m.group("num"), year, [s.group() for s in kept], glued_year=m.group("glued") is not None)
    if dk is None:
        return None
    return dk, kept[-1].end()


def _label_before(text: str, start: int, prev_end: int, prev_label):
    """(label as printed, doc_type code) of the type word governing the number at `start`.

    The third value tells whether anything (a "số", a type word, a list) introduces the
    number, the fourth whether the type word is the number's own (not a list's). (None,
    None, ...) when no type word; (False, None, True, False) when the number is a form's or
    an appendix's, not a document's.
    """
    window_start = max(0, start - 14)
    so = _SO_BEFORE.search(text, window_start, start)
    if so:
        anchor = so.start()
        if _NOT_A_DOCUMENT.search(text, max(0, anchor - 12), anchor):
            return False, None, True, False
    else:
        anchor = start
    last = None
    for lm in _LABEL.finditer(text, max(0, anchor - 70), anchor):
        last = lm
    if last is not None and _LABEL_GAP.match(text, last.end(), anchor) and (so or anchor - last.end() <= 2):
        if prev_end < 0 or last.start() >= prev_end:
            word = last.group()
            code = _LABEL_CODE.get(word.casefold())
            return word[0].upper() + word[1:].lower(), code or None, True, True
    # A continuation of a list: "217/CĐ-TTg, 218/CĐ-TTg", "...; số 92/2017/NĐ-CP".
    if prev_end >= 0 and (
        _LIST_GLUE.match(text, prev_end, anchor)
        or (so and anchor - prev_end < 300 and "\n" not in text[prev_end:anchor]
            and re.search(r"[;,:]\s*(?:và\s+)?$", text[prev_end:anchor]))
    ):
        return (*prev_label, True, False)
    return None, None, bool(so), False


def _doc_type(dk: keys.DocumentKey, label: str | None, label_code: str | None,
              own_label: bool) -> tuple[str | None, str | None]:
    """The type of a cited document and its label: the symbol's type code wins; a type word
    counts for a symbol with none when it is the number's own ("Nghị định số 74/CP"), and one
    a list passes on only where that type has no code either (công văn, luật, thư công) or
    the number is a QPPL one with a year ("..., số 351/2017/UBTVQH14")."""
    doc_type = dk.doc_type
    if not dk.type_abbr and label_code:
        t = keys.DOC_TYPES.get(label_code)
        if t and (own_label or not t.abbr or dk.year is not None):
            doc_type = label_code
    if label_code != doc_type or not label:
        label = keys.DOC_TYPES[doc_type].label if doc_type in keys.DOC_TYPES else None
    return doc_type, label


def _has_known_code(dk: keys.DocumentKey) -> bool:
    if dk.type_abbr:
        return True
    return bool(dk.issuer_abbr and keys.issuer_code(dk.issuer_abbr.split("-")[0]))


def _date_after(text: str, pos: int) -> FoundDate | None:
    """The cited document's date right at `pos`, read by the one date reader."""
    intro = _DATE_INTRO.match(text, pos, min(len(text), pos + 20))
    return date_at(text, intro.end()) if intro else None


def _subject(text: str, pos: int) -> str | None:
    sm = _SUBJECT.match(text, pos, min(len(text), pos + 320))
    if not sm:
        return None
    subj = sm.group("subj")
    end = _SUBJECT_END.search(subj)
    if end:
        subj = subj[: end.start()]
    subj = subj.strip(" ,:-")
    return subj or None


def _in_basis_paragraph(text: str, line_start: int) -> bool:
    return bool(_BASIS.match(text, line_start, min(len(text), line_start + 12)))


class _LineStarts:
    """Where the line of each position starts, for positions given in increasing order: each
    stretch of the text is looked through once (a look back to the start of the line from every
    reference made a letter without line breaks quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.scanned = 0  # the line start is known for this position
        self.start = 0

    def of(self, pos: int) -> int:
        if pos < self.scanned:  # out of order: look back
            return self.text.rfind("\n", 0, pos) + 1
        newline = self.text.rfind("\n", self.scanned, pos)
        if newline >= 0:
            self.start = newline + 1
        self.scanned = pos
        return self.start


def _default_issuer(dk: keys.DocumentKey) -> str | None:
    if not dk.issuer_abbr:
        return None
    parts = dk.issuer_abbr.split("-") if dk.type_abbr else [dk.issuer_abbr]
    names = [issuer_name(p) for p in parts]
    if not all(names):
        return None
    return ", ".join(names)  # type: ignore[arg-type]
