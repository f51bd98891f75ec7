"""extractors.references: every document number cited in a letter, with its context."""
import json
import re
import unicodedata
from pathlib import Path

import pytest

from extractors import extract_documents
from extractors.normalize import normalize
from extractors.references import find_references

DEV = Path("/work/shared/eval/dev")


def refs(raw: str):
    return find_references(normalize(raw).text)


def keys_of(raw: str) -> list[str]:
    return [r.key for r in refs(raw)]


# --- which numbers are found ----------------------------------------------------------

FOUND = [
    ("Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban nhân dân Thành phố",
     ["5611/UBND-VX"]),
    ("triển khai thực hiện Công điện số 968/CD-TTg ngày 16 tháng 10 năm 2023", ["968/CĐ-TTg"]),
    ("Nghị định số 73/2023/NĐ-CP ngày 29 tháng 9 năm 2023 của Chính phủ", ["73/2023/NĐ-CP"]),
    ("Chương trình hành động số 68-CTr/TU ngày 15/10/2021 của Tỉnh ủy", ["68-CTr/TU"]),
    ("Số: 8731 /UBND\n\nCần Giờ, ngày 29 tháng 11 năm 2023", ["8731/UBND"]),
    ("Số: 03 /CT-UBND", ["03/CT-UBND"]),
    ("Thực hiện Công văn số 5611/UBND-\nVX ngày 11 tháng 11 năm 2023", ["5611/UBND-VX"]),
    ("ban hành Công văn số 966/UBND- KSTTHC về chấn chỉnh", ["966/UBND-KSTTHC"]),
    ("các Công điện số 217/CĐ-TTg, 218/CĐ-TTg và 219/CĐ-TTg của Thủ tướng Chính phủ",
     ["217/CĐ-TTg", "218/CĐ-TTg", "219/CĐ-TTg"]),
    ("Theo các Nghị định của Chính phủ: số 45/2021/NĐ-CP ngày 15/4/2021 về quản lý vật liệu "
     "xây dựng; số 18/2024/NĐ-CP ngày 20/02/2024 sửa đổi, bổ sung một số điều",
     ["45/2021/NĐ-CP", "18/2024/NĐ-CP"]),
    ("theo Công văn số Công văn số 3328/UBND-NC ngày 23/10/2023", ["3328/UBND-NC"]),
    ("CÔNG ĐIỆN SỐ 968/CĐ-TTG", ["968/CĐ-TTg"]),
    ("công điện số 968/cđ-ttg", ["968/CĐ-TTg"]),
    ("Chỉ đạo của UBND tỉnh tại 3041/UBND-NC ngày 26/09/2023", ["3041/UBND-NC"]),
    ("Chỉ thị số 07-CT/TU ngày 25/4/2016 của Ban Thường vụ Tỉnh ủy", ["07-CT/TU"]),
    ("Luật số 17/2008/QH12 và Pháp lệnh số 15/2004/PL-UBTVQH11", ["17/2008/QH12", "15/2004/PL-UBTVQH11"]),
    ("theo Quyết định số 1085/QĐ-TTg, Nghị định số 61/2018/NĐ-CP và Nghị định số 107/2021/NĐ-CP",
     ["1085/QĐ-TTg", "61/2018/NĐ-CP", "107/2021/NĐ-CP"]),
    ("Nghị quyết số 12.3/2024/NQ-CP và Nghị quyết số 30c/NQCP", ["12.3/2024/NQ-CP", "30c/NQ-CP"]),
    ("công văn số 2024-017/SAV-CHQ ngày 03/4/2024 của Công ty", ["2024-017/SAV-CHQ"]),
    ("Thông tư số 49/2024TT-BCT ngày 05/6/2024", ["49/2024TT-BCT"]),
    ("tại Công văn số 1234/SXD-QLN& TTBĐS ngày 14/11/2024", ["1234/SXD-QLN&TTBĐS"]),
    ("các Văn bản số 6001/VPCP-V.I và số 7001/VPCP-V.I. Tiếp theo", ["6001/VPCP-V.I", "7001/VPCP-V.I"]),
    ("công văn số 12/QTr-KTr2 ngày 22/7/2024 của Thuế tỉnh", ["12/QTR-KTR2"]),
    ("Trả lời văn bản số 02/CV-03 ngày 20/11/2024 của Công ty", ["02/CV-03"]),
    ("văn bản số ABC2024/05 ngày 10/10/2024 và công văn số TDV/01-2020 của Công ty", ["ABC2024/05", "TDV/01-2020"]),
]


