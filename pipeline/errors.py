"""Why congvan stopped, or why an input file could not be turned into JSON: one class per reason.

Every class carries its `exit_code` (an `ExitCode`) and the `stage` of the work it failed in, so
a script can tell "needs OCR" from "not a letter" without parsing messages, and the inbox's
<name>.error.json and the flows' reports say where a file failed. The codes are listed in the
README's command reference; keep them stable.

Two families:

- `CongvanError`: one input file failed. The run goes on with the others, and the command ends
  with the code of the first file that failed.
- `CommandError`: the command itself cannot go on (bad arguments, no store at the path a read
  command names, no database or Prefect server to reach). One line, no traceback.
"""
from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from schemas import ExtractionResult


class ExitCode(IntEnum):
    """What `congvan` exits with."""

    OK = 0
    FAILED = 1  # an input failed for a reason without a code of its own
    USAGE = 2  # bad arguments or options (argparse's own code), no input file found
    INPUT_NOT_FOUND = 3
    EMPTY_INPUT = 4
    NOT_TEXT = 5
    UNDECODABLE_TEXT = 6
    NOT_A_LETTER = 7
    UNSUPPORTED_INPUT = 8
    OCR_REQUIRED = 9
    ENCRYPTED_PDF = 10
    CORRUPT_PDF = 11
    INPUT_TOO_LARGE = 12
    OUTPUT_WRITE_FAILED = 13
    IMAGE_TOO_LARGE = 14
    CORRUPT_IMAGE = 15
    OCR_FAILED = 16
    NOT_A_RESULT = 17  # `congvan review` given a file that is no congvan JSON
    STORE_FAILED = 18  # the store refused a file's records (not a lost connection: that is retried)
    TIME_LIMIT = 19  # an input took longer than its time limit (--time-limit): stopped, set aside
    MEMORY_LIMIT = 20  # an input needed more memory than its limit (--memory-limit), or more than any letter does
    WORKER_CRASHED = 21  # the process reading an input died (a library crashed on it)
    NO_SPACE = 22  # the JSON cannot be written for want of space (disk full, quota): left for the next run
    NOT_FOUND = 65  # a read command's key or obligation id is not in the store
    NO_STORE = 66  # a read command names a store that does not exist (sysexits' EX_NOINPUT)
    SERVICE_UNAVAILABLE = 69  # no Prefect API, or no database server, to reach (EX_UNAVAILABLE)
    INTERNAL = 70  # a bug in congvan (EX_SOFTWARE)
    BAD_CONFIG = 78  # a database URL that names no database congvan can use (EX_CONFIG)
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT), after a summary of what was done
    BROKEN_PIPE = 141  # standard output closed by its reader (128 + SIGPIPE), e.g. `| head`


class Stage(StrEnum):
    """Where in the work on one file an error happened."""

    READ = "read"  # finding and reading the bytes
    DECODE = "decode"  # telling what they are and decoding them (text, PDF, image)
    OCR = "ocr"
    EXTRACT = "extract"  # finding the letters in the text
    OUTPUT = "output"  # writing the JSON
    STORE = "store"  # keeping the letters in the database


