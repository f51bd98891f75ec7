"""extractors.abbreviations: body abbreviations and the issuer codes of numbers."""
import pytest

from extractors.abbreviations import expand_abbreviations, issuer_name

EXPANDED = [
    ("UBND huyện Cần Giờ", "Ủy ban nhân dân huyện Cần Giờ"),
    ("Chủ tịch UBND tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh"),
    ("Thường trực HĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh"),
    ("Văn phòng HĐND và UBND huyện", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"),
    ("Ủy ban MTTQ Việt Nam huyện", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện"),
    ("rà soát, đơn giản hóa TTHC", "rà soát, đơn giản hóa thủ tục hành chính"),
    ("sáng kiến, giải pháp CCHC", "sáng kiến, giải pháp cải cách hành chính"),
    ("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"),
    ("BLĐ Sở Y tế", "Ban Lãnh đạo Sở Y tế"),
    ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
    ("UBND TỈNH TÂY NINH", "ỦY BAN NHÂN DÂN TỈNH TÂY NINH"),
    ("UBND TỈNH TÂY NINH\nSỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH TÂY NINH\nSỞ Y TẾ"),
    # not whole words, or inside a document number: left alone
    ("UBNDX", "UBNDX"),
    ("Công văn số 5611/UBND-VX", "Công văn số 5611/UBND-VX"),
    ("Quyết định số 28/2022/QĐ-UBND", "Quyết định số 28/2022/QĐ-UBND"),
    ("Công văn số 3852/SYT-VP", "Công văn số 3852/SYT-VP"),
    ("Lưu: VT, VP.", "Lưu: VT, Văn phòng."),
    ("", ""),
]


@pytest.mark.parametrize("raw,expected", EXPANDED)
def test_expand(raw, expected):
    assert expand_abbreviations(raw) == expected


@pytest.mark.parametrize("code,name", [
    ("TTg", "Thủ tướng Chính phủ"),
    ("ttg", "Thủ tướng Chính phủ"),
    ("CP", "Chính phủ"),
    ("UBND", "Ủy ban nhân dân"),
    ("HĐND", "Hội đồng nhân dân"),
    ("HDND", "Hội đồng nhân dân"),
    ("TU", "Tỉnh ủy"),
    ("TW", "Ban Chấp hành Trung ương"),
    ("BNV", "Bộ Nội vụ"),
    ("VPCP", "Văn phòng Chính phủ"),
    ("QH12", "Quốc hội"),
    ("UBTVQH14", "Ủy ban Thường vụ Quốc hội"),
    ("SYT", "Sở Y tế"),
    ("XYZ", None),
    ("", None),
])
def test_issuer_name(code, name):
    assert issuer_name(code) == name