@pytest.mark.parametrize("raw,expected", FOUND)
def test_found(raw, expected):
    assert keys_of(raw) == expected


NOT_NUMBERS = [
    "Thời gian: 15/05/2023 07:47",
    "ĐẾN Số: 11116\n\nNgày: 14/1/23",
    "giai đoạn 2021-2030; giai đoạn 2022 - 2025; nhiệm kỳ 2020-2025",
    "Điện thoại: 0225.3846314\nFax: 0225.3640091\nEmail: sotp@haiphong.gov.vn",
    "Lưu: VT, NV.\n- CT, các PCT UBND tỉnh;\nPCT.UBH",
    "đúng hạn trên 96%; tỷ lệ 30%/năm; 1/3 số hồ sơ; trực 24/7",
    "V/v chấn chỉnh, tăng cường kỷ luật",
    "Mẫu số 01/BC kèm theo; Phụ lục số 2/KH",
    "100 đồng/kg, 5 m3/ngày, xe 16/chỗ, Km 5/QL14",
    "COVID-19/SARS-CoV-2",
    "https://vbpl.vn/tw/Pages/vbpq-toanvan.aspx?ItemID=123",
]


@pytest.mark.parametrize("raw", NOT_NUMBERS)
def test_not_numbers(raw):
    assert keys_of(raw) == []


# --- the details of one citation ------------------------------------------------------

def test_full_citation():
    text = normalize(
        "Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban nhân dân Thành phố "
        "về tiếp tục chấn chỉnh, tăng cường kỷ luật, kỷ cương trong cơ quan hành chính các cấp;"
    ).text
    [r] = find_references(text)
    assert r.key == "5611/UBND-VX" and r.raw == "5611/UBND-VX"
    assert (r.number, r.symbol, r.year) == ("5611", "UBND-VX", None)
    assert (r.doc_type, r.doc_type_label) == ("cong_van", "Công văn")
    assert r.date == "2023-11-11"
    assert r.issuer == "Ủy ban nhân dân Thành phố"
    assert r.subject == "tiếp tục chấn chỉnh, tăng cường kỷ luật, kỷ cương trong cơ quan hành chính các cấp"
    assert r.relation == "cites"
    assert text[r.span.start:r.span.end] == "5611/UBND-VX"
    assert r.mentions == [r.span] and r.span.page is None


