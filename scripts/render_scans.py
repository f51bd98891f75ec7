"""Render sample letters as scanned A4 pages, with the text a perfect OCR would read.

Test data for OCR: each letter is laid out the way Decree 30/2020/NĐ-CP lays out an official
letter (two-column header with issuing body and national motto, number and place/date, subject
or a centred title, justified body, page numbers from page 2, Nơi nhận beside the signature) and
drawn at 300 dpi. `--degrade` also writes a scanned-looking copy: skew, blur, noise and speckle,
JPEG artefacts, a rubber ĐẾN stamp with handwritten number and date, a red seal over the
signature and a handwritten routing note in the margin; the same seed gives the same bytes.

A letter is described by a small TOML file (data/samples/scans/*.toml): the header and closing
fields, and where its body sits in a sample .txt (`source`, `body_start`, `body_end`). The OCR
noise and markdown of the .txt stay out of the header that way, and the body is not copied.

For each letter NAME the output folder gets NAME/:
    page-N.txt            ground truth of page N: its lines in reading order (header: left
                          column, then right column; closing: Nơi nhận, then the signature)
    page-N.rows.txt       the same read row by row across the columns, as Tesseract reads
                          (lines at the same height joined left to right)
    clean/page-N.png      8-bit grayscale
    degraded/page-N.jpg   RGB (the stamp, seal and ink keep their colours), with --degrade
    NAME.clean.tif/.pdf, NAME.degraded.tif/.pdf   all pages (with --formats tiff,pdf)
    manifest.json         size, dpi, pages, and what degradation did (skew angle, stamp ...)

    python scripts/render_scans.py                           # every data/samples/scans/*.toml
    python scripts/render_scans.py --degrade --formats png,tiff,pdf
    python scripts/render_scans.py data/samples/scans/cong-van-8731-ubnd-can-gio.toml \\
        --dpi 200 --pages 1 --degrade --out tests/fixtures/scans   # the test fixtures

Needs Pillow and numpy, and a serif font with Vietnamese: Liberation Serif 2.x (Debian
fonts-liberation2), else FreeSerif (fonts-freefont-ttf), else DejaVu Serif.
"""
from __future__ import annotations

import argparse
import io
import json
import math
import re
import sys
import tomllib
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from extractors.normalize import normalize

REPO = Path(__file__).resolve().parent.parent
SCANS = REPO / "data" / "samples" / "scans"

# Serif families by preference, as (regular, bold, italic, bold italic) files. fonts-liberation
# 1.x (folder "liberation", not "liberation2") lacks the stacked Vietnamese marks: not used.
SERIF_FONTS = [
    ("/usr/share/fonts/truetype/liberation2/LiberationSerif-{}.ttf", ("Regular", "Bold", "Italic", "BoldItalic")),
    ("/usr/share/fonts/truetype/freefont/FreeSerif{}.ttf", ("", "Bold", "Italic", "BoldItalic")),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif{}.ttf", ("", "-Bold", "-Italic", "-BoldItalic")),
]
HAND_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    "/usr/share/fonts/truetype/freefont/FreeSansOblique.ttf",
]
STYLES = ("regular", "bold", "italic", "bolditalic")

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
A4_MM = (210, 297)
# Margins (Decree 30: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
MARGIN_MM = {"top": 20, "bottom": 20, "left": 30, "right": 20}
LEFT_SHARE = 0.40  # the header's left column (issuing body), of the text width


# --------------------------------------------------------------------------- letter description

@dataclass
class Letter:
    name: str
    issuer: list[str]
    number: str
    place_date: str
    body: list[str]
    parent: str = ""
    subject: str = ""
    title: str = ""
    kinh_gui: list[str] = field(default_factory=list)
    noi_nhan: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signer: str = ""
    note: str = ""
    stamp: dict = field(default_factory=dict)


def clean_line(line: str) -> str:
    """One line of a sample .txt without its markdown emphasis and stray spacing, in NFC."""
    line = unicodedata.normalize("NFC", line)
    line = re.sub(r"\*\*|__", "", line)
    line = re.sub(r"(?<!\w)\*([^*]+)\*(?!\w)", r"\1", line)
    return re.sub(r"\s+", " ", line).strip()


