"""Abbreviations of bodies and common phrases (UBND, HĐND, TTHC ...), and issuer codes.

Data: extractors/data/abbreviations.toml. `expand_abbreviations` works on names and
running text; it leaves document numbers alone ("5611/UBND-VX" stays as it is).
"""
from __future__ import annotations

import re
from functools import cache

from extractors import tables

_ABBREVIATIONS: dict[str, str] = {
    e["short"]: e["full"] for e in tables.entries("abbreviations", "abbreviation")
}
_ISSUERS: dict[str, str] = {
    e["code"].casefold(): e["name"] for e in tables.entries("abbreviations", "symbol_issuer")
}
for _e in tables.entries("abbreviations", "symbol_issuer"):
    for _ocr in _e.get("ocr", ()):
        _ISSUERS.setdefault(_ocr.casefold(), _e["name"])

_ABBR_RE = re.compile(
    r"(?<![\w&/])(?:"
    + "|".join(re.escape(s) for s in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w&])"
)
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
_TERM = re.compile(r"(?i)(UBTVQH|QH)(\d{1,2})")


def _in_number(text: str, start: int, end: int) -> bool:
    """True inside a number/symbol: '5611/UBND-VX', '28/2022/QĐ-UBND', '15-CV/TU'."""
    i = start
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "-&"):
        i -= 1
    if i > 0 and text[i - 1] == "/":
        return True
    if i < start and text[i].isdigit():
        return True
    return end < len(text) and text[end] == "/"


def _all_caps(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


def expand_abbreviations(text: str) -> str:
    """Expand known abbreviations that stand as whole words.

    'Chủ tịch UBND tỉnh' -> 'Chủ tịch Ủy ban nhân dân tỉnh'; in an all-capitals name the
    expansion is in capitals too: 'UBND TỈNH TÂY NINH' -> 'ỦY BAN NHÂN DÂN TỈNH TÂY NINH'.
    """
    if not text:
        return text

    def repl(m: re.Match[str]) -> str:
        short = m.group(0)
        if _in_number(text, m.start(), m.end()):
            return short
        full = _ABBREVIATIONS[short]
        after = _WORD_AFTER.match(text, m.end())
        if after and _all_caps(after.group(1)) and after.group(1) not in _ABBREVIATIONS:
            before = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if before is None or before.group(1).isupper():
                return full.upper()
        return full

    return _ABBR_RE.sub(repl, text)


@cache
def issuer_name(code: str) -> str | None:
    """Full name of an issuer code inside a symbol: 'TTg' -> 'Thủ tướng Chính phủ'."""
    if not code:
        return None
    code = code.strip()
    hit = _ISSUERS.get(code.casefold())
    if hit:
        return hit
    m = _TERM.fullmatch(code)
    if m:
        return _ISSUERS.get(m.group(1).casefold())
    return None
