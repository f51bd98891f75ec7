"""Where a letter's text lies in its file's pages: page breaks, the OCR words of each value, and
the page images a reviewer checks them on.

Spans index into a letter's normalized text; a scan's words are offsets into the text of their
page. extractors/letters.py joins the pages, normalizes them and keeps, for each character, the
offset it came from; it writes each span's page and the box around its words, not the words.
The same normalization run again here gives the way back (a few milliseconds a file), so each
value gets the boxes of its own words, line by line, instead of one box around a paragraph.
The boxes found are checked against the JSON's: when they differ (JSON written by another
version of the normalizer) the page's words inside the JSON's box are used instead.

Page images are the source file's pages in the geometry the boxes are in (the image OCR read:
turned upright, skew corrected), downscaled to a width a screen shows, written once per page.
"""
from __future__ import annotations

import hashlib
import io
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from extractors.letters import PAGE_SEPARATOR
from extractors.normalize import normalize
from extractors.tracked import PageMap, TrackedText
from PIL import Image
from schemas import Document, ExtractionResult, Page, Span, Word

from pipeline.errors import CongvanError, PageFailure
from pipeline.images import open_image_pages
from pipeline.output import write_atomic
from pipeline.raster import page_sources
from pipeline.review.evidence import Evidence, WordBox, walk_spans
from pipeline.review.highlight import PageBreak

# Width of the page images in the site: an A4 page at about 120 dpi, where a line of 12 pt
# text is 20 pixels high and a reviewer reads a number without zooming.
DISPLAY_WIDTH = 1000
JPEG_QUALITY = 72


@dataclass(frozen=True)
class Placement:
    """One letter's text inside the normalized text of its file's pages."""

    norm: TrackedText
    offset: int
    page_map: PageMap

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.source_span(self.offset + start, self.offset + end)

    def page_breaks(self, length: int) -> list[PageBreak]:
        """Where in the letter's text each page after its first begins."""
        breaks = []
        for number, page_start in enumerate(self.page_map.starts[1:], start=2):
            at = bisect_left(self.norm.origin, page_start) - self.offset
            if 0 < at < length:
                breaks.append(PageBreak(at, number))
        return breaks


def place_letters(result: ExtractionResult) -> list[Placement | None]:
    """Each document's placement, or None where its text is not found (another normalizer) or
    where none is needed: one page without OCR words has no page breaks and no boxes."""
    if len(result.pages) <= 1 and not any(page.words for page in result.pages):
        return [None] * len(result.documents)
    pages = [page.text for page in result.pages]
    norm = normalize(PAGE_SEPARATOR.join(pages))
    page_map = PageMap.of(pages, PAGE_SEPARATOR)
    placements: list[Placement | None] = []
    pos = 0
    for doc in result.documents:
        at = norm.text.find(doc.text, pos)
        if at < 0:
            placements.append(None)
            continue
        placements.append(Placement(norm, at, page_map))
        pos = at + len(doc.text)
    return placements


class _PageWords:
    """A page's OCR words in text order, for finding those a range of the page's text touches."""

    def __init__(self, page: Page) -> None:
        self.words = sorted(page.words, key=lambda w: w.start)
        self.ends = [w.end for w in self.words]
        self.number = page.number

    def touching(self, start: int, end: int) -> list[WordBox]:
        hit = []
        for i in range(bisect_left(self.ends, start + 1), len(self.words)):
            word = self.words[i]
            if word.start >= end:
                break
            hit.append(self._box(word))
        return hit

    def inside(self, box: list[int]) -> list[WordBox]:
        x0, y0, x1, y1 = box
        return [self._box(w) for w in self.words
                if w.box[0] >= x0 and w.box[1] >= y0 and w.box[2] <= x1 and w.box[3] <= y1]

    def _box(self, word: Word) -> WordBox:
        x0, y0, x1, y1 = word.box
        return WordBox(self.number, (x0, y0, x1, y1), word.confidence)