def body_paragraphs(text: str, start: str, end: str) -> list[str]:
    """The paragraphs of `text` from the one starting with `start` to the one ending with `end`.

    The extractors' own normalization rejoins paragraphs cut by page breaks (but not lettered
    points such as "b. Khẩn trương ..."); then one non-empty line is one paragraph.
    """
    lines = [clean_line(line) for line in normalize(text).text.splitlines()]
    first = next((i for i, line in enumerate(lines) if line.startswith(start)), None)
    if first is None:
        raise ValueError(f"body_start {start!r} not found")
    last = next((i for i in range(first, len(lines)) if lines[i].endswith(end)), None)
    if last is None:
        raise ValueError(f"body_end {end!r} not found after body_start")
    return [line for line in lines[first : last + 1] if line]


def load_letter(path: Path) -> Letter:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    source = (path.parent / spec.pop("source")).resolve()
    body = body_paragraphs(source.read_text(encoding="utf-8"), spec.pop("body_start"), spec.pop("body_end"))
    return Letter(name=path.stem, body=body, **spec)


# --------------------------------------------------------------------------- fonts and units

@cache
def serif_files() -> tuple[str, ...]:
    for pattern, suffixes in SERIF_FONTS:
        files = tuple(pattern.format(s) for s in suffixes)
        if all(Path(f).exists() for f in files):
            return files
    raise SystemExit("render_scans: no serif font with Vietnamese; install fonts-liberation2")


@cache
def font(style: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(serif_files()[STYLES.index(style)], px)


@cache
def hand_font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(next(f for f in HAND_FONTS if Path(f).exists()), px)


class Units:
    def __init__(self, dpi: int):
        self.dpi = dpi

    def pt(self, points: float) -> int:
        return round(points * self.dpi / 72)

    def mm(self, millimetres: float) -> int:
        return round(millimetres * self.dpi / 25.4)


# --------------------------------------------------------------------------- layout

@dataclass
class Placed:
    text: str
    baseline: float
    x: float


@dataclass
class Page:
    """A rendered page: grayscale image, its ground-truth lines, and where the parts went."""

    image: Image.Image
    placed: list[Placed]  # in reading order: header left column, then right column
    boxes: dict[str, list[int]]  # part -> [x0, y0, x1, y1]

    @property
    def lines(self) -> list[str]:
        return [line.text for line in self.placed]

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def row_text(self, tolerance: float) -> str:
        """The same lines read row by row across the columns (as Tesseract reads a page):
        lines whose baselines lie within `tolerance` pixels make one line, left to right."""
        rows: list[tuple[float, list[Placed]]] = []
        for line in sorted(self.placed, key=lambda line: line.baseline):
            if rows and line.baseline - rows[-1][0] <= tolerance:
                rows[-1][1].append(line)
            else:
                rows.append((line.baseline, [line]))
        return "".join(" ".join(line.text for line in sorted(row, key=lambda line: line.x)) + "\n" for _, row in rows)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float, first_width: float | None = None) -> list[str]:
    """Greedy word wrap to `width` pixels (`first_width` for the first line)."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        limit = first_width if (first_width is not None and not lines) else width
        if current and fnt.getlength(candidate) > limit:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


class Writer:
    """Draws lines onto pages top to bottom, starting a new page when one is full."""

    def __init__(self, u: Units):
        self.u = u
        self.width, self.height = u.mm(A4_MM[0]), u.mm(A4_MM[1])
        self.left = u.mm(MARGIN_MM["left"])
        self.right = self.width - u.mm(MARGIN_MM["right"])
        self.bottom = self.height - u.mm(MARGIN_MM["bottom"])
        self.pages: list[Page] = []
        self.new_page()

    @property
    def text_width(self) -> int:
        return self.right - self.left

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def new_page(self) -> None:
        image = Image.new("L", (self.width, self.height), 255)
        self.pages.append(Page(image, [], {}))
        self.draw = ImageDraw.Draw(image)
        self.y = self.u.mm(MARGIN_MM["top"])
        number = len(self.pages)
        if number > 1:  # Decree 30: page numbers from page 2, centred in the top margin
            fnt = font("regular", self.u.pt(13))
            self.draw.text((self.width / 2, self.u.mm(12)), str(number), font=fnt, fill=0, anchor="ms")
            self.page.placed.append(Placed(str(number), self.u.mm(12), self.width / 2))

    def line_height(self, fnt: ImageFont.FreeTypeFont) -> int:
        return round(fnt.size * 1.2)

    def ensure(self, height: int) -> None:
        if self.y + height > self.bottom:
            self.new_page()

    def text_at(self, x: float, baseline: float, text: str, fnt, anchor: str = "ls") -> list[int]:
        self.draw.text((x, baseline), text, font=fnt, fill=0, anchor=anchor)
        return [round(v) for v in self.draw.textbbox((x, baseline), text, font=fnt, anchor=anchor)]

    def rule(self, centre: float, y: float, length: float) -> None:
        thickness = max(1, self.u.pt(0.8))
        self.draw.rectangle([centre - length / 2, y, centre + length / 2, y + thickness - 1], fill=0)

    def centred_block(self, centre: float, top: int, rows: list[tuple[str, ImageFont.FreeTypeFont]],
                      lines: list[Placed]) -> tuple[int, list[int]]:
        """Centred lines from `top`; returns the bottom y and the block's box."""
        y, box = top, [10**9, 10**9, 0, 0]
        for text, fnt in rows:
            y += self.line_height(fnt)
            baseline = y - round(fnt.size * 0.25)
            bbox = self.text_at(centre, baseline, text, fnt, anchor="ms")
            box = [min(box[0], bbox[0]), min(box[1], bbox[1]), max(box[2], bbox[2]), max(box[3], bbox[3])]
            lines.append(Placed(text, baseline, bbox[0]))
        return y, box

    def paragraph(self, text: str, fnt, indent: int, justify: bool = True, x0: int | None = None,
                  width: int | None = None, hanging: int = 0) -> None:
        """A paragraph from the current y: first-line indent, justified but for its last line."""
        x0 = self.left if x0 is None else x0
        width = self.text_width if width is None else width
        rows = wrap(text, fnt, width - hanging, first_width=width - indent)
        height = self.line_height(fnt)
        for i, row in enumerate(rows):
            self.ensure(height)
            self.y += height
            baseline = self.y - round(fnt.size * 0.25)
            x = x0 + (indent if i == 0 else hanging)
            last = i == len(rows) - 1
            words = row.split()
            if justify and not last and len(words) > 1:
                room = (x0 + width) - x - sum(fnt.getlength(w) for w in words)
                gap = room / (len(words) - 1)
                for word in words:
                    self.draw.text((x, baseline), word, font=fnt, fill=0, anchor="ls")
                    x += fnt.getlength(word) + gap
            else:
                self.draw.text((x, baseline), row, font=fnt, fill=0, anchor="ls")
            self.page.placed.append(Placed(row, baseline, x0 + (indent if i == 0 else hanging)))


