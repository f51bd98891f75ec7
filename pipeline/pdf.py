"""PDF letters page by page: the text layer where a page has one, OCR where it is a scan.

The text layer is read with pdfplumber (pdfminer.six underneath). A page whose layer holds
real text keeps method "text_layer"; a page without (a scan, or only a scanner's stamp line)
and a page whose layer cannot be read are rendered at 300 dpi (pipeline/raster.py) and OCR'd
(pipeline/ocr.py, method "ocr"). Mixed PDFs mix both. A text-layer page whose header leaves the
number or the day blank (an e-office system stamped them into form fields) is also rendered with
its form fields and OCR'd, and the digits read there fill the blanks. Encrypted, damaged and page-less PDFs
fail with their typed errors before any OCR starts.
"""
from __future__ import annotations

import io
import re
import zlib

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from extractors.esign import signed_at, stamp_lines, without_stamp
from schemas import DigitalSignature, ExtractionWarning, Page

from pipeline.layout import LaidWord, reading_order
from pipeline.errors import CorruptPdfError, EncryptedPdfError, InputTooLargeError, MemoryLimitError
from pipeline.limits import MAX_INFLATED_BYTES, MAX_PAGES, MIB, TimeLimitExceeded, time_limit
from pipeline.ocr import OcrOptions, PageProgress, ocr_pages
from pipeline.raster import page_sources

# Scanner software stamps a line such as "Scanned with CamScanner" on image-only pages;
# a page of a real letter has far more than this many letters and digits.
MIN_TEXT_LAYER_CHARS = 20


# Limits (pipeline/limits.py): the time to read a PDF's page tree, and one page's text layer (0.09 s
# a page is usual; a reference loop in pdfminer never ends); pages per file; one stream inflated.
STRUCTURE_SECONDS = 20.0  # and one more for each MiB of the file
TEXT_LAYER_PAGE_SECONDS = 30.0


def read_pdf_pages(path: str, data: bytes, *, ocr: OcrOptions | None = None, on_page: PageProgress | None = None,
                   ) -> tuple[list[Page], list[ExtractionWarning]]:
    """One Page per PDF page, in order: its text layer, or its OCR when it has none."""
    pages, warnings, _ = read_pdf(path, data, ocr=ocr, on_page=on_page)
    return pages, warnings


def read_pdf(path: str, data: bytes, *, ocr: OcrOptions | None = None, on_page: PageProgress | None = None,
             ) -> tuple[list[Page], list[ExtractionWarning], list[DigitalSignature]]:
    """The pages (as read_pdf_pages) and the digital-signature stamps of their text layers.

    A text layer that is only the e-office signature stamp ("Ký bởi: …", "Thời gian ký: …") is
    no text layer of the letter: the page is OCR'd, and the stamp kept as a DigitalSignature.
    """
    check_inflated_sizes(path, data)
    try:
        with time_limit(structure_seconds := STRUCTURE_SECONDS + len(data) / MIB) as token, \
                pdfplumber.open(io.BytesIO(data)) as pdf:
            _check_page_count(path, pdf)
            pages = [_page_text(page) for page in pdf.pages]
    except TimeLimitExceeded as exceeded:
        if exceeded.token is not token:
            raise
        raise CorruptPdfError(path, f"its page tree could not be read in {structure_seconds:.0f} s (damaged: "
                              "objects that refer to each other in a loop?)") from None
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFEncryptionError):
            raise EncryptedPdfError(path, "is encrypted with a password; save an unprotected copy") from None
        raise CorruptPdfError(path, f"cannot be read as a PDF ({_describe(cause)})") from None
    except MalformedPDFException as error:
        raise CorruptPdfError(path, f"cannot be read as a PDF ({_describe(error)})") from None
    if not pages:
        raise CorruptPdfError(path, "has no pages")

    warnings: list[ExtractionWarning] = []
    result: dict[int, Page] = {}
    scans: list[int] = []
    signatures = [s for number, (text, _) in enumerate(pages, start=1) for s in signatures_in(text, number)]
    for number, (text, failure) in enumerate(pages, start=1):
        if failure:
            warnings.append(ExtractionWarning(
                code="page_unreadable", page=number, message=f"text layer unreadable, OCR'd instead: {failure}"))
        if failure or not _has_text_layer(without_stamp(text)):
            scans.append(number)
        else:
            result[number] = Page(number=number, method="text_layer", text=text)
    if scans:
        ocr_result, ocr_warnings = ocr_pages(path, page_sources(path, data, scans), ocr,
                                              fail_if_none_read=not result, on_page=on_page)
        result.update((page.number, page) for page in ocr_result)
        warnings += ocr_warnings
    blanks = [n for n, page in result.items() if page.method == "text_layer" and _blank_fields(page.text)]
    if blanks:
        read, _ = ocr_pages(path, page_sources(path, data, blanks, forms=True), ocr, fail_if_none_read=False)
        for page in read:
            text, filled = fill_blanks(result[page.number].text, page.text)
            if filled:
                result[page.number] = result[page.number].model_copy(update={"text": text})
                warnings.append(ExtractionWarning(code="blank_filled", page=page.number, message=(
                    "the text layer leaves " + " and ".join(filled) + " blank: read from the rendered page")))
    warnings.sort(key=lambda w: w.page or 0)
    return [result[number] for number in sorted(result)], warnings, signatures


