"""PDF letters: the text layer of each page, read with pdfplumber (pdfminer.six underneath).

Pages without a text layer are scans; OCR of those lands in a later release, so for now a
PDF with no text on any page fails with OcrRequiredError and one with some such pages gets
a warning per page.
"""
from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.utils.exceptions import PdfminerException

from schemas import ExtractionWarning, Page

from pipeline.errors import CorruptPdfError, EncryptedPdfError, OcrRequiredError

# Scanner software stamps a line such as "Scanned with CamScanner" on image-only pages;
# a page of a real letter has far more than this many letters and digits.
MIN_TEXT_LAYER_CHARS = 20


def read_pdf_pages(path: str, data: bytes) -> tuple[list[Page], list[ExtractionWarning]]:
    """One Page per PDF page, in order, with the text of its text layer."""
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
    result: list[Page] = []
    for number, (text, failure) in enumerate(pages, start=1):
        if failure:
            warnings.append(ExtractionWarning(
                code="page_unreadable", page=number, message=f"text layer unreadable: {failure}"))
        elif not _has_text_layer(text):
            warnings.append(ExtractionWarning(
                code="page_needs_ocr", page=number, message="no text layer; this page needs OCR"))
        result.append(Page(number=number, method="text_layer", text=text))
    if not any(_has_text_layer(page.text) for page in result):
        raise OcrRequiredError(path, f"no text layer on any of its {len(result)} page(s): it is a scan "
                               "and needs OCR, which lands in a later release")
    return result, warnings


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