def render_letter(letter: Letter, dpi: int = 300) -> list[Page]:
    """Lay `letter` out on A4 pages at `dpi`; the pages carry their ground-truth lines."""
    u = Units(dpi)
    w = Writer(u)
    left_w = round(w.text_width * LEFT_SHARE)
    left_c, right_c = w.left + left_w / 2, w.left + left_w + (w.text_width - left_w) / 2
    right_w = w.text_width - left_w
    page = w.page
    top = w.y

    # Header, left column: parent body (regular), issuing body (bold), a short rule.
    left_rows = ([(letter.parent, font("regular", u.pt(13)))] if letter.parent else [])
    left_rows += [(line, font("bold", u.pt(13))) for line in letter.issuer]
    left_lines: list[Placed] = []
    left_y, left_box = w.centred_block(left_c, top, left_rows, left_lines)
    issuer_len = max(font("bold", u.pt(13)).getlength(line) for line in letter.issuer)
    w.rule(left_c, left_y + u.pt(3), issuer_len * 0.4)
    # Right column: the national motto, its rule under the whole second line.
    motto_font = font("bold", u.pt(12))
    while motto_font.getlength(MOTTO[0]) > right_w and motto_font.size > u.pt(10):
        motto_font = font("bold", motto_font.size - 1)
    right_rows = [(MOTTO[0], motto_font), (MOTTO[1], font("bold", u.pt(13)))]
    right_lines: list[Placed] = []
    right_y, right_box = w.centred_block(right_c, top, right_rows, right_lines)
    w.rule(right_c, right_y + u.pt(3), font("bold", u.pt(13)).getlength(MOTTO[1]))

    # Number (left) and place/date (italic, right) on one row; the V/v subject under the number.
    row_y = max(left_y, right_y) + u.pt(8)
    number_font, date_font = font("regular", u.pt(13)), font("italic", u.pt(13))
    row_y += w.line_height(number_font)
    baseline = row_y - round(number_font.size * 0.25)
    box = w.text_at(left_c, baseline, letter.number, number_font, anchor="ms")
    left_box = [min(left_box[0], box[0]), left_box[1], max(left_box[2], box[2]), box[3]]
    left_lines.append(Placed(letter.number, baseline, box[0]))
    box = w.text_at(right_c, baseline, letter.place_date, date_font, anchor="ms")
    right_box = [min(right_box[0], box[0]), right_box[1], max(right_box[2], box[2]), box[3]]
    right_lines.append(Placed(letter.place_date, baseline, box[0]))
    w.y = row_y
    if letter.subject and not letter.title:
        subject_font = font("regular", u.pt(12))
        rows = [(line, subject_font) for line in wrap(letter.subject, subject_font, left_w - u.mm(4))]
        w.y, box = w.centred_block(left_c, w.y + u.pt(2), rows, left_lines)
        left_box = [min(left_box[0], box[0]), left_box[1], max(left_box[2], box[2]), box[3]]
    page.placed += left_lines + right_lines
    page.boxes.update(header_left=left_box, header_right=right_box)
    body_font = font("regular", u.pt(14))

    # A titled document (CHỈ THỊ, KẾ HOẠCH ...): centred bold title, subject below, short rule.
    if letter.title:
        title_font = font("bold", u.pt(14))
        rows = [(letter.title, title_font)]
        rows += [(line, title_font) for line in wrap(letter.subject, title_font, w.text_width * 0.8)]
        w.y, box = w.centred_block(w.width / 2, w.y + u.pt(18), rows, page.placed)
        page.boxes["title"] = box
        w.rule(w.width / 2, w.y + u.pt(4), w.text_width * 0.2)
        w.y += u.pt(8)

    w.y += u.pt(14)
    # Kính gửi: one recipient on the same line, several as dash items below.
    if letter.kinh_gui:
        x0 = w.left + round(w.text_width * 0.12)
        if len(letter.kinh_gui) == 1:
            w.paragraph(f"Kính gửi: {letter.kinh_gui[0]}", body_font, indent=0, justify=False,
                        x0=x0, width=w.right - x0, hanging=round(body_font.getlength("Kính gửi: ")))
        else:
            w.paragraph("Kính gửi:", body_font, indent=0, justify=False, x0=x0)
            x1 = x0 + round(body_font.getlength("Kính gửi: "))
            for item in letter.kinh_gui:
                w.paragraph(f"- {item}", body_font, indent=0, justify=False, x0=x1, width=w.right - x1)
        w.y += u.pt(8)

    # Body: justified, first-line indent 1.27 cm, 6 pt between paragraphs.
    for text in letter.body:
        w.paragraph(text, body_font, indent=u.mm(12.7))
        w.y += u.pt(6)

    # Closing: Nơi nhận on the left, the signature block on the right; moved whole to a new
    # page when it does not fit.
    cc_label, cc_font = font("bolditalic", u.pt(12)), font("regular", u.pt(11))
    cc_w = round(w.text_width * 0.45)
    cc_rows = [("Nơi nhận:", cc_label, 0)]
    hang = round(cc_font.getlength("- "))
    for item in letter.noi_nhan:
        for i, row in enumerate(wrap(f"- {item}", cc_font, cc_w - hang)):
            cc_rows.append((row, cc_font, 0 if i == 0 else hang))
    sign_font = font("bold", u.pt(14))
    space_for_signature = u.mm(28)
    cc_height = sum(w.line_height(f) for _, f, _ in cc_rows)
    sign_height = w.line_height(sign_font) * (len(letter.signature) + 1) + space_for_signature
    w.y += u.pt(6)
    w.ensure(max(cc_height, sign_height))
    page, top = w.page, w.y
    y, cc_box = top, [w.left, top, w.left, top]
    for text, fnt, indent in cc_rows:
        y += w.line_height(fnt)
        box = w.text_at(w.left + indent, y - round(fnt.size * 0.25), text, fnt)
        cc_box = [min(cc_box[0], box[0]), min(cc_box[1], box[1]), max(cc_box[2], box[2]), box[3]]
        page.placed.append(Placed(text, y - round(fnt.size * 0.25), w.left + indent))
    sign_lines: list[Placed] = []
    y, sign_box = w.centred_block(right_c, top, [(t, sign_font) for t in letter.signature], sign_lines)
    if not letter.signature:
        sign_box = [round(right_c - u.mm(20)), top, round(right_c + u.mm(20)), top]
    gap_top = y
    y += space_for_signature
    if letter.signer:
        y, box = w.centred_block(right_c, y, [(letter.signer, sign_font)], sign_lines)
        sign_box = [min(sign_box[0], box[0]), sign_box[1], max(sign_box[2], box[2]), box[3]]
    page.placed += sign_lines
    page.boxes.update(noi_nhan=cc_box, signature=sign_box,
                      signature_space=[round(right_c - u.mm(25)), gap_top, round(right_c + u.mm(25)), gap_top + space_for_signature])
    return w.pages