# A Word-born e-office letter is numbered and dated after signing, in form fields over the page:
# its text layer has the printed labels with nothing between them ("Số: /UBND-VP", "ngày tháng 3
# năm 2023"), the page rendered with its form fields has the digits (pipeline/raster.py).
_BLANK_NUMBER = re.compile(r"^(S[ốô]\s*:?)\s*(?=/)", re.M)
_BLANK_DAY = re.compile(r"(ngày)\s+(?=tháng\s+\d)")
# the same places read on the rendered page, digits only
_READ_NUMBER = re.compile(r"^S[ốôóỏ]\s*[:.;]?\s*(\d{1,6})\s*/", re.M)
_READ_DAY = re.compile(r"ngày\s*(\d{1,2})\s*tháng\b")
# the header is the start of the first page
_HEADER_CHARS = 600


def _blank_fields(text: str) -> bool:
    head = text[:_HEADER_CHARS]
    return bool(_BLANK_NUMBER.search(head) or _BLANK_DAY.search(head))


def fill_blanks(layer: str, ocr_text: str) -> tuple[str, list[str]]:
    """The text layer with its blank number and day filled in from the OCR of the rendered page,
    where OCR read digits there (a day only from 1 to 31); and which were filled."""
    filled = []
    number, day = _READ_NUMBER.search(ocr_text), _READ_DAY.search(ocr_text)
    head, rest = layer[:_HEADER_CHARS], layer[_HEADER_CHARS:]
    if number and _BLANK_NUMBER.search(head):
        head = _BLANK_NUMBER.sub(lambda m: f"{m.group(1)} {number.group(1)} ", head, count=1)
        filled.append("the number")
    if day and 1 <= int(day.group(1)) <= 31 and _BLANK_DAY.search(head):
        head = _BLANK_DAY.sub(lambda m: f"{m.group(1)} {day.group(1)} ", head, count=1)
        filled.append("the day")
    return head + rest, filled


def signatures_in(text: str, page: int) -> list[DigitalSignature]:
    """The digital-signature stamps in a page's text: one per "Ký bởi" line and the lines after it."""
    out: list[DigitalSignature] = []
    for line in stamp_lines(text):
        if line.field == "signer" or not out:
            out.append(DigitalSignature(page=page, raw=""))
        current = out[-1]
        current.raw = (current.raw + "\n" + text[line.start:line.end]).strip()
        value = signed_at(line.value) if line.field == "signed_at" else line.value or None
        if getattr(current, line.field) is None:
            setattr(current, line.field, value)
    return out


def _page_text(page: pdfplumber.page.Page) -> tuple[str, str | None]:
    """The page's text, or an empty text and why: one broken page must not lose the others."""
    try:
        with time_limit(TEXT_LAYER_PAGE_SECONDS) as token:
            text = page.extract_text() or ""
            return _in_columns(page, text), None
    except TimeLimitExceeded as exceeded:
        if exceeded.token is not token:
            raise
        return "", f"its text layer took longer than {TEXT_LAYER_PAGE_SECONDS:g} s to read"
    except Exception as error:  # pdfminer raises many unrelated types on a damaged content stream
        return "", _describe(error)


