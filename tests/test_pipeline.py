"""The pipeline's steps one by one: text decoding, PDF text layers, one file to a result, writing."""
import hashlib
import os
import unicodedata

import pytest

from badinput.inputs import pdf
from pipeline.errors import (
    CorruptPdfError,
    EmptyInputError,
    EncryptedPdfError,
    InputTooLargeError,
    NotTextError,
    CorruptImageError,
    OcrRequiredError,
    UndecodableTextError,
    UnsupportedInputError,
)
from pipeline.extract import PDF, TEXT, extract_file
from pipeline.output import render_json, write_atomic
from pipeline.pdf import read_pdf_pages
from pipeline.text_file import read_text_pages


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_unicode_text_decodes(letter_text, encoding):
    pages, warnings = read_text_pages("a.txt", letter_text.encode(encoding))
    assert [page.text for page in pages] == [letter_text]
    assert pages[0].method == "text"
    assert warnings == []


def test_cp1258_text_decodes_with_a_warning(letter_text, encode_cp1258):
    pages, warnings = read_text_pages("a.txt", encode_cp1258(letter_text))
    assert unicodedata.normalize("NFC", pages[0].text) == letter_text
    assert [w.code for w in warnings] == ["legacy_encoding"]


def test_western_text_in_a_legacy_code_page_is_not_taken_for_vietnamese():
    french = "Le conseil a décidé que la réunion aura lieu à Genève, où ça coûte très cher.".encode("cp1252")
    with pytest.raises(UndecodableTextError, match=r"a\.txt: not UTF-8 \(invalid byte 0xe9"):
        read_text_pages("a.txt", french)


def test_form_feeds_split_pages_and_a_final_one_opens_none():
    pages, _ = read_text_pages("a.txt", "một\fhai\f\fbốn\f".encode())
    assert [(p.number, p.text) for p in pages] == [(1, "một"), (2, "hai"), (3, ""), (4, "bốn")]


@pytest.mark.parametrize("data", [b"\x00\x01binary", bytes(range(1, 32)) * 10 + b"abc"])
def test_binary_data_is_not_text(data):
    with pytest.raises(NotTextError, match="a.bin: .*binary file"):
        read_text_pages("a.bin", data)


def test_white_space_only_is_empty():
    with pytest.raises(EmptyInputError):
        read_text_pages("a.txt", b" \n\t\n")


def test_pdf_text_layer_per_page(tmp_path, write_pdf, letter_text):
    lines = letter_text.splitlines()
    path = write_pdf(tmp_path / "a.pdf", [lines[:9], lines[9:]])
    pages, warnings = read_pdf_pages("a.pdf", path.read_bytes())
    assert [p.method for p in pages] == ["text_layer", "text_layer"]
    assert pages[0].text.splitlines() == lines[:9]
    assert pages[1].text.splitlines() == lines[9:]
    assert warnings == []


@pytest.mark.tesseract
def test_pdf_page_without_text_layer_is_ocrd(tmp_path, write_pdf, letter_text):
    path = write_pdf(tmp_path / "a.pdf", [letter_text.splitlines(), []])
    pages, warnings = read_pdf_pages("a.pdf", path.read_bytes())
    assert [p.method for p in pages] == ["text_layer", "ocr"]
    assert pages[1].text == "" and pages[1].dpi == 300
    assert [(w.code, w.page) for w in warnings] == [("blank_page", 2)]


def test_pdf_scan_without_tesseract_needs_ocr(tmp_path, write_pdf, monkeypatch):
    import pipeline.tesseract

    monkeypatch.setattr(pipeline.tesseract, "_availability", lambda: "Tesseract is not installed")
    path = write_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(OcrRequiredError, match="scan.pdf: it needs OCR, but Tesseract is not installed"):
        read_pdf_pages("scan.pdf", path.read_bytes())


def test_pdf_with_zero_pages_is_corrupt(tmp_path, write_pdf):
    path = write_pdf(tmp_path / "none.pdf", [])
    with pytest.raises(CorruptPdfError, match="none.pdf: has no pages"):
        read_pdf_pages("none.pdf", path.read_bytes())


def test_encrypted_pdf(tmp_path, write_pdf, letter_text):
    path = write_pdf(tmp_path / "locked.pdf", [letter_text.splitlines()], user_password="secret")
    with pytest.raises(EncryptedPdfError, match="locked.pdf: is encrypted"):
        read_pdf_pages("locked.pdf", path.read_bytes())


def test_truncated_pdf_is_corrupt(tmp_path, write_pdf, letter_text):
    data = write_pdf(tmp_path / "a.pdf", [letter_text.splitlines()]).read_bytes()
    with pytest.raises(CorruptPdfError, match="cut.pdf: cannot be read as a PDF"):
        read_pdf_pages("cut.pdf", data[:200])


def test_extract_text_file(tmp_path, letter_text):
    path = tmp_path / "letter.txt"
    path.write_text(letter_text, encoding="utf-8")
    result = extract_file(path, name="in/letter.txt")
    data = path.read_bytes()
    assert result.source.model_dump() == {
        "path": "in/letter.txt", "sha256": hashlib.sha256(data).hexdigest(),
        "media_type": TEXT, "size_bytes": len(data),
    }
    assert len(result.documents) >= 1


def test_pdf_is_recognised_by_content_whatever_its_name(tmp_path, write_pdf, letter_text):
    path = write_pdf(tmp_path / "letter.txt", [letter_text.splitlines()])
    assert extract_file(path).source.media_type == PDF