# --------------------------------------------------------------------------- degradation

STAMP_INK = (118, 38, 150)   # violet rubber-stamp ink
SEAL_INK = (214, 36, 40)     # red seal
PEN_INK = (24, 46, 150)      # ballpoint blue


def page_rng(seed: int, name: str, page_no: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8")), page_no])


def ink_layer(size: tuple[int, int]) -> Image.Image:
    return Image.new("RGB", size, (255, 255, 255))


def put_ink(layer: Image.Image, mask: Image.Image, xy: tuple[int, int], colour, rng, fade=(0.55, 1.0)) -> None:
    """Paste `colour` through `mask` (L, 255 = ink) at `xy`, with uneven ink density."""
    density = rng.uniform(fade[0], fade[1], size=(mask.height, mask.width))
    density = np.asarray(Image.fromarray((density * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(3)), dtype=np.float32) / 255
    mask = Image.fromarray((np.asarray(mask, dtype=np.float32) * density).clip(0, 255).astype(np.uint8))
    layer.paste(Image.new("RGB", mask.size, colour), xy, mask)


def paste_lighter(dst: Image.Image, src: Image.Image, xy: tuple[int, int]) -> None:
    """Add mask `src` onto mask `dst` at `xy` (the lighter pixel wins), clipped to `dst`."""
    x, y = xy
    box = (max(0, x), max(0, y), min(dst.width, x + src.width), min(dst.height, y + src.height))
    if box[0] >= box[2] or box[1] >= box[3]:
        return
    part = src.crop((box[0] - x, box[1] - y, box[2] - x, box[3] - y))
    dst.paste(ImageChops.lighter(dst.crop(box), part), box[:2])


def handwriting(text: str, px: int, rng: np.random.Generator, slant: float = 0.0) -> Image.Image:
    """A mask of `text` written by hand: letters of varying size, tilt and baseline, thick
    strokes; cropped to the ink."""
    fnt = hand_font(px)
    mask = Image.new("L", (int(fnt.getlength(text) * 1.3) + px * 3, px * 3), 0)
    x = px
    for char in text:
        size = max(8, int(px * rng.uniform(0.85, 1.15)))
        glyph_font = hand_font(size)
        tile = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(tile).text((size, size), char, font=glyph_font, fill=255, anchor="ls",
                                  stroke_width=max(1, size // 22), stroke_fill=255)
        tile = tile.rotate(rng.uniform(-12, 12), resample=Image.BICUBIC)
        y = int(px * 1.5 + rng.normal(0, px * 0.06)) - size
        paste_lighter(mask, tile, (x - size, y))
        x += int(glyph_font.getlength(char) * rng.uniform(0.95, 1.15))
    mask = mask.rotate(slant, resample=Image.BICUBIC, expand=True)
    return mask.crop(mask.getbbox())


def rubber_stamp(u: Units, number: str, date: str, rng: np.random.Generator) -> tuple[Image.Image, Image.Image]:
    """The incoming-mail stamp: 'ĐẾN' and the labels in stamp ink (first mask), the number and
    date written in by hand (second mask)."""
    w, h = u.mm(46), u.mm(22)
    stamp = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(stamp)
    border = max(2, u.pt(1.6))
    d.rectangle([border, border, w - border, h - border], outline=255, width=border)
    big, small = font("bold", u.pt(18)), font("bold", u.pt(10))
    d.text((u.mm(2.5), h * 0.50), "ĐẾN", font=big, fill=255, anchor="lm")
    label_x = u.mm(17)
    rows = (0.25, 0.52, 0.79)
    for label, frac in zip(("Số:", "Ngày:", "Chuyển:"), rows):
        d.text((label_x, h * frac), label, font=small, fill=255, anchor="lm")
    written = Image.new("L", (w, h), 0)
    for text, frac in zip((number, date), rows):
        hand = handwriting(text, u.pt(11), rng, slant=rng.uniform(-3, 3))
        x = label_x + int(small.getlength("Ngày: ")) + int(rng.integers(0, u.mm(1.5)))
        paste_lighter(written, hand, (x, int(h * frac - hand.height * 0.6)))
    return stamp, written


def round_seal(u: Units, letter: Letter, rng: np.random.Generator) -> Image.Image:
    """A round red seal: double ring, the issuing body's name round the edge, a star inside."""
    size = u.mm(36)
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    c = size / 2
    d.ellipse([2, 2, size - 3, size - 3], outline=255, width=max(2, u.pt(2.2)))
    inner = size * 0.30
    d.ellipse([c - inner, c - inner, c + inner, c + inner], outline=255, width=max(1, u.pt(1)))
    # Star.
    points = []
    for k in range(10):
        r = size * (0.14 if k % 2 == 0 else 0.055)
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((c + r * math.cos(angle), c + r * math.sin(angle)))
    d.polygon(points, fill=255)
    # Name round the edge, clockwise from the left.
    text = " ".join([letter.parent, *letter.issuer]).strip() if (letter.parent or letter.issuer) else "ỦY BAN NHÂN DÂN"
    fnt = font("bold", u.pt(8))
    radius = size / 2 - u.pt(10)
    span = math.radians(250)
    start = -math.pi / 2 - span / 2
    for i, char in enumerate(text):
        angle = start + span * (i + 0.5) / len(text)
        tile = Image.new("L", (fnt.size * 2, fnt.size * 2), 0)
        ImageDraw.Draw(tile).text((fnt.size, fnt.size), char, font=fnt, fill=255, anchor="mm")
        tile = tile.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        paste_lighter(mask, tile, (int(x - tile.width / 2), int(y - tile.height / 2)))
    return mask


def signature_scrawl(width: int, height: int, rng: np.random.Generator, stroke: int) -> Image.Image:
    """A signature: a few looping pen strokes."""
    mask = Image.new("L", (width, height), 0)
    d = ImageDraw.Draw(mask)
    t = np.linspace(0, 1, 400)
    loops = rng.integers(3, 6)
    x = width * (0.1 + 0.8 * t)
    y = height * (0.5 + 0.32 * np.sin(2 * math.pi * loops * t + rng.uniform(0, 6)) * np.sin(math.pi * t + 0.3))
    x = x + width * 0.05 * np.sin(2 * math.pi * loops * t * 1.1)
    d.line(list(zip(x.tolist(), y.tolist())), fill=255, width=stroke, joint="curve")
    d.line([(width * 0.15, height * 0.78), (width * 0.9, height * 0.62)], fill=255, width=stroke)
    return mask


def stamp_values(letter: Letter, rng: np.random.Generator) -> tuple[str, str]:
    number = letter.stamp.get("number") or str(int(rng.integers(1000, 20000)))
    date = letter.stamp.get("date")
    if not date:
        m = re.search(r"ngày (\d+) tháng (\d+) năm (\d{4})", letter.place_date)
        day, month, year = (int(g) for g in m.groups()) if m else (1, 1, 2023)
        day = min(28, day + int(rng.integers(1, 4)))
        date = f"{day}/{month}/{year % 100:02d}"
    return number, date


def degrade(page: Page, letter: Letter, page_no: int, last: bool, dpi: int, seed: int) -> tuple[bytes, dict]:
    """A scanned-looking RGB copy of `page` as JPEG bytes, the same for the same seed; and what
    was done to it."""
    u = Units(dpi)
    rng = page_rng(seed, letter.name, page_no)
    paper = int(rng.integers(236, 250))
    image = Image.merge("RGB", [page.image.point(lambda v: v * (paper / 255))] * 3)
    layer = ink_layer(image.size)
    info: dict = {}
    if page_no == 1:
        number, date = stamp_values(letter, rng)
        stamp, written = rubber_stamp(u, number, date, rng)
        angle = rng.uniform(-5, 5)
        stamp, written = (m.rotate(angle, resample=Image.BICUBIC, expand=True) for m in (stamp, written))
        # Top left, over the margin and the top of the issuing body, as a clerk stamps it.
        x = int(u.mm(1) + rng.integers(0, u.mm(3)))
        y = int(u.mm(1) + rng.integers(0, u.mm(2)))
        put_ink(layer, stamp, (x, y), STAMP_INK, rng, fade=(0.45, 1.0))
        put_ink(layer, written, (x, y), PEN_INK, rng, fade=(0.8, 1.0))
        info["stamp"] = {"number": number, "date": date, "box": [x, y, x + stamp.width, y + stamp.height]}
        note = letter.note or "Chuyển P. Nội vụ tham mưu"
        hand = handwriting(note, u.pt(15), rng, slant=rng.uniform(2, 6))
        right = page.boxes["header_right"]
        nx = int(right[0] + rng.integers(0, max(1, u.mm(15))))
        ny = int(max(2, right[1] - hand.height - u.mm(1)))
        put_ink(layer, hand, (nx, ny), PEN_INK, rng, fade=(0.8, 1.0))
        info["note"] = {"text": note, "box": [nx, ny, nx + hand.width, ny + hand.height]}
    if last and "signature_space" in page.boxes:
        x0, y0, x1, y1 = page.boxes["signature_space"]
        scrawl = signature_scrawl(x1 - x0, y1 - y0, rng, stroke=max(2, u.pt(1.3)))
        put_ink(layer, scrawl, (x0, y0), PEN_INK, rng, fade=(0.7, 1.0))
        seal = round_seal(u, letter, rng)
        seal = seal.rotate(rng.uniform(0, 360), resample=Image.BICUBIC)
        # Centred on the left third of the signature, over the title lines and the signature.
        cx = x0 + (x1 - x0) / 6 + rng.uniform(-u.mm(3), u.mm(3))
        cy = (y0 + y1) / 2 - u.mm(4) + rng.uniform(-u.mm(3), u.mm(3))
        sx, sy = int(cx - seal.width / 2), int(cy - seal.height / 2)
        put_ink(layer, seal, (sx, sy), SEAL_INK, rng, fade=(0.5, 0.95))
        info["seal"] = {"box": [sx, sy, sx + seal.width, sy + seal.height]}
    image = ImageChops.multiply(image, layer)

    # Skew; paper grain and dust; the scanner's optics (blur); its JPEG.
    skew = float(rng.uniform(0.5, 3.0) * rng.choice([-1, 1]))
    image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=(paper,) * 3)
    pixels = np.asarray(image, dtype=np.float32)
    pixels += rng.normal(0, rng.uniform(4, 8), size=pixels.shape[:2])[..., None]
    count = int(rng.integers(600, 2000) * (dpi / 300) ** 2)
    ys, xs = rng.integers(0, pixels.shape[0] - 4, count), rng.integers(0, pixels.shape[1] - 4, count)
    sizes = rng.integers(1, 4, count)
    for y, x, s in zip(ys, xs, sizes):
        pixels[y:y + s, x:x + s] = rng.uniform(20, 120)
    image = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    image = image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.6, 1.0)) * dpi / 300))
    quality = int(rng.integers(35, 60))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, dpi=(dpi, dpi))
    info.update(skew_degrees=round(skew, 3), jpeg_quality=quality, paper=paper)
    return buffer.getvalue(), info


