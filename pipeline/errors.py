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


class InternalError(CongvanError):
    """A bug in congvan itself; the CLI prints the traceback and goes on with the other inputs."""

    code = 70
    status = "internal error"


# argparse's own code for bad arguments; congvan uses it for every usage error too
# (no input file found, --out names a file).
USAGE_ERROR = 2
