"""The handwritten or stamped number and day of a letter, read again on their own.

E-office letters are numbered and dated after signing, by hand or by a stamp: "Số: 46 /TB-UBND",
"ngày 24 tháng 01 năm 2025" with the 46 and the 24 in ink. Read with the page, such a zone comes
out as junk ("4@`", "|]") or as a wrong digit at a low confidence. So each zone — the number
between "Số:" and the symbol's "/", the day between "ngày" and "tháng", the month between
"tháng" and "năm" — whose first reading is not clean digits read with confidence is cut from
the page image again (red ink taken out, blue ink kept: numbers are written in blue ballpoint),
and read alone with a digits-only configuration. A reading that is still not digits with
confidence, or not a possible day or month, becomes "…": the extractors then keep what is
printed and flag the letter (extractors/unread.py), rather than a guessed value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageChops

from extractors.ocr_repair import as_digits, bare
from pipeline import tesseract
from pipeline.errors import PageFailure
from pipeline.preprocess import otsu_threshold
from pipeline.tesseract import OcrText, OcrWord

# A first reading this confident, all digits, is kept (typed digits read at 85-96 on 150 dpi
# scans; handwritten ones at 0-70, with the few exceptions the second reading catches).
KEEP_CONFIDENCE = 80.0
# A digits-only reading is taken at this confidence and above. Measured on the number zones of
# 11 handwritten numbers of the real scans: none read wrong above it. Under it, a reading is
# taken only when it agrees with the first one.
DIGITS_CONFIDENCE = 80.0
# Two readings that agree are taken from this confidence of the second: under it, both may have
# missed the same stroke (a handwritten "24" read "4" twice, at confidence 0).
AGREE_CONFIDENCE = 30.0
UNREAD = "…"
# what a first reading has around its digits that is no glyph of them: dotted blanks, an underline
_JUNK = " .,_…"
# marks OCR writes for a glyph of handwriting ("?Ä" for 38, "3#6" for 376); accents and specks ("`",
# "'", "ˆ") it writes for a stray stroke are no glyph
_GLYPH_MARKS = "?@#&§$%"
# The header is in the top part of the first page.
HEADER_SHARE = 0.45

_NUMBER_LABEL = re.compile(r"^so[:;.,»„⁄]?")  # bare text
_DAY_WORD = re.compile(r"^ngay[:;.,]?")  # a mark OCR puts after the label ("ngày:") is no digit
# the "/" before the symbol: followed by its letters, by the year of a decree's "12/2023/NĐ-CP", or
# ending the word; not a stroke of the handwritten number read as "/" ("0/4../UBND-VP" for a written 3046)
_SYMBOL_SLASH = re.compile(r"/(?=$|\s*[^\W\d_]|\d{4}/)")
_MONTH_WORD = re.compile(r"^[tr]hang[:;.,]?")
_YEAR_WORD = re.compile(r"^nam")
# the next label glued to the digits before it: "19thảng", "I0năm" (bare text; "I0" for 10 is read again)
_GLUED_TAIL = {"day": re.compile(r"(?<=[\w)\]])[tr]hang$"), "month": re.compile(r"(?<=[\w)\]])nam$")}


@dataclass(frozen=True)
class _Zone:
    kind: str  # number | day | month
    words: list[int]  # indexes of the words whose text is (part of) the zone
    box: tuple[int, int, int, int]
    read: str  # what the first reading gave for it


def reread_zones(ocr: OcrText, page: Image.Image, skew: float, *, timeout: float) -> tuple[OcrText, list[str]]:
    """`ocr` with its number, day and month zones read again where the first reading is unsure.

    `page` is the page image before cleaning (colour where the scan is colour), `skew` the angle
    the cleaned image (whose pixels the word boxes are in) was turned back by. Returns the new
    text and a note per zone read again.
    """
    edits: dict[int, str] = {}
    notes: list[str] = []
    for zone in _zones(ocr.words, page.height):
        if _clean(zone, ocr.words):
            continue
        try:
            digits, confidence = tesseract.read_digits(_cut(page, skew, zone.box), timeout=timeout)
        except PageFailure as failure:  # costs the second reading, never the page
            notes.append(f"{zone.kind} not read again: {failure.message}")
            continue
        # taken when read with confidence, or when both readings agree (the first one's letters
        # read as the digits they stand for: "]]" and "11")
        first = as_digits(zone.read.strip(_JUNK))
        agreed = bool(digits) and confidence >= AGREE_CONFIDENCE and first == digits
        # fewer digits than the page reading saw glyphs: the cut went through one ("ngày38" glued, its
        # 3 cut off, read "8" at 82); on the real scans every reading taken at confidence had as many
        lost = len(digits) < sum(1 for c in first if c.isalnum() or c in _GLYPH_MARKS)
        taken = (confidence >= DIGITS_CONFIDENCE and not lost) or agreed
        value = digits if taken and _possible(zone.kind, digits) else UNREAD
        if value == UNREAD and _sure(zone, ocr.words, first):
            value = first  # a typed "I0năm" read at 83, its zone cut too narrow to read again
        notes.append(f"{zone.kind} read again alone: {zone.read!r} -> {digits!r} at confidence {confidence:.0f}"
                     + ("" if value == digits else f": not taken, {value!r}"))
        _edit(edits, zone, ocr.words, value)
    return (_rebuilt(ocr, edits) if edits else ocr), notes


def _zones(words: list[OcrWord], height: int) -> list[_Zone]:
    out = []
    top = [i for i, w in enumerate(words) if w.box[1] < HEADER_SHARE * height]
    flat = {i: bare(words[i].text) for i in top}
    for i in top:
        w = words[i]
        label = _NUMBER_LABEL.match(flat[i]) if w.text[:1] == "S" else None  # "Số:", not "số" in a sentence
        if label and (slash := _next(words, top, i, lambda j: _slash(words[j].text) >= 0)) is not None:
            start = _cut_at(w, label.end(), margin=False) if label.end() < len(w.text) else w.box[2]
            end_word = words[slash]
            at = _slash(end_word.text)
            # no margin before a glued "/": it is one thin stroke, not a letter whose sliver reads as a digit
            # (a quarter line cut the last digit off a faint typed number glued to its "/"; without, read right at 92)
            end = _cut_at(end_word, at, after=False, margin=False) if at else end_word.box[0]
            span = [j for j in range(i, slash + 1)]
            read = (w.text[label.end():] + " " + " ".join(words[j].text for j in span[1:]))
            read = read[: len(read) - len(end_word.text) + at].strip()  # it ends with the word of the "/"
            out.append(_Zone("number", span, _box(words, span, start, end), read))
            break
    for kind, first in (("day", _DAY_WORD), ("month", _MONTH_WORD)):
        for i in top:
            m = first.match(flat[i])
            if not m:
                continue
            after = _next(words, top, i, lambda j, k=kind: _next_label(k, words[j].text) is not None)
            if after is None:
                continue
            start = _cut_at(words[i], m.end()) if m.end() < len(words[i].text) else words[i].box[2]
            if after > i + 1:
                # a label box that runs over the word after it ("ngày" boxed with the ink after it): the
                # label ends where the next word starts
                start = min(start, words[i + 1].box[0])
            end_word = words[after]
            found = _next_label(kind, end_word.text)
            # a label glued after the digits ("19thảng") is cut where its letters start by their share, with
            # no margin: a quarter line cut the last digit off a typed day (read one digit at 83); on the real scans no
            # other zone's reading changed without it
            end = end_word.box[0] if not found or found.start() == 0 else _cut_at(
                end_word, found.start(), after=False, margin=False)
            span = list(range(i, after + 1))
            middle = [words[i].text[m.end():]] + [words[j].text for j in span[1:-1]]
            middle.append(end_word.text[: found.start()] if found and found.start() else "")
            read = " ".join(x for x in middle if x)
            out.append(_Zone(kind, span, _box(words, span, start, end), read))
            break
    return out


def _slash(text: str) -> int:
    """Where the "/" before the symbol is in a word, or -1."""
    m = _SYMBOL_SLASH.search(text)
    return m.start() if m else -1


def _next_label(kind: str, text: str) -> re.Match[str] | None:
    """The label after a day ("tháng") or month ("năm") zone in a word, alone or glued to the digits."""
    flat = bare(text)
    return (_MONTH_WORD if kind == "day" else _YEAR_WORD).match(flat) or _GLUED_TAIL[kind].search(flat)


def _next(words: list[OcrWord], top: list[int], i: int, test) -> int | None:  # noqa: ANN001
    """The first word after words[i] on the same row (within 4 words) that passes `test`."""
    row = words[i].box
    for j in [k for k in top if k > i][:4]:
        box = words[j].box
        if min(row[3], box[3]) - max(row[1], box[1]) <= 0:
            return None
        if test(j):
            return j
    return None


def _box(words: list[OcrWord], span: list[int], start: int, end: int) -> tuple[int, int, int, int]:
    """The zone from x `start` to `end`, half a line higher and lower than its words (handwriting strays)."""
    top = min(words[j].box[1] for j in span)
    bottom = max(words[j].box[3] for j in span)
    pad = (bottom - top) // 2
    return start, top - pad, end, bottom + pad


def _cut_at(word: OcrWord, index: int, *, after: bool = True, margin: bool = True) -> int:
    """The x where character `index` of a word glued to the zone starts, by the share of its
    characters, moved a quarter of a line height into the zone (printed letters are narrower
    than handwritten digits, and a sliver of one reads as a digit: "ngày24" as 124)."""
    x0, y0, x1, y1 = word.box
    shift = (y1 - y0) // 4 if margin else 0  # "Số:" ends at its colon, no tail to keep out
    return round(x0 + (x1 - x0) * index / max(1, len(word.text))) + (shift if after else -shift)


def _clean(zone: _Zone, words: list[OcrWord]) -> bool:
    """A first reading to keep: digits only, every word of it read with confidence."""
    value = zone.read.strip(" .,_")
    if not value.isdigit() or not _possible(zone.kind, value):
        return False
    return all(words[j].confidence >= KEEP_CONFIDENCE for j in zone.words if any(c.isdigit() for c in words[j].text))


def _sure(zone: _Zone, words: list[OcrWord], digits: str) -> bool:
    """A first reading whose letters stand for digits ("I0" for 10), each of its words read with
    confidence: on the real scans the first readings repaired so at 80 and above were all right,
    the wrong ones (handwritten two-digit numbers read as other digits) under 50."""
    inside = [j for j in zone.words if any(c.isdigit() for c in as_digits(_inside(zone, words, j)))]
    return _possible(zone.kind, digits) and bool(inside) and all(words[j].confidence >= KEEP_CONFIDENCE for j in inside)


def _inside(zone: _Zone, words: list[OcrWord], j: int) -> str:
    """The part of word j in the zone: a label word ("Số:", "tháng") only past its label, the word
    after the zone only before its label or "/"."""
    text = words[j].text
    if j == zone.words[0]:
        label = {"number": _NUMBER_LABEL, "day": _DAY_WORD, "month": _MONTH_WORD}[zone.kind].match(bare(text))
        text = text[label.end():] if label else text
    if j == zone.words[-1] and len(zone.words) > 1:
        if zone.kind == "number":
            return text[: _slash(text)] if _slash(text) >= 0 else text
        found = _next_label(zone.kind, text)
        return text[: found.start()] if found else text
    return text


def _possible(kind: str, digits: str) -> bool:
    if not digits.isdigit():
        return False
    if kind == "day":
        return 1 <= int(digits) <= 31 and len(digits) <= 2
    if kind == "month":
        return 1 <= int(digits) <= 12 and len(digits) <= 2
    return len(digits) <= 6


def _cut(page: Image.Image, skew: float, box: tuple[int, int, int, int]) -> Image.Image:
    """The zone from the page image, turned as the cleaned page was, without red ink."""
    x0, y0, x1, y1 = box
    gray = _redless(page)
    if abs(skew) >= 0.1:
        gray = gray.rotate(-skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    x0, x1 = max(0, min(x0, x1)), min(gray.width, max(x0, x1))
    crop = gray.crop((x0, max(0, y0), max(x1, x0 + 1), min(gray.height, y1)))
    level = otsu_threshold(crop)
    crop = crop.point(lambda v: 255 if v > level else 0)
    padded = Image.new("L", (crop.width + 40, crop.height + 40), 255)
    padded.paste(crop, (20, 20))
    return padded


def _redless(image: Image.Image) -> Image.Image:
    if image.mode != "RGB":
        return image.convert("L")
    red, green, _ = image.split()
    return ImageChops.lighter(red, green)  # red ink is light in both; blue and black stay dark


def _edit(edits: dict[int, str], zone: _Zone, words: list[OcrWord], value: str) -> None:
    """Put `value` in place of the zone's digits, leaving the printed words around it as read."""
    first, last = zone.words[0], zone.words[-1]
    head = words[first].text
    flat = bare(head)
    label = {"number": _NUMBER_LABEL, "day": _DAY_WORD, "month": _MONTH_WORD}[zone.kind].match(flat)
    kept = head[: label.end()] if label else ""
    edits[first] = (kept if zone.kind == "number" else kept.rstrip(":;.,")) + value  # "ngày:" as "ngày"
    for j in zone.words[1:-1]:
        edits[j] = ""
    if last != first:
        tail = words[last].text
        if zone.kind == "number":
            edits[last] = tail[_slash(tail):]
        else:
            found = _next_label(zone.kind, tail)
            edits[last] = tail[found.start():] if found else tail


def _rebuilt(ocr: OcrText, edits: dict[int, str]) -> OcrText:
    """The text with some words' text replaced (an empty one dropped), every offset recomputed."""
    parts: list[str] = []
    words: list[OcrWord] = []
    pos = 0
    length = 0
    for i, w in enumerate(ocr.words):
        between = ocr.text[pos : w.start]
        new = edits.get(i, w.text)
        pos = w.end
        if not new:
            continue
        parts.append(between)
        length += len(between)
        words.append(OcrWord(new, w.box, w.confidence, length, length + len(new)))
        parts.append(new)
        length += len(new)
    parts.append(ocr.text[pos:])
    return OcrText("".join(parts), words, ocr.messages)

