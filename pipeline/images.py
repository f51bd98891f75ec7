"""Image files (PNG, JPEG, TIFF with one or many pages, 1-bit fax TIFF) as page images, with Pillow.

`open_image_pages` checks the whole file first — that Pillow knows it, that no page has more
pixels than a scan can (a decompression bomb), that the first page decodes — and then hands
back one source per page, so that a 200-page TIFF is decoded a page at a time by the OCR
workers instead of all at once. Each source opens its own handle: they may run in threads.

Sizes: a page over MAX_PAGE_PIXELS (100 megapixels; an A3 sheet at 600 dpi is 70) is refused
with ImageTooLargeError rather than downscaled, since no letter needs that many pixels and
decoding it costs the memory the limit is there to protect. A page whose metadata says it was
scanned at more than 400 dpi is reduced to 300 dpi (OCR is as good and four times faster than
at 600 dpi), fax pages with non-square pixels (204×98 dpi) are stretched to square ones, and a
page under 200 dpi (its own figure, or a guess from its size as an A4 page) is enlarged towards
300 dpi, at most 3×.
"""
from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from pipeline.errors import CorruptImageError, ImageTooLargeError, PageFailure, UnsupportedInputError
from pipeline.limits import MAX_PAGES  # one page limit for PDF and TIFF

MAX_PAGE_PIXELS = 100_000_000
FORMATS = {"PNG", "JPEG", "MPO", "TIFF"}  # MPO: a JPEG from a phone camera with a second frame
OCR_DPI = 300
_MAX_DPI = 400
MIN_DPI = 200  # pages under this are enlarged before OCR
MAX_UPSCALE = 3.0
A4_LONG_SIDE = 11.69  # inches


@dataclass(frozen=True)
class PageImage:
    number: int  # 1-based
    image: Image.Image
    dpi: int | None  # None when the file does not say
    upscaled_from: int | None = None  # the page's own resolution (or a guess of it) when it was enlarged


@dataclass(frozen=True)
class PageSource:
    """Page `number` of a file, decoded or rendered only when `load` is called."""

    number: int
    load: Callable[[], PageImage]


class PageUnreadableError(PageFailure):
    code = "page_unreadable"


def open_image_pages(name: str, data: bytes, *, max_pixels: int = MAX_PAGE_PIXELS) -> list[PageSource]:
    """One source per page of the image file `data`; `name` is how messages call it."""
    with _opened(name, data) as image:
        if image.format not in FORMATS:
            raise UnsupportedInputError(name, f"is a {image.format} image; congvan reads PNG, JPEG and TIFF images")
        count = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
        if count > MAX_PAGES:
            raise ImageTooLargeError(name, f"has {count} pages, over the limit of {MAX_PAGES}")
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            _check_size(name, number, frame.size, max_pixels)
            if number == count:
                break
        first = _decode(name, image, 0)

    def source(number: int) -> PageSource:
        def load() -> PageImage:
            if number == 1:
                return _page(1, first)
            try:
                with _opened(name, data) as image:
                    return _page(number, _decode(name, image, number - 1))
            except CorruptImageError as error:
                raise PageUnreadableError(error.reason) from None
        return PageSource(number, load)

    return [source(number) for number in range(1, count + 1)]


