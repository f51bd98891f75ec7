"""OCR of a file's page images across all cores: load, clean, orient, read, grade each page.

One thread per core, each running one `tesseract` process at a time (OMP_THREAD_LIMIT=1):
Tesseract works in its own process, so threads reach full throughput. Pages are loaded
(decoded or rendered) by the worker that reads them, so memory holds one page per core.
Results keep the order of the pages.

Soft failures cost a page, not the file, and become warnings: `blank_page` (no ink, or
nothing Tesseract could read), `low_confidence_page` (mean word confidence under
`low_confidence`), `ocr_timeout` (the page's or the file's time limit ran out), `ocr_failed`
(Tesseract exited with an error), `page_unreadable` (the page cannot be decoded or rendered),
`tesseract_message` (what Tesseract printed, e.g. "Detected 465 diacritics" on a noisy page).
A file on which no page could be read fails with OcrFailedError.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from schemas import ExtractionWarning, Page, Word

from pipeline import tesseract
from pipeline.errors import OcrFailedError, OcrRequiredError, OcrTimeoutError, PageFailure, TesseractUnavailableError
from pipeline.images import PageImage, PageSource
from pipeline.preprocess import Prepared, prepare_page
from pipeline.signer_zone import reread_signer
from pipeline.zones import reread_zones


# Told as each page of a file is OCR'd: (pages done, pages to OCR). OCR is the slow part of a scan
# (seconds a page), so this is what a progress bar follows within a file.
PageProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class OcrOptions:
    page_timeout: float = 120.0  # seconds for one page, all Tesseract runs on it together
    file_timeout: float = 1800.0  # seconds for all pages of one file
    workers: int = field(default_factory=lambda: _cores())
    low_confidence: float = 60.0  # mean word confidence under which a page is doubtful


@dataclass
class _PageResult:
    page: Page
    warnings: list[ExtractionWarning]
    read: bool  # False when the page failed (timeout, error, unreadable)


def ocr_pages(name: str, sources: list[PageSource], options: OcrOptions | None = None, *,
              fail_if_none_read: bool = True, on_page: PageProgress | None = None,
              ) -> tuple[list[Page], list[ExtractionWarning]]:
    """A Page (method "ocr") per source, in order, with the warnings about them.

    When no page could be read (every one timed out, failed or could not be decoded) this
    raises OcrFailedError, unless `fail_if_none_read` is off (a PDF with text-layer pages).
    """
    options = options or OcrOptions()
    if not sources:
        return [], []
    try:
        tesseract.check_available()
    except TesseractUnavailableError as error:
        raise OcrRequiredError(name, f"it needs OCR, but {error}") from None
    deadline = time.monotonic() + options.file_timeout
    with ThreadPoolExecutor(max_workers=max(1, min(options.workers, len(sources)))) as pool:
        futures = [pool.submit(_ocr_page, source, options, deadline) for source in sources]
        for done, _ in enumerate(as_completed(futures), start=1):
            if on_page is not None:
                on_page(done, len(futures))
        results = [future.result() for future in futures]
    if fail_if_none_read and not any(result.read for result in results):
        reasons = "; ".join(f"page {r.page.number}: {w.message}" for r in results if not r.read for w in r.warnings[:1])
        raise OcrFailedError(name, f"OCR read none of its pages ({reasons})")
    return [r.page for r in results], [w for r in results for w in r.warnings]


def _ocr_page(source: PageSource, options: OcrOptions, file_deadline: float) -> _PageResult:
    number = source.number
    page_deadline = min(file_deadline, time.monotonic() + options.page_timeout)

    def remaining() -> float:
        left = page_deadline - time.monotonic()
        if left <= 0:
            limit = "the file's" if page_deadline == file_deadline else "the page's"
            raise OcrTimeoutError(f"OCR stopped: {limit} time limit ran out")
        return left

    try:
        remaining()
        loaded = source.load()
        prepared = prepare_page(loaded.image)
        if prepared.blank:
            return _PageResult(_page(loaded, prepared, None, 0), [_warn("blank_page", number, "blank page: no ink to read")], True)
        text = tesseract.read_page(prepared.image, dpi=loaded.dpi, timeout=remaining())
        rotation = 0
        if not text.words or (text.confidence or 0) < options.low_confidence:
            text, prepared, rotation = _try_rotations(loaded, prepared, text, remaining)
        reread: list[str] = []
        signer_notes: list[str] = []
        if rotation == 0 and text.words:
            text, reread = reread_zones(text, loaded.image, prepared.skew, timeout=remaining())
            text, signer_notes = reread_signer(text, loaded.image, prepared.skew, timeout=remaining())
    except PageFailure as failure:
        empty = Page(number=number, method="ocr", text="")
        return _PageResult(empty, [_warn(failure.code, number, failure.message)], False)

    warnings = [_warn("tesseract_message", number, f"Tesseract: {message}") for message in text.messages]
    warnings += [_warn("zone_reread", number, note) for note in reread]
    warnings += [_warn("signer_reread", number, note) for note in signer_notes]
    if loaded.upscaled_from:
        warnings.append(_warn("low_resolution", number, f"about {loaded.upscaled_from} dpi: enlarged to "
                              f"{loaded.dpi} dpi before OCR"))
    if not text.words:
        warnings.append(_warn("blank_page", number, "no text found on this page"))
    elif (text.confidence or 0) < options.low_confidence:
        warnings.append(_warn("low_confidence_page", number,
                              f"OCR confidence {text.confidence:.0f} is under {options.low_confidence:g}: "
                              "check this page by eye"))
    return _PageResult(_page(loaded, prepared, text, rotation), warnings, True)


def _try_rotations(loaded: PageImage, prepared: Prepared, text: tesseract.OcrText, remaining,
                   ) -> tuple[tesseract.OcrText, Prepared, int]:
    """A page that read badly may be on its side or upside down: ask OSD, and read it turned."""
    if not text.words:
        return text, prepared, 0
    found = tesseract.detect_rotation(prepared.image, timeout=remaining())
    if not found or found[0] == 0:
        return text, prepared, 0
    rotation = found[0]
    turned = prepare_page(loaded.image.rotate(rotation, expand=True))
    again = tesseract.read_page(turned.image, dpi=loaded.dpi, timeout=remaining())
    if (again.confidence or 0) > (text.confidence or 0):
        return again, turned, rotation
    return text, prepared, 0


def _page(loaded: PageImage, prepared: Prepared, text: tesseract.OcrText | None, rotation: int) -> Page:
    words = text.words if text else []
    return Page(
        number=loaded.number,
        method="ocr",
        text=text.text if text else "",
        confidence=None if not words or text is None or text.confidence is None else round(text.confidence, 1),
        rotation=rotation,
        skew=prepared.skew,
        size=list(prepared.image.size),
        dpi=loaded.dpi,
        words=[Word(start=w.start, end=w.end, box=list(w.box), confidence=w.confidence) for w in words],
    )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _warn(code: str, page: int, message: str) -> ExtractionWarning:
    return ExtractionWarning(code=code, page=page, message=message)