# Word positions are in PDF points; layout.py works in whole pixels, so they are scaled to 300 dpi.
_POINTS_TO_PIXELS = 300 / 72
# Words whose tops are this close (points) are on one line, as pdfplumber's extract_text groups them.
_LINE_TOLERANCE = 3


def _in_columns(page: pdfplumber.page.Page, text: str) -> str:
    """The page's text with its two-column header (and the Nơi nhận / signature columns below)
    read column by column, from the words' x positions, as OCR'd pages are (pipeline/layout.py).

    A Word-born letter's text layer comes out row by row across the columns ("ỦY BAN NHÂN DÂN
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / TỈNH QUẢNG NGÃI Độc lập ..."), which makes the issuer
    swallow the motto. A page with no two-column header keeps pdfplumber's text as it is.
    """
    words = page.extract_words()
    if not words:
        return text
    laid: list[LaidWord] = []
    line = -1
    top = None
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if top is None or abs(w["top"] - top) > _LINE_TOLERANCE:
            line, top = line + 1, w["top"]
        box = tuple(round(v * _POINTS_TO_PIXELS) for v in (w["x0"], w["top"], w["x1"], w["bottom"]))
        laid.append(LaidWord(w["text"], box, 100.0, (1, 1, line)))  # type: ignore[arg-type]
    ordered = reading_order(laid, round(float(page.width) * _POINTS_TO_PIXELS))
    if not any(key[0] == "header" for key, _ in ordered):
        return text
    return "\n".join(" ".join(w.text for w in ln) for _, ln in ordered)


def _check_page_count(path: str, pdf: pdfplumber.PDF) -> None:
    """Refuse a PDF of more than MAX_PAGES pages by its page tree's count, before reading them."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:  # noqa: BLE001 - no usable count: the pages are counted as they are read
        return
    if isinstance(count, int) and count > MAX_PAGES:
        raise InputTooLargeError(path, f"has {count} pages, over the limit of {MAX_PAGES} pages per file; "
                                 "split it into parts")


# Where a stream's data starts: after the keyword and its end of line (PDF 32000-1, 7.3.8.1).
_STREAM_START = re.compile(rb"stream\r?\n")
_INFLATE_STEP = 16 * MIB  # output asked of zlib at a time: the check holds no more than this


def check_inflated_sizes(path: str, data: bytes, limit: int = MAX_INFLATED_BYTES) -> None:
    """Refuse a PDF with a zlib (FlateDecode) stream that inflates to more than `limit` bytes, before
    any reader inflates it whole: a 1.5 MB file can hold a stream of 1.5 GiB (a decompression bomb)."""
    for match in _STREAM_START.finditer(data):
        size = _inflated_size(data, match.end(), limit)
        if size > limit:
            raise MemoryLimitError(path, f"a stream at byte {match.end()} inflates to over {limit // MIB} MiB, more "
                                   "than any letter's page holds (a decompression bomb?)")


def _inflated_size(data: bytes, start: int, limit: int) -> int:
    """What the zlib stream at `start` inflates to, counted up to just past `limit` (0: not zlib)."""
    header = data[start:start + 2]
    if len(header) < 2 or header[0] & 0x0F != 8 or (header[0] << 8 | header[1]) % 31:
        return 0  # not a zlib header: another filter, or raw image data
    inflater = zlib.decompressobj()
    total, position = 0, start
    try:
        while not inflater.eof and total <= limit:
            pending = inflater.unconsumed_tail or data[position:position + (1 << 16)]
            if not inflater.unconsumed_tail:
                if not pending:
                    break
                position += len(pending)
            total += len(inflater.decompress(pending, _INFLATE_STEP))
    except zlib.error:
        pass  # damaged: the readers will say so
    return total


def _has_text_layer(text: str) -> bool:
    return sum(1 for c in text if c.isalnum()) >= MIN_TEXT_LAYER_CHARS


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
