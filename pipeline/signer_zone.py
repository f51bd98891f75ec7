"""The signer's printed name, read again alone from the signature column.

The name sits under the signing title (KT. BỘ TRƯỞNG / THỨ TRƯỞNG), under a red seal and a
blue signature. Read with the whole page it comes out broken ("Lê ‹:ân Dũng", "Nợ. yến Văn
Phúc") or not at all, and the seal and the signature leave debris lines between the title and
the name ("TÔ MHớo"). So when the page's reading has no name there, the zone under the title
(or, with no title read at all, the column beside "Nơi nhận") is cut from the colour page, its
red and blue ink taken out, enlarged, and read alone as one block: as it is, and with the
strokes that a seal stamped over cut joined again across the seal's ring. A name read there —
two to five capitalized words, each a real Vietnamese syllable (extractors/syllables.py), no
title, starting with a known family name (a first word misread from one put back) — takes the
place of the first reading's words in the zone, under the title; otherwise the page is left as
it was read.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageChops

from extractors.closing import (is_known_surname, is_person_name, is_signing_title, name_without_specks,
                                surname_as_printed)
from extractors.ocr_repair import bare, repair_ocr
from extractors.tracked import TrackedText
from pipeline import tesseract
from pipeline.errors import PageFailure
from pipeline.preprocess import ink_colours, otsu_threshold
from pipeline.tesseract import OcrText, OcrWord

# The signature column is the right one: a title whose centre is left of this share of the
# page width is a heading ("BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO" above a decision), not a signature.
COLUMN_SHARE = 0.55
# The zone reaches this many title-line heights under the title: the seal and the signature take
# five to eight, the name one.
ZONE_LINES = 12
# ... and this share of the title's width to each side (a name may be wider than its title).
ZONE_SIDE = 0.35
ZONE_SIDE_LINES = 4  # and at least this many line heights (a short title: "CHỦ TỊCH")
# The zone is read enlarged this many times: a name line of 150-300 dpi scans is 30-60 pixels
# high, and Tesseract reads marks best on letters about twice that.
SCALE = 2
# The zone is read as it is, then, until a name is read, with the strokes a seal cut joined again
# across gaps of up to these shares of a line height (a seal's ring is a quarter to a third of a
# line wide, at any resolution).
BRIDGES = (0.0, 0.25, 0.35)
_PAD = 20  # white pixels around the zone, so that no letter touches the image's edge
# A name of the page's reading that starts with no known family name is kept when every word of it
# is read this surely (as a first reading of digits is kept in pipeline/zones.py).
SURE = 80.0
# Block of text (psm 6): the zone is one column of a few lines.
ZONE_PSM = 6


# "Nơi nhận" in bare text (marks dropped), as OCR may read it ("Noi nhân")
_CC = re.compile(r"^noi nhan\b")


@dataclass(frozen=True)
class _Title:
    words: list[int]  # indexes of the title's words (one line)
    box: tuple[int, int, int, int]


def reread_signer(ocr: OcrText, page: Image.Image, skew: float, *, timeout: float) -> tuple[OcrText, list[str]]:
    """`ocr` with the signer's name zone read again; and a note when it was.

    `page` is the page image before cleaning (colour where the scan is colour), `skew` the angle
    the cleaned image (whose pixels the word boxes are in) was turned back by.
    """
    title = _signing_title(ocr, page.width)
    if title is not None:
        x0, y0, x1, y1 = title.box
        height = y1 - y0
        side = max(round((x1 - x0) * ZONE_SIDE), ZONE_SIDE_LINES * height)
        zone = (max(0, x0 - side), y1, min(page.width, x1 + side), min(page.height, y1 + ZONE_LINES * height))
    elif (cc := _recipients_label(ocr, page.width)) is not None:
        # no title read at all (the whole column taken for a picture): the column beside "Nơi nhận"
        x0, y0, x1, y1 = cc
        height = y1 - y0
        zone = (round(COLUMN_SHARE * page.width) - ZONE_SIDE_LINES * height, max(0, y0 - 2 * height),
                page.width, min(page.height, y1 + ZONE_LINES * height))
    else:
        return ocr, []
    # the first reading's words in the zone, but for its title lines ("THỨ TRƯỞNG" under "KT. BỘ TRƯỞNG")
    first = [[i for i in line if _centre_in(ocr.words[i].box, zone)] for line in _lines(ocr)
             if not _ends_in_title(ocr, line)]
    first = [line for line in first if line]
    if any(_taken(ocr, *_name_words(ocr.words, line)) for line in first):
        return ocr, []  # the page's own reading has the name
    cut = _Cut(page, skew, zone)
    for bridge in BRIDGES:
        try:
            again = _with_surnames(tesseract.read_page(cut.image(round(bridge * height)), timeout=timeout, psm=ZONE_PSM))
        except PageFailure as failure:  # costs the second reading, never the page
            return ocr, [f"signer's name not read again: {failure.message}"]
        readings = [_name_words(again.words, line) for line in _lines(again)]
        # read under the seal, a name is taken only with a known family name: Tesseract reads a
        # wrong mark there with confidence ("Nghiện" for "Nghiệp" at 90)
        found = next((k for k, (_, text) in enumerate(readings) if is_person_name(text) and is_known_surname(text)), None)
        if found is not None:
            break
    else:
        return ocr, []  # nothing to say: the page stays as it was read
    # with no title in the first reading, the second one's title lines come with the name
    chosen = [k for k, (_, text) in enumerate(readings[:found]) if title is None and _is_title(text)] + [found]
    new_lines = [[_placed(again.words[i], zone) for i in readings[k][0]] for k in chosen]
    inside = [i for line in first for i in line]
    before = " / ".join(" ".join(ocr.words[i].text for i in line) for line in first)
    note = f"signer's name read again alone: {before!r} -> {' / '.join(readings[k][1] for k in chosen)!r}"
    if title is not None:
        after = max([title.words[-1]] + [i for i, w in enumerate(ocr.words) if _centre_in(w.box, zone) and i not in inside])
    else:  # after the words beside the zone (the Nơi nhận list)
        after = max((i for i, w in enumerate(ocr.words) if w.box[1] < zone[3] and i not in inside), default=-1)
    return _replaced(ocr, inside, after, new_lines), [note]


def _recipients_label(ocr: OcrText, width: int) -> tuple[int, int, int, int] | None:
    """The box of "Nơi nhận" starting a line in the left half of the page."""
    for line in _lines(ocr):
        words = ocr.words[line[0] : line[0] + 2]
        if len(words) == 2 and _CC.match(bare(" ".join(w.text for w in words))) and words[0].box[0] < width / 2:
            return _union(w.box for w in words)
    return None


def _taken(ocr: OcrText, words: list[int], text: str) -> bool:
    """A name of the page's reading to keep: a known family name first, or every word read surely
    (a syllable broken by the seal reads as another one: "Dán Ngọc Thưởng", "Lê xân Dũng")."""
    return is_person_name(text) and (is_known_surname(text) or all(ocr.words[i].confidence >= SURE for i in words))


def _with_surnames(again: OcrText) -> OcrText:
    """The zone's reading with the first word of each line that OCR misread from a family name
    spelt as printed ('Le Tấn Dũng' -> 'Lê Tấn Dũng', 'Nguyễu Văn Phúc' -> 'Nguyễn Văn Phúc'):
    a seal over the name takes marks and strokes off its first letters."""
    words = list(again.words)
    for line in _lines(again):
        kept = [i for i in line if name_without_specks(words[i].text)]
        if len(kept) < 2 or is_known_surname(words[kept[0]].text):
            continue
        if (printed := surname_as_printed(name_without_specks(words[kept[0]].text))) is not None:
            w = words[kept[0]]
            words[kept[0]] = OcrWord(printed, w.box, w.confidence, w.start, w.end)
    return OcrText(again.text, words, again.messages)


def _name_words(words: list[OcrWord], line: list[int]) -> tuple[list[int], str]:
    """The words of a line that are not specks around a name ('_ Vũ Thị Thu Nga'), and their text."""
    kept = [i for i in line if name_without_specks(words[i].text)]
    return kept, name_without_specks(" ".join(words[i].text for i in kept))


def _signing_title(ocr: OcrText, width: int) -> _Title | None:
    """The first signing title (KT. BỘ TRƯỞNG, CHỦ TỊCH ...) in the right-hand column: the end of
    a line ("- Như Điều 3; KT. BỘ TRƯỞNG" when the columns were read across)."""
    for line in _lines(ocr):
        part = _title_part(ocr, line)
        if part:
            box = _union(ocr.words[i].box for i in part)
            if (box[0] + box[2]) / 2 >= COLUMN_SHARE * width:
                return _Title(part, box)
    return None


def _title_part(ocr: OcrText, line: list[int]) -> list[int]:
    """The words that end the line and make a signing title ("… KT. BỘ TRƯỞNG"), or []."""
    return next((line[k:] for k in range(len(line)) if _is_title(" ".join(ocr.words[i].text for i in line[k:]))), [])


def _ends_in_title(ocr: OcrText, line: list[int]) -> bool:
    return bool(_title_part(ocr, line))


def _is_title(text: str) -> bool:
    return is_signing_title(repair_ocr(TrackedText.of(text)).text)


def _lines(ocr: OcrText) -> list[list[int]]:
    """The indexes of the words of each line of the text."""
    out: list[list[int]] = []
    for i, w in enumerate(ocr.words):
        if out and "\n" not in ocr.text[ocr.words[i - 1].end : w.start]:
            out[-1].append(i)
        else:
            out.append([i])
    return out


class _Cut:
    """The zone from the page, turned as the cleaned page was, its red and blue ink taken out."""

    def __init__(self, page: Image.Image, skew: float, box: tuple[int, int, int, int]) -> None:
        rgb = page.convert("RGB")
        if abs(skew) >= 0.1:
            rgb = rgb.rotate(-skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(255, 255, 255))
        ink = ink_colours(rgb.crop(box))
        # every pixel's lightest channel: a red seal and a blue signature are light in it, black
        # print is dark in all three, also where it crosses the seal; blue ink made paper outright
        # (a dark navy signature is dark in its lightest channel too). On the whole page this
        # lightens print too much (pipeline/preprocess.ink_gray); on the name zone it keeps the
        # strokes of a name under a seal.
        gray = ink.lightest
        gray.paste(255, mask=ink.bluish)
        level = otsu_threshold(gray)
        self.ink = gray.point(lambda v: 255 if v <= level else 0)  # 255: ink
        self.seal = ImageChops.subtract(ink.coloured, ink.bluish)  # 255: coloured ink other than blue

    def image(self, bridge: int) -> Image.Image:
        """Black ink on white, enlarged; with `bridge` > 0, a stroke that a seal stamped over cut
        (ink on both sides of a seal pixel within `bridge` pixels, across or down) is joined again."""
        ink = self.ink
        for dx, dy in ((1, 0), (0, 1)) if bridge > 0 else ():
            before = Image.new("L", ink.size, 0)
            after = Image.new("L", ink.size, 0)
            for d in range(1, bridge + 1):
                before = ImageChops.lighter(before, ImageChops.offset(self.ink, dx * d, dy * d))
                after = ImageChops.lighter(after, ImageChops.offset(self.ink, -dx * d, -dy * d))
            ink = ImageChops.lighter(ink, ImageChops.multiply(ImageChops.multiply(before, after), self.seal))
        page = ImageChops.invert(ink)
        page = page.resize((page.width * SCALE, page.height * SCALE), Image.Resampling.LANCZOS)
        page = page.point(lambda v: 255 if v > 127 else 0)
        padded = Image.new("L", (page.width + 2 * _PAD, page.height + 2 * _PAD), 255)
        padded.paste(page, (_PAD, _PAD))
        return padded


def _placed(w: OcrWord, zone: tuple[int, int, int, int]) -> OcrWord:
    """A word of the zone's reading with its box in the page's pixels."""
    x0, y0, x1, y1 = ((v - _PAD) // SCALE for v in w.box)
    return OcrWord(w.text, (zone[0] + x0, zone[1] + y0, zone[0] + x1, zone[1] + y1), w.confidence, 0, 0)


def _centre_in(box: tuple[int, int, int, int], zone: tuple[int, int, int, int]) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return zone[0] <= x <= zone[2] and zone[1] <= y <= zone[3]


def _union(boxes) -> tuple[int, int, int, int]:  # noqa: ANN001
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _replaced(ocr: OcrText, dropped: list[int], after: int, new_lines: list[list[OcrWord]]) -> OcrText:
    """The text without the `dropped` words, the `new_lines` put in as lines after word `after`
    (the title's: the name goes under it, wherever the first reading put the debris), every
    offset recomputed."""
    gone = set(dropped)
    at = after + 1
    parts: list[str] = []
    words: list[OcrWord] = []
    length = 0

    def put(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    pos = 0
    for i, w in enumerate(ocr.words + [None]):  # type: ignore[list-item]
        if i == at:
            for line in new_lines:
                put("\n" if parts else "")
                for k, new in enumerate(line):
                    if k:
                        put(" ")
                    words.append(OcrWord(new.text, new.box, new.confidence, length, length + len(new.text)))
                    put(new.text)
        if w is None:
            break
        if i in gone:
            pos = w.end
            continue
        put(ocr.text[pos : w.start] if not (i == at or (words and i - 1 in gone)) else "\n")
        words.append(OcrWord(w.text, w.box, w.confidence, length, length + len(w.text)))
        put(w.text)
        pos = w.end
    put(ocr.text[pos:] if pos < len(ocr.text) else "")
    return OcrText("".join(parts), words, ocr.messages)