class CongvanError(Exception):
    """An input that failed: `path` is the file as the user named it, `reason` says why."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED
    stage: ClassVar[Stage] = Stage.EXTRACT
    status: ClassVar[str] = "failed"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):  # noqa: ANN204 - pickling: errors cross process pools with their two fields
        return type(self), (self.path, self.reason)


class InputNotFoundError(CongvanError):
    exit_code = ExitCode.INPUT_NOT_FOUND
    stage = Stage.READ
    status = "not found"


class EmptyInputError(CongvanError):
    exit_code = ExitCode.EMPTY_INPUT
    stage = Stage.READ
    status = "empty"


class InputTooLargeError(CongvanError):
    exit_code = ExitCode.INPUT_TOO_LARGE
    stage = Stage.READ
    status = "too large"


class NotTextError(CongvanError):
    exit_code = ExitCode.NOT_TEXT
    stage = Stage.DECODE
    status = "not text"


class UndecodableTextError(CongvanError):
    exit_code = ExitCode.UNDECODABLE_TEXT
    stage = Stage.DECODE
    status = "undecodable"


class UnsupportedInputError(CongvanError):
    exit_code = ExitCode.UNSUPPORTED_INPUT
    stage = Stage.DECODE
    status = "unsupported"


class EncryptedPdfError(CongvanError):
    exit_code = ExitCode.ENCRYPTED_PDF
    stage = Stage.DECODE
    status = "encrypted"


class CorruptPdfError(CongvanError):
    exit_code = ExitCode.CORRUPT_PDF
    stage = Stage.DECODE
    status = "corrupt PDF"


class ImageTooLargeError(CongvanError):
    """An image (or a page of it) with more pixels than a scan has: a decompression bomb or a poster."""

    exit_code = ExitCode.IMAGE_TOO_LARGE
    stage = Stage.DECODE
    status = "image too large"


class CorruptImageError(CongvanError):
    """An image file that Pillow cannot decode: truncated, damaged, or not the format its name says."""

    exit_code = ExitCode.CORRUPT_IMAGE
    stage = Stage.DECODE
    status = "corrupt image"


class OcrRequiredError(CongvanError):
    """A scan or an image, and Tesseract with its Vietnamese model is not installed."""

    exit_code = ExitCode.OCR_REQUIRED
    stage = Stage.OCR
    status = "needs OCR"


class OcrFailedError(CongvanError):
    """OCR gave no text on any page because Tesseract failed or ran out of time on every one."""

    exit_code = ExitCode.OCR_FAILED
    stage = Stage.OCR
    status = "OCR failed"


class NotALetterError(CongvanError):
    """No letter in the file. `result` keeps what was read of it (its pages, OCR text, boxes, no
    documents, a `no_letter` warning): the JSON is still written, the exit code is still 7."""

    exit_code = ExitCode.NOT_A_LETTER
    stage = Stage.EXTRACT
    status = "not a letter"

    def __init__(self, path: str, reason: str, result: ExtractionResult | None = None) -> None:
        super().__init__(path, reason)
        self.result = result

    def __reduce__(self):  # noqa: ANN204 - pickling keeps what was read
        return type(self), (self.path, self.reason, self.result)


class NotAResultError(CongvanError):
    """A file given to `congvan review` that is not an output JSON of congvan (another schema, not JSON)."""

    exit_code = ExitCode.NOT_A_RESULT
    stage = Stage.DECODE
    status = "not congvan JSON"


class OutputWriteError(CongvanError):
    exit_code = ExitCode.OUTPUT_WRITE_FAILED
    stage = Stage.OUTPUT
    status = "write failed"


class OutputSpaceError(OutputWriteError):
    """The JSON cannot be written for want of space (a full disk, a quota): not the file's fault,
    so the inbox leaves it for the next pass and the store does not record it as failed."""

    exit_code = ExitCode.NO_SPACE
    status = "disk full"


class StoreWriteError(CongvanError):
    """The database refused a file's records for a reason that retrying does not cure."""

    exit_code = ExitCode.STORE_FAILED
    stage = Stage.STORE
    status = "store failed"


class TimeLimitError(CongvanError):
    """An input that took longer than its time limit: its worker was stopped (or killed)."""

    exit_code = ExitCode.TIME_LIMIT
    stage = Stage.EXTRACT
    status = "timeout"


class MemoryLimitError(CongvanError):
    """An input that needs more memory than its limit: a decompression bomb, a huge text."""

    exit_code = ExitCode.MEMORY_LIMIT
    stage = Stage.DECODE
    status = "memory limit"


class WorkerCrashedError(CongvanError):
    """The worker process reading an input died: a library crashed on it, or the system killed it."""

    exit_code = ExitCode.WORKER_CRASHED
    stage = Stage.EXTRACT
    status = "crashed"


class InternalError(CongvanError):
    """A bug in congvan itself; the traceback is kept and the other inputs still run."""

    exit_code = ExitCode.INTERNAL
    stage = Stage.EXTRACT
    status = "internal error"


FILE_ERRORS: dict[str, type[CongvanError]] = {
    cls.__name__: cls for cls in (
        CongvanError, InputNotFoundError, EmptyInputError, InputTooLargeError, NotTextError,
        UndecodableTextError, UnsupportedInputError, EncryptedPdfError, CorruptPdfError, ImageTooLargeError,
        CorruptImageError, OcrRequiredError, OcrFailedError, NotALetterError, NotAResultError, OutputWriteError, OutputSpaceError,
        StoreWriteError, TimeLimitError, MemoryLimitError, WorkerCrashedError, InternalError)
}


# --- the command cannot go on ------------------------------------------------------------------

class CommandError(Exception):
    """The command stops: `str(error)` is the one line the user reads, with what to do."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILED


class UsageError(CommandError):
    exit_code = ExitCode.USAGE


class NotInStoreError(CommandError):
    exit_code = ExitCode.NOT_FOUND


class NoStoreError(CommandError):
    exit_code = ExitCode.NO_STORE


class ServiceUnavailableError(CommandError):
    exit_code = ExitCode.SERVICE_UNAVAILABLE


class BadDatabaseUrlError(CommandError):
    exit_code = ExitCode.BAD_CONFIG


# --- one page ---------------------------------------------------------------------------------

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
