"""Whole letters through extract_documents: header, closing, splitting, implements.

The inputs are written the way real letters come in (flattened two-column headers, web
transcriptions, OCR notes); each test states what a reader of the letter would say.
"""
import re

import pytest

from extractors import extract_documents
from extractors.clauses import flatten


def one(text: str):
    docs, warnings = extract_documents([text])
    assert len(docs) == 1, [d.key for d in docs]
    return docs[0], warnings


def ids(clauses):
    out = []
    for c in clauses:
        out.append(c.id)
        out += ids(c.children)
    return out


CONG_VAN = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 1234/UBND-KGVX

Đồng Nai, ngày 05 tháng 3 năm 2024

V/v triển khai thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng Chính phủ

Kính gửi:
- Giám đốc các Sở, ban, ngành tỉnh;
- Chủ tịch UBND các huyện, thành phố Long Khánh, thành phố Biên Hòa.

Thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng Chính phủ về tiếp tục chấn chỉnh kỷ luật, kỷ cương, Chủ tịch UBND tỉnh yêu cầu:

1. Giám đốc Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan kiểm tra công vụ.

2. Chủ tịch UBND các huyện báo cáo kết quả trước ngày 15/12/2024./.

Nơi nhận:
- Như trên;
- Thường trực Tỉnh ủy (b/c);
- Lưu: VT, KGVX.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Sơn Hùng
"""


def test_cong_van_header_and_closing():
    doc, _ = one(CONG_VAN)
    assert doc.key == "1234/UBND-KGVX" and doc.number == "1234" and doc.symbol == "UBND-KGVX"
    assert doc.doc_type == "cong_van" and doc.doc_type_label == "Công văn"
    assert doc.issuer.name == "Ủy ban nhân dân tỉnh Đồng Nai" and doc.issuer.parent is None
    assert (doc.place, doc.date, doc.year) == ("Đồng Nai", "2024-03-05", 2024)
    assert doc.subject.startswith("triển khai thực hiện Công điện số 968/CĐ-TTg")
    assert [r.name for r in doc.recipients] == [
        "Giám đốc các Sở, ban, ngành tỉnh",
        "Chủ tịch UBND các huyện, thành phố Long Khánh, thành phố Biên Hòa",
    ]
    assert doc.signer.name == "Nguyễn Sơn Hùng" and doc.signer.title == "Phó Chủ tịch"
    assert [(a.prefix, a.on_behalf_of) for a in doc.signer.authority] == [("TM", "Ủy ban nhân dân"), ("KT", "Chủ tịch")]
    assert [(c.name, c.purpose) for c in doc.cc] == [
        ("Như trên", "act"), ("Thường trực Tỉnh ủy (b/c)", "inform"), ("Lưu: VT, KGVX", "file")
    ]
    assert ids(doc.clauses) == ["1", "2"]
    assert [i.key for i in doc.implements] == ["968/CĐ-TTg"]
    assert [(r.key, r.relation) for r in doc.references] == [("968/CĐ-TTg", "implements")]


def test_every_span_points_at_its_value():
    doc, _ = one(CONG_VAN)
    text = doc.text
    for field, value in (("key", "1234/UBND-KGVX"), ("place", "Đồng Nai"), ("date", "ngày 05 tháng 3 năm 2024")):
        span = doc.evidence[field]
        assert text[span.start : span.end] == value
        assert span.page == 1
    assert text[doc.signer.span.start : doc.signer.span.end] == "Nguyễn Sơn Hùng"
    assert text[doc.references[0].span.start : doc.references[0].span.end] == "968/CĐ-TTg"
    first = doc.clauses[0]
    assert text[first.span.start :].startswith("1. Giám đốc Sở Nội vụ")


def test_two_column_header_flattened_onto_shared_lines():
    text = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "HUYỆN CẦN GIỜ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 8731 /UBND Cần Giờ, ngày 29 tháng 11 năm 2023\n"
        "V/v tiếp tục chấn chỉnh, tăng cường kỷ luật\n\n"
        "Kính gửi: Ủy ban nhân dân các xã, thị trấn.\n\n"
        "Ủy ban nhân dân huyện đề nghị các đơn vị thực hiện nghiêm các nội dung sau:\n\n"
        "1. Quán triệt đến từng cán bộ, công chức.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nCHỦ TỊCH\n\nNguyễn Văn Phương\n"
    )
    doc, _ = one(text)
    assert doc.issuer.name == "Ủy ban nhân dân huyện Cần Giờ"
    assert (doc.key, doc.place, doc.date) == ("8731/UBND", "Cần Giờ", "2023-11-29")
    assert [r.name for r in doc.recipients] == ["Ủy ban nhân dân các xã, thị trấn"]
    assert doc.signer.name == "Nguyễn Văn Phương" and doc.signer.title == "Chủ tịch"


def test_web_table_header_with_html_breaks():
    text = (
        "| **UBND TỈNH TÂY NINH**<br>**SỞ Y TẾ** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**<br>Độc lập - Tự do - Hạnh phúc |\n"
        "|---|---|\n"
        "| Số: 3852/SYT-VP | Tây Ninh, ngày 06 tháng 01 năm 2023 |\n\n"
        "V/v chấn chỉnh kỷ luật kỷ cương\n\n"
        "Kính gửi: Các cơ quan, đơn vị trực thuộc Sở Y tế.\n\n"
        "Sở Y tế đề nghị Thủ trưởng các đơn vị thực hiện nghiêm các nội dung sau đây:\n\n"
        "1. Tổ chức kiểm tra công vụ.\n"
    )
    doc, _ = one(text)
    assert doc.issuer.name == "Sở Y tế" and doc.issuer.parent.name == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert (doc.key, doc.date) == ("3852/SYT-VP", "2023-01-06")


def test_titled_document_with_legal_bases():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NAM\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Số: 245/KH-UBND\n\nQuảng Nam, ngày 20 tháng 12 năm 2022\n\n"
        "KẾ HOẠCH\n\nTriển khai thực hiện Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ\n\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n\n"
        "Ủy ban nhân dân tỉnh ban hành Kế hoạch triển khai như sau:\n\n"
        "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Mục đích\n\nNâng cao kỷ luật, kỷ cương.\n\n"
        "II. NHIỆM VỤ\n\n1. Sở Nội vụ\n\na) Tham mưu kiểm tra công vụ.\n\nb) Tổng hợp báo cáo.\n\n"
        "Nơi nhận:\n- Bộ Nội vụ (b/c);\n- Lưu: VT.\n\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nLê Trí Thanh\n"
    )
    doc, _ = one(text)
    assert (doc.doc_type, doc.doc_type_label) == ("ke_hoach", "Kế hoạch")
    assert doc.subject.startswith("Triển khai thực hiện Chỉ thị số 26/CT-TTg")
    assert ids(doc.clauses) == ["I", "I.1", "II", "II.1", "II.1.a", "II.1.b"]
    assert [i.key for i in doc.implements] == ["26/CT-TTg"]
    relations = {r.key: r.relation for r in doc.references}
    assert relations == {"26/CT-TTg": "implements", "30/2020/NĐ-CP": "basis"}
    assert doc.signer.title == "Chủ tịch" and doc.signer.authority[0].on_behalf_of == "Ủy ban nhân dân"


def test_telegram_recipients_and_urgency():
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH THỪA THIÊN HUẾ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "HỎA TỐC\n\nSố: 05/CĐ-UBND\n\nThừa Thiên Huế, ngày 12 tháng 10 năm 2023\n\n"
        "CÔNG ĐIỆN\n\nVề việc chủ động ứng phó với mưa lớn\n\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:\n\n- Giám đốc các Sở, ban, ngành;\n- Chủ tịch UBND các huyện, thị xã, thành phố Huế.\n\n"
        "Để chủ động ứng phó với mưa lớn, Chủ tịch UBND tỉnh yêu cầu thực hiện các nội dung sau:\n\n"
        "1. Theo dõi chặt chẽ diễn biến thời tiết.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nHoàng Hải Minh\n"
    )
    doc, _ = one(text)
    assert (doc.doc_type, doc.key, doc.urgency) == ("cong_dien", "05/CĐ-UBND", "hoa_toc")
    assert doc.subject == "chủ động ứng phó với mưa lớn"
    assert [r.name for r in doc.recipients] == ["Giám đốc các Sở, ban, ngành", "Chủ tịch UBND các huyện, thị xã, thành phố Huế"]


def test_incoming_stamp_on_separate_lines_is_not_the_letters_number():
    text = (
        "ĐẾN\nSố: 1123\nNgày: 12/3/2024\nChuyển: Phòng Nội vụ\n\n"
        "UBND HUYỆN CẦN GIỜ\nPHÒNG NỘI VỤ\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
        "Số: 45/PNV\n\nCần Giờ, ngày 08 tháng 3 năm 2024\n\nV/v báo cáo công tác cải cách hành chính\n\n"
        "Kính gửi: Ủy ban nhân dân các xã, thị trấn.\n\n"
        "Phòng Nội vụ đề nghị Ủy ban nhân dân các xã, thị trấn báo cáo kết quả trước ngày 20/3/2024./.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nTRƯỞNG PHÒNG\n\nLê Văn Tám\n"
    )
    doc, _ = one(text)
    assert doc.key == "45/PNV"
    assert doc.incoming_stamp.number == "1123" and doc.incoming_stamp.date == "2024-03-12"
    assert doc.incoming_stamp.routing == "Phòng Nội vụ"
    assert doc.issuer.name == "Phòng Nội vụ" and doc.issuer.parent.name == "Ủy ban nhân dân huyện Cần Giờ"
    assert doc.signer.title == "Trưởng phòng"


def test_party_document_and_slashed_authority():
    text = (
        "TỈNH ỦY TÂY NINH\n*\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 68-CTr/TU\n\nTây Ninh, ngày 15 tháng 10 năm 2021\n\n"
        "CHƯƠNG TRÌNH HÀNH ĐỘNG\n\nThực hiện Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng\n\n"
        "Ban Thường vụ Tỉnh ủy xây dựng Chương trình hành động với các nội dung sau:\n\n1. Quán triệt sâu rộng.\n\n"
        "Nơi nhận:\n- Các huyện ủy;\n- Lưu Văn phòng Tỉnh ủy.\n\nT/M BAN THƯỜNG VỤ\nBÍ THƯ\n\nNguyễn Thành Tâm\n"
    )
    doc, _ = one(text)
    assert doc.key == "68-CTr/TU"
    assert doc.issuer.name == "Tỉnh ủy Tây Ninh"
    assert [a.prefix for a in doc.signer.authority] == ["TM"]
    assert doc.signer.name == "Nguyễn Thành Tâm" and doc.signer.title == "Bí thư"


def test_missing_issuer_block_is_inferred_and_said():
    text = (
        "Số: 03 /CT-UBND\n\nCẩm Mỹ, ngày 14 tháng 6 năm 2023\n\nCHỈ THỊ\n\nVề nâng cao hiệu quả cải cách hành chính\n\n"
        "Cải cách hành chính được Huyện ủy, UBND huyện xác định là nhiệm vụ quan trọng; Chủ tịch UBND huyện yêu cầu:\n\n"
        "1. Chủ tịch UBND các xã, thị trấn tăng cường kiểm tra.\n\nNơi nhận:\n- Lưu: VT.\n\nHuỳnh Tấn Thìn\n"
    )
    doc, warnings = one(text)
    assert doc.issuer.name == "Ủy ban nhân dân huyện Cẩm Mỹ"
    assert doc.issuer.inferred_from == ["symbol", "body_text", "place"]
    assert any(w.code == "issuer_inferred" for w in warnings)
    assert doc.signer.name == "Huỳnh Tấn Thìn" and doc.doc_type == "chi_thi"


def test_stray_handwritten_lines_are_reported_not_used():
    text = (
        "gửi Thính\n\nỦY BAN NHÂN DÂN\nHUYỆN CẦN GIỜ\n\nSố: 8731 /UBND\n\nCần Giờ, ngày 29 tháng 11 năm 2023\n\n"
        "V/v tiếp tục chấn chỉnh kỷ luật\n\nTổ chức HC:\n\nTrần Văn Hùng\n\n"
        "Kính gửi: Các cơ quan, đơn vị thuộc huyện.\n\n7/2023\n\nBan\n\n"
        "Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban nhân dân Thành phố;\n\n"
        "1. Đề nghị các cơ quan quán triệt thực hiện.\n\nNơi nhận:\n- Lưu: VT.\n\nCHỦ TỊCH\n\nNguyễn Văn A\n"
    )
    doc, warnings = one(text)
    stray = [w.message for w in warnings if w.code == "stray_line"]
    assert len(stray) == 5 and all(w.page == 1 for w in warnings if w.code == "stray_line")
    assert doc.issuer.name == "Ủy ban nhân dân huyện Cần Giờ" and doc.signer.name == "Nguyễn Văn A"
    assert [i.key for i in doc.implements] == ["5611/UBND-VX"]


def test_news_page_yields_the_reported_letter_without_chrome():
    text = (
        "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH\n\nThời gian: 15/05/2023 07:47\n\nTăng cường trách nhiệm xử lý công việc\n\n"
        "Thực hiện Công điện số 280/CĐ-TTg ngày 19/4/2023 của Thủ tướng Chính phủ, ngày 04/5/2023, "
        "Ủy ban nhân dân thành phố Hải Phòng ban hành Công văn số 966/UBND-KSTTHC về chấn chỉnh, tăng cường trách nhiệm.\n\n"
        "Chủ tịch Ủy ban nhân dân thành phố yêu cầu:\n\n1. Thủ trưởng các Sở quán triệt thực hiện.\n\n"
        "2. Giám đốc Sở Nội vụ kiểm tra công vụ.\n\nQuang Hưng\n\nCác tin cũ hơn\n\nLượt truy cập: 632073\n\n"
        "Cơ quan chủ quản: UBND thành phố Hải Phòng\n\nĐiện thoại: 0225.3846314\n"
    )
    doc, _ = one(text)
    assert doc.form == "news_report"
    assert (doc.key, doc.doc_type, doc.date) == ("966/UBND-KSTTHC", "cong_van", "2023-05-04")
    assert doc.issuer.name == "Ủy ban nhân dân thành phố Hải Phòng"
    assert doc.subject == "chấn chỉnh, tăng cường trách nhiệm"
    assert doc.signer is None and ids(doc.clauses) == ["1", "2"]
    assert "Quang Hưng" not in doc.clauses[-1].text
    assert [i.key for i in doc.implements] == ["280/CĐ-TTg"]
    assert [r.key for r in doc.references] == ["280/CĐ-TTg"]


def test_forwarding_letter_then_the_forwarded_one():
    second = CONG_VAN.replace("1234/UBND-KGVX", "1300/UBND-KGVX")
    text = CONG_VAN + "\n" + second
    docs, _ = extract_documents([text])
    assert [d.key for d in docs] == ["1234/UBND-KGVX", "1300/UBND-KGVX"]
    assert docs[0].signer.name == docs[1].signer.name == "Nguyễn Sơn Hùng"
    assert docs[1].text.startswith("ỦY BAN NHÂN DÂN")


def test_pages_are_tracked_across_a_page_break():
    head, tail = CONG_VAN.split("2. Chủ tịch")
    docs, _ = extract_documents([head, "2. Chủ tịch" + tail])
    doc = docs[0]
    assert doc.pages == [1, 2]
    assert doc.clauses[1].span.page == 2 and doc.signer.span.page == 2 and doc.evidence["key"].page == 1


def test_copy_block_is_not_another_letter():
    text = CONG_VAN + "\nSAO Y BẢN CHÍNH\nSố: 12/SY-VP\nĐồng Nai, ngày 06 tháng 3 năm 2024\n"
    docs, _ = extract_documents([text])
    assert len(docs) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Biên bản họp chi bộ tháng 3: các đảng viên đều có mặt đầy đủ.",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        "Danh sách học sinh lớp 10A1 năm học 2023 - 2024",
    ],
)
def test_text_that_is_no_letter(text):
    assert extract_documents([text])[0] == []


@pytest.mark.parametrize(
    "opening, expected",
    [
        ("Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban nhân dân Thành phố về tiếp tục chấn chỉnh;", ["5611/UBND-VX"]),
        ("Triển khai Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng Chính phủ, Sở Nội vụ đề nghị:", ["968/CĐ-TTg"]),
        ("Thực hiện chỉ đạo của Chủ tịch UBND tỉnh tại Công văn số 3041/UBND-NC ngày 26/9/2023, Sở Y tế đề nghị:", ["3041/UBND-NC"]),
        ("Tiếp theo Công văn số 120/SNV-CCHC ngày 02/02/2024 của Sở Nội vụ, Sở Nội vụ đề nghị:", ["120/SNV-CCHC"]),
        ("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2024 và Công văn số 34/UBND-VX ngày 08/01/2024 của UBND tỉnh; UBND huyện yêu cầu:", ["12/KH-UBND", "34/UBND-VX"]),
        ("Thực hiện Công văn số 1/UBND-VX của UBND tỉnh về triển khai Nghị định số 73/2023/NĐ-CP, Sở Nội vụ đề nghị:", ["1/UBND-VX"]),
        ("Thực hiện Công văn số 1/UBND-VX ngày 2/3/2024 của UBND tỉnh, Sở Nội vụ đề nghị các đơn vị triển khai Nghị định số 73/2023/NĐ-CP:", ["1/UBND-VX"]),
        ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, Sở Nội vụ đề nghị:", []),
        ("Phúc đáp Công văn số 55/PGD ngày 01/3/2024 của Phòng Giáo dục, Phòng Nội vụ có ý kiến như sau:", []),
        ("Sau gần 2 năm triển khai Quyết định số 1719/QĐ-UBND ngày 20/10/2021, một số nội dung còn chậm:", []),
    ],
)
def test_implements_from_the_opening(opening, expected):
    text = CONG_VAN.replace(
        "Thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng Chính phủ về tiếp tục chấn chỉnh kỷ luật, kỷ cương, Chủ tịch UBND tỉnh yêu cầu:",
        opening,
    ).replace("V/v triển khai thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng Chính phủ", "V/v chấn chỉnh kỷ luật")
    doc, _ = one(text)
    assert [i.key for i in doc.implements] == expected


def test_spans_get_the_box_of_the_ocr_words_they_cover():
    from schemas import Word

    page = CONG_VAN
    pos, words = 0, []
    for n, token in enumerate(page.replace("\n", " ").split(" ")):
        if token:
            words.append(Word(start=pos, end=pos + len(token), box=[10 * n, 5, 10 * n + 9, 20], confidence=90.0))
        pos += len(token) + 1
    docs, _ = extract_documents([page], [words])
    key_span = docs[0].evidence["key"]
    covered = [w for w in words if w.start < key_span.end and key_span.start < w.end]
    assert key_span.box == [covered[0].box[0], 5, covered[-1].box[2], 20]


def test_header_as_tesseract_reads_a_degraded_scan():
    # what OCR made of a stamped, two-column header (benchmarks/ocr.py on a rendered sample)
    text = (
        "- Số: 11116 c., `\n"
        "ĐEN Ngày: 14/1/23 : TỔ chức Hẹ: Trần Văn Hùng\n"
        "Chuyên: UBND TỈNH TÂY NINH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ Y TẾ Độc lập - Tự do - Hạnh phúc\n"
        "Số: 3852/SYT-VP. Tây Ninh, ngày 06 tháng 1 năm 2023\n"
        "- ~ Lưu: VT, VP.\n"
        "V/v chấn chỉnh, tăng cường kỷ luật\n"
        "kỷ cương trong các cơ quan hành\n"
        "chính, đơn vị sự nghiệp\n"
        "Kính gửi: Các cơ quan, đơn vị thuộc và trực thuộc Sở Y tế.\n"
        "Thực hiện nội dung Công văn số 3328/UBND-NC ngày 23/10/2023 của\n"
        "Ủy ban nhân dân tỉnh về việc chấn chỉnh kỷ luật.\n"
        "Sở Y tế đề nghị Thủ trưởng các cơ quan, đơn vị thực hiện một số nội dung sau:\n"
        "1. Tổ chức kiểm tra công vụ.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nGIÁM ĐỐC\nTrương Văn Hùng\n"
    )
    doc, _ = one(text)
    assert (doc.key, doc.date, doc.place) == ("3852/SYT-VP", "2023-01-06", "Tây Ninh")
    assert doc.issuer.name == "Sở Y tế" and doc.issuer.parent.name == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert doc.incoming_stamp.date == "2023-01-14"
    assert doc.subject == "chấn chỉnh, tăng cường kỷ luật kỷ cương trong các cơ quan hành chính, đơn vị sự nghiệp"
    assert [i.key for i in doc.implements] == ["3328/UBND-NC"]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Kính gửi: Sở Nội vụ, Sở Tài chính.", ["Sở Nội vụ", "Sở Tài chính"]),
        ("Kính gửi: Các cơ quan, đơn vị thuộc và trực thuộc Sở Y tế.", ["Các cơ quan, đơn vị thuộc và trực thuộc Sở Y tế"]),
        ("Kính gửi: Giám đốc các Sở, ban, ngành; Chủ tịch UBND các huyện, thị xã.",
         ["Giám đốc các Sở, ban, ngành", "Chủ tịch UBND các huyện, thị xã"]),
    ],
)
def test_recipients_on_one_line(line, expected):
    doc, _ = one(CONG_VAN.replace(
        "Kính gửi:\n- Giám đốc các Sở, ban, ngành tỉnh;\n- Chủ tịch UBND các huyện, thành phố Long Khánh, thành phố Biên Hòa.", line))
    assert [r.name for r in doc.recipients] == expected


def test_nơi_nhận_as_ocr_misreads_it_still_ends_the_body():
    doc, _ = one(CONG_VAN.replace("Nơi nhận:", "Noi nhân:"))
    assert ids(doc.clauses) == ["1", "2"] and [c.name for c in doc.cc][0] == "Như trên"


def test_a_date_line_whose_place_was_lost():
    doc, _ = one(CONG_VAN.replace("Đồng Nai, ngày 05 tháng 3 năm 2024", "ngày 05 tháng 3 năm 2024"))
    assert (doc.date, doc.place) == ("2024-03-05", None)


def test_a_signer_name_with_specks_from_the_seal():
    doc, _ = one(CONG_VAN.replace("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Sơn Hùng", "Nguyễn Sơn Hùng:"))
    assert doc.signer.name == "Nguyễn Sơn Hùng"
    assert doc.text[doc.signer.span.start : doc.signer.span.end] == "Nguyễn Sơn Hùng"


# The signature block: the signer's name is the one under the signing title; what follows it
# (footnotes, an appendix in capitals, a form) is not the signature.
SIGNATURE_BLOCKS = [
    pytest.param("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Quang Vinh\n\nPHỤ LỤC\nDANH MỤC ĐỊA ĐIỂM\n", "Lê Quang Vinh",
                 id="appendix-after-the-name"),
    pytest.param("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nĐinh\nQuang Trung\n\n[i] Số liệu tính đến hết quý II.\n",
                 "Đinh Quang Trung", id="name-wrapped-over-two-lines"),
    pytest.param("KT. BỘ TRƯỞNG,\nCHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nHồ Văn Tâm\n", "Hồ Văn Tâm", id="three-title-lines"),
    pytest.param("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNGUYỄN VĂN AN\n", "Nguyễn Văn An", id="name-in-capitals"),
    pytest.param("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nPHỤ LỤC II\nBiểu mẫu báo cáo kết quả thực hiện hằng quý của các đơn vị.\n", None,
                 id="no-name-printed-then-an-appendix"),
    pytest.param("TL. CHỦ TỊCH\nPHÓ CHÁNH VĂN PHÒNG\n- VPUB: CVP, PCVP (KGVX), HC-QT;\n- Lưu: VT, KGVX\nTKHoa312.\nĐoàn Minh Khôi\n",
                 "Đoàn Minh Khôi", id="columns-read-across-by-ocr"),
]


@pytest.mark.parametrize("closing_text,signer", SIGNATURE_BLOCKS)
def test_signer_is_the_name_under_the_title(closing_text, signer):
    text = CONG_VAN[: CONG_VAN.index("Nơi nhận")] + closing_text
    doc, _ = one(text)
    assert (doc.signer.name if doc.signer else None) == signer


def test_the_motto_in_a_sentence_starts_no_letter():
    body = "Lễ kỷ niệm ngày thành lập nước Cộng hòa xã hội chủ nghĩa Việt Nam năm nay đã được tổ chức trang trọng."
    text = CONG_VAN.replace("Nơi nhận", body + "\nNơi nhận", 1)
    assert len(extract_documents([text])[0]) == 1


@pytest.mark.parametrize("number_cell,date_cell", [
    ("Số:\n1234/UBND-KGVX", "Đồng Nai, ngày\n05 tháng 3 năm 2024"),
    ("Số: 1234/UBND-KGVX", "Đồng Nai, ngày 05\ntháng 3 năm 2024 *"),
    ("**Số:**\n1234/UBND-KGVX", "*Đồng Nai, ngày 05 tháng 3\nnăm 2024*"),
    ("Số: 1234/UBND-\nKGVX", "Đồng Nai, ngày 05 tháng3năm 2024"),
], ids=["cells-wrapped-after-label", "date-wrapped-mid-date", "markdown-and-wraps", "key-wrapped-glued-date"])
def test_header_cells_wrapped_by_a_layout_table(number_cell, date_cell):
    text = re.sub(r"Số: 1234/UBND-KGVX", number_cell, CONG_VAN, count=1)
    text = re.sub(r"Đồng Nai, ngày 05 tháng 3 năm 2024", date_cell, text, count=1)
    doc, _ = one(text)
    assert (doc.key, doc.date, doc.place) == ("1234/UBND-KGVX", "2024-03-05", "Đồng Nai")


def test_a_type_title_wrapped_over_two_lines():
    text = CONG_VAN.replace("V/v triển khai", "QUYẾT\nĐỊNH\nVỀ VIỆC triển khai", 1)
    doc, _ = one(text)
    assert doc.doc_type == "quyet_dinh"


def _cut(start: str, end: str | None = None, prefix: str = "") -> str:
    return prefix + CONG_VAN[CONG_VAN.index(start) : CONG_VAN.index(end) if end else None]


# A letter whose header block a web copy or a scan lost is still one letter, built from what is
# there, with what had to be guessed flagged for review.
HEADERLESS = [
    pytest.param(_cut("Kính gửi"), None, "cong_van", {"no_number", "no_date", "doc_type_inferred", "issuer_inferred"},
                 id="starts-at-kinh-gui"),
    pytest.param(_cut("Thực hiện Công điện"), None, None, {"no_number", "no_date", "no_doc_type"}, id="starts-at-the-body"),
    pytest.param(_cut("Thực hiện Công điện", "Nơi nhận") + _cut("TM. ỦY BAN"), None, None, {"no_number"},
                 id="body-and-signature-only"),
    pytest.param(_cut("Kính gửi", prefix="Công văn số 1234/UBND-KGVX ngày 05/3/2024 của UBND tỉnh Đồng Nai V/v triển "
                      "khai thực hiện Công điện số 968/CĐ-TTg\n\n"), "1234/UBND-KGVX", "cong_van", set(),
                 id="portal-heading"),
    pytest.param(_cut("Kính gửi", prefix="ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                      "Độc lập - Tự do - Hạnh phúc\n\nĐồng Nai, ngày 05 tháng 3 năm 2024\n\nTHƯ NGỎ\n\n"), None, "thu_ngo",
                 {"no_number"}, id="thu-ngo-without-so"),
]


@pytest.mark.parametrize("text,key,doc_type,reasons", HEADERLESS)
def test_a_letter_without_its_header_block_is_one_letter(text, key, doc_type, reasons):
    docs, _ = extract_documents([text])
    assert len(docs) == 1
    doc = docs[0]
    assert (doc.key, doc.doc_type) == (key, doc_type)
    assert reasons <= set(doc.review_reasons) and doc.needs_review == bool(doc.review_reasons)
    assert [c.id for c in doc.clauses] == ["1", "2"] and doc.obligations


def test_a_paragraph_and_a_name_are_no_letter():
    text = "Hôm nay trời đẹp, chúng tôi đi chơi công viên và ăn kem với cả gia đình rất vui.\n\nGIÁM ĐỐC\nNguyễn Văn An"
    assert extract_documents([text])[0] == []


DECISION_WITH_PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 45/QĐ-UBND

Đồng Nai, ngày 10 tháng 3 năm 2025

QUYẾT ĐỊNH
Ban hành Kế hoạch chuyển đổi số năm 2025

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch chuyển đổi số năm 2025.

Điều 2. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Sơn Hùng

ỦY BAN NHÂN DÂN
TỈNH ĐỒNG NAI

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

KẾ HOẠCH
CHUYỂN ĐỔI SỐ NĂM 2025
(Ban hành kèm theo Quyết định số 45/QĐ-UBND ngày 10/3/2025 của Chủ tịch UBND tỉnh)

I. MỤC ĐÍCH, YÊU CẦU
Nâng cao hiệu quả quản lý nhà nước trên môi trường số.

II. NHIỆM VỤ
1. Sở Khoa học và Công nghệ chủ trì xây dựng nền tảng dữ liệu dùng chung, hoàn thành trước ngày 30/6/2025.
2. Sở Nội vụ phối hợp với Sở Tài chính bố trí kinh phí thực hiện Kế hoạch.

PHỤ LỤC
DANH MỤC NHIỆM VỤ
1. Nền tảng dữ liệu dùng chung
2. Kinh phí
"""


