"""The header's anchor words put back as printed where OCR misread them.

Tesseract's Vietnamese model confuses marks (QUYÉT for QUYẾT, Só for Số), letters and digits
(tháng I0 for tháng 10) and loses spaces (ngày22, 10năm) in exactly the words the header reader
keys on. The table of these confusions is data (extractors/data/ocr_confusions.toml): each
repair is a pattern over the *bare* text — lower case, marks dropped, đ as d, one character for
one, so that every mark confusion is one form — and the printed form it stands for. Text that is
already right comes out unchanged, so the step is safe on typed letters too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from extractors.tables import entries
from extractors.tracked import TrackedText

_DIGIT_SLOT = "{DIGIT}"
_TITLE_SLOT = "{TITLE}"
_SPACES = re.compile(r" {2,}")


@dataclass(frozen=True)
class _Repair:
    name: str
    pattern: re.Pattern[str]
    replace: str
    upper: bool  # only on lines in capitals
    mixed: bool  # only on lines not in capitals (running text)
    digits: frozenset[str]


def bare(text: str) -> str:
    """Lower case, marks dropped, đ as d: one character for each character of `text`."""
    return text.translate(_bare_table(text))


def _bare_table(text: str) -> dict[int, str]:
    return {ord(c): _bare_char(c) for c in set(text) if ord(c) > 127 or c.isupper()}


@cache
def _bare_char(c: str) -> str:
    lower = c.lower()
    if len(lower) != 1:
        return c
    if lower == "đ":
        return "d"
    base = "".join(x for x in unicodedata.normalize("NFD", lower) if unicodedata.category(x) != "Mn")
    return base if len(base) == 1 else lower


@cache
def _digits() -> dict[str, str]:
    """What OCR reads for a digit (bare), mapped to the digit."""
    return {bare(read): e["digit"] for e in entries("ocr_confusions", "digit") for read in e["read_as"]}


@cache
def _titles() -> dict[str, str]:
    """The bare form of each type title (spaces squeezed out) and its printed form, in capitals."""
    return {re.sub(r"\s+", "", bare(e["label"])): e["label"].upper() for e in entries("doc_types", "type")}


@cache
def _repairs() -> tuple[_Repair, ...]:
    digit = "[0-9" + "".join(re.escape(c) for c in _digits()) + "]"
    titles = sorted({e["label"] for e in entries("doc_types", "type")}, key=len, reverse=True)
    title = "|".join(" *".join(re.escape(w) for w in bare(t).split()) for t in titles)
    out = []
    for e in entries("ocr_confusions", "repair"):
        source = e["pattern"].replace(_DIGIT_SLOT, digit).replace(_TITLE_SLOT, f"(?:{title})")
        out.append(_Repair(e["name"], re.compile(source, re.M), e["replace"], e.get("upper", False),
                           e.get("mixed", False), frozenset(e.get("digits", ()))))
    return tuple(out)


def repair_ocr(t: TrackedText) -> TrackedText:
    """`t` with the misread anchor phrases of ocr_confusions.toml in their printed form."""
    flat = bare(t.text)
    for repair in _repairs():
        edits = []
        for m in repair.pattern.finditer(flat):
            if (repair.upper or repair.mixed) and _upper(_line_at(t.text, m.start())) != repair.upper:
                continue
            new = _printed(repair, m, t.text)
            if new.casefold() != t.text[m.start() : m.end()].casefold():  # a case of its own is no misreading
                edits.append((m.start(), m.end(), new))
        if edits:
            t = t.replace(edits)
            flat = bare(t.text)
    return t


def as_digits(text: str) -> str:
    """`text` with the characters OCR reads for digits read as those digits ("]]" -> "11", "l6" -> "16")."""
    return "".join(_digits().get(bare(c), c) for c in text)


def _printed(repair: _Repair, m: re.Match[str], text: str) -> str:
    slots = {}
    for name, (start, end) in ((n, m.span(n)) for n in m.groupdict()):
        read = text[start:end] if start >= 0 else ""
        if name == "title":
            slots[name] = _titles().get(re.sub(r"\s+", "", m.group(name)), read)
        elif name in repair.digits:
            slots[name] = as_digits(read)
        else:
            slots[name] = read
    return _SPACES.sub(" ", repair.replace.format(**slots))  # an empty slot leaves no double space


def _line_at(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[text.rfind("\n", 0, pos) + 1 : len(text) if end < 0 else end]


def _upper(text: str) -> bool:
    # str.isupper: every cased character in capitals and at least one of them ("ˆ" is a letter of no case)
    return text.isupper()