@pytest.mark.parametrize("name, data, error, reason", [
    ("scan.png", b"\x89PNG\r\n\x1a\n...", CorruptImageError, "cannot be read as an image"),
    ("scan.txt", b"\xff\xd8\xff\xe0 jpeg", CorruptImageError, "cannot be read as an image"),
    ("scan.gif", b"GIF89a....", UnsupportedInputError, "is a GIF image; congvan reads .txt, .pdf"),
    ("letter.docx", b"PK\x03\x04", UnsupportedInputError, ".docx input is not supported"),
    ("fake.pdf", b"hello", CorruptPdfError, "has no %PDF- header"),
    ("empty.pdf", b"", EmptyInputError, r"is empty \(0 bytes\)"),
])
def test_file_kinds_that_fail_before_reading(tmp_path, name, data, error, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error, match=reason):
        extract_file(path)


def test_size_limit(tmp_path, letter_text):
    path = tmp_path / "big.txt"
    path.write_text(letter_text * 10, encoding="utf-8")
    with pytest.raises(InputTooLargeError, match="over the 100 bytes limit"):
        extract_file(path, max_bytes=100)


def test_rendered_json_is_deterministic_utf8(tmp_path, letter_text):
    path = tmp_path / "letter.txt"
    path.write_text(letter_text, encoding="utf-8")
    first = render_json(extract_file(path))
    assert first == render_json(extract_file(path))
    assert "ỦY BAN NHÂN DÂN".encode() in first  # not \u escapes
    assert first.startswith(b'{\n  "schema_version"')


def test_atomic_write_replaces_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["a.json"]


def test_atomic_write_failure_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")

    def refuse(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.json"]


def test_a_blank_number_and_day_of_a_text_layer_are_filled_from_the_rendered_page():
    from pipeline.pdf import fill_blanks
    layer = "ỦY BAN NHÂN DÂN\nSố: /UBND-VP Cần Giờ, ngày tháng 3 năm 2023\nTHÔNG BÁO"
    read = "ỦY BAN NHÂN DÂN\nSố:318 /UBND-VP Cần Giờ, ngày 14 tháng 3 năm 2023\nTHÔNG BÁO"
    text, filled = fill_blanks(layer, read)
    assert text == "ỦY BAN NHÂN DÂN\nSố: 318 /UBND-VP Cần Giờ, ngày 14 tháng 3 năm 2023\nTHÔNG BÁO"
    assert filled == ["the number", "the day"]
    # what OCR could not read as digits stays blank; an impossible day is not written
    assert fill_blanks(layer, read.replace("318", "3#8").replace("14", "36")) == (layer, [])


def _pdf_with_a_form_field() -> bytes:
    """One empty page with a signature widget whose appearance is a black box at (100, 700)-(200, 740),
    as an e-office system stamps the number into a form field."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
        b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /F 4 /Rect [100 700 200 740]"
        b" /P 3 0 R /AP << /N 5 0 R >> >>",
    ]
    box = b"0 g 0 0 100 40 re f"
    objects.append(b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 40] /Length %d >>\nstream\n%s\nendstream"
                   % (len(box), box))
    return pdf(dict(enumerate(objects, start=1)))


def test_form_fields_are_drawn_only_when_asked():
    from pipeline.raster import page_sources
    data = _pdf_with_a_form_field()
    inside = (150 * 150 // 72, (842 - 720) * 150 // 72)  # the widget's middle, at 150 dpi
    [plain] = page_sources("form.pdf", data, [1], dpi=150)
    [with_forms] = page_sources("form.pdf", data, [1], dpi=150, forms=True)
    assert plain.load().image.convert("L").getpixel(inside) > 200  # a scan: its widgets left out
    assert with_forms.load().image.convert("L").getpixel(inside) < 50


class _LaidOutPage:
    """A text-layer page as pdfplumber gives it: words with their positions in points."""

    width = 595

    def __init__(self, rows: list[list[tuple[float, str]]]):
        self._words = []
        for n, row in enumerate(rows):
            for x, text in row:
                top = 70 + 15 * n
                self._words.append({"text": text, "x0": x, "x1": x + 6 * len(text), "top": top, "bottom": top + 11})

    def extract_words(self):
        return self._words


def _row(*columns: tuple[float, str]) -> list[tuple[float, str]]:
    out = []
    for x, text in columns:
        for word in text.split():
            out.append((x, word))
            x += 6 * len(word) + 4
    return out


def test_a_text_layer_header_is_read_column_by_column():
    """A Word-born letter's two header columns come out of the text layer row by row across them:
    the words' x positions put each column's lines together, as for an OCR'd page."""
    from pipeline.pdf import _in_columns

    page = _LaidOutPage([
        _row((110, "ỦY BAN NHÂN DÂN"), (300, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")),
        _row((110, "TỈNH TÂY NINH"), (330, "Độc lập - Tự do - Hạnh phúc")),
        _row((115, "Số: 12/TB-UBND"), (310, "Tây Ninh, ngày 3 tháng 11 năm 2024")),
        _row((270, "THÔNG BÁO")),
        _row((60, "Về việc tổ chức hội nghị tổng kết công tác năm 2024 của các sở, ban, ngành tỉnh")),
    ])
    across = "\n".join(" ".join(w["text"] for w in page.extract_words() if w["top"] == 70 + 15 * n) for n in range(5))
    assert _in_columns(page, across).splitlines()[:6] == [
        "ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH", "Số: 12/TB-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Tây Ninh, ngày 3 tháng 11 năm 2024"]


def test_a_text_layer_page_without_two_columns_keeps_its_text():
    from pipeline.pdf import _in_columns

    page = _LaidOutPage([_row((60, "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc của Ủy ban"))])
    assert _in_columns(page, "as pdfplumber read it") == "as pdfplumber read it"
