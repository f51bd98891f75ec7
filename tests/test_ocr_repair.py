"""The OCR confusion table (extractors/data/ocr_confusions.toml): its schema, and every example run."""
import re

import pytest
from schemas import Word

from extractors import tables
from extractors.letters import extract_documents
from extractors.ocr_repair import bare, repair_ocr
from extractors.tracked import TrackedText

REPAIRS = tables.entries("ocr_confusions", "repair")
DIGITS = tables.entries("ocr_confusions", "digit")


def test_every_repair_puts_back_only_its_own_slots():
    # the keys of every entry are checked by extractors/tables.py SCHEMA when the file is loaded
    for e in REPAIRS:
        re.compile(e["pattern"].replace("{DIGIT}", "[0-9]").replace("{TITLE}", "x"))
        slots = set(re.findall(r"\{(\w+)\}", e["replace"]))
        assert slots <= set(re.compile(e["pattern"].replace("{DIGIT}", "[0-9]").replace("{TITLE}", "x")).groupindex)
        assert set(e.get("digits", ())) <= slots
    for e in DIGITS:
        assert e["digit"].isdigit() and e["read_as"]


@pytest.mark.parametrize("read,printed", [pytest.param(a, b, id=f"{e.get('name', e.get('digit'))}:{a}")
                                          for e in REPAIRS + DIGITS for a, b in e["examples"]])
def test_example(read, printed):
    assert repair_ocr(TrackedText.of(read)).text == printed


def test_bare_keeps_one_character_for_each():
    text = "QUYẾT ĐỊNH Số: Bình Định ˆ"
    assert bare(text) == "quyet dinh so: binh dinh ˆ" and len(bare(text)) == len(text)


def test_a_repaired_header_is_read():
    # the header of an e-office scan as Tesseract reads it (place, number and date changed), columns already apart
    read = ("ỦY BAN NHÂN DẦN\nTỈNH BÌNH ĐỊNH\nSô⁄17 /CT-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nBình Định, ngày 17 tháng 8năm 2026\n\nCHÍ THỊ\n"
            "Về việc tăng cường phòng cháy, chữa cháy rừng\n\nThực hiện Chỉ thị số 23/CT-TTg của Thủ tướng.\n")
    ocr_words = [[Word(start=0, end=2, box=[10, 10, 40, 30], confidence=91.0)]]  # the page was OCR'd
    [doc], _ = extract_documents([read], ocr_words)
    assert (doc.key, doc.date, doc.doc_type) == ("17/CT-UBND", "2026-08-17", "chi_thi")
    assert doc.issuer.name == "Ủy ban nhân dân tỉnh Bình Định"
    span = doc.evidence["key"]
    assert doc.text[span.start:span.end] == "17 /CT-UBND" and span.page == 1
