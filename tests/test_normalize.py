"""Normalization: one spelling of the text, with every character traceable to the input."""
import re
import unicodedata
from pathlib import Path

import pytest

import extractors.normalize as normalize_module
from extractors.normalize import normalize
from extractors.tracked import PageMap, TrackedText, finditer

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


@pytest.mark.parametrize(
    "raw, clean",
    [
        (unicodedata.normalize("NFD", "Ủy ban nhân dân"), "Ủy ban nhân dân"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("UỶ BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("CỘNG HOÀ XÃ HỘI", "CỘNG HÒA XÃ HỘI"),
        ("hoả tốc, thoả thuận, thuỷ lợi", "hỏa tốc, thỏa thuận, thủy lợi"),
        ("quý I, quỹ đất, hoàn thành", "quý I, quỹ đất, hoàn thành"),
        ("Độc lập – Tự do — Hạnh phúc", "Độc lập - Tự do - Hạnh phúc"),
        ("Số: 968/CÐ-TTg", "Số: 968/CĐ-TTg"),
        ("**ỦY BAN NHÂN DÂN\nHUYỆN CẦN GIỜ**", "ỦY BAN NHÂN DÂN\nHUYỆN CẦN GIỜ"),
        ("- Lưu: VT, Thg. *ngocxuan*", "- Lưu: VT, Thg. ngocxuan"),
        ("| Số: 12/UBND | Hà Nội, ngày 05 tháng 01 năm 2020 |", "\nSố: 12/UBND\nHà Nội, ngày 05 tháng 01 năm 2020\n"),
        ("ĐỒNG NAI<br>SỞ Y TẾ", "ĐỒNG NAI\nSỞ Y TẾ"),
        ("Đoạn một\n\n---\n\nĐoạn hai.", "Đoạn một\n\nĐoạn hai."),
        ("Nguyên nhân là do một số\n\nđơn vị chưa quyết liệt.", "Nguyên nhân là do một số đơn vị chưa quyết liệt."),
        ("do một số\f\nđơn vị chưa quyết liệt.", "do một số đơn vị chưa quyết liệt."),
        ("V/v đẩy mạnh kỷ cương, kỷ luật\nhành chính", "V/v đẩy mạnh kỷ cương, kỷ luật hành chính"),
        ("1. Chủ tịch UBND các xã\n\na. Tham mưu", "1. Chủ tịch UBND các xã\n\na. Tham mưu"),
        ("các nhiệm vụ sau:\n\nđ) Quán triệt", "các nhiệm vụ sau:\n\nđ) Quán triệt"),
        ("Kính gửi:\n\n- Sở Nội vụ;", "Kính gửi:\n\n- Sở Nội vụ;"),
        ("a\u00a0b\u200bc  d\r\nE", "a bc d\nE"),
        ("cán bộ, công chức\n\n- 2 -\n\nviên chức thực hiện.", "cán bộ, công chức viên chức thực hiện."),
        ("Thực hiện.\n\n3\n\n2. Giao Sở Nội vụ", "Thực hiện.\n\n2. Giao Sở Nội vụ"),
        ("xử lý nghiêm . -\n_- Chủ trì, phối hợp", "xử lý nghiêm\n- Chủ trì, phối hợp"),
        ("1, Tiếp tục làm tốt", "1. Tiếp tục làm tốt"),
        ("ở mức “Kém” kéo dài.\n-\nTrường hợp mực nước", "ở mức “Kém” kéo dài.\n- Trường hợp mực nước"),
        ("1 . Hồ sơ đề nghị cấp phép xây dựng", "1. Hồ sơ đề nghị cấp phép xây dựng"),
        ("Số:\n61/2026/QĐ-UBND", "Số: 61/2026/QĐ-UBND"),
        ("Số: 2917/QĐ-\nUBND", "Số: 2917/QĐ-UBND"),
        ("Hà Nội, ngày 19\ntháng 5 năm 2026 *", "Hà Nội, ngày 19 tháng 5 năm 2026"),
        ("Hà Tĩnh, ngày 07 tháng12 năm 2026", "Hà Tĩnh, ngày 07 tháng 12 năm 2026"),
        ("Tây\nNinh, ngày 16 tháng 4 năm 2026", "Tây Ninh, ngày 16 tháng 4 năm 2026"),
        # a hard wrap before a capital inside a sentence is joined ...
        ("theo chỉ đạo tại Chỉ thị số 17/CT-TTg ngày 12 tháng 5 năm 2016 của Thủ tướng\nChính phủ và dự thảo",
         "theo chỉ đạo tại Chỉ thị số 17/CT-TTg ngày 12 tháng 5 năm 2016 của Thủ tướng Chính phủ và dự thảo"),
        # ... but not before a label, a heading in capitals, or a paragraph's own opening, nor after a short line
        ("các cơ quan, đơn vị liên quan phối hợp thực hiện các nhiệm vụ được giao sau\n2. Giao Sở Nội vụ",
         "các cơ quan, đơn vị liên quan phối hợp thực hiện các nhiệm vụ được giao sau\n2. Giao Sở Nội vụ"),
        ("V/v triển khai thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng\nKính gửi: Sở Nội vụ",
         "V/v triển khai thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng\nKính gửi: Sở Nội vụ"),
        ("Căn cứ khoản 12\nĐiều 7 Luật Đất đai", "Căn cứ khoản 12\nĐiều 7 Luật Đất đai"),
        # a label and one word, then a wrap: one word is never a whole item
        ("Điều 3. Chánh\nVăn phòng Bộ, Vụ trưởng Vụ Kế hoạch chịu trách nhiệm thi hành Quyết định này./.",
         "Điều 3. Chánh Văn phòng Bộ, Vụ trưởng Vụ Kế hoạch chịu trách nhiệm thi hành Quyết định này./."),
        ("1. Nhóm\n07 thủ tục, gồm:", "1. Nhóm 07 thủ tục, gồm:"),
        ("1. Sở\n2. Ngành", "1. Sở\n2. Ngành"),
        ("ø. Triển khai các nội dung", "g. Triển khai các nội dung"),
        ("tổ kiểm tra (xã Thừa\n-Đức, xã Xuân Bảo)", "tổ kiểm tra (xã Thừa Đức, xã Xuân Bảo)"),
        ("trang bị máy móc (màn hình tivi hiển thị tên\n-lnh vực, máy in)", "trang bị máy móc (màn hình tivi hiển thị tên lnh vực, máy in)"),
        ("các nội dung sau;\n-Thường trực Huyện ủy;", "các nội dung sau;\n-Thường trực Huyện ủy;"),
        ("Công điện số 968/CD- -TTg ngày", "Công điện số 968/CD-TTg ngày"),
    ],
)
def test_normalize(raw, clean):
    assert normalize(raw).text == clean


@pytest.mark.parametrize(
    "raw, word",
    [
        ("**Số:** 8731 /UBND\n\nnhững nhiễu", "8731"),
        (unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Cần Giờ"), "Cần Giờ"),
        ("một số\n\nđơn vị chưa quyết liệt", "đơn vị"),
        ("| A | Cần Giờ, ngày 29 |", "Cần Giờ"),
    ],
)
def test_every_character_maps_back_to_the_input(raw, word):
    t = normalize(raw)
    i = t.text.index(word)
    start, end = t.source_span(i, i + len(word))
    assert normalize(raw[start:end]).text.strip() == word


def test_substitution_keeps_offsets_of_untouched_text():
    t = TrackedText.of("ab**cd**ef").sub(re.compile(r"\*\*"), "")
    assert t.text == "abcdef"
    assert [t.source_offset(i) for i in range(6)] == [0, 1, 4, 5, 8, 9]


def test_page_map():
    pages = PageMap.of(["abc", "de", "f"], "\f")
    assert [pages.page_at(i) for i in (0, 2, 3, 4, 6, 7)] == [1, 1, 1, 2, 2, 3]


LINE_START_PATTERNS = [v for v in vars(normalize_module).values()
                       if isinstance(v, re.Pattern) and v.flags & re.MULTILINE and v.pattern.startswith("^")]
TRICKY_LINES = ["", "\n", "-\nTrường hợp", "- 2 -\n\n-\nTrường", "1, Sở\n2 . Sở", "\n\n - x\n___\n'. Ab\nø. Cd"]


@pytest.mark.parametrize("pattern", LINE_START_PATTERNS, ids=lambda p: p.pattern[:30])
def test_line_start_patterns_found_from_line_breaks_match_as_finditer(pattern):
    """TrackedText.sub looks for a '^...' pattern from its line breaks: the very same matches."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))] + TRICKY_LINES
    for text in texts:
        assert [m.span() for m in finditer(pattern, text)] == [m.span() for m in pattern.finditer(text)]


@pytest.mark.parametrize(("raw", "clean"), [
    ("tháng12năm 2025", "tháng 12 năm 2025"),
    ("ngày1 tháng 2", "ngày 1 tháng 2"),
    ("12năm_x", "12năm_x"),  # 'năm_x' is one word
    ("3 thángx", "3 thángx"),
])
def test_glued_date_words(raw, clean):
    assert normalize(raw).text == clean


# A web copy's wrap before the hyphen of a name or a range is the sentence going on; a dash after a
# lead-in, after an ended item, beside other dashes, or after a title alone is an item.
@pytest.mark.parametrize(("raw", "clean"), [
    ("Dự án đường cao tốc Biên Hòa\n- Vũng Tàu, đoạn qua Đồng Nai cần đẩy nhanh tiến độ.\nSở Xây dựng báo cáo.\nNơi nhận:",
     "Dự án đường cao tốc Biên Hòa - Vũng Tàu, đoạn qua Đồng Nai cần đẩy nhanh tiến độ.\nSở Xây dựng báo cáo.\nNơi nhận:"),
    ("2. Sở Tài chính theo dõi tiến độ, báo cáo kết quả về Cục Quản lý\ngiá và Thẩm định giá\n\n"
     "- Cơ quan thường trực Tổ công tác trước ngày 10 hằng tháng.\n\n3. Các sở thực hiện.",
     "2. Sở Tài chính theo dõi tiến độ, báo cáo kết quả về Cục Quản lý giá và Thẩm định giá "
     "- Cơ quan thường trực Tổ công tác trước ngày 10 hằng tháng.\n\n3. Các sở thực hiện."),
    ("chuyển nguồn kinh phí của giai đoạn 2016\n- 2020 sang giai đoạn sau.\nNơi nhận:\n- Như trên;",
     "chuyển nguồn kinh phí của giai đoạn 2016 - 2020 sang giai đoạn sau.\nNơi nhận:\n- Như trên;"),
    # items: after a lead-in, beside another dash, under a lettered heading, after a table cell
    ("Đề nghị các đơn vị thực hiện các nội dung sau\n- Tăng cường kiểm tra;\n- Đẩy mạnh tuyên truyền.",
     "Đề nghị các đơn vị thực hiện các nội dung sau\n- Tăng cường kiểm tra;\n- Đẩy mạnh tuyên truyền."),
    ("a) Sở Công Thương\n\n- Kiểm tra thị trường.\n\nGhi chú thêm về kiểm tra.\n\n- Báo cáo kết quả.",
     "a) Sở Công Thương\n\n- Kiểm tra thị trường.\n\nGhi chú thêm về kiểm tra.\n\n- Báo cáo kết quả."),
    ("Thủ tục cấp giấy phép hoạt động dịch vụ\n\n- Trong thời hạn 05 ngày làm việc, cơ quan thẩm định.\n\n1.2. Tiếp",
     "Thủ tục cấp giấy phép hoạt động dịch vụ\n\n- Trong thời hạn 05 ngày làm việc, cơ quan thẩm định.\n\n1.2. Tiếp"),
    ("Kính gửi:\n- Công ty cổ phần Sao Mai;\n(Địa chỉ: phường Tân An, tỉnh Đồng Tháp)\n- Thuế tỉnh Đồng Tháp.",
     "Kính gửi:\n- Công ty cổ phần Sao Mai;\n(Địa chỉ: phường Tân An, tỉnh Đồng Tháp)\n- Thuế tỉnh Đồng Tháp."),
    ("Các nội dung chính gồm\n- Tổ chức hội nghị:\n+ Thời gian tổ chức.", "Các nội dung chính gồm\n- Tổ chức hội nghị:\n+ Thời gian tổ chức."),
])
def test_a_wrap_before_a_hyphen(raw, clean):
    assert normalize(raw).text == clean
