"""Cleaning a page image before OCR, with Pillow only: grayscale, borders, speckle, skew, threshold.

Each step is a plain function from an image to an image (or a measurement); `prepare_page`
chains the ones that measurably helped. Measured with Tesseract `vie`, psm 3, on 18 rendered
letter pages (three letters × six degradations: turned 0.7–2.5°, blur, salt-and-pepper noise
or ink specks, uneven light, scanner borders, JPEG, one set at 200 dpi), mean CER:

    nothing 17.2% · deskew alone 18.8% · borders alone 17.3% · median alone 11.7% · Otsu alone 16.3%
    median+deskew 8.7% · borders+median+deskew 8.4% · borders+median+deskew+Otsu 7.4% (kept)

Deskew alone hurts on noisy pages (turning a speckled page smears the speckle into blots), so
the median filter runs first; after it, deskew is what rescues the pages turned by 2.5°
(41% → 17% CER). Binarizing last (Otsu) helped a little and halved Tesseract's time on the
page. A page with no ink skips OCR. About 0.4 s per A4 page at 300 dpi on one core.

Angles follow Pillow: positive is counter-clockwise.
"""
from __future__ import annotations

from typing import cast

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageOps

# Longest side of the copy the skew is measured on: about 100 dpi for an A4 page, where a
# text line is still a few pixels high and each trial rotation costs a few milliseconds.
_SKEW_SIDE = 1000
# Scans come in turned by up to a few degrees; larger angles are rare and OSD's concern.
MAX_SKEW = 5.0
# Below this the correction is not worth the resampling.
MIN_SKEW = 0.1


@dataclass(frozen=True)
class Prepared:
    image: Image.Image
    skew: float  # degrees the scan was turned (counter-clockwise positive) and has been turned back
    blank: bool


def to_gray(image: Image.Image) -> Image.Image:
    """8-bit grayscale; transparency becomes white paper, 1-bit fax pages become 0/255."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, rgba)
    if image.mode == "I;16" or image.mode.startswith("I;16"):
        image = image.point(lambda v: v / 256)  # 16-bit scans: keep the top byte
    if image.mode in ("I", "F"):
        image = ImageOps.autocontrast(image.convert("L"))
    return image if image.mode == "L" else image.convert("L")


# A pixel whose channels differ by more than this is coloured ink (seal, signature, ballpoint), not print.
COLOURED = 40
# A pixel whose blue channel is this much above both others is blue ink (a signature, a ballpoint
# note): dark navy ink is dark in its lightest channel too, so it is made paper outright.
BLUE_INK = 25


def ink_gray(image: Image.Image) -> Image.Image:
    """Grayscale in which coloured ink is paper: a coloured pixel takes its lightest channel, and
    blue ink (a blue channel well above both others) is paper outright.

    A red seal (high red) and a blue signature (high blue) over the signer's name become light;
    gray and black pixels keep their plain luminance, so print is as dark as before, even where
    it crosses the seal (black over red is still dark in its lightest channel). Measured on a
    real e-office scan, the signature block read "/Z TNG CHỦ TỊC / ở €n Y, / tân Phước Hiền" in
    plain gray and "PHÓ CHỦ TỊCH / Trần Phước Hiền" this way. Taking the lightest channel of every
    pixel lightened print too and cost the degraded synthetic scans (benchmarks/score_scans.py)
    0.93 -> 0.73; making coloured pixels plain white ate the print under seals. A dark navy
    signature stays dark in its lightest channel ((3, 4, 65)); whitening blue ink took the
    signature strokes off the printed names (real scans: signer 8 -> 10 of 24; synthetic dev scans
    0.920 -> 0.927). Numbers and days written in blue are read again from the colour page
    (pipeline/zones.py). Gray and 1-bit pages are plain `to_gray`.
    """
    if image.mode in ("RGBA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba).convert("RGB")
    elif image.mode in ("P", "CMYK", "YCbCr", "LAB", "HSV"):
        image = image.convert("RGB")
    if image.mode != "RGB":
        return to_gray(image)
    ink = ink_colours(image)
    gray = image.convert("L")
    gray.paste(ink.lightest, mask=ink.coloured)
    gray.paste(255, mask=ink.bluish)
    return gray


@dataclass(frozen=True)
class InkColours:
    lightest: Image.Image  # each pixel's lightest channel: red and blue ink light, black print dark
    coloured: Image.Image  # 255 where the pixel is coloured (its channels apart by over COLOURED)
    bluish: Image.Image  # 255 where the blue channel is over both others by BLUE_INK: blue ink


def ink_colours(rgb: Image.Image) -> InkColours:
    """The channel planes an RGB image's coloured ink is told by (ink_gray, the signer zone)."""
    red, green, blue = rgb.split()
    lightest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    darkest = ImageChops.darker(ImageChops.darker(red, green), blue)
    coloured = ImageChops.subtract(lightest, darkest).point(lambda v: 255 if v > COLOURED else 0)
    bluish = ImageChops.subtract(blue, ImageChops.lighter(red, green)).point(lambda v: 255 if v > BLUE_INK else 0)
    return InkColours(lightest, coloured, bluish)