def test_a_plan_issued_with_a_decision_is_part_of_it():
    docs, _ = extract_documents([DECISION_WITH_PLAN])
    assert len(docs) == 1
    doc = docs[0]
    assert doc.key == "45/QĐ-UBND" and doc.signer.name == "Nguyễn Sơn Hùng"
    assert [c.id for c in flatten(doc.clauses)] == ["Đ1", "Đ2", "I", "II", "II.1", "II.2"]  # the appendix's rows are none
    tasks = {o.clause: [a.name for a in o.assignees if a.role == "lead"] for o in doc.obligations}
    assert tasks["II.1"] == ["Sở Khoa học và Công nghệ"] and tasks["II.2"] == ["Sở Nội vụ"]


@pytest.mark.parametrize("block,key,issuer", [
    ("VĂN PHÒNG\nCHÍNH PHỦ", "701/TB-VPCP", "Văn phòng Chính phủ"),
    ("BAN CHẤP HÀNH\nTRUNG ƯƠNG\nVĂN PHÒNG", "518-TB/VPTW", "Văn phòng Trung ương Đảng"),
    ("TỈNH ỦY QUẢNG NAM\nVĂN PHÒNG", "15-CV/VPTU", "Văn phòng Tỉnh ủy Quảng Nam"),
], ids=["kind-wrapped-before-its-name", "completed-from-the-symbol", "completed-from-the-parent"])
def test_an_issuer_printed_as_its_kind_alone(block, key, issuer):
    text = CONG_VAN.replace("ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI", block, 1).replace("1234/UBND-KGVX", key, 1)
    doc, _ = one(text)
    assert doc.issuer.name == issuer


