"""scripts/render_scans.py: the OCR test pages it draws (no Tesseract needed)."""
from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")

REPO = Path(__file__).resolve().parent.parent
LETTER = REPO / "data" / "samples" / "scans" / "cong-van-8731-ubnd-can-gio.toml"


@pytest.fixture(scope="module")
def render():
    spec = importlib.util.spec_from_file_location("render_scans", REPO / "scripts" / "render_scans.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["render_scans"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def letter(render):
    return render.load_letter(LETTER)


@pytest.fixture(scope="module")
def pages(render, letter):
    return render.render_letter(letter, dpi=300)


def ink_columns(image, box):
    """x positions holding dark pixels inside box."""
    crop = image.crop(box).point(lambda v: 255 if v < 128 else 0)
    column_ink = crop.resize((crop.width, 1), Image.Resampling.BOX)
    return [x + box[0] for x in range(crop.width) if column_ink.getpixel((x, 0)) > 0]


def test_a4_page_at_300_dpi(pages):
    assert len(pages) >= 2
    for page in pages:
        assert page.image.size == (2480, 3508)
        assert page.image.mode == "L"


def test_header_in_two_columns(pages, letter):
    page = pages[0]
    left, right = page.boxes["header_left"], page.boxes["header_right"]
    assert left[2] < right[0], "left column ends before the right one starts"
    assert left[1] < 400 and right[1] < 400, "both columns start at the top"
    # Ink in both columns and a white gutter between them, across the header's height.
    band = (0, min(left[1], right[1]), page.image.width, max(left[3], right[3]))
    xs = ink_columns(page.image, band)
    assert xs and xs[0] < page.image.width * 0.45 < xs[-1]
    gaps = [b - a for a, b in zip(xs, xs[1:])]
    assert max(gaps) > 40, "a gutter between issuing body and motto"
    # Issuing body bold in the left column, motto in the right, in that reading order.
    lines = page.lines
    assert lines[:2] == letter.issuer
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") > lines.index("Số: 8731/UBND")
    assert "Độc lập - Tự do - Hạnh phúc" in lines
    assert "Cần Giờ, ngày 29 tháng 11 năm 2023" in lines


def test_ground_truth_text(pages, letter):
    text = "".join(page.text for page in pages)
    assert "**" not in text
    assert text.startswith("ỦY BAN NHÂN DÂN\nHUYỆN CẦN GIỜ\nSố: 8731/UBND\nV/v tiếp tục")
    assert pages[1].lines[0] == "2", "page numbers from page 2"
    assert "Nguyễn Ngọc Xuân" in pages[-1].lines
    assert "Nơi nhận:" in pages[-1].lines
    # Every word of the body is on some page, in order.
    words = " ".join(line for page in pages for line in page.lines).split()
    body = " ".join(letter.body).split()
    position = 0
    for word in body:
        position = words.index(word, position) + 1
    # Read by rows, the two header columns share lines.
    rows = pages[0].row_text(25).splitlines()
    assert rows[0] == "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_body_paragraphs_from_the_sample(letter):
    assert letter.body[0].startswith("Thực hiện Công văn số 5611/UBND-VX")
    assert letter.body[-1].endswith("nghiêm túc triển khai thực hiện./.")
    assert not any("*" in paragraph for paragraph in letter.body)


def test_degradation_is_deterministic(render, pages, letter):
    page = pages[0]
    first, info = render.degrade(page, letter, 1, False, 300, seed=7)
    again, _ = render.degrade(page, letter, 1, False, 300, seed=7)
    other, other_info = render.degrade(page, letter, 1, False, 300, seed=8)
    assert first == again
    assert first != other
    assert 0.5 <= abs(info["skew_degrees"]) <= 3.0
    assert info["skew_degrees"] != other_info["skew_degrees"]
    assert info["stamp"]["number"] and info["note"]["text"] == "gửi Thính"
    image = Image.open(io.BytesIO(first))
    assert image.size == (2480, 3508) and image.mode == "RGB"


def test_seal_over_the_signature(render, pages, letter):
    page = pages[-1]
    data, info = render.degrade(page, letter, len(pages), True, 300, seed=0)
    seal, signature = info["seal"]["box"], page.boxes["signature_space"]
    assert seal[0] < signature[0] + (signature[2] - signature[0]) / 3 < seal[2]
    # Red ink where the seal is.
    rgb = np.asarray(Image.open(io.BytesIO(data)).crop(seal)).astype(int)
    red = ((rgb[..., 0] > 150) & (rgb[..., 1] < 110) & (rgb[..., 2] < 110)).sum()
    assert red > 500
