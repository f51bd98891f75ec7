"""Why an input file could not be turned into JSON, one class per reason.

Each class carries the exit code `congvan` ends with when an input fails that way, so a
script can tell "needs OCR" from "not a letter" without parsing messages. The codes are
listed in the README; keep them stable.
"""
from __future__ import annotations


class CongvanError(Exception):
    """An input that failed: `path` is the file as the user named it, `reason` says why."""

    code = 1
    status = "failed"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):  # noqa: ANN204 - pickling: errors cross process pools with their two fields
        return type(self), (self.path, self.reason)


class InputNotFoundError(CongvanError):
    code = 3
    status = "not found"


class EmptyInputError(CongvanError):
    code = 4
    status = "empty"


class NotTextError(CongvanError):
    code = 5
    status = "not text"


class UndecodableTextError(CongvanError):
    code = 6
    status = "undecodable"


class NotALetterError(CongvanError):
    code = 7
    status = "not a letter"


class UnsupportedInputError(CongvanError):
    code = 8
    status = "unsupported"


class OcrRequiredError(CongvanError):
    """A scan or an image, and Tesseract with its Vietnamese model is not installed."""

    code = 9
    status = "needs OCR"


class EncryptedPdfError(CongvanError):
    code = 10
    status = "encrypted"


class CorruptPdfError(CongvanError):
    code = 11
    status = "corrupt PDF"


class InputTooLargeError(CongvanError):
    code = 12
    status = "too large"


class OutputWriteError(CongvanError):
    code = 13
    status = "write failed"


class ImageTooLargeError(CongvanError):
    """An image (or a page of it) with more pixels than a scan has: a decompression bomb or a poster."""

    code = 14
    status = "image too large"


class CorruptImageError(CongvanError):
    """An image file that Pillow cannot decode: truncated, damaged, or not the format its name says."""

    code = 15
    status = "corrupt image"


class OcrFailedError(CongvanError):
    """OCR gave no text on any page because Tesseract failed or ran out of time on every one."""

    code = 16
    status = "OCR failed"


class NotAResultError(CongvanError):
    """A file given to `congvan review` that is not an output JSON of congvan (another schema, not JSON)."""

    code = 17
    status = "not congvan JSON"


class InternalError(CongvanError):
    """A bug in congvan itself; the CLI prints the traceback and goes on with the other inputs."""

    code = 70
    status = "internal error"


class PageFailure(Exception):
    """One page that could not be read; a soft failure: the page is left empty and gets a warning.

    `code` is the warning code the result's `warnings` carry for it.
    """

    code = "page_failed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OcrTimeoutError(PageFailure):
    code = "ocr_timeout"


class OcrPageError(PageFailure):
    """Tesseract exited with an error on one page."""

    code = "ocr_failed"


class TesseractUnavailableError(Exception):
    """Tesseract, or its Vietnamese model, is not installed: every scan fails the same way."""


# argparse's own code for bad arguments; congvan uses it for every usage error too
# (no input file found, --out names a file).
USAGE_ERROR = 2
