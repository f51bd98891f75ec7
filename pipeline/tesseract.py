"""Tesseract, through pytesseract: the only module that runs it.

`read_page` OCRs one page image with the Vietnamese LSTM model and returns its text with every
word's box, confidence and offsets in that text; `detect_rotation` asks Tesseract's OSD how a
page is turned. Each call runs one `tesseract` process with OMP_THREAD_LIMIT=1 (one thread per
process, one process per core: about 2.4× the throughput of Tesseract's own threads on two
cores) and a time limit; a page that runs out of time or makes Tesseract fail raises a
`PageFailure`, which costs that page, not the file. What Tesseract prints on a page it did
read (e.g. "Detected 465 diacritics" on a noisy scan) comes back as `messages`.
"""
from __future__ import annotations

import os
import shlex
import tempfile
from dataclasses import dataclass, field
from functools import cache

import pytesseract
from PIL import Image
from pytesseract import Output, TesseractError, TesseractNotFoundError

from pipeline.errors import OcrPageError, OcrTimeoutError, TesseractUnavailableError
from pipeline.layout import LaidWord, reading_order

LANG = "vie"  # vie+eng strips diacritics; the English words of letters come out fine with vie
# Page segmentation, measured on 18 degraded rendered letters with a two-column header (after
# pipeline/preprocess.py): psm 3 (automatic layout) 7.4% CER and 51 of 72 header fields found,
# psm 4 (one column) 8.4% and 49, psm 6 (one block) 18.7% and 38; all three are perfect on clean
# pages. Every mode puts the two header columns side by side on one line ("Số: 12/UBND-VP Cần
# Giờ, ngày ..."), which the header parser reads.
PSM = 3
# LSTM only; Debian's model has no legacy engine anyway.
OEM = 1

# What Tesseract prints that says nothing about the page.
_NOISE = ("Estimating resolution as", "Warning: Invalid resolution")


@dataclass(frozen=True)
class OcrWord:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in the image's pixels
    confidence: float  # 0-100
    start: int  # offsets of the word in OcrText.text
    end: int


@dataclass(frozen=True)
class OcrText:
    text: str
    words: list[OcrWord] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def confidence(self) -> float | None:
        """Mean word confidence, None when no word was read."""
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else None


def check_available() -> None:
    """Raise TesseractUnavailableError unless `tesseract` runs and has the Vietnamese model."""
    problem = _availability()
    if problem:
        raise TesseractUnavailableError(problem)


@cache
def _availability() -> str | None:
    _limit_threads()
    try:
        languages = pytesseract.get_languages()
    except (TesseractNotFoundError, OSError):
        return ("Tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)")
    except TesseractError as error:
        return f"Tesseract does not run: {error.message}"
    if LANG not in languages:
        return ("Tesseract has no Vietnamese model (Debian: apt-get install tesseract-ocr-vie)")
    return None


def read_page(image: Image.Image, *, dpi: int | None = None, timeout: float = 60, psm: int = PSM) -> OcrText:
    """The text of one page image, its words with boxes, and what Tesseract said about it.

    Text is built from Tesseract's word table as its own text output is: words of a line joined
    by a space, lines by a newline, paragraphs and blocks by a blank line. `dpi` is the scan's
    resolution when known; without it Tesseract estimates one from the text height.
    """
    config = f"--oem {OEM} --psm {psm}" + (f" --dpi {dpi}" if dpi else "")
    data, messages = _run(pytesseract.image_to_data, image, config, timeout, lang=LANG, output_type=Output.DICT)
    return _assemble(data, messages, image.width)


# Digits alone: Debian's English model reads handwritten and stamped digits better than the
# Vietnamese one (measured on the number zones of the real scans), one line of them.
DIGITS_LANG = "eng"
DIGITS_CONFIG = "--oem 1 --psm 7 -c tessedit_char_whitelist=0123456789"


def read_digits(image: Image.Image, *, timeout: float = 10) -> tuple[str, float]:
    """The digits in a small image of one number (a zone cut from a page) and the lowest word confidence."""
    data, _ = _run(pytesseract.image_to_data, image, DIGITS_CONFIG, timeout, lang=DIGITS_LANG, output_type=Output.DICT)
    words = [(str(t).strip(), float(c)) for t, c in zip(data["text"], data["conf"]) if str(t).strip()]
    return "".join(t for t, _ in words), min((c for _, c in words), default=0.0)


def detect_rotation(image: Image.Image, *, timeout: float = 30) -> tuple[int, float] | None:
    """(degrees, confidence): how far to turn the page counter-clockwise to make it upright.

    None when OSD cannot tell (too little text). Tesseract's `Rotate:` is clockwise; Pillow's
    `rotate` turns counter-clockwise, so the answer is ready for `image.rotate(degrees)`.
    """
    try:
        data, _ = _run(pytesseract.image_to_osd, image, "--psm 0", timeout, lang="osd", output_type=Output.DICT)
    except OcrPageError:
        return None  # "Too few characters. Skipping this page": nothing to orient by
    return (-int(data["rotate"])) % 360, float(data["orientation_conf"])


def _limit_threads() -> None:
    # pytesseract starts tesseract with os.environ; one OpenMP thread per process.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _run(function, image: Image.Image, config: str, timeout: float, **kwargs) -> tuple[dict, list[str]]:
    """Call a pytesseract function with Tesseract's messages sent to a file, and read them back."""
    _limit_threads()
    handle, log_path = tempfile.mkstemp(prefix="congvan-tesseract-", suffix=".log")
    os.close(handle)
    try:
        config = f"{config} -c debug_file={shlex.quote(log_path)}"
        try:
            result = function(image, config=config, timeout=timeout, **kwargs)
        except TesseractNotFoundError:
            raise TesseractUnavailableError("Tesseract is not installed") from None
        except TesseractError as error:
            raise OcrPageError(f"Tesseract failed: {_tidy(str(error.message))}") from None
        except RuntimeError as error:
            if "timeout" in str(error).lower():
                raise OcrTimeoutError(f"Tesseract took longer than {timeout:g} s on this page") from None
            raise
        with open(log_path, encoding="utf-8", errors="replace") as log:
            messages = [line.strip() for line in log if line.strip() and not line.startswith(_NOISE)]
    finally:
        try:
            os.remove(log_path)
        except OSError:
            pass
    return result, messages


def _assemble(data: dict, messages: list[str], width: int) -> OcrText:
    """Text and words from Tesseract's word table, in the reading order of pipeline/layout.py.

    Words of a line are joined by a space, lines by a newline, paragraphs by a blank line; the
    two-column header and closing come column by column.
    """
    words = []
    for i, level in enumerate(data["level"]):
        text = str(data["text"][i]).strip()
        if level != 5 or not text:
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        box = (left, top, left + int(data["width"][i]), top + int(data["height"][i]))
        line = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(LaidWord(text, box, max(0.0, float(data["conf"][i])), line))

    parts: list[str] = []
    out: list[OcrWord] = []
    length = 0
    previous = None
    for para, line_words in reading_order(words, width):
        if previous is not None:
            separator = "\n" if para == previous else "\n\n"
            parts.append(separator)
            length += len(separator)
        previous = para
        for k, w in enumerate(line_words):
            if k:
                parts.append(" ")
                length += 1
            out.append(OcrWord(w.text, w.box, w.confidence, length, length + len(w.text)))
            parts.append(w.text)
            length += len(w.text)
    return OcrText("".join(parts), out, messages)


def _tidy(message: str) -> str:
    return " ".join(message.split()) or "no message"
