"""One input file -> its ExtractionResult: read the bytes, pick a reader, extract the letters.

Readers: plain text (pipeline/text_file.py), PDF page by page, text layer or OCR
(pipeline/pdf.py), and images, every page OCR'd (pipeline/images.py, pipeline/ocr.py).
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from extractors import extract_documents
from schemas import DigitalSignature, ExtractionResult, ExtractionWarning, Source

from pipeline.errors import (
    CorruptPdfError,
    EmptyInputError,
    InputNotFoundError,
    InputTooLargeError,
    MemoryLimitError,
    NotALetterError,
    UnsupportedInputError,
)
from pipeline.images import open_image_pages
from pipeline.limits import MAX_TEXT_CHARS
from pipeline.ocr import OcrOptions, PageProgress, ocr_pages
from pipeline.pdf import read_pdf, signatures_in
from pipeline.text_file import read_text_pages

TEXT = "text/plain"
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
IMAGES = {PNG, JPEG, TIFF}
SUPPORTED_SUFFIXES = {".txt": TEXT, ".pdf": PDF, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG,
                      ".tif": TIFF, ".tiff": TIFF}

DEFAULT_MAX_BYTES = 100 * 1024 * 1024

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": PNG, b"\xff\xd8\xff": JPEG, b"II*\x00": TIFF, b"MM\x00*": TIFF}
_OTHER_IMAGE_MAGIC = {b"GIF87a": "a GIF", b"GIF89a": "a GIF", b"BM": "a BMP", b"RIFF": "a WebP or other RIFF"}
_OTHER_IMAGE_SUFFIXES = {".gif", ".bmp", ".webp", ".heic", ".jp2"}
# The PDF header may follow a little junk; readers accept it within the first kilobyte.
_PDF_HEADER_WINDOW = 1024


def extract_file(path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 ocr: OcrOptions | None = None, on_page: PageProgress | None = None,
                 follow_links: bool = True) -> ExtractionResult:
    """Extract the letters of one file. `name` is how messages and `source.path` call it;
    `on_page` is told as each page that needs OCR is read; without `follow_links` a symbolic
    link is refused, not read through."""
    name = name if name is not None else path.as_posix()
    data = _read_bytes(path, name, max_bytes, follow_links=follow_links)
    media_type = detect_media_type(path, data, name)
    signatures: list[DigitalSignature] = []
    if media_type == PDF:
        pages, warnings, signatures = read_pdf(name, data, ocr=ocr, on_page=on_page)
    elif media_type in IMAGES:
        pages, warnings = ocr_pages(name, open_image_pages(name, data), ocr, on_page=on_page)
    else:
        _check_text_size(name, len(data.decode("utf-8", "replace")) if len(data) > MAX_TEXT_CHARS else 0)
        pages, warnings = read_text_pages(name, data)
    _check_text_size(name, sum(len(page.text) for page in pages))
    # a stamp the scan carries in its image, read by OCR
    signatures += [s for page in pages if page.method == "ocr" for s in signatures_in(page.text, page.number)]
    documents, extraction_warnings = extract_documents([page.text for page in pages], [page.words for page in pages])
    result = ExtractionResult(
        source=Source(path=name, sha256=hashlib.sha256(data).hexdigest(), media_type=media_type,
                      size_bytes=len(data)),
        pages=pages,
        documents=documents,
        signatures=signatures,
        warnings=[*warnings, *extraction_warnings],
    )
    if not documents:
        reason = f"no official letter found in its {_count(len(pages), 'page')}" + _blank_note(pages)
        result.warnings.append(ExtractionWarning(code="no_letter", message=reason))
        raise NotALetterError(name, reason, result=result)
    return result


def detect_media_type(path: Path, data: bytes, name: str) -> str:
    """PDF, image or plain text, by content where it is recognisable, else by the file's extension."""
    suffix = path.suffix.lower()
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return PDF
    for magic, media_type in _IMAGE_MAGIC.items():
        if data.startswith(magic):
            return media_type
    for magic, kind in _OTHER_IMAGE_MAGIC.items():
        if data.startswith(magic) and (suffix in _OTHER_IMAGE_SUFFIXES or suffix not in SUPPORTED_SUFFIXES):
            raise UnsupportedInputError(name, f"is {kind} image; {_READS}")
    if suffix in _OTHER_IMAGE_SUFFIXES:
        raise UnsupportedInputError(name, f"{suffix} input is not supported; {_READS}")
    if suffix == ".pdf":
        raise CorruptPdfError(name, "is not a PDF: it has no %PDF- header")
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"{suffix} input" if suffix else "a file without an extension"
        raise UnsupportedInputError(name, f"{kind} is not supported; {_READS}")
    # an image extension on content of no known kind: Pillow will say what is wrong with it
    return SUPPORTED_SUFFIXES[suffix]


_READS = "congvan reads .txt, .pdf, .png, .jpg and .tif files"


def _blank_note(pages: list) -> str:
    blank = [page.number for page in pages if page.method == "ocr" and not page.text.strip()]
    if not blank:
        return ""
    if len(blank) == len(pages):
        return " (no text found by OCR: blank, or a photo without text)"
    return f" (no text found by OCR on page{'s' if len(blank) > 1 else ''} {', '.join(map(str, blank))})"


def _read_bytes(path: Path, name: str, max_bytes: int, *, follow_links: bool = True) -> bytes:
    """The file's bytes, its size checked first (on the open file, which cannot change under us)
    and no more than `max_bytes` read; only a regular file is read (a FIFO would block for ever)."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputNotFoundError(name, "does not exist") from None
    except PermissionError:
        raise InputNotFoundError(name, "cannot be read (permission denied)") from None
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links and path.is_symlink():
            raise InputNotFoundError(name, "is a symbolic link, which is not followed here") from None
        if error.errno == errno.ELOOP:
            raise InputNotFoundError(name, "is a loop of symbolic links") from None
        raise InputNotFoundError(name, f"cannot be opened ({error.strerror})") from None
    with os.fdopen(fd, "rb") as file:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise InputNotFoundError(name, "is not a file" if stat.S_ISDIR(status.st_mode)
                                     else "is not a regular file (a pipe, socket or device)")
        if status.st_size > max_bytes:
            raise InputTooLargeError(name, f"is {_mib(status.st_size)}, over the {_mib(max_bytes)} limit "
                                     "(raise it with --max-size)")
        try:
            data = file.read(max_bytes + 1)
        except OSError as error:
            raise InputNotFoundError(name, f"cannot be read ({error.strerror})") from None
    if len(data) > max_bytes:  # it grew after the check
        raise InputTooLargeError(name, f"is over the {_mib(max_bytes)} limit (raise it with --max-size)")
    if not data:
        raise EmptyInputError(name, "is empty (0 bytes)")
    return data


def _check_text_size(name: str, characters: int) -> None:
    if characters > MAX_TEXT_CHARS:
        raise MemoryLimitError(name, f"holds {characters:,} characters of text, over the limit of {MAX_TEXT_CHARS:,} "
                               "(about 3,000 pages): split it into its letters")


def _mib(size: int) -> str:
    mib = size / 1024 / 1024
    return f"{mib:.1f} MiB" if mib >= 0.1 else f"{size} bytes"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
