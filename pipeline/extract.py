"""One input file -> its ExtractionResult: read the bytes, pick a reader, extract the letters."""
from __future__ import annotations

import hashlib
from pathlib import Path

from extractors import extract_documents
from schemas import ExtractionResult, Source

from pipeline.errors import (
    CorruptPdfError,
    EmptyInputError,
    InputNotFoundError,
    InputTooLargeError,
    NotALetterError,
    UnsupportedInputError,
)
from pipeline.pdf import read_pdf_pages
from pipeline.text_file import read_text_pages

TEXT = "text/plain"
PDF = "application/pdf"
SUPPORTED_SUFFIXES = {".txt": TEXT, ".pdf": PDF}

DEFAULT_MAX_BYTES = 100 * 1024 * 1024

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF87a", b"GIF89a")
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp", ".webp"}
# The PDF header may follow a little junk; readers accept it within the first kilobyte.
_PDF_HEADER_WINDOW = 1024


def extract_file(path: Path, *, name: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> ExtractionResult:
    """Extract the letters of one file. `name` is how messages and `source.path` call it."""
    name = name if name is not None else path.as_posix()
    data = _read_bytes(path, name, max_bytes)
    media_type = detect_media_type(path, data, name)
    reader = read_pdf_pages if media_type == PDF else read_text_pages
    pages, warnings = reader(name, data)
    documents, extraction_warnings = extract_documents([page.text for page in pages])
    if not documents:
        raise NotALetterError(name, f"no official letter found in its {_count(len(pages), 'page')}")
    return ExtractionResult(
        source=Source(path=name, sha256=hashlib.sha256(data).hexdigest(), media_type=media_type,
                      size_bytes=len(data)),
        pages=pages,
        documents=documents,
        warnings=[*warnings, *extraction_warnings],
    )


def detect_media_type(path: Path, data: bytes, name: str) -> str:
    """PDF or plain text, by content where it is recognisable, else by the file's extension."""
    suffix = path.suffix.lower()
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return PDF
    if suffix in _IMAGE_SUFFIXES:
        raise UnsupportedInputError(name, f"{suffix} input is not supported yet (OCR lands in a later release)")
    if data.startswith(_IMAGE_MAGIC):
        raise UnsupportedInputError(name, "is an image; image input is not supported yet "
                                    "(OCR lands in a later release)")
    if suffix == ".pdf":
        raise CorruptPdfError(name, "is not a PDF: it has no %PDF- header")
    if suffix not in SUPPORTED_SUFFIXES:
        kind = f"{suffix} input" if suffix else "a file without an extension"
        raise UnsupportedInputError(name, f"{kind} is not supported (congvan reads .txt and .pdf files)")
    return SUPPORTED_SUFFIXES[suffix]


def _read_bytes(path: Path, name: str, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputNotFoundError(name, "is not a file")
        if size > max_bytes:
            raise InputTooLargeError(name, f"is {_mib(size)}, over the {_mib(max_bytes)} limit "
                                     "(raise it with --max-size)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(name, "does not exist") from None
    except PermissionError:
        raise InputNotFoundError(name, "cannot be read (permission denied)") from None
    if not data:
        raise EmptyInputError(name, "is empty (0 bytes)")
    return data


def _mib(size: int) -> str:
    mib = size / 1024 / 1024
    return f"{mib:.1f} MiB" if mib >= 0.1 else f"{size} bytes"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
