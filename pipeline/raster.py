"""PDF pages as images, with pypdfium2 (PDFium): the only module that renders PDFs.

PDFium is not thread-safe, so one lock serialises every call into it; rendering a page at
300 dpi takes a tenth of the time Tesseract then spends on it, so the OCR threads barely wait.
"""
from __future__ import annotations

import threading

import pypdfium2 as pdfium

from pipeline.errors import CorruptPdfError
from pipeline.images import MAX_PAGE_PIXELS, OCR_DPI, PageImage, PageSource, PageUnreadableError

_PDFIUM = threading.Lock()


def page_sources(name: str, data: bytes, numbers: list[int], *, dpi: int = OCR_DPI,
                 max_pixels: int = MAX_PAGE_PIXELS, forms: bool = False) -> list[PageSource]:
    """A source per listed page (1-based) that renders it in colour at `dpi`.

    Colour, not gray: the red seal and the blue signature over a signer's name are taken out
    by their colour before OCR (pipeline/preprocess.py).

    A page so large that `dpi` would give more than `max_pixels` is rendered at the highest
    resolution that fits (its PageImage says which).

    With `forms`, form fields are drawn too: e-office systems stamp the number and day of a
    Word-born letter into them (the signature widgets' appearances: "Số: 318", "ngày 14"), which
    PDFium leaves out without its form environment. Not for scans: there the widgets draw the
    signature boxes over the page (on one real scan they drew a stamp over the header, and a letter of its symbol was misread).
    """
    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
            if forms:
                document.init_forms()
        except pdfium.PdfiumError as error:
            raise CorruptPdfError(name, f"cannot be rendered ({error})") from None

    def source(number: int) -> PageSource:
        def load() -> PageImage:
            with _PDFIUM:
                page = document[number - 1]
                try:
                    width, height = page.get_size()  # points, 1/72 inch
                    resolution = dpi
                    if width * height * (resolution / 72) ** 2 > max_pixels:
                        resolution = int(72 * (max_pixels / (width * height)) ** 0.5)
                    bitmap = page.render(scale=resolution / 72, may_draw_forms=forms)
                    image = bitmap.to_pil().copy()
                    bitmap.close()
                except pdfium.PdfiumError as error:
                    raise PageUnreadableError(f"cannot be rendered ({error})") from None
                finally:
                    page.close()
            return PageImage(number, image, resolution)
        return PageSource(number, load)

    return [source(number) for number in numbers]
