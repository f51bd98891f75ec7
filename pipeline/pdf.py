"""PDF letters page by page: the text layer where a page has one, OCR where it is a scan.

The text layer is read with pdfplumber (pdfminer.six underneath). A page whose layer holds
real text keeps method "text_layer"; a page without (a scan, or only a scanner's stamp line)
and a page whose layer cannot be read are rendered at 300 dpi (pipeline/raster.py) and OCR'd
(pipeline/ocr.py, method "ocr"). Mixed PDFs mix both. Encrypted, damaged and page-less PDFs
fail with their typed errors before any OCR starts.
"""
from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from extractors.esign import signed_at, stamp_lines, without_stamp
from schemas import DigitalSignature, ExtractionWarning, Page

from pipeline.errors import CorruptPdfError, EncryptedPdfError
from pipeline.ocr import OcrOptions, PageProgress, ocr_pages
from pipeline.raster import page_sources

# Scanner software stamps a line such as "Scanned with CamScanner" on image-only pages;
# a page of a real letter has far more than this many letters and digits.
MIN_TEXT_LAYER_CHARS = 20


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
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [_page_text(page) for page in pdf.pages]
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFEncryptionError):
            raise EncryptedPdfError(path, "is encrypted with a password; save an unprotected copy") from None
        raise CorruptPdfError(path, f"cannot be read as a PDF ({_describe(cause)})") from None
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
    warnings.sort(key=lambda w: w.page or 0)
    return [result[number] for number in sorted(result)], warnings, signatures


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
        return page.extract_text() or "", None
    except Exception as error:  # pdfminer raises many unrelated types on a damaged content stream
        return "", _describe(error)


def _has_text_layer(text: str) -> bool:
    return sum(1 for c in text if c.isalnum()) >= MIN_TEXT_LAYER_CHARS


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
