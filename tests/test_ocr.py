"""Scans: loading images, cleaning pages, OCR with the real Tesseract, PDFs with scanned pages.

Pages are rendered here with Pillow and DejaVu Serif. Tests that run Tesseract are marked
`tesseract` (deselect them with `-m "not tesseract"`); together they take a few seconds.
"""
import io
import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline import tesseract
from pipeline.errors import (
    CorruptImageError,
    CorruptPdfError,
    EncryptedPdfError,
    ImageTooLargeError,
    NotALetterError,
    OcrTimeoutError,
    UnsupportedInputError,
)
from pipeline.extract import JPEG, PNG, TIFF, detect_media_type, extract_file
from pipeline.images import open_image_pages
from pipeline.ocr import OcrOptions, ocr_pages
from pipeline.pdf import read_pdf_pages
from pipeline.preprocess import estimate_skew, ink_gray, is_blank, prepare_page, remove_borders

from conftest import build_pdf

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Bold.ttf"

# The header of a letter as printed: two columns, the "Số:" line beside place and date.
HEADER = [
    ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("HUYỆN CẦN GIỜ", "Độc lập - Tự do - Hạnh phúc"),
    ("Số: 12/UBND-VP", "Cần Giờ, ngày 05 tháng 01 năm 2024"),
    ("V/v triển khai kế hoạch phòng,", ""),
    ("chống thiên tai năm 2024", ""),
]
BODY = [
    "Kính gửi: Ủy ban nhân dân các xã, thị trấn.",
    "Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban",
    "nhân dân Thành phố, Ủy ban nhân dân huyện đề nghị các đơn vị:",
    "1. Rà soát các khu vực có nguy cơ sạt lở, báo cáo trước ngày 31/01/2024.",
    "2. Tổ chức trực ban nghiêm túc trong mùa mưa bão.",
]


def render(header=HEADER, body=BODY, *, dpi=300, width_in=8.27, height_in=None) -> Image.Image:
    """A letter page at `dpi`, as tall as its lines need unless `height_in` is given."""
    px = round(12 * dpi / 72)
    line = round(px * 1.45)
    width = round(width_in * dpi)
    height = round(height_in * dpi) if height_in else round(0.6 * dpi) + line * (len(header) + len(body) + 2)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    regular, bold = ImageFont.truetype(FONT, round(px * 0.92)), ImageFont.truetype(BOLD, round(px * 0.92))
    y = round(0.4 * dpi)
    for row, (left, right) in enumerate(header):
        for text, centre in ((left, 2.3 * dpi), (right, 0.68 * width)):
            font = bold if row < 2 else regular
            draw.text((centre - draw.textlength(text, font=font) / 2, y), text, font=font, fill=0)
        y += line
    y += line
    body_font = ImageFont.truetype(FONT, px)
    for text in body:
        draw.text((round(1.2 * dpi), y), text, font=body_font, fill=0)
        y += line
    return image


