"""Document numbers (số, ký hiệu): parse one as printed and write it in one canonical form.

Three shapes (domain.md 1.2, 4.1):

    số/LOẠI-CƠQUAN         968/CĐ-TTg, 03/CT-UBND       văn bản hành chính
    số/CƠQUAN[-ĐƠNVỊ]      8731/UBND, 5611/UBND-VX      công văn: no type code
    số/năm/LOẠI-CƠQUAN     73/2023/NĐ-CP, 17/2008/QH12  QPPL
    số-LOẠI/CƠQUAN         68-CTr/TU, 15-CV/TU          party documents

and the odd ones real letters print: a dotted or dashed number ("12.3/2024/NQ-CP",
"2025-005/SAV-CHQ"), a letter after it ("30c/NQ-CP"), a year glued to its symbol
("49/2025TT-BCT", kept so), "&" and "." inside a segment ("QLN& TTBĐS", "VPCP-V.I"),
capitals mixed with small letters and digits ("QTr-KTr2").

The canonical form removes whitespace, unifies dashes, and writes every symbol segment
that is a known code in its own spelling ("cđ" -> "CĐ", "ttg" -> "TTg"), other segments
in capitals. Đ read as D by OCR is restored only where the code is known and in its
position: "CD" as a type is "CĐ", "HDND" as an issuer is "HĐND".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import cast

from extractors import tables


@dataclass(frozen=True)
class DocumentKey:
    key: str
    number: str
    symbol: str
    year: int | None
    type_abbr: str | None
    doc_type: str | None
    issuer_abbr: str | None


# --- code tables, built once from the data files --------------------------------------

def _fold(s: str) -> str:
    return unicodedata.normalize("NFC", s).casefold()


@dataclass(frozen=True)
class DocType:
    code: str
    label: str
    abbr: str | None
    labels: tuple[str, ...]


DOC_TYPES: dict[str, DocType] = {}
# folded type code -> (canonical spelling, doc_type code)
TYPE_CODES: dict[str, tuple[str, str]] = {}
# the same plus codes used only in party numbers ("CV", "QĐi")
PARTY_TYPE_CODES: dict[str, tuple[str, str]] = {}
# folded issuer code -> canonical spelling
ISSUER_CODES: dict[str, str] = {}
ISSUER_NAMES: dict[str, str] = {}

for _e in tables.entries("doc_types", "type"):
    DOC_TYPES[_e["code"]] = DocType(_e["code"], _e["label"], _e.get("abbr"), tuple(_e.get("labels", ())))
    if _e.get("abbr"):
        TYPE_CODES[_fold(_e["abbr"])] = (_e["abbr"], _e["code"])
    for _alias in _e.get("aliases", ()):
        TYPE_CODES.setdefault(_fold(_alias), (_alias, _e["code"]))
for _e in tables.entries("doc_types", "type"):
    # OCR forms last, so a real code spelled the same way keeps its own meaning.
    for _ocr in _e.get("ocr", ()):
        _canon = next(
            (c for c in (_e["abbr"], *_e.get("party", ())) if _fold(c).replace("đ", "d") == _fold(_ocr)),
            _e["abbr"],
        )
        TYPE_CODES.setdefault(_fold(_ocr), (_canon, _e["code"]))
PARTY_TYPE_CODES.update(TYPE_CODES)
for _e in tables.entries("doc_types", "type"):
    for _p in _e.get("party", ()):
        PARTY_TYPE_CODES[_fold(_p)] = (_p, _e["code"])

for _e in tables.entries("abbreviations", "symbol_issuer"):
    ISSUER_CODES[_fold(_e["code"])] = _e["code"]
    ISSUER_NAMES[_e["code"]] = _e["name"]
    for _ocr in _e.get("ocr", ()):
        ISSUER_CODES.setdefault(_fold(_ocr), _e["code"])

# Quốc hội and its standing committee carry the term: QH12, UBTVQH14.
_TERM_CODE = re.compile(r"(?i)(UBTVQH|QH)(\d{1,2})")


def type_code(segment: str, party: bool = False) -> tuple[str, str] | None:
    """(canonical abbreviation, doc_type) for a type segment, or None."""
    return (PARTY_TYPE_CODES if party else TYPE_CODES).get(_fold(segment))


def issuer_code(segment: str) -> str | None:
    """Canonical spelling of a known issuer code, or None."""
    hit = ISSUER_CODES.get(_fold(segment))
    if hit:
        return hit
    m = _TERM_CODE.fullmatch(segment)
    if m:
        return m.group(1).upper() + m.group(2)
    return None


def _canon_issuer(segment: str) -> str:
    known = issuer_code(segment)
    if known:
        return known
    up = segment.upper()
    if up.endswith("TTG"):  # TTg is always written so: TCTTTg
        up = up[:-1] + "g"
    return up


def _split_glued(segment: str) -> tuple[tuple[str, str], str] | None:
    """'NĐCP' -> (('NĐ', 'nghi_dinh'), 'CP'): a hyphen lost in extraction."""
    folded = _fold(segment)
    for n in range(min(4, len(segment) - 1), 0, -1):
        t = TYPE_CODES.get(folded[:n])
        if t and issuer_code(segment[n:]):
            return t, segment[n:]
    return None


# --- parsing ---------------------------------------------------------------------

_SP = r"[ \t]*(?:\n[ \t]*)?"  # spaces, and at most one line break, after a separator
# A symbol segment: letters and digits, joined by "&" ("QLN& TTBĐS") or by a dot before a few
# capitals ("V.I"; a dot before a word ends the sentence instead).
_SEG = r"[^\W\d_][^\W_]*(?:[ \t]*&[ \t]*[^\W_]+)*(?:\.[A-ZĐ]{1,4}(?![^\W_]))*"
# A segment of digits after a hyphen, at the end of a company's symbol ("01/CV-01").
_NUMBER_SEG = r"\d{1,4}(?![\w/])"
# The number: digits, maybe dotted or dashed ("12.3", "2025-005"), maybe one small letter ("30c").
NUMBER_PATTERN = r"\d{1,6}(?:[.\-]\d{1,4})?[a-z]?"
# The number and its symbol, as printed; shared with references (which adds what may
# stand before it). Groups: num, then ptype + pissuer (party) or year? + sym; `glued` when
# the year runs into the symbol ("49/2025TT-BCT").
KEY_PATTERN = rf"""(?P<num>{NUMBER_PATTERN})[ \t]*
    (?:
        -{_SP}(?P<ptype>[^\W\d_]{{1,5}})[ \t]*/{_SP}(?P<pissuer>{_SEG})
      | /{_SP}(?:(?P<year>(?:19|20)\d\d)(?:[ \t]*/{_SP}|(?P<glued>(?=[^\W\d_]))))?(?P<sym>{_SEG}(?:[ \t]*-{_SP}{_SEG}|-{_NUMBER_SEG})*)
    )"""
_RAW_KEY = re.compile(KEY_PATTERN, re.VERBOSE)
_SEGMENT = re.compile(rf"{_SEG}|(?<=-){_NUMBER_SEG}")
SEGMENT = _SEGMENT
_LEADING = re.compile(r"^\s*(?:số\s*(?:hiệu|và\s+ký\s+hiệu)?\s*:?\s*)?", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.,;:]+$")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"})


def is_code_like(segment: str) -> bool:
    """Capitals and digits ('VX', 'KSTTHC', 'QH12', 'CCHC&PC'), or a capital then capitals,
    digits and at most two small letters ('KTr2', 'QTr'): a symbol segment, not a word."""
    if segment == segment.upper():
        return any(c.isalpha() for c in segment)
    lower = sum(c.islower() for c in segment)
    return segment[0].isupper() and lower <= 2 and sum(c.isupper() or c.isdigit() for c in segment) >= 2


def build_key(number: str, year: int | None, segments: list[str], party_type: str | None = None,
              party_issuer: str | None = None, glued_year: bool = False) -> DocumentKey | None:
    """The DocumentKey of a number whose symbol is already split into segments (`glued_year`:
    printed without the slash after the year, and kept so)."""
    doc_type: str | None
    segments = [re.sub(r"\s+", "", s) for s in segments]
    if party_type is not None:
        t = type_code(party_type, party=True)
        if not t or party_issuer is None:
            return None
        abbr, doc_type = t
        issuer = _canon_issuer(party_issuer)
        symbol = f"{abbr}/{issuer}"
        return DocumentKey(f"{number}-{symbol}", number, symbol, None, abbr, doc_type, issuer)
    if not segments:
        return None
    type_abbr: str | None = None
    doc_type = None
    first = segments[0]
    # One segment is the body of a công văn ("8731/UBND"), or a bare type after a year.
    t = type_code(first) if len(segments) > 1 or (year is not None and not issuer_code(first)) else None
    rest = segments[1:]
    if t:
        type_abbr, doc_type = t
        canon = [type_abbr] + [_canon_issuer(s) for s in rest]
    else:
        glued = _split_glued(first) if not issuer_code(first) else None
        if glued:
            (type_abbr, doc_type), issuer = glued
            canon = [type_abbr, cast(str, issuer_code(issuer))] + [_canon_issuer(s) for s in rest]
        else:
            canon = [_canon_issuer(s) for s in segments]
    if type_abbr:
        issuer_abbr = "-".join(canon[1:]) or None
    else:
        issuer_abbr = canon[0]
        if year is None:
            doc_type = "cong_van"  # a state body's symbol with no type: công văn
    symbol = "-".join(canon)
    key = f"{number}/{year}{'' if glued_year else '/'}{symbol}" if year is not None else f"{number}/{symbol}"
    return DocumentKey(key, number, symbol, year, type_abbr, doc_type, issuer_abbr)


def parse_key(raw: str) -> DocumentKey | None:
    """Parse a number/symbol as printed ('8731 /UBND', '968/CD-TTg', '07-CT/TU', '5611/UBND-\\nVX').

    Tolerates a leading 'Số:', a trailing '.' or ',', spaces and line breaks around the
    separators, any case. Returns None when the text is not a document number.
    """
    if not raw:
        return None
    s = unicodedata.normalize("NFC", raw).translate(_DASHES)
    s = _TRAILING.sub("", _LEADING.sub("", s, count=1))
    s = re.sub(r"\s*([/-])\s*", r"\1", s)
    m = _RAW_KEY.fullmatch(s)
    if not m:
        return None
    if m.group("ptype"):
        return build_key(m.group("num"), None, [], m.group("ptype"), m.group("pissuer"))
    year = int(m.group("year")) if m.group("year") else None
    segments = _SEGMENT.findall(m.group("sym"))
    first = segments[0]
    if not (type_code(first) or issuer_code(first) or is_code_like(first) or _split_glued(first)):
        return None  # "12/ngày": a lower-case word is a symbol only when it is a known code
    return build_key(m.group("num"), year, segments, glued_year=m.group("glued") is not None)


def normalize_key(raw: str) -> str | None:
    """The canonical key of a number as printed, or None: '968/cđ-ttg' -> '968/CĐ-TTg'."""
    k = parse_key(raw)
    return k.key if k else None


def match_key(raw: str) -> str:
    """Loose comparison form, as the scorer uses: case-folded, Đ->D, no spaces, no leading zeros."""
    s = re.sub(r"\s+", "", _fold(raw).replace("đ", "d"))
    return re.sub(r"^0+(?=\d)", "", s)