# raw, key, field, value
DETAILS = [
    ("Công điện số 968/CD-TTg ngày 16/10/2023 của Thủ tướng Chính phủ về việc tiếp tục chấn chỉnh;",
     "968/CĐ-TTg", "raw", "968/CD-TTg"),
    ("Công điện số 968/CD-TTg ngày 16/10/2023 của Thủ tướng Chính phủ về việc tiếp tục chấn chỉnh;",
     "968/CĐ-TTg", "subject", "tiếp tục chấn chỉnh"),
    ("Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ", "26/CT-TTg", "date", "2016-09-05"),
    ("Công văn số 3041/UBND-NC ngày 26/09/2023 về việc chấn chỉnh", "3041/UBND-NC", "date", "2023-09-26"),
    ("Công văn số 3041/UBND-NC ngày 26/09/2023 về việc chấn chỉnh", "3041/UBND-NC", "issuer", "Ủy ban nhân dân"),
    ("Chương trình hành động số 68-CTr/TU ngày 15/10/2021 của Tỉnh ủy thực hiện Nghị quyết",
     "68-CTr/TU", "doc_type", "chuong_trinh"),
    ("Chương trình hành động số 68-CTr/TU ngày 15/10/2021 của Tỉnh ủy thực hiện Nghị quyết",
     "68-CTr/TU", "doc_type_label", "Chương trình hành động"),
    ("Chương trình hành động số 68-CTr/TU ngày 15/10/2021 của Tỉnh ủy thực hiện Nghị quyết",
     "68-CTr/TU", "issuer", "Tỉnh ủy"),
    ("Chỉ thị số 07-CT/TU ngày 25/4/2016 của Ban Thường vụ Tỉnh ủy về tăng cường kỷ cương",
     "07-CT/TU", "issuer", "Ban Thường vụ Tỉnh ủy"),
    ("Chỉ thị số 26/CT-UBND ngày 25/12/2020 của Chủ tịch UBND tỉnh về tăng cường kỷ cương",
     "26/CT-UBND", "issuer", "Chủ tịch Ủy ban nhân dân tỉnh"),
    ("Nghị định số 73/2023/NĐ-CP ngày 29/9/2023 của Chính phủ quy định về khuyến khích, bảo vệ cán bộ; xây dựng",
     "73/2023/NĐ-CP", "subject", "khuyến khích, bảo vệ cán bộ"),
    ("Nghị định số 73/2023/NĐ-CP", "73/2023/NĐ-CP", "year", 2023),
    ("Nghị định số 73/2023/NĐ-CP", "73/2023/NĐ-CP", "issuer", "Chính phủ"),
    ("Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022", "1085/QĐ-TTg", "issuer", "Thủ tướng Chính phủ"),
    ("Quyết định số 48/2018/QĐ-UBND ngày 31/8/2018 ban hành Quy định về Quy tắc ứng xử;",
     "48/2018/QĐ-UBND", "subject", "ban hành Quy định về Quy tắc ứng xử"),
    ("văn bản số 123/SYT-NVY ngày 01/02/2023 của Sở Y tế", "123/SYT-NVY", "doc_type", "cong_van"),
    ("văn bản số 12/QĐ-UBND", "12/QĐ-UBND", "doc_type", "quyet_dinh"),
    ("Thư công số 01/UBND", "01/UBND", "doc_type", "thu_cong"),
    ("Luật số 17/2008/QH12", "17/2008/QH12", "doc_type", "luat"),
    ("Luật số 17/2008/QH12", "17/2008/QH12", "issuer", "Quốc hội"),
    # a list inherits the type word, but the symbol's own type code wins
    ("các văn bản: Quyết định số 12/QĐ-UBND; 15/KH-UBND và 16/UBND-VX", "15/KH-UBND", "doc_type", "ke_hoach"),
    ("các văn bản: Quyết định số 12/QĐ-UBND; 15/KH-UBND và 16/UBND-VX", "16/UBND-VX", "doc_type", "cong_van"),
    ("Căn cứ Nghị định số 52/CP ngày 16/7/1996 của Chính phủ", "52/CP", "doc_type", "nghi_dinh"),  # its own type word
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
     "30/2020/NĐ-CP", "relation", "basis"),
    ("- Căn cứ Nghị định số 30/2020/NĐ-CP;", "30/2020/NĐ-CP", "relation", "basis"),
    ("Thực hiện Nghị định số 30/2020/NĐ-CP;", "30/2020/NĐ-CP", "relation", "cites"),
    ("Thực hiện Công văn số 5611/UBND-\nVX ngày 11 tháng 11 năm 2023", "5611/UBND-VX", "raw", "5611/UBND-VX"),  # the wrap is layout, joined by normalize
    ("Số: 8731 /UBND", "8731/UBND", "raw", "8731 /UBND"),
]


@pytest.mark.parametrize("raw,key,field,value", DETAILS)
def test_details(raw, key, field, value):
    found = {r.key: r for r in refs(raw)}
    assert getattr(found[key], field) == value


def test_mentions_merge_and_fill_missing_fields():
    text = normalize(
        "theo quy định tại Nghị định số 61/2018/NĐ-CP của Chính phủ và Nghị định số 107/2021/NĐ-CP "
        "ngày 06 tháng 12 năm 2021 của Chính phủ về sửa đổi, bổ sung một số điều của Nghị định số "
        "61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ về thực hiện cơ chế một cửa."
    ).text
    found = find_references(text)
    assert [r.key for r in found] == ["61/2018/NĐ-CP", "107/2021/NĐ-CP"]
    r = found[0]
    assert len(r.mentions) == 2 and r.mentions[0] == r.span
    assert r.date == "2018-04-23"          # filled from the later mention
    assert r.subject == "thực hiện cơ chế một cửa"
    for m in r.mentions:
        assert text[m.start:m.end] == "61/2018/NĐ-CP"


def test_same_key_other_date_is_another_document():
    found = refs(
        "Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng Chính phủ. "
        "Chỉ thị số 26/CT-TTg ngày 20/10/2023. Chỉ thị số 26/CT-TTg."
    )
    assert [(r.key, r.date, len(r.mentions)) for r in found] == [
        ("26/CT-TTg", "2016-09-05", 1), ("26/CT-TTg", "2023-10-20", 2)]


def test_variants_of_one_key_merge():
    found = refs("Công điện số 968/CD-TTg ngày 16/10/2023. Theo Công điện số 968/CĐ-TTg và công điện số 968/cđ-ttg.")
    assert [(r.key, r.raw, len(r.mentions)) for r in found] == [("968/CĐ-TTg", "968/CD-TTg", 3)]