def png_bytes(image: Image.Image, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", **params)
    return out.getvalue()


def huge_png(width: int, height: int) -> bytes:
    """A 1-bit PNG of width×height white pixels: kilobytes on disk, megapixels when decoded."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(min(height, 64))) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", data) + chunk(b"IEND", b""))


# --- images.py -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(20_000, 20_000), (12_000, 9_000)])
def test_oversized_image_is_refused_before_decoding(size):
    with pytest.raises(ImageTooLargeError, match=r"bomb.png: .*(too large to decode|megapixels)"):
        open_image_pages("bomb.png", huge_png(*size))


def test_image_over_a_custom_pixel_limit():
    with pytest.raises(ImageTooLargeError, match="is 400×300 pixels"):
        open_image_pages("a.png", png_bytes(Image.new("L", (400, 300), 255)), max_pixels=100_000)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image_is_corrupt(fmt):
    out = io.BytesIO()
    render(body=[]).save(out, fmt)
    data = out.getvalue()
    with pytest.raises(CorruptImageError, match="cut: .*cannot be"):
        open_image_pages("cut", data[: len(data) // 2])


def test_fax_tiff_with_oblong_pixels_loads_square():
    fax = render(body=BODY[:2], dpi=200).convert("1")
    fax = fax.resize((fax.width, fax.height // 2))  # fax "normal" mode: half the lines
    out = io.BytesIO()
    fax.save(out, "TIFF", compression="group4", dpi=(204, 98))
    [source] = open_image_pages("fax.tif", out.getvalue())
    page = source.load()
    assert page.image.mode == "1" or page.image.mode == "L"
    assert page.dpi == 204
    assert page.image.height == pytest.approx(fax.height * 204 / 98, abs=1)


def test_multi_page_tiff_gives_one_source_per_page():
    pages = [Image.new("L", (300, 400), shade) for shade in (255, 200, 150)]
    out = io.BytesIO()
    pages[0].save(out, "TIFF", save_all=True, append_images=pages[1:], dpi=(600, 600))
    sources = open_image_pages("three.tif", out.getvalue())
    assert [s.number for s in sources] == [1, 2, 3]
    loaded = [s.load() for s in sources]
    assert [p.image.getpixel((0, 0)) for p in loaded] == [255, 200, 150]
    assert [(p.dpi, p.image.size) for p in loaded] == [(300, (150, 200))] * 3  # 600 dpi reduced to 300


def test_other_image_kinds_are_unsupported():
    out = io.BytesIO()
    Image.new("L", (10, 10)).save(out, "GIF")
    with pytest.raises(UnsupportedInputError, match="GIF image; congvan reads PNG, JPEG and TIFF"):
        open_image_pages("a.png", out.getvalue())


@pytest.mark.parametrize("data, media_type", [
    (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff\xe0", JPEG), (b"II*\x00", TIFF), (b"MM\x00*", TIFF),
])
def test_images_are_recognised_by_content(data, media_type):
    assert detect_media_type(Path("scan.txt"), data, "scan.txt") == media_type


# --- preprocess.py ---------------------------------------------------------------------------

@pytest.mark.parametrize("angle", [2.0, -1.5, 0.7, 3.0])
def test_deskew_recovers_a_known_angle(angle):
    page = render(height_in=6).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(page) == pytest.approx(angle, abs=0.3)


def test_level_page_is_not_deskewed():
    prepared = prepare_page(render())
    assert prepared.skew == 0.0 and not prepared.blank


def test_seal_and_signature_ink_are_paper_and_print_stays_dark():
    # black print, a red seal, a dark navy signature (dark in every channel: not only its lightest)
    page = Image.new("RGB", (4, 1), (255, 255, 255))
    for x, colour in enumerate([(20, 20, 20), (225, 40, 50), (3, 4, 65), (78, 81, 168)]):
        page.putpixel((x, 0), colour)
    gray = ink_gray(page)
    assert gray.getpixel((0, 0)) < 40  # print
    assert [gray.getpixel((x, 0)) for x in (1, 2, 3)] == [225, 255, 255]  # seal light, blue ink paper


def test_blank_and_speckled_pages_are_blank_and_text_is_not():
    speckled = Image.new("L", (1200, 1600), 235)
    draw = ImageDraw.Draw(speckled)
    for i in range(300):
        draw.point((i * 37 % 1200, i * 91 % 1600), fill=0)
    assert is_blank(Image.new("L", (1200, 1600), 255))
    assert is_blank(speckled)
    assert not is_blank(render(body=BODY[:1]))


def test_border_removal_whitens_dark_edges_and_keeps_the_text():
    page = render(body=BODY[:2])
    draw = ImageDraw.Draw(page)
    draw.rectangle([0, 0, page.width, 40], fill=20)
    draw.rectangle([0, 0, 30, page.height], fill=30)
    cleaned = remove_borders(page)
    assert cleaned.size == page.size
    assert cleaned.getpixel((10, 10)) == 255 and cleaned.getpixel((15, page.height // 2)) == 255
    assert cleaned.crop((200, 100, page.width, page.height)).tobytes() == page.crop(
        (200, 100, page.width, page.height)).tobytes()


def test_blank_image_file_is_no_letter_with_a_blank_page_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(tesseract, "_availability", lambda: None)  # blank pages never reach Tesseract
    path = tmp_path / "blank.png"
    path.write_bytes(png_bytes(Image.new("L", (1240, 1754), 250)))
    with pytest.raises(NotALetterError, match="no text found by OCR: blank, or a photo without text"):
        extract_file(path)
    pages, warnings = ocr_pages("blank.png", open_image_pages("blank.png", path.read_bytes()))
    assert pages[0].method == "ocr" and pages[0].text == ""
    assert [(w.code, w.page) for w in warnings] == [("blank_page", 1)]


# --- tesseract.py ----------------------------------------------------------------------------

def test_words_carry_offsets_into_the_assembled_text():
    data = {
        "level": [1, 5, 5, 5, 5],
        "block_num": [0, 1, 1, 1, 2], "par_num": [0, 1, 1, 1, 1], "line_num": [0, 1, 1, 2, 1],
        "left": [0, 10, 60, 10, 10], "top": [0, 5, 5, 40, 90], "width": [0, 40, 30, 50, 20],
        "height": [0, 20, 20, 20, 20], "conf": [-1, 96.5, 90, 80, 70],
        "text": ["", "Số:", "12/UBND", "Ðộc", "lập"],
    }
    result = tesseract._assemble(data, [], width=2480)
    assert result.text == "Số: 12/UBND\nÐộc\n\nlập"
    assert [result.text[w.start:w.end] for w in result.words] == ["Số:", "12/UBND", "Ðộc", "lập"]
    assert result.words[1].box == (60, 5, 90, 25)
    assert result.confidence == pytest.approx(84.125)


def test_a_two_column_header_is_read_column_by_column():
    # what Tesseract gives for a header: each line runs across both columns
    rows = [("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("HUYỆN CẦN GIỜ", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 8731/UBND", "Cần Giờ, ngày 29 tháng 11 năm 2023")]
    data = {k: [] for k in ("level", "block_num", "par_num", "line_num", "left", "top", "width", "height", "conf", "text")}
    for line, (left, right) in enumerate(rows, 1):
        x = 100
        for word in left.split() + ["|"] + right.split():
            if word == "|":
                x = 1300  # the right column
                continue
            for key, value in (("level", 5), ("block_num", 1), ("par_num", 1), ("line_num", line), ("left", x),
                               ("top", 100 * line), ("width", 60), ("height", 40), ("conf", 95), ("text", word)):
                data[key].append(value)
            x += 80
    data["level"].append(5)
    for key, value in (("block_num", 2), ("par_num", 1), ("line_num", 1), ("left", 100), ("top", 500), ("width", 60),
                       ("height", 40), ("conf", 95), ("text", "Kính")):
        data[key].append(value)
    result = tesseract._assemble(data, [], width=2480)
    assert result.text == (
        "ỦY BAN NHÂN DÂN\nHUYỆN CẦN GIỜ\nSố: 8731/UBND\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nCần Giờ, ngày 29 tháng 11 năm 2023\n\nKính"
    )
    assert all(result.text[w.start : w.end] == w.text for w in result.words)


# --- with the real Tesseract -----------------------------------------------------------------

@pytest.mark.tesseract
def test_scanned_letter_gives_its_header_fields(tmp_path):
    scan = render().rotate(1.5, resample=Image.Resampling.BICUBIC, fillcolor=255)
    path = tmp_path / "scan.jpg"
    scan.save(path, "JPEG", quality=75, dpi=(300, 300))
    result = extract_file(path)
    [page] = result.pages
    assert (page.method, page.dpi, page.rotation) == ("ocr", 300, 0)
    assert page.skew == pytest.approx(1.5, abs=0.3)
    assert page.confidence > 80
    assert page.words and all(page.text[w.start:w.end].strip() for w in page.words)
    [doc] = result.documents
    assert (doc.key, doc.date, doc.place) == ("12/UBND-VP", "2024-01-05", "Cần Giờ")
    assert doc.issuer.name == "Ủy ban nhân dân huyện Cần Giờ"


@pytest.mark.tesseract
def test_upside_down_page_is_turned_by_osd(tmp_path):
    path = tmp_path / "upside-down.png"
    path.write_bytes(png_bytes(render().rotate(180), dpi=(300, 300)))
    result = extract_file(path)
    assert result.pages[0].rotation == 180
    assert result.documents[0].key == "12/UBND-VP"


@pytest.mark.tesseract
def test_mixed_pdf_keeps_the_text_layer_and_ocrs_the_scan(tmp_path, letter_text):
    text_pdf = pdfium.PdfDocument(build_pdf([letter_text.splitlines()[:12]]))
    scan = io.BytesIO()
    render(header=[], body=BODY[3:], height_in=1.2).save(scan, "PDF", resolution=300)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(text_pdf)
    mixed.import_pages(pdfium.PdfDocument(scan.getvalue()))
    out = io.BytesIO()
    mixed.save(out)
    pages, warnings = read_pdf_pages("mixed.pdf", out.getvalue())
    assert [p.method for p in pages] == ["text_layer", "ocr"]
    assert "Tổ chức trực ban nghiêm túc" in pages[1].text
    assert pages[1].dpi == 300 and pages[1].words
    assert not [w for w in warnings if w.code != "tesseract_message"]


@pytest.mark.tesseract
def test_pdf_errors_stay_typed_with_ocr(tmp_path, letter_text):
    data = build_pdf([letter_text.splitlines(), []])
    with pytest.raises(CorruptPdfError, match="cannot be read as a PDF"):
        read_pdf_pages("cut.pdf", data[:300])
    with pytest.raises(EncryptedPdfError):
        read_pdf_pages("locked.pdf", build_pdf([[]], user_password="secret"))
    with pytest.raises(CorruptPdfError, match="has no pages"):
        read_pdf_pages("none.pdf", build_pdf([]))


@pytest.mark.tesseract
def test_page_timeout_is_a_warning_not_a_hang():
    page = render()
    with pytest.raises(OcrTimeoutError, match="longer than 0.05 s"):
        tesseract.read_page(page, dpi=300, timeout=0.05)
    sources = open_image_pages("slow.png", png_bytes(page))
    pages, warnings = ocr_pages("slow.png", sources, OcrOptions(page_timeout=0.1), fail_if_none_read=False)
    assert pages[0].text == ""
    assert [w.code for w in warnings] == ["ocr_timeout"]


@pytest.mark.tesseract
def test_photo_without_text_is_no_letter(tmp_path):
    photo = Image.radial_gradient("L").resize((1200, 900))
    draw = ImageDraw.Draw(photo)
    for i in range(40):
        draw.ellipse([i * 29 % 1100, i * 53 % 800, i * 29 % 1100 + 60, i * 53 % 800 + 40], fill=i * 6 % 255)
    path = tmp_path / "photo.jpg"
    photo.convert("RGB").save(path, "JPEG")
    with pytest.raises(NotALetterError):
        extract_file(path)
