"""Plain-text letters: bytes -> pages, whatever encoding the office's software chose."""
from __future__ import annotations

import codecs
import unicodedata

from schemas import ExtractionWarning, Page

from pipeline.errors import EmptyInputError, NotTextError, UndecodableTextError

PAGE_BREAK = "\f"

# Older Vietnamese office software saves Windows-1258 (tone marks as combining characters);
# TCVN3 and VNI are font tricks over single-byte Latin and have no codec to try.
LEGACY_ENCODINGS = ("cp1258",)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Text has almost no control characters besides tab, newline, carriage return and form feed;
# random bytes have about 11 %. Five percent keeps a stray escape code from rejecting a letter.
_MAX_CONTROL_SHARE = 0.05
_ALLOWED_CONTROLS = frozenset("\t\n\r\f")

# A legacy decoding is accepted when it reads as Vietnamese: at least this share of the words
# carry a Vietnamese mark (real letters: about 70 %; French or German mis-decoded: under 20 %),
# and almost every non-ASCII character is a Vietnamese letter or common typographic punctuation.
_MIN_MARKED_WORD_SHARE = 0.3
_MIN_VIETNAMESE_NON_ASCII_SHARE = 0.95
_VIETNAMESE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
_TYPOGRAPHIC = frozenset("\u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2022\u00b0\u00ab\u00bb")


def read_text_pages(path: str, data: bytes) -> tuple[list[Page], list[ExtractionWarning]]:
    """The pages of a text file (split at form feeds), and a warning when it was not Unicode."""
    text, warnings = _decode(path, data)
    if not text.strip():
        raise EmptyInputError(path, "holds only white space")
    _reject_control_characters(path, text)
    parts = text.split(PAGE_BREAK)
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()  # a form feed that ends the file closes the last page, it opens none
    return [Page(number=i, method="text", text=part) for i, part in enumerate(parts, start=1)], warnings


def _decode(path: str, data: bytes) -> tuple[str, list[ExtractionWarning]]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), []
            except UnicodeDecodeError as error:
                raise UndecodableTextError(path, f"starts with a {encoding} byte-order mark but is not "
                                           f"valid {encoding} ({error.reason} at byte {error.start})") from None
    if b"\x00" in data:
        raise NotTextError(path, "contains NUL bytes: a binary file, not text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        utf8_error = error
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_vietnamese(text):
            warning = ExtractionWarning(
                code="legacy_encoding",
                message=f"not UTF-8 (invalid byte at offset {utf8_error.start}); decoded as {encoding}",
            )
            return text, [warning]
    _reject_control_characters(path, data.decode("latin-1"))
    raise UndecodableTextError(
        path,
        f"not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}), "
        f"and it does not read as Vietnamese in {', '.join(LEGACY_ENCODINGS)}; save it as UTF-8",
    )


def _reject_control_characters(path: str, text: str) -> None:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS)
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise NotTextError(path, f"{controls} of its {len(text)} characters are control characters: "
                           "a binary file, not text")


def _reads_as_vietnamese(text: str) -> bool:
    words = [word for word in text.split() if any(c.isalpha() for c in word)]
    if not words:
        return False
    marked = sum(1 for word in words if any(not c.isascii() and _is_vietnamese_letter(c) for c in word))
    non_ascii = [c for c in text if not c.isascii()]
    vietnamese = sum(1 for c in non_ascii if _is_vietnamese_letter(c) or c in _TYPOGRAPHIC)
    return (marked >= _MIN_MARKED_WORD_SHARE * len(words)
            and vietnamese >= _MIN_VIETNAMESE_NON_ASCII_SHARE * len(non_ascii))


def _is_vietnamese_letter(char: str) -> bool:
    if char in "đĐ" or char in _VIETNAMESE_MARKS:
        return True
    base, *marks = list(unicodedata.normalize("NFD", char))
    return base.isascii() and base.isalpha() and bool(marks) and set(marks) <= _VIETNAMESE_MARKS
