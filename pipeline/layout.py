"""The reading order of an OCR'd page, rebuilt from its word boxes.

Tesseract reads a letter's two-column header across both columns ("ỦY BAN NHÂN DÂN CỘNG HÒA
XÃ HỘI ..." as one line), and real pages make its blocks unreliable: columns of different
widths, a column shifted by a stamp, a handwritten number taller than the print. So the two
column zones of a Decree 30 letter are found from the boxes alone and read column by column,
the way the letter is read and transcribed:

- the header band: from the top of the page down to the first line that is no column line
  (the centred title "QUYẾT ĐỊNH", a "Kính gửi" or body line running across the page); the
  issuing body, "Số:" and a công văn's "V/v" on the left, motto and place-date on the right;
- the closing band: from the "Nơi nhận" line (or the signing authority's line just above it)
  to the end of the page; the Nơi nhận list on the left, the signature block on the right.

The column boundary (gutter) of a band is the x position, in the middle of the text area,
that the fewest of its line pieces cover. Everything outside the bands keeps Tesseract's own
order. Pure geometry: no image, no Tesseract.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.ocr_repair import bare

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels

# A horizontal gap this wide (share of the text width) between two words of one line is the
# space between two columns, not between words (justified text stretches spaces to about 2%).
COLUMN_GAP = 0.03
# A line piece this wide (share of the text width) runs across both columns.
WIDE = 0.62
# A piece whose centre is this close (share of the text width) to the centre of the text area,
# alone on its row, is a centred title ("QUYẾT ĐỊNH", "THÔNG BÁO"), not a column line.
CENTRED = 0.07
# The gutter is looked for in this part of the text width (the left column is a third to a half).
GUTTER_RANGE = (0.25, 0.72)
# The widest gap in a row of the body cut into pieces (a header's gutter is wider).
BODY_GAP = 0.04
# A vertical gap this many line heights wide ends the header band (the body starts below it) ...
BAND_GAP = 3.0
# ... and this many starts a new paragraph inside a column.
PARAGRAPH_GAP = 2.0
# How far above the "Nơi nhận" line the signature block may start, in line heights.
SIGNATURE_LEAD = 4.0

# A header has the national motto (or a party's name) or its "Số:" line: compared without marks.
_HEADER_ANCHOR = re.compile(r"cong *hoa *xa|doc *lap|dang *cong *san|^so *[:;.]|^so *\d")
_DEAR = re.compile(r"^kinh *g[uaoi]i\b")
# "Nơi nhận" as Tesseract reads it: the letters are checked without their marks.
_RECIPIENTS_LIST = re.compile(r"^noi\s*nhan\b", re.I)


@dataclass(frozen=True)
class LaidWord:
    """A word as Tesseract read it, with the line it put it on (block, paragraph, line)."""

    text: str
    box: Box
    confidence: float
    line: tuple[int, int, int]


Line = tuple[tuple, list[LaidWord]]  # (paragraph key, words): lines sharing a key form a paragraph


@dataclass
class _Piece:
    """A run of words of one Tesseract line with no column-wide gap inside."""

    words: list[LaidWord]

    @property
    def box(self) -> Box:
        """The box of its words, specks left out (they sit where a seal or signature left ink)."""
        real = [w.box for w in self.words if _is_word(w)]
        return _union(real or [w.box for w in self.words])

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bare(self) -> str:
        """Its words without marks, specks left out: what the anchors ("Kính gửi", "Số:") are matched on."""
        return bare(" ".join(w.text for w in self.words if _is_word(w)))


def reading_order(words: list[LaidWord], width: int) -> list[Line]:
    """The page's lines in reading order, the header and closing columns one after the other."""
    lines = _tesseract_lines(words)
    if not lines:
        return []
    inked = [w for w in words if _height(w.box) > 0] or words
    left = min(w.box[0] for w in inked)
    right = max(w.box[2] for w in inked)
    text_width = max(right - left, width // 4, 1)
    pieces = [p for ln in lines for p in _pieces(ln, COLUMN_GAP * text_width)]
    area = (left, text_width)
    header = _header_band(pieces, area)
    closing = _closing_band(pieces, area, exclude=header)
    taken = {id(w) for p in [*header, *closing] for w in p.words}
    closing_lines = _columns(closing, area, "closing") if closing else []
    closing_top = min((p.box[1] for p in closing), default=None)
    out = _columns(header, area, "header") if header else []
    rest_before: list[Line] = []
    rest_after: list[Line] = []
    for key, ln in lines:
        kept = [w for w in ln if id(w) not in taken]
        if not kept:
            continue
        after = closing_top is not None and min(w.box[1] for w in kept) > closing_top
        (rest_after if after else rest_before).append((key[:2], kept))
    out += rest_before + closing_lines + rest_after
    return out


# --- pieces and bands --------------------------------------------------------------------------


def _tesseract_lines(words: list[LaidWord]) -> list[tuple[tuple[int, int, int], list[LaidWord]]]:
    lines: list[tuple[tuple[int, int, int], list[LaidWord]]] = []
    for w in words:
        if lines and lines[-1][0] == w.line:
            lines[-1][1].append(w)
        else:
            lines.append((w.line, [w]))
    return lines


def _pieces(line: tuple[tuple[int, int, int], list[LaidWord]], gap: float) -> list[_Piece]:
    """The line cut at every column-wide gap between words; a speck ("ˆ", "|") bridges none."""
    words = sorted(line[1], key=lambda w: w.box[0])
    out = [_Piece([words[0]])]
    last_end = words[0].box[2] if _is_word(words[0]) else None
    for w in words[1:]:
        if _is_word(w) and last_end is not None and w.box[0] - last_end > gap:
            out.append(_Piece([w]))
        else:
            out[-1].words.append(w)
        if _is_word(w):
            last_end = w.box[2]
    return out


def _is_word(w: LaidWord) -> bool:
    # a modifier letter ("ˆ", "ˇ") is alphabetic to Python, and a speck to a reader
    return any(c.isalnum() and unicodedata.category(c) != "Lm" for c in w.text)


def _header_band(pieces: list[_Piece], area: tuple[int, int]) -> list[_Piece]:
    """The pieces of the two-column header at the top of the page; [] when there is none."""
    left, text_width = area
    centre = left + text_width / 2
    band: list[_Piece] = []
    for piece in sorted(pieces, key=lambda p: p.box[1]):
        x0, y0, x1, _ = piece.box
        if x1 - x0 > WIDE * text_width:
            break
        if band and y0 - max(p.box[3] for p in band) > BAND_GAP * _height(piece.box):
            break
        if band and abs((x0 + x1) / 2 - centre) < CENTRED * text_width and not _beside(piece, pieces):
            break
        if band and _DEAR.match(piece.bare):
            break  # "Kính gửi:" starts what follows the header, however short its line
        if _body_row(piece, pieces, text_width):
            break
        band.append(piece)
    if not any(_HEADER_ANCHOR.search(p.bare) for p in band):
        return []  # two pieces side by side at the top of a page are no header without its motto or number
    gutter = _paired_gutter(band)
    if gutter is None:
        return []
    # a line that runs across the gutter ("Kính gửi: ..." wrapped short) is below the header
    crossing = next((i for i, p in enumerate(band) if p.box[0] < gutter < p.box[2]), len(band))
    band = band[:crossing]
    return band if _paired_gutter(band) is not None else []


def _body_row(piece: _Piece, pieces: list[_Piece], text_width: int) -> bool:
    """A line of the body that OCR cut at wide justified spaces: its row spans the page, no gap a gutter."""
    row = sorted((p for p in pieces if p is piece or _same_row(piece, p)), key=lambda p: p.box[0])
    if len(row) < 2 or row[-1].box[2] - row[0].box[0] < WIDE * text_width:
        return False
    return max(b.box[0] - a.box[2] for a, b in zip(row, row[1:])) < BODY_GAP * text_width


def _paired_gutter(band: list[_Piece]) -> float | None:
    """The x between the columns, from the rows that have pieces side by side; None without such rows.

    Each gap between two pieces of a row is a candidate; the gutter is the one that the fewest
    pieces of the band run across (a right column's own gap, "ngày 24 | tháng 01", is crossed by
    the motto above it), then the one most rows agree on.
    """
    real = [p for p in band if any(_is_word(w) for w in p.words)]  # specks pair with nothing
    gaps = [(a.box[2], b.box[0]) for a in real for b in real if b.box[0] > a.box[2] and _same_row(a, b)]
    if not gaps:
        return None

    def score(x: float) -> tuple[int, int]:
        crossing = sum(1 for p in band if p.box[0] < x < p.box[2])
        agreeing = sum(1 for lo, hi in gaps if lo < x < hi)
        return crossing, -agreeing

    # within each gap, every stretch between the edges of other pieces is a candidate: a long line
    # of the left column reaching into a gap ("- Ủy ban Quốc gia ... (b/c);") moves the gutter right
    edges = sorted({x for p in band for x in (p.box[0], p.box[2])})
    candidates = []
    for lo, hi in gaps:
        inside = [lo, *(x for x in edges if lo < x < hi), hi]
        candidates += [(a + b) / 2 for a, b in zip(inside, inside[1:])]
    return min(candidates, key=lambda x: (score(x), x))


def _closing_band(pieces: list[_Piece], area: tuple[int, int], exclude: list[_Piece]) -> list[_Piece]:
    """The Nơi nhận list and the signature block beside it, to the end of the page; [] when none."""
    left, text_width = area
    centre = left + text_width / 2
    skip = {id(p) for p in exclude}
    ordered = [p for p in sorted(pieces, key=lambda p: p.box[1]) if id(p) not in skip]
    start = next((i for i, p in enumerate(ordered) if _RECIPIENTS_LIST.match(p.bare)
                  and (p.box[0] + p.box[2]) / 2 < centre), None)
    if start is None:
        return []
    anchor = ordered[start]
    line_height = _height(anchor.box)
    first = start
    # the signature block may begin a few lines above "Nơi nhận" ("KT. CHỦ TỊCH" beside the body's end)
    for i in range(start - 1, -1, -1):
        p = ordered[i]
        if anchor.box[1] - p.box[3] > SIGNATURE_LEAD * line_height or p.box[0] < centre:
            break
        first = i
    band = []
    for p in ordered[first:]:
        if p.box[2] - p.box[0] > WIDE * text_width:
            break
        band.append(p)
    return band


def _beside(piece: _Piece, pieces: list[_Piece]) -> bool:
    """Whether another piece shares the row of `piece` (a title is alone on its row)."""
    return any(p is not piece and _same_row(piece, p) for p in pieces)


def _same_row(a: _Piece, b: _Piece) -> bool:
    return min(a.box[3], b.box[3]) - max(a.box[1], b.box[1]) > 0.5 * min(_height(a.box), _height(b.box))


def _gutter(band: list[_Piece], area: tuple[int, int]) -> float:
    """The x position in the middle of the text area that the fewest pieces of the band cover."""
    left, text_width = area
    lo, hi = (left + f * text_width for f in GUTTER_RANGE)
    edges = sorted({lo, hi, *(x for p in band for x in (p.box[0], p.box[2]) if lo < x < hi)})
    best = None
    for a, b in zip(edges, edges[1:]):
        mid = (a + b) / 2
        cover = sum(1 for p in band if p.box[0] < mid < p.box[2])
        score = (cover, -(b - a))
        if best is None or score < best[0]:
            best = (score, mid)
    return best[1] if best else left + text_width / 2


def _columns(band: list[_Piece], area: tuple[int, int], tag: str) -> list[Line]:
    """The band's lines, left column first, each column's rows top to bottom."""
    paired = _paired_gutter(band)
    gutter = paired if paired is not None else _gutter(band, area)
    words = [w for p in band for w in p.words]
    out: list[Line] = []
    for side in ("left", "right"):
        column = [w for w in words if ((w.box[0] + w.box[2]) / 2 < gutter) == (side == "left")]
        out += _rows(column, (tag, side))
    return out


def _rows(words: list[LaidWord], tag: tuple[str, str]) -> list[Line]:
    """Words of one column grouped into rows by vertical overlap; a wide gap starts a paragraph."""
    rows: list[list[LaidWord]] = []
    for w in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        if rows:
            row_box = _union(x.box for x in rows[-1])
            overlap = min(row_box[3], w.box[3]) - max(row_box[1], w.box[1])
            if overlap > 0.5 * min(_height(row_box), _height(w.box)):
                rows[-1].append(w)
                continue
        rows.append([w])
    out: list[Line] = []
    paragraph = 0
    previous: Box | None = None
    for row in rows:
        row.sort(key=lambda w: w.box[0])
        box = _union(w.box for w in row)
        if previous is not None and box[1] - previous[3] > PARAGRAPH_GAP * min(_height(box), _height(previous)):
            paragraph += 1
        out.append(((*tag, paragraph), row))
        previous = box
    return out


def _union(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _height(box: Box) -> int:
    return box[3] - box[1]