def attach_boxes(result: ExtractionResult, doc: Document, placement: Placement | None,
                 evidence: list[Evidence]) -> bool:
    """Give every evidence of a letter read by OCR the boxes of its words. True when they were
    found through the letter's placement, False when the JSON's boxes had to do (or no OCR)."""
    words = {page.number: _PageWords(page) for page in result.pages if page.words}
    if not words:
        return False
    spans = {(s.start, s.end): s for s in _json_boxes(doc)}
    found = {item.id: _words_of(item, placement, words) for item in evidence} if placement else {}
    trusted = bool(found) and all(_union(found[item.id], item.page) == spans[(item.start, item.end)].box
                                  for item in evidence if (item.start, item.end) in spans)
    for item in evidence:
        json_span = spans.get((item.start, item.end))
        if trusted:
            item.boxes = found[item.id]
        elif json_span is not None and json_span.box and item.page in words:
            item.boxes = words[item.page].inside(json_span.box)
    return trusted


def _json_boxes(doc: Document) -> list[Span]:
    """The spans of the JSON that carry a box."""
    return [span for _, _, span in walk_spans(doc) if span.box]


def _words_of(item: Evidence, placement: Placement, words: dict[int, _PageWords]) -> list[WordBox]:
    start, end = placement.source_range(item.start, item.end)
    first = placement.page_map.page_at(start)
    last = placement.page_map.page_at(max(start, end - 1))
    boxes: list[WordBox] = []
    for number in range(first, last + 1):
        if number in words:
            page_start = placement.page_map.starts[number - 1]
            boxes += words[number].touching(start - page_start, end - page_start)
    return boxes


def _union(boxes: list[WordBox], page: int | None) -> list[int] | None:
    """The box around the words on `page`, as extractors/letters.py computes span.box."""
    own = [b.box for b in boxes if b.page == page]
    if not own:
        return None
    return [min(b[0] for b in own), min(b[1] for b in own), max(b[2] for b in own), max(b[3] for b in own)]


# --- page images ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PageView:
    """An OCR page as the site shows it: its image (None when it cannot be made, with why) and
    the size of the image the boxes are in."""

    number: int
    size: tuple[int, int]
    image: str | None  # path relative to the site's root
    note: str = ""


def page_views(result: ExtractionResult, numbers: list[int], site: Path) -> list[PageView]:
    """The listed OCR pages of a result, their images written under site/pages/ once each."""
    pages = [p for p in result.pages if p.number in numbers and p.method == "ocr" and p.size]
    if not pages:
        return []
    data, problem = _source_bytes(result)
    views = []
    for page in pages:
        size = (page.size[0], page.size[1])  # type: ignore[index]
        if data is None:
            views.append(PageView(page.number, size, None, problem))
            continue
        name = f"pages/{_image_name(result, page)}"
        target = site / name
        try:
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, _render(result, data, page))
            views.append(PageView(page.number, size, name))
        except (CongvanError, PageFailure, OSError, ValueError) as error:
            views.append(PageView(page.number, size, None, f"không dựng được ảnh trang: {error}"))
    return views


def _source_bytes(result: ExtractionResult) -> tuple[bytes | None, str]:
    path = Path(result.source.path)
    try:
        data = path.read_bytes()
    except OSError:
        return None, f"không tìm thấy tệp gốc {result.source.path}: chỉ vẽ khung chữ"
    if hashlib.sha256(data).hexdigest() != result.source.sha256:
        return None, f"tệp gốc {result.source.path} đã khác với tệp đã đọc: chỉ vẽ khung chữ"
    return data, ""


def _image_name(result: ExtractionResult, page: Page) -> str:
    """Named by the source's content and the page's geometry, so a rerun reuses it."""
    geometry = f"{page.rotation}|{page.skew}|{page.size}|{DISPLAY_WIDTH}|{JPEG_QUALITY}"
    return f"{result.source.sha256[:16]}-p{page.number}-{hashlib.sha256(geometry.encode()).hexdigest()[:8]}.jpg"


def _render(result: ExtractionResult, data: bytes, page: Page) -> bytes:
    """The page as OCR saw it (turned upright, skew corrected), at DISPLAY_WIDTH, as JPEG."""
    name = result.source.path
    if result.source.media_type == "application/pdf":
        source = page_sources(name, data, [page.number])[0]
    else:
        source = open_image_pages(name, data)[page.number - 1]
    image = source.load().image
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    if page.rotation:
        image = image.rotate(page.rotation, expand=True)
    width, height = page.size  # type: ignore[misc]
    scale = min(1.0, DISPLAY_WIDTH / width)
    image = image.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.LANCZOS)
    if page.skew:
        paper = 255 if image.mode == "L" else (255, 255, 255)
        image = image.rotate(-page.skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=paper)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()