def test_a_type_title_that_names_its_kind_and_a_one_letter_first_subject_line():
    text = CONG_VAN.replace("V/v triển khai thực hiện", "THÔNG BÁO KẾT LUẬN\nÝ\nKIẾN CHỈ ĐẠO VỀ VIỆC triển khai thực hiện", 1)
    doc, _ = one(text)
    assert doc.doc_type == "thong_bao" and doc.subject.startswith("Ý KIẾN CHỈ ĐẠO")


def test_a_letter_citing_a_reported_letter_is_still_a_letter():
    body = _cut("Thực hiện Công điện", "TM. ỦY BAN").replace(
        "Thực hiện Công điện", "Ngày 01/3/2024, UBND tỉnh đã ban hành Công văn số 99/UBND-VX về việc này. Thực hiện Công điện", 1)
    docs, _ = extract_documents([body])
    assert len(docs) == 1 and docs[0].form == "letter" and [c.id for c in docs[0].clauses] == ["1", "2"]


def test_a_body_of_numbered_instructions_without_header_or_closing_is_a_letter():
    text = ("Để tăng cường kỷ luật, kỷ cương hành chính, Chủ tịch Ủy ban nhân dân thành phố yêu cầu:\n"
            "1. Thủ trưởng các sở, ban, ngành tổ chức quán triệt và thực hiện nghiêm Quy chế làm việc.\n"
            "2. Chủ tịch Ủy ban nhân dân các quận, huyện rà soát, báo cáo kết quả trước ngày 15/12/2024.\n")
    docs, _ = extract_documents([text])
    assert len(docs) == 1 and [c.id for c in docs[0].clauses] == ["1", "2"] and docs[0].needs_review


