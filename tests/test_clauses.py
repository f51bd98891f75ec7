"""Clause trees: every label form, the nesting rules, the TOML examples, the dev letters."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors import tables  # noqa: E402
from extractors.clauses import flatten, parse_clauses  # noqa: E402
from extractors.normalize import normalize  # noqa: E402

DEV = Path("/work/shared/eval/dev")


def ids(text: str, start: int = 0, end: int | None = None) -> list[str]:
    return [c.id for c in flatten(parse_clauses(text, start, end))]


def by_id(text: str) -> dict:
    return {c.id: c for c in flatten(parse_clauses(text))}


# --- label forms -----------------------------------------------------------------------

FORMS = [
    # (snippet, expected ids)
    ("1. Tiếp tục làm tốt công tác tuyên truyền\n\n2. Quan tâm lãnh đạo, chỉ đạo", ["1", "2"]),
    ("1) Tiếp tục làm tốt công tác tuyên truyền\n2) Quan tâm lãnh đạo, chỉ đạo", ["1", "2"]),
    ("01. Tiếp tục làm tốt công tác tuyên truyền\n02. Quan tâm lãnh đạo, chỉ đạo", ["1", "2"]),
    ("I. KẾT QUẢ ĐẠT ĐƯỢC\nII. NHIỆM VỤ TRỌNG TÂM", ["I", "II"]),
    ("I - ĐÁNH GIÁ CHUNG\nII - NHIỆM VỤ", ["I", "II"]),
    ("I/ TÌNH HÌNH\n1/ Thủ trưởng các Sở\na/ Tăng cường\nb/ Kịp thời\n2/ Giao Sở Nội vụ", ["I", "I.1", "I.1.a", "I.1.b", "I.2"]),
    ("I. KẾT QUẢ\nII. NHIỆM VỤ\n1. Sở Nội vụ\n2. Sở Tư pháp\na) Rà soát văn bản\nb) Tham mưu",
     ["I", "II", "II.1", "II.2", "II.2.a", "II.2.b"]),
    ("1. Công tác cải cách\n1.1. Cải cách thể chế\n1.2. Cải cách thủ tục", ["1", "1.1", "1.2"]),
    ("1. Công tác cải cách\n1.1 Cải cách thể chế\n1.2 Cải cách thủ tục", ["1", "1.1", "1.2"]),
    ("I. KẾT QUẢ\nII. NHIỆM VỤ\n1. Sở Nội vụ\n1.1. Chủ trì tham mưu\n1.2. Phối hợp", ["I", "II", "II.1", "II.1.1", "II.1.2"]),
    ("1. Công tác\n1.1. Thể chế\n1.1.1. Rà soát\n1.1.2. Ban hành\n1.2. Thủ tục", ["1", "1.1", "1.1.1", "1.1.2", "1.2"]),
    ("1. Giao\na) Quán triệt\nb) Đề cao\nc) Trực tiếp\nd) Kịp thời\nđ) Quán triệt\ne) Trong quá trình",
     ["1", "1.a", "1.b", "1.c", "1.d", "1.đ", "1.e"]),
    ("1. Giao\na. Tham mưu\nb. Khẩn trương", ["1", "1.a", "1.b"]),
    ("1. Giao\n(a) Tham mưu\n(b) Khẩn trương", ["1", "1.a", "1.b"]),
    ("1. Một\n2. Các cơ quan\n- a. Phòng Nội vụ: Chịu trách nhiệm\n- b) Phòng Tư pháp: Chịu trách nhiệm", ["1", "2", "2.a", "2.b"]),
    ("g. Triển khai\nh. Tập trung\nk. Nâng cao", []),  # no "a": not a list
    ("a. Triển khai\nb. Tập trung\nh. Tập trung\nk. Nâng cao", ["a", "b"]),  # b -> h too far
    ("a) Một\nb) Hai\nc) Ba\nd) Bốn\nđ) Năm\ne) Sáu\ng) Bảy\nh) Tám\nk) Mười", ["a", "b", "c", "d", "đ", "e", "g", "h", "k"]),
    ("- a. Phòng Nội vụ\n- e. Phòng Tài chính\n- f. Các cơ quan", ["a", "a.-1", "a.-2"]),  # a -> e too far: dashes under a
    ("- Thường xuyên theo dõi\n- Kiểm tra, hướng dẫn", ["-1", "-2"]),
    ("• Thường xuyên theo dõi\n* Kiểm tra, hướng dẫn\n-Đôn đốc", ["-1", "-2", "-3"]),
    ("- Phòng Nội vụ:\n+ Chịu trách nhiệm chung\n+ Tham mưu", ["-1", "-1.+1", "-1.+2"]),
    ("1. Một\n2. Giao\n- Phòng Nội vụ:\n+ Một\n+ Hai\n+ Ba\n- Phòng Tư pháp",
     ["1", "2", "2.-1", "2.-1.+1", "2.-1.+2", "2.-1.+3", "2.-2"]),
    ("Điều 1. Ban hành Quy chế\nĐiều 2. Quyết định này có hiệu lực\n1. Giao\na) Sở Nội vụ", ["Đ1", "Đ2", "Đ2.1", "Đ2.1.a"]),
    ("Phần I\nQUY ĐỊNH CHUNG\nChương I\nPHẠM VI\nChương II\nNHIỆM VỤ\nMục 1\nCHẾ ĐỘ\nĐiều 1. Phạm vi",
     ["PI", "PI.CI", "PI.CII", "PI.CII.M1", "PI.CII.M1.Đ1"]),
    ("Chương I\nCHUNG\nĐiều 1. Phạm vi\nĐiều 2. Đối tượng\nChương II\nCỤ THỂ\nĐiều 3. Trách nhiệm",
     ["CI", "CI.Đ1", "CI.Đ2", "CII", "CII.Đ3"]),  # article numbers run on across chapters
    ("I. KẾT QUẢ\n1. Một\n2. Hai\nII. NHIỆM VỤ\n3. Ba\n4. Bốn", ["I", "I.1", "I.2", "II", "II.3", "II.4"]),
]


@pytest.mark.parametrize("snippet,expected", FORMS, ids=[f[0][:30] for f in FORMS])
def test_label_forms(snippet, expected):
    assert ids(snippet) == expected


NOT_LABELS = [
    "A. Tăng cường kỷ luật, kỷ cương",
    "Ban Chỉ đạo CCHC huyện theo dõi",
    "2023 là năm tăng tốc",
    "2. Giao Phòng Nội vụ",  # a list does not start at 2
    "b) Đề cao trách nhiệm",  # nor at b
    "Mục tiêu đến năm 2025",
    "Điều này được quy định tại Nghị định",
    "Chương trình hành động của UBND tỉnh",
    "Phần lớn các cơ quan, đơn vị",
    "-5% so với cùng kỳ",
    "III. Ba",  # Roman lists start at I
]


@pytest.mark.parametrize("line", NOT_LABELS)
def test_not_labels(line):
    assert parse_clauses(line) == []


def test_sequence_rejects_sentences_inside_a_list():
    text = "1. Một\n\n2. Hai\n\n5. Năm là sai\n\n1. Lại một\n\n3. Ba"
    tree = by_id(text)
    assert list(tree) == ["1", "2", "3"]
    assert tree["2"].text == "Hai\n\n5. Năm là sai\n\n1. Lại một"


def test_number_gap_tolerated():
    assert ids("1. Một\n2. Hai\n4. Bốn\n5. Năm") == ["1", "2", "4", "5"]


def test_uppercase_sentence_is_continuation():
    tree = by_id("1. Giao Phòng Nội vụ\nBan Chỉ đạo theo dõi.\nA. Không phải nhãn.")
    assert list(tree) == ["1"]
    assert tree["1"].text.endswith("A. Không phải nhãn.")


# --- nesting and unlabelled paragraphs -------------------------------------------------

def test_pop_equal_or_lower_rank():
    text = "1. Một\na) A\n- gạch\n+ cộng\nb) B\n2. Hai\n- gạch"
    assert ids(text) == ["1", "1.a", "1.a.-1", "1.a.-1.+1", "1.b", "2", "2.-1"]


def test_dash_counted_per_parent():
    text = "- Đầu\n- Hai\n1. Một\n- A\n- B\n2. Hai\n- C"
    assert ids(text) == ["-1", "-2", "1", "1.-1", "1.-2", "2", "2.-1"]


def test_preamble_is_no_clause():
    text = "Thực hiện Công văn số 5611/UBND-VX.\n\nỦy ban nhân dân huyện có ý kiến chỉ đạo như sau:\n\n1. Đề nghị"
    cl = parse_clauses(text)
    assert [c.id for c in cl] == ["1"]
    assert cl[0].span.start == text.index("1. Đề nghị")


def test_continuation_belongs_to_deepest_item():
    text = "1. Một.\n\n2. Giao Phòng Nội vụ\n\nTăng cường kiểm tra công vụ.\n\n3. Giao Văn phòng\n\n- Thường xuyên theo dõi.\n\nKiểm tra, hướng dẫn."
    tree = by_id(text)
    assert tree["2"].text == "Giao Phòng Nội vụ\n\nTăng cường kiểm tra công vụ."
    assert tree["3"].text == "Giao Văn phòng"
    assert tree["3.-1"].text == "Thường xuyên theo dõi.\n\nKiểm tra, hướng dẫn."
    assert tree["3"].span.end == len(text)


def test_lead_in_before_higher_rank_is_no_clause():
    text = (
        "Bên cạnh đó còn một số hạn chế như sau:\n\n- Việc quán triệt còn chậm.\n\n- Việc phân công còn chung chung.\n\n"
        "Để khắc phục những tồn tại trên, Chủ tịch UBND tỉnh yêu cầu thực hiện tốt một số nội dung sau:\n\n"
        "1. Tiếp tục làm tốt công tác tuyên truyền.\n\n2. Quan tâm lãnh đạo."
    )
    tree = by_id(text)
    assert list(tree) == ["-1", "-2", "1", "2"]
    assert tree["-2"].text == "Việc phân công còn chung chung."
    assert tree["-2"].span.end == text.index("còn chung chung.") + len("còn chung chung.")


def test_colon_before_lower_rank_stays():
    text = "1. Một.\n2. Các cơ quan thuộc huyện\n\nThành viên Ban chỉ đạo chịu trách nhiệm, cụ thể:\n\n- a. Phòng Nội vụ: Chịu trách nhiệm."
    tree = by_id(text)
    assert list(tree) == ["1", "2", "2.a"]
    assert tree["2"].text.endswith("cụ thể:")


def test_colon_before_equal_rank_stays():
    tree = by_id("a) Một\n\nNhư sau:\n\nb) Hai")
    assert tree["a"].text == "Một\n\nNhư sau:"


def test_closing_formula_stops():
    text = "1. Một\n2. Hai\n3. Giao Văn phòng\n\n- Theo dõi.\n\nĐề nghị các cơ quan nghiêm túc triển khai thực hiện./.\n\n- Như trên;\n1. Không"
    cl = parse_clauses(text)
    assert ids(text) == ["1", "2", "3", "3.-1"]
    assert cl[2].span.end == text.index("- Theo dõi.") + len("- Theo dõi.")


def test_labelled_closing_stops_after_it():
    assert ids("1. Một\n2. Chỉ thị này có hiệu lực kể từ ngày ký./.\n3. Ba") == ["1", "2"]


def test_footnotes_and_residue_skipped():
    text = "1. Một theo Công văn[1]\n[1] Công văn số 3041/UBND-NC\n7/2023\n¹ Chú thích\n2. Hai"
    tree = by_id(text)
    assert list(tree) == ["1", "2"]
    assert tree["1"].text == "Một theo Công văn[1]"


def test_spans_text_and_labels():
    text = "Mở đầu.\n\n1. Giao Phòng Nội vụ\n\na) Quán triệt.\n\nb) Đề cao.\n\n2. Hai"
    cl = parse_clauses(text)
    one = cl[0]
    assert (one.label, one.kind, one.text) == ("1.", "number", "Giao Phòng Nội vụ")
    assert text[one.span.start:one.span.end] == "1. Giao Phòng Nội vụ\n\na) Quán triệt.\n\nb) Đề cao."
    a = one.children[0]
    assert (a.id, a.label, a.kind, a.text) == ("1.a", "a)", "point", "Quán triệt.")
    assert text[a.span.start:a.span.end] == "a) Quán triệt."
    assert a.span.page is None


def test_start_end_window():
    text = "HEADER\n1. Không thuộc thân\nBODY\n1. Một\n2. Hai\nNơi nhận:\n- Như trên;"
    s, e = text.index("BODY"), text.index("Nơi nhận")
    cl = parse_clauses(text, s, e)
    assert [c.id for c in cl] == ["1", "2"]
    assert cl[0].span.start == text.index("1. Một")


def test_noi_nhan_stops():
    assert ids("1. Một\n2. Hai\nNơi nhận:\n- Như trên;\n- Lưu: VT.") == ["1", "2"]


def test_tolerated_letters():
    text = "2. Các cơ quan\n- a. Một\n- b. Hai\n- c. Ba\n- d. Bốn\n- e. Năm\n- f. Sáu\n- g. Bảy"
    assert ids("1. Một\n" + text)[-3:] == ["2.e", "2.f", "2.g"]


def test_a_long_list_is_parsed():
    """89 items of 5 bullets each (its time, once asserted here, is in benchmarks/extract_text.py)."""
    tree = parse_clauses(LONG_LIST)
    assert len(tree) == 89 and len(tree[-1].children) == 5


LONG_LIST = "\n\n".join(
    f"{i}. Nhiệm vụ {i}:\n\n" + "\n".join(f"- Nội dung {j} của nhiệm vụ, thực hiện trong tháng." for j in range(5))
    for i in range(1, 90)
)


def test_empty():
    assert parse_clauses("") == []
    assert parse_clauses("Chỉ có lời mở đầu.") == []


# --- clause_labels.toml ----------------------------------------------------------------

LABELS = tables.load("clause_labels")
EXAMPLES = [(e["name"], e["kind"], x) for e in LABELS["label"] for x in e["examples"]]


@pytest.mark.parametrize("name,kind,example", EXAMPLES, ids=[f"{n}:{x['label']}" for n, _, x in EXAMPLES])
def test_toml_examples(name, kind, example):
    last = flatten(parse_clauses(example["text"]))[-1]
    assert (last.kind, last.label, last.id) == (kind, example["label"], example["id"])


@pytest.mark.parametrize("line", [x for e in LABELS["not_label"] for x in e["examples"]])
def test_toml_not_labels(line):
    assert parse_clauses(line) == []


def test_letter_order():
    order = LABELS["letters"]["order"]
    assert order == list("abcdđeghiklmnopqrstuvxy")


# --- dev letters -------------------------------------------------------------------------

def _line_end(text: str, pos: int) -> int:
    e = text.find("\n", pos)
    return len(text) if e < 0 else e


def _after_kinh_gui(text: str, pos: int = 0) -> int:
    """End of the Kính gửi block: its line and the "- ..." lines under it."""
    at = _line_end(text, text.index("Kính gửi", pos))
    while True:
        rest = text[at:]
        stripped = rest.lstrip("\n")
        if not stripped.startswith("- "):
            return at
        at = _line_end(text, at + len(rest) - len(stripped))


def _bodies(name: str, text: str) -> list[tuple[int, int]]:
    if name.startswith("001"):
        s = _line_end(text, text.index("ban hành Công văn số 966/UBND-KSTTHC"))
        return [(s, text.index("Quang Hưng", s))]
    if name.startswith("002"):  # a chỉ thị: no Kính gửi, the body follows the title
        s = _line_end(text, text.index("\nVề "))
        return [(s, text.index("Nơi nhận", s))]
    if name.startswith("004"):
        s1 = _after_kinh_gui(text)
        e1 = text.index("Nơi nhận:", s1)
        s2 = _after_kinh_gui(text, e1)
        assert text[:s2].endswith("- Chủ tịch UBND các huyện, thị xã, thành phố.")
        return [(s1, e1), (s2, text.rindex("Nơi nhận:"))]
    s = _after_kinh_gui(text)
    return [(s, text.index("Nơi nhận", s))]


DEV_LETTERS = sorted(p.name[: -len(".txt")] for p in DEV.glob("*.txt")) if DEV.is_dir() else []


@pytest.mark.skipif(not DEV_LETTERS, reason="dev letters not available")
@pytest.mark.parametrize("name", DEV_LETTERS)
def test_dev_letter_clause_ids(name):
    text = normalize((DEV / f"{name}.txt").read_text(encoding="utf-8")).text
    gold = json.loads((DEV / f"{name}.gold.json").read_text(encoding="utf-8"))
    bodies = _bodies(name, text)
    assert len(bodies) == len(gold["documents"])
    for (s, e), doc in zip(bodies, gold["documents"]):
        assert ids(text, s, e) == doc["clauses"]


def test_a_paragraph_after_a_list_that_names_its_own_actor_closes_the_parent():
    text = (
        "1. Chủ tịch Ủy ban nhân dân các huyện thống kê, tổng hợp báo cáo các nội dung sau:\n"
        "(1) Số trường học bị ngập cần sửa chữa.\n"
        "(2) Tổng kinh phí cần thiết để khắc phục cơ sở vật chất.\n"
        "Ủy ban nhân dân các huyện khẩn trương gửi Báo cáo về Sở Giáo dục và Đào tạo trước ngày 14/10/2026.\n"
        "2. Sở Tài chính tổng hợp, đề xuất nguồn lực hỗ trợ.\n"
    )
    top = parse_clauses(text)
    assert [c.id for c in top] == ["1", "2"] and [c.id for c in top[0].children] == ["1.1", "1.2"]
    assert "gửi Báo cáo" in top[0].text and "gửi Báo cáo" not in top[0].children[-1].text


def test_a_web_address_ending_a_sentence_does_not_close_the_letter():
    text = ("- Thường xuyên theo dõi bản tin thời tiết tại website: https://thoitiet.example.vn/.\n"
            "- Tạm dừng các buổi dã ngoại của học sinh.\n- Chủ động bố trí lịch học bù./.\n")
    assert [c.id for c in parse_clauses(text)] == ["-1", "-2", "-3"]


def test_labels_inside_a_quotation_are_the_quoted_documents():
    text = ("- Căn cứ Nghị định số 72/2024/NĐ-CP của Chính phủ:\n+ Tại Điều 1 quy định về giảm thuế:\n"
            "“Điều 1. Giảm thuế giá trị gia tăng\n1. Giảm thuế đối với các nhóm hàng hóa sau:\na) Viễn thông\n…”\n"
            "+ Tại Điều 2 quy định hiệu lực thi hành.\n")
    tree = parse_clauses(text)
    assert [c.id for c in flatten(tree)] == ["-1", "-1.+1", "-1.+2"]
    assert "a) Viễn thông" in tree[0].children[0].text