def otsu_threshold(gray: Image.Image) -> int:
    """The gray level that best separates ink from paper (Otsu's between-class variance)."""
    histogram = gray.histogram()[:256]
    total = sum(histogram)
    sum_all = sum(i * count for i, count in enumerate(histogram))
    weight_back = sum_back = 0.0
    best, best_level = -1.0, 127
    for level, count in enumerate(histogram):
        weight_back += count
        if weight_back == 0:
            continue
        weight_fore = total - weight_back
        if weight_fore == 0:
            break
        sum_back += level * count
        mean_back = sum_back / weight_back
        mean_fore = (sum_all - sum_back) / weight_fore
        between = weight_back * weight_fore * (mean_back - mean_fore) ** 2
        if between > best:
            best, best_level = between, level
    return best_level


def binarize(gray: Image.Image) -> Image.Image:
    """Black ink on white paper by Otsu's threshold (measured: no gain, not used by default)."""
    level = otsu_threshold(gray)
    return gray.point(lambda v: 255 if v > level else 0)


def denoise(gray: Image.Image) -> Image.Image:
    """3×3 median filter against speckle (measured: it eats diacritics; not used by default)."""
    return gray.filter(ImageFilter.MedianFilter(3))


def is_blank(gray: Image.Image) -> bool:
    """True for a page with no ink worth reading: empty paper, speckle, a faint smudge.

    Measured on a copy reduced 4×4, where isolated speckles average away and strokes stay dark.
    """
    small = gray.reduce(4) if min(gray.size) >= 64 else gray
    low, high = cast(tuple[int, int], small.getextrema())  # one band: (min, max)
    if high - low < 48:
        return True
    level = (low + high) / 2
    histogram = small.histogram()[:256]
    dark = sum(histogram[: int(level)])
    return dark < max(20, 0.0002 * small.width * small.height)


def remove_borders(gray: Image.Image) -> Image.Image:
    """Paint white the dark bands a scanner leaves along the page edges (the page keeps its size).

    A row or column at the edge counts as border while more than half of it is dark; the
    search stops at the first one that is mostly paper, and never goes past a tenth of the page.
    """
    level = otsu_threshold(gray)
    ink = gray.point(lambda v: 255 if v <= level else 0)
    width, height = gray.size
    rows = list(ink.resize((1, height), Image.Resampling.BOX).tobytes())
    columns = list(ink.resize((width, 1), Image.Resampling.BOX).tobytes())

    def band(profile: list[int], limit: int) -> int:
        n = 0
        while n < limit and profile[n] > 128:
            n += 1
        return n

    top, bottom = band(rows, height // 10), band(rows[::-1], height // 10)
    left, right = band(columns, width // 10), band(columns[::-1], width // 10)
    if not (top or bottom or left or right):
        return gray
    out = gray.copy()
    margin = 2  # the anti-aliased edge of the band
    for box in (
        (0, 0, width, top + margin) if top else None,
        (0, height - bottom - margin, width, height) if bottom else None,
        (0, 0, left + margin, height) if left else None,
        (width - right - margin, 0, width, height) if right else None,
    ):
        if box:
            out.paste(255, box)
    return out


def estimate_skew(gray: Image.Image, max_angle: float = MAX_SKEW) -> float:
    """The angle (degrees, counter-clockwise positive) the text lines are turned by.

    Projection profiles: the ink of a reduced, binarized copy is turned by each trial angle and
    summed per row; the angle whose rows alternate most sharply between ink and gaps (the largest
    sum of squared differences of neighbouring rows) is the one that makes the lines level.
    A coarse search over ±max_angle is refined twice around the best angle.
    """
    scale = _SKEW_SIDE / max(gray.size)
    small = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))),
                        Image.Resampling.BOX) if scale < 1 else gray
    level = otsu_threshold(small)
    ink = small.point(lambda v: 255 if v <= level else 0)

    def score(angle: float) -> float:
        turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
        profile = list(turned.resize((1, turned.height), Image.Resampling.BOX).tobytes())
        return sum((b - a) ** 2 for a, b in zip(profile, profile[1:]))

    best = 0.0
    for step, span in ((0.5, max_angle), (0.1, 0.5), (0.02, 0.1)):
        candidates = [best + step * k for k in range(-round(span / step), round(span / step) + 1)]
        candidates = [a for a in candidates if abs(a) <= max_angle + 1e-9]
        best = max(candidates, key=lambda a: (score(a), -abs(a)))
    # rotating by `best` levels the lines, so the scan is turned by -best
    return round(-best, 2)


def rotate(gray: Image.Image, angle: float) -> Image.Image:
    """Turn the page by `angle` degrees counter-clockwise about its centre, keeping its size."""
    return gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def deskew(gray: Image.Image) -> tuple[Image.Image, float]:
    """The page with its text lines level, and the skew that was corrected."""
    skew = estimate_skew(gray)
    if abs(skew) < MIN_SKEW:
        return gray, 0.0
    return rotate(gray, -skew), skew


def prepare_page(image: Image.Image) -> Prepared:
    """The steps that measurably help: grayscale without coloured ink, border removal, deskew; and the blank check."""
    gray = ink_gray(image)
    if is_blank(gray):
        return Prepared(gray, 0.0, True)
    gray = remove_borders(gray)
    gray = denoise(gray)  # before deskew: turning a speckled page smears the speckle into blots
    gray, skew = deskew(gray)
    return Prepared(binarize(gray), skew, False)