def test_a_decisions_authority_line_under_an_unread_number_is_not_the_issuer():
    # an e-office decision whose handwritten number and day OCR could not read ("…", pipeline/zones.py)
    text = """ỦY BAN NHÂN DÂN
TỈNH PHÚ YÊN
Số:… /QĐ-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Phú Yên, ngày… tháng 03 năm 2026

QUYẾT ĐỊNH
Về việc công nhận danh hiệu Chiến sĩ thi đua cơ sở

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH PHÚ YÊN

Căn cứ Luật Thi đua, khen thưởng ngày 15/6/2022;

QUYẾT ĐỊNH:

Điều 1. Công nhận danh hiệu Chiến sĩ thi đua cơ sở cho bà Lê Thị Hạnh.

Điều 2. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

CHỦ TỊCH

Trần Minh Đức
"""
    doc, _ = one(text)
    assert doc.issuer is not None and doc.issuer.name == "Ủy ban nhân dân tỉnh Phú Yên"
    assert doc.doc_type == "quyet_dinh" and doc.key == "/QĐ-UBND" and doc.number is None


def test_a_type_title_read_with_a_speck_colon_is_still_the_title():
    text = """BỘ GIÁO DỤC VÀ ĐÀO TẠO
Số: 1907 /QĐ-BGDĐT

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 08 tháng 5 năm 2026

QUYẾT ĐỊNH :
Về việc phê duyệt Khung chương trình bồi dưỡng

BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO

Căn cứ Nghị định số 37/2025/NĐ-CP ngày 26/02/2025 của Chính phủ;

QUYẾT ĐỊNH:

Điều 1. Phê duyệt Khung chương trình bồi dưỡng.

Điều 2. Chánh Văn phòng chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Phan Thị Thu Hà
"""
    doc, _ = one(text)
    assert doc.doc_type == "quyet_dinh" and doc.subject == "phê duyệt Khung chương trình bồi dưỡng"


def test_an_older_title_naming_its_issuer_is_the_type():
    text = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 214/QĐ-UB

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lạng Sơn, ngày 15 tháng 6 năm 1998

QUYẾT ĐỊNH CỦA UỶ BAN NHÂN DÂN TỈNH
Về việc cấp đất xây dựng trường học

ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN

Căn cứ Luật Đất đai ngày 14/7/1993;

QUYẾT ĐỊNH:

Điều 1. Cấp đất xây dựng trường học cho xã có tên trong danh sách kèm theo.

Điều 2. Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN TỈNH
CHỦ TỊCH

Hoàng Văn Sơn
"""
    doc, _ = one(text)
    assert doc.doc_type == "quyet_dinh" and doc.subject == "cấp đất xây dựng trường học"