def _check_size(name: str, number: int, size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        page = f"page {number} is" if number > 1 else "is"
        raise ImageTooLargeError(
            name, f"{page} {width}×{height} pixels ({width * height / 1e6:.0f} megapixels), over the "
            f"limit of {max_pixels / 1e6:.0f}; scan letters at 300 dpi")
    if width < 1 or height < 1:
        raise CorruptImageError(name, f"has a page of {width}×{height} pixels")


class _opened:
    """Image.open as a context manager that turns Pillow's failures into typed errors."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.data = name, data

    def __enter__(self) -> Image.Image:
        try:
            with warnings.catch_warnings():
                # Pillow warns from 89 megapixels; the limit here is MAX_PAGE_PIXELS.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                self.image = Image.open(io.BytesIO(self.data))
        except Image.DecompressionBombError as error:
            raise ImageTooLargeError(self.name, f"is too large to decode safely ({error})") from None
        except UnidentifiedImageError:
            raise CorruptImageError(self.name, "cannot be read as an image (damaged, or not PNG, JPEG or TIFF)") from None
        except (OSError, ValueError, SyntaxError) as error:
            raise CorruptImageError(self.name, f"cannot be read as an image ({_describe(error)})") from None
        return self.image

    def __exit__(self, *exc: object) -> None:
        self.image.close()


def _decode(name: str, image: Image.Image, index: int) -> Image.Image:
    """Frame `index`, fully decoded: truncated and damaged data fail here, typed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.seek(index)
            frame = image.copy()
            frame.load()
    except Image.DecompressionBombError as error:
        raise ImageTooLargeError(name, f"is too large to decode safely ({error})") from None
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        where = f"page {index + 1}" if index else "its image data"
        raise CorruptImageError(name, f"{where} cannot be decoded ({_describe(error)})") from None
    frame.info = dict(image.info)
    return frame


def _page(number: int, image: Image.Image) -> PageImage:
    """The page upright as the camera's EXIF says, at OCR scale: square pixels, at most 400 dpi."""
    dpi = _dpi(image)
    if image.mode in _GRAY_CHANNEL:  # Pillow converts these to nothing else: the gray is one channel
        image = image.getchannel(_GRAY_CHANNEL[image.mode])
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # a broken EXIF block costs the orientation hint, not the page
        pass
    if dpi is None:
        return _sharpened(number, image, _guessed_dpi(image))
    x_dpi, y_dpi = dpi
    if abs(x_dpi - y_dpi) > 0.1 * max(x_dpi, y_dpi):  # fax "normal" mode: 204×98 dpi
        resolution = max(x_dpi, y_dpi)
        size = (round(image.width * resolution / x_dpi), round(image.height * resolution / y_dpi))
        image = _resize(image, size)
        x_dpi = y_dpi = resolution
    resolution = round(x_dpi)
    if resolution > _MAX_DPI:
        scale = OCR_DPI / resolution
        image = _resize(image, (max(1, round(image.width * scale)), max(1, round(image.height * scale))))
        resolution = OCR_DPI
    return _sharpened(number, image, resolution)


def _guessed_dpi(image: Image.Image) -> int:
    """The resolution of a page image that does not say: its long side taken as an A4 page's."""
    return max(1, round(max(image.size) / A4_LONG_SIDE))


def _sharpened(number: int, image: Image.Image, dpi: int) -> PageImage:
    """A page under MIN_DPI (a recompressed JPEG, a phone photo sent on) enlarged towards 300 dpi.

    Tesseract reads letters best 20-30 pixels high; measured on a 576×960 JPEG of a letter (about
    80 dpi), the header read "Số !906 SGDĐT.CTKTT Đá Nẵng. ngáy" as it was and "Số: 1906
    /SGDĐT-CTrTT Đà Nẵng, ngày" enlarged 2× or more.
    """
    if dpi >= MIN_DPI:
        return PageImage(number, image, dpi)
    scale = min(MAX_UPSCALE, OCR_DPI / dpi, (MAX_PAGE_PIXELS / (image.width * image.height)) ** 0.5)
    if scale <= 1:
        return PageImage(number, image, dpi)
    image = _resize(image, (round(image.width * scale), round(image.height * scale)))
    return PageImage(number, image, round(dpi * scale), upscaled_from=dpi)


def _resize(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "YCbCr", "LAB", "HSV") else "L")
    return image.resize(size, Image.Resampling.LANCZOS if image.mode == "L" else Image.Resampling.BICUBIC)


# Modes Pillow cannot convert to RGB or L, and the channel that is their lightness.
_GRAY_CHANNEL = {"LAB": "L", "HSV": "V"}
# A dpi tag is believed only where a scanner could have written it: an A4 page "at 5000 dpi" would
# be shrunk 16 times, to nothing OCR can read.
_PLAUSIBLE_DPI = (50, 1200)


def _dpi(image: Image.Image) -> tuple[float, float] | None:
    value = image.info.get("dpi")
    try:
        x_dpi, y_dpi = (float(v) for v in value)  # type: ignore[union-attr]  # None: the TypeError below
    except (TypeError, ValueError):
        return None
    low, high = _PLAUSIBLE_DPI
    if not (low <= x_dpi <= high and low <= y_dpi <= high):  # 0, 1 and 5000 "dpi" say nothing useful
        return None
    if x_dpi == y_dpi == 72:
        return None
    return x_dpi, y_dpi


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