def test_order_is_first_mention():
    assert keys_of("Quyết định số 2/QĐ-UBND, Công văn số 1/UBND-VP, Quyết định số 2/QĐ-UBND") == [
        "2/QĐ-UBND", "1/UBND-VP"]


def test_dash_separated_phrase_is_not_part_of_the_symbol():
    assert keys_of("Công văn số 123/UBND - Sở Y tế đề nghị") == ["123/UBND"]


# --- the five dev letters ----------------------------------------------------------------

def _norm_key(s: str) -> str:  # as the scorer compares keys
    s = unicodedata.normalize("NFC", s).casefold().replace("đ", "d")
    return re.sub(r"^0+(?=\d)", "", re.sub(r"\s+", "", s))


def _dev_letters():
    if not DEV.is_dir():
        return []
    cases = []
    for gold_path in sorted(DEV.glob("*.gold.json")):
        stem = gold_path.name[: -len(".gold.json")]
        raw = (DEV / f"{stem}.txt").read_text(encoding="utf-8")
        docs = json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
        if len(docs) == 2:  # 004: two letters; the second starts after the first one's signer
            cut = raw.index("**ỦY BAN NHÂN DÂN", raw.index("Trương Văn Hùng"))
            parts = [raw[:cut], raw[cut:]]
        else:
            parts = [raw]
        for i, (part, doc) in enumerate(zip(parts, docs)):
            cases.append(pytest.param(part, doc, id=f"{stem[:3]}#{i}"))
    return cases


@pytest.mark.skipif(not DEV.is_dir(), reason="dev letters not available")
@pytest.mark.parametrize("raw,gold", _dev_letters())
def test_dev_letter_keys(raw, gold):
    expected = {_norm_key(k) for k in gold["references"]} | {_norm_key(gold["key"])}
    found = {_norm_key(r.key) for r in refs(raw)}
    assert found == expected


def test_date_after_the_issuer():
    [r] = refs("Quyết định số 1085/QĐ-TTg của Thủ tướng Chính phủ ngày 15/9/2022 về kế hoạch")
    assert (r.issuer, r.date, r.subject) == ("Thủ tướng Chính phủ", "2022-09-15", "kế hoạch")


def test_a_type_word_after_cua_is_no_issuer():
    found = {r.key: r for r in refs("Điều 1 Quyết định số 22/2019/QĐ-UBND của Quyết định số 48/2018/QĐ-UBND")}
    assert found["22/2019/QĐ-UBND"].issuer == "Ủy ban nhân dân"


@pytest.mark.parametrize("cited,date", [
    ("Công văn số 12/UBND-VP ngày 31/02/2023 của UBND huyện", None),  # no such day
    ("Công văn số 12/UBND-VP ngày 29 tháng 02 năm 2024 của UBND huyện", "2024-02-29"),
    ("Công văn số 12/UBND-VP, ngày 05 tháng 9, năm 2016 của UBND huyện", "2016-09-05"),
    ("Công văn số 12/UBND-VP ngày 05/9/1016 của UBND huyện", None),  # no year of the state's letters
])
def test_a_cited_date_is_read_by_the_one_date_reader(cited, date):
    [r] = refs(cited)
    assert r.date == date


def test_a_letter_dated_a_day_that_does_not_exist_has_no_date():
    text = ("ỦY BAN NHÂN DÂN\nHUYỆN CẨM MỸ\n\nSố: 120/UBND-NV\n\nCẩm Mỹ, ngày 31 tháng 02 năm 2023\n\n"
            "V/v tăng cường kỷ luật\n\nKính gửi: Phòng Nội vụ.\n\n"
            "Thực hiện Công văn số 5611/UBND-VX ngày 30/02/2023 của UBND tỉnh, đề nghị Phòng Nội vụ rà soát, "
            "báo cáo trước ngày 31/11/2023.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n\nCHỦ TỊCH\n\nNguyễn Văn An\n")
    [doc] = extract_documents([text])[0]
    # what is printed and possible is kept: the month; the day is left out, and said (extractors/unread.py)
    assert doc.date == "2023-02" and doc.needs_review and "unread_day" in doc.review_reasons
    assert [r.date for r in doc.references] == [None]
    assert all(ob.deadline is None or ob.deadline.date is None for ob in doc.obligations)
