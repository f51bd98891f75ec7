"""E-office PDFs: a text layer that is only the digital-signature stamp is OCR'd, the stamp kept."""
import ctypes
import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest

from extractors import tables
from extractors.esign import signed_at, stamp_lines, without_stamp
from pipeline.extract import extract_file
from pipeline.pdf import signatures_in

from test_ocr import render

STAMP = ["Ký bởi: Ủy ban Nhân dân huyện Cần Giờ", "Email: ubnd@cangio.gov.vn", "Cơ quan: Huyện Cần Giờ",
         "Thời gian ký: 05.01.2024 09:12:40 +07:00"]
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_every_label_example_is_a_stamp_line_of_its_field():
    for e in tables.entries("esign", "label"):
        for example in e["examples"]:
            assert [ln.field for ln in stamp_lines(example)] == [e["field"]], example


def test_the_stamp_is_read_and_taken_out_of_the_text():
    text = "\n".join(STAMP) + "\n"
    [found] = signatures_in(text, 1)
    assert (found.signer, found.organisation, found.signed_at) == (
        "Ủy ban Nhân dân huyện Cần Giờ", "Huyện Cần Giờ", "2024-01-05T09:12:40")
    assert without_stamp(text).strip() == ""
    assert signed_at("Date: 2024.11.06 14:02:11 +07'00'") == "2024-11-06T14:02:11"


def scan_with_stamp_layer() -> bytes:
    """An image-only letter page whose one text layer is an e-office signature stamp."""
    page_image = render(height_in=11.69)
    scanned = io.BytesIO()
    page_image.save(scanned, "PDF", resolution=300)
    pdf = pdfium.PdfDocument(scanned.getvalue())
    page = pdf[0]
    data = Path(SANS).read_bytes()
    buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = raw.FPDFText_LoadFont(pdf.raw, buffer, len(data), raw.FPDF_FONT_TRUETYPE, True)
    for k, line in enumerate(STAMP):
        obj = raw.FPDFPageObj_CreateTextObj(pdf.raw, font, 5.0)
        encoded = (line + "\0").encode("utf-16-le")
        raw.FPDFText_SetText(obj, (ctypes.c_ushort * (len(encoded) // 2)).from_buffer_copy(encoded))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 430, 820 - 7 * k)
        raw.FPDFPage_InsertObject(page.raw, obj)
    raw.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.tesseract
def test_a_page_whose_text_layer_is_only_the_stamp_is_ocrd(tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(scan_with_stamp_layer())
    result = extract_file(path)
    assert result.pages[0].method == "ocr"
    [doc] = result.documents
    assert doc.key == "12/UBND-VP"
    assert [(s.signer, s.signed_at, s.page) for s in result.signatures][:1] == [
        ("Ủy ban Nhân dân huyện Cần Giờ", "2024-01-05T09:12:40", 1)]