# --------------------------------------------------------------------------- output

def save_multipage(images: list[Image.Image], path: Path, kind: str, dpi: int) -> None:
    """All pages in one TIFF or image-only PDF: deflate for the clean grayscale pages, JPEG for
    the degraded ones."""
    # Copies: an image saved before keeps that save's options, which the TIFF writer trips on.
    images = [image.copy() for image in images]
    jpeg = images[0].mode == "RGB"
    if kind == "tiff":
        options = {"compression": "jpeg", "quality": 60} if jpeg else {"compression": "tiff_adobe_deflate"}
        images[0].save(path, save_all=True, append_images=images[1:], dpi=(dpi, dpi), **options)
    else:
        options = {"quality": 60} if jpeg else {}
        images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi, **options)


def build(letter: Letter, out: Path, dpi: int, degraded: bool, seed: int, formats: set[str], max_pages: int | None) -> dict:
    pages = render_letter(letter, dpi)[:max_pages]
    folder = out / letter.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*/page-*"):
        old.unlink()
    manifest = {"letter": letter.name, "dpi": dpi, "size": list(pages[0].image.size), "pages": len(pages),
                "seed": seed, "font": Path(serif_files()[0]).name, "ground_truth": [], "ground_truth_rows": [], "clean": [], "degraded": []}
    variants = {"clean": [p.image for p in pages]}
    jpegs: list[bytes] = []
    for n, page in enumerate(pages, 1):
        (folder / f"page-{n}.txt").write_text(page.text, encoding="utf-8")
        (folder / f"page-{n}.rows.txt").write_text(page.row_text(Units(dpi).pt(6)), encoding="utf-8")
        manifest["ground_truth"].append(f"page-{n}.txt")
        manifest["ground_truth_rows"].append(f"page-{n}.rows.txt")
    if degraded:
        variants["degraded"] = []
        manifest["degradation"] = []
        for n, page in enumerate(pages, 1):
            jpeg, info = degrade(page, letter, n, n == len(pages), dpi, seed)
            jpegs.append(jpeg)
            variants["degraded"].append(Image.open(io.BytesIO(jpeg)))
            manifest["degradation"].append(info)
    for variant, images in variants.items():
        if "png" in formats:
            (folder / variant).mkdir(exist_ok=True)
            for n, image in enumerate(images, 1):
                if variant == "clean":  # 16 grey levels are enough for the anti-aliasing, and half the size
                    name = f"{variant}/page-{n}.png"
                    image.point(lambda v: v // 17 * 17).save(folder / name, optimize=True, dpi=(dpi, dpi))
                else:  # the degradation's own JPEG: as PNG it would only be bigger
                    name = f"{variant}/page-{n}.jpg"
                    (folder / name).write_bytes(jpegs[n - 1])
                manifest[variant].append(name)
        for kind, suffix in (("tiff", "tif"), ("pdf", "pdf")):
            if kind in formats:
                save_multipage(images, folder / f"{letter.name}.{variant}.{suffix}", kind, dpi)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


# What `make run` ingests besides the sample texts, as an office receives letters: a multi-page
# letter scanned to PDF and a one-page letter as a photo/page image (the degraded renders: stamp,
# seal, skew, noise). Four pages: about 30 s of a `make run` on 2 cores. Written by `--received`.
RECEIVED = REPO / "data" / "samples" / "received"
RECEIVED_PDF = {"scan-cong-van-8731-ubnd-can-gio.pdf": "cong-van-8731-ubnd-can-gio"}
RECEIVED_IMAGES = {"anh-cong-van-3852-syt-tay-ninh.jpg": "cong-van-3852-syt-tay-ninh"}


def jpeg_pdf(jpegs: list[bytes], dpi: int) -> bytes:
    """An image-only PDF (a scanner's) with these JPEG pages as they are (DCTDecode, no re-encoding)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for jpeg in jpegs:
        with Image.open(io.BytesIO(jpeg)) as image:
            width, height = image.size
            colors = {"L": b"/DeviceGray", "CMYK": b"/DeviceCMYK"}.get(image.mode, b"/DeviceRGB")
        w_pt, h_pt = width * 72 / dpi, height * 72 / dpi
        image_id, content_id, page_id = len(objects) + 1, len(objects) + 2, len(objects) + 3
        objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8"
                       b" /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream" % (width, height, colors, len(jpeg), jpeg))
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >>"
                       b" /Contents %d 0 R >>" % (w_pt, h_pt, image_id, content_id))
        kids.append(page_id)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def received(out: Path = RECEIVED) -> list[Path]:
    """Write the received samples from the degraded pages in data/samples/scans/."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, letter in RECEIVED_PDF.items():
        manifest = json.loads((SCANS / letter / "manifest.json").read_text(encoding="utf-8"))
        pages = [(SCANS / letter / page).read_bytes() for page in manifest["degraded"]]
        (out / name).write_bytes(jpeg_pdf(pages, manifest["dpi"]))
        written.append(out / name)
    for name, letter in RECEIVED_IMAGES.items():
        manifest = json.loads((SCANS / letter / "manifest.json").read_text(encoding="utf-8"))
        (out / name).write_bytes((SCANS / letter / manifest["degraded"][0]).read_bytes())
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("letters", nargs="*", type=Path, help=f"letter descriptions (default: {SCANS.relative_to(REPO)}/*.toml)")
    parser.add_argument("--out", type=Path, default=SCANS, help="output folder (default: beside the descriptions)")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--degrade", action="store_true", help="also write degraded scans")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pages", type=int, default=None, help="only the first N pages of each letter")
    parser.add_argument("--formats", default="png", help="comma-separated: png, tiff, pdf (default: png)")
    parser.add_argument("--received", action="store_true",
                        help=f"only write {RECEIVED.relative_to(REPO)}/ (what `make run` ingests) from the degraded pages")
    args = parser.parse_args(argv)
    if args.received:
        for path in received():
            print(f"{path.relative_to(REPO)}: {path.stat().st_size} bytes")
        return 0
    formats = set(args.formats.split(","))
    if formats - {"png", "tiff", "pdf"}:
        parser.error(f"unknown format in {args.formats!r}")
    for path in args.letters or sorted(SCANS.glob("*.toml")):
        manifest = build(load_letter(path), args.out, args.dpi, args.degrade, args.seed, formats, args.pages)
        print(f"{manifest['letter']}: {manifest['pages']} pages at {args.dpi} dpi -> {args.out / manifest['letter']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
