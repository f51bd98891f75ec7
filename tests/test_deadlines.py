import datetime as dt
import json
from pathlib import Path

import pytest

from schemas import Obligation, Span

from extractors.clauses import parse_clauses
from extractors.deadlines import (
    SCORED_KINDS,
    describe,
    find_deadlines,
    is_limit_item,
    pass_down_deadlines,
    primary_deadline,
)
from extractors.normalize import normalize

D = dt.date.fromisoformat
LD = D("2023-11-29")  # 8731/UBND, Cần Giờ
RECEIVED = D("2023-12-01")


def scored(text, letter_date=LD, received=RECEIVED):
    found = find_deadlines(text, letter_date=letter_date, received=received)
    return [describe(d) for d in found if d.kind in SCORED_KINDS]


def every(text, letter_date=LD, received=RECEIVED):
    return [describe(d) for d in find_deadlines(text, letter_date=letter_date, received=received)]


# --- the dev letters' clauses, and variants ----------------------------------------------

CLAUSE_1H = (
    "h) Đẩy mạnh, thực hiện hiệu quả Kế hoạch rà soát, đơn giản hóa thủ tục hành chính nội bộ "
    "giai đoạn 2022 - 2025 ban hành kèm theo Quyết định số 1085/QĐ-TTg ngày 15 tháng 9 năm 2022 "
    "của Thủ tướng Chính phủ, bảo đảm đến hết năm 2023 phải công khai 100% thủ tục hành chính nội bộ "
    "giữa các cơ quan hành chính nhà nước trên Cơ sở dữ liệu quốc gia về thủ tục hành chính; rà soát, "
    "trình phê duyệt hoặc phê duyệt theo thẩm quyền phương án đơn giản hóa ít nhất 50% số thủ tục "
    "hành chính nội bộ."
)

DEV_CLAUSES = [
    # (text, letter date, scored deadlines)
    (CLAUSE_1H, "2023-11-29", ["date:2023-12-31"]),
    ("- Đẩy mạnh, thực hiện hiệu quả Kế hoạch rà soát, đơn giản hóa thủ tục hành chính nội bộ giai đoạn "
     "2022-2025 ban hành kèm theo Quyết định số 1085/QĐ-TTg ngày 15/9/2022 của Thủ tướng Chính phủ, "
     "bảo đảm hết năm 2023 phải công khai 100% thủ tục hành chính nội bộ", "2023-10-23", ["date:2023-12-31"]),
    ("3. Nâng cao chất lượng xây dựng, ban hành quy chế, quy trình làm việc nội bộ, chương trình, kế hoạch "
     "công tác của cơ quan, đơn vị và của từng cá nhân để đảm bảo triển khai đầy đủ, kịp thời nhiệm vụ được "
     "giao; quy định rõ thẩm quyền trách nhiệm trong thực hiện, phối hợp thực hiện nhiệm vụ của từng tổ chức, "
     "cá nhân và định kỳ hàng tháng, cuối năm có đánh giá, phân loại rõ kết quả thực hiện.",
     "2022-01-25", ["recurring:month"]),
    ("3. Chánh Văn phòng Ủy ban nhân dân thành phố tăng cường công tác đôn đốc, theo dõi, tổng hợp và kiểm "
     "tra, giám sát về tình hình thực hiện nhiệm vụ, công việc do Chính phủ giao các cơ quan, đơn vị và địa "
     "phương; định kỳ báo cáo Ủy ban nhân dân thành phố.", "2023-05-04", ["recurring:-"]),
    # no scored deadline in these
    ("b. Khẩn trương chỉ đạo rà soát các nhiệm vụ, mục tiêu trong kế hoạch CCHC năm 2023, nhất là các mục "
     "tiêu như: giải quyết hồ sơ đúng hạn (tối thiểu 96%); dịch vụ công trực tuyến (30%); sáng kiến, giải "
     "pháp CCHC; khắc phục dứt điểm hạn chế trong năm 2022...", "2023-06-14", []),
    ("Tuy nhiên, tiến độ thực hiện nhiệm vụ cải cách hành chính trong năm 2023 chưa đạt kì vọng, còn nhiều "
     "nội dung chậm tiến độ so với thời gian đề ra như: rà soát đơn giản hóa TTHC đạt 10%", "2023-06-14", []),
    ("Để khắc phục tình trạng trên và tiếp tục triển khai hiệu quả công tác cải cách hành chính trong năm "
     "2023 và những năm tiếp theo.", "2023-06-14", []),
    ("Khẩn trương rà soát các nhiệm vụ, mục tiêu đã được phân công tại kế hoạch cải cách hành chính năm 2023 "
     "của huyện; khắc phục dứt điểm hạn chế của năm 2022.", "2023-06-14", []),
    ("Triển khai số hóa hồ sơ, thủ tục hành chính, đảm bảo chỉ tiêu kết quả giải quyết hồ sơ tối thiểu đạt "
     "30% tại cấp huyện và 20% tại cấp xã năm 2023;", "2023-06-14", []),
    ("Tập trung chỉ đạo triển khai thực hiện có hiệu quả Chỉ thị số 26/CT-TTg ngày 05/9/2016 của Thủ tướng "
     "Chính phủ; Chỉ thị số 23/CT-TTg ngày 02/9/2021 của Thủ tướng Chính phủ về đẩy mạnh thực hiện Chương "
     "trình tổng thể cải cách hành chính nhà nước giai đoạn 2021-2030; Quyết định số 48/2018/QĐ-UBND ngày "
     "31/8/2018 ban hành Quy định về Quy tắc ứng xử.", "2022-01-25", []),
    ("- Trực tiếp, chủ động, tích cực tổ chức thực hiện kịp thời các nhiệm vụ được giao theo Chương trình "
     "hành động số 68-CTr/TU ngày 15/10/2021 của Tỉnh ủy (rà soát, điều chỉnh, bổ sung), kế hoạch phát triển "
     "kinh tế - xã hội hàng năm của Tỉnh ủy, Chương trình công tác của UBND tỉnh hàng năm, các chỉ đạo",
     "2023-10-23", []),
    ("sau gần 2 năm triển khai Quyết định số 1719/QĐ-UBND ngày 20/10/2021 của UBND huyện, nhiệm kỳ "
     "2020-2025 về đẩy mạnh cải cách hành chính, giai đoạn 2020-2025", "2023-06-14", []),
    ("Chỉ thị này có hiệu lực kể từ ngày ký./.", "2023-06-14", []),
    ("Thực hiện Công văn số 5611/UBND-VX ngày 11 tháng 11 năm 2023 của Ủy ban nhân dân Thành phố", "2023-11-29", []),
    ("Ngày: 14/1/23", "2023-01-06", []),
    ("Thời gian: 15/05/2023 07:47", "2023-05-04", []),
    ("Cán bộ, công chức được nghỉ từ ngày 01/5 đến ngày 03/5.", "2023-04-20", []),
    ("Chỉ số cải cách hành chính năm 2022 tiến bộ vượt bậc; tỷ lệ hồ sơ trực tuyến đạt 20%", "2023-06-14", []),
]


@pytest.mark.parametrize("text,letter_date,expected", DEV_CLAUSES, ids=[c[0][:40] for c in DEV_CLAUSES])
def test_dev_clauses(text, letter_date, expected):
    assert scored(normalize(text).text, D(letter_date)) == expected


# --- written forms -------------------------------------------------------------------

FORMS = [
    ("Báo cáo kết quả về Ủy ban nhân dân huyện (qua Phòng Nội vụ) trước ngày 15/12/2023 để tổng hợp.",
     ["date:2023-12-15"]),
    ("gửi trước ngày 20.7.2024", ["date:2024-07-20"]),
    ("15.12.2023", []),  # a bare date is not a limit
    ("chậm nhất ngày 20/12/2023", ["date:2023-12-20"]),
    ("hoàn thành trước ngày 31 tháng 01 năm 2024", ["date:2024-01-31"]),
    ("xong trước 30/6/2024", ["date:2024-06-30"]),
    ("trước ngày 20/12", ["date:2023-12-20"]),
    ("trước 15/01", ["date:2024-01-15"]),          # already past in the letter's year
    ("trước ngày 10 tháng 01", ["date:2024-01-10"]),
    ("hết năm 2023", ["date:2023-12-31"]),
    ("đến hết năm 2024", ["date:2024-12-31"]),
    ("cuối năm 2023", ["date:2023-12-31"]),
    ("phải hoàn thành trong năm 2024", ["date:2024-12-31"]),
    ("trong tháng 12/2025", ["date:2025-12-31"]),
    ("trong tháng 02 năm 2024", ["date:2024-02-29"]),
    ("quý I/2026", ["date:2026-03-31"]),
    ("trong quý IV năm 2023", ["date:2023-12-31"]),
    ("trong Quý II/2024", ["date:2024-06-30"]),
    ("6 tháng đầu năm 2024", ["date:2024-06-30"]),
    ("6 tháng cuối năm", ["date:2023-12-31"]),
    ("cuối năm", ["date:2023-12-31"]),
    ("cuối quý", ["date:2023-12-31"]),
    ("cuối tháng", ["date:2023-11-30"]),
    ("giữa năm", ["date:2024-06-30"]),
    ("giữa năm 2024", ["date:2024-06-30"]),
    ("hằng tháng", ["recurring:month"]),
    ("hàng tháng", ["recurring:month"]),
    ("định kỳ hàng tháng", ["recurring:month"]),
    ("trước ngày 20 hằng tháng", ["recurring:month@20"]),
    ("định kỳ 6 tháng", ["recurring:half_year"]),
    ("6 tháng một lần", ["recurring:half_year"]),
    ("hằng quý", ["recurring:quarter"]),
    ("hàng quý", ["recurring:quarter"]),
    ("định kỳ quý", ["recurring:quarter"]),
    ("hằng năm", ["recurring:year"]),
    ("định kỳ hàng năm", ["recurring:year"]),
    ("hằng tuần", ["recurring:week"]),
    ("hằng ngày", ["recurring:day"]),
    ("hàng ngày", ["recurring:day"]),
    ("định kỳ báo cáo", ["recurring:-"]),
    ("trong 05 ngày làm việc kể từ ngày nhận được văn bản", ["relative:5wd:receipt:2023-12-08"]),
    ("trong vòng 15 ngày kể từ ngày ký", ["relative:15d:signing:2023-12-14"]),
    ("trong thời hạn 10 ngày", ["relative:10d:-:-"]),
    ("trong thời hạn 10 ngày kể từ ngày kết thúc đợt kiểm tra", ["relative:10d:event:-"]),
    ("trong 02 tuần kể từ ngày ký", ["relative:14d:signing:2023-12-13"]),
    ("Hội nghị được tổ chức trong 02 ngày (từ ngày 14 đến ngày 15/12/2023)", []),
]


@pytest.mark.parametrize("text,expected", FORMS, ids=[f[0][:40] for f in FORMS])
def test_forms(text, expected):
    assert scored(text) == expected


def test_relative_in_months():
    found = find_deadlines("trong vòng 03 tháng kể từ ngày ký", letter_date=LD)
    assert [(d.kind, d.days, d.counted_from, d.date) for d in found] == [("relative", None, "signing", "2024-02-29")]


@pytest.mark.parametrize("text,expected", [
    ("khẩn trương thực hiện các nhiệm vụ sau", ["urgent"]),
    ("Cơ quan, đơn vị được xin ý kiến phải cho ý kiến ngay, bảo đảm thời hạn và hiệu quả", ["urgent"]),
    ("báo cáo ngay", ["urgent"]),
    ("thực hiện ngay", ["urgent"]),
    ("ngay cả khi không có yêu cầu", []),
    ("ngay từ đầu năm", []),
    ("kịp thời biểu dương, khen thưởng", ["urgent"]),
    ("Thường xuyên theo dõi, kiểm tra, đôn đốc", ["ongoing"]),
    ("còn hình thức và thiếu thường xuyên", []),
    ("Ngày 04/5/2023, Ủy ban nhân dân thành phố Hải Phòng ban hành Công văn số 966/UBND-KSTTHC", []),
])
def test_unscored_kinds(text, expected):
    assert every(text) == expected


# --- letter date, spans, order -----------------------------------------------------------


def test_without_letter_date_days_stay_unknown():
    found = find_deadlines("trước ngày 20/12; cuối năm; trong 05 ngày làm việc kể từ ngày ký; hết năm 2023")
    assert [describe(d) for d in found] == ["date:?", "date:?", "relative:5wd:signing:-", "date:2023-12-31"]


def test_year_is_rolled_from_the_letter_date():
    assert scored("trước 15/01", D("2023-01-05")) == ["date:2023-01-15"]
    assert scored("trước 15/01", D("2023-11-29")) == ["date:2024-01-15"]
    assert scored("trong tháng 3", D("2023-11-29")) == ["date:2024-03-31"]


def test_past_period_is_not_a_limit():
    assert scored("hoàn thành trong năm 2022", D("2023-06-14")) == []
    assert scored("hoàn thành trong năm 2022", None) == ["date:2022-12-31"]


def test_relative_on_the_holiday_calendar():
    # signed Thursday 25/4/2024: 26/4, then 29/4–01/5 off, 02, 03, 04/5 (make-up Saturday), 06/5
    assert scored("trong 05 ngày làm việc kể từ ngày ký", D("2024-04-25")) == ["relative:5wd:signing:2024-05-06"]
    # 10 calendar days from 20/4/2024 end on 30/4: moved past 01/5 to 02/5 (BLDS 147)
    assert scored("trong 10 ngày kể từ ngày ký", D("2024-04-20")) == ["relative:10d:signing:2024-05-02"]


def test_spans_point_into_text():
    text = "Mở đầu. " + CLAUSE_1H + " Các đơn vị báo cáo trước ngày 15/12/2023 và thực hiện ngay."
    start = text.index("h)")
    found = find_deadlines(text, start, letter_date=LD)
    assert [d.raw for d in found] == ["đến hết năm 2023", "trước ngày 15/12/2023", "ngay"]
    for d in found:
        assert d.span.page is None
        assert text[d.span.start:d.span.end] == d.raw
    assert find_deadlines(text, start, start + 20, letter_date=LD) == []


def test_recurrence_keeps_its_joined_period_end():
    found = find_deadlines("định kỳ hàng tháng, cuối năm có đánh giá", letter_date=LD)
    assert [(d.kind, d.period, d.raw) for d in found] == [("recurring", "month", "định kỳ hàng tháng, cuối năm")]


def test_recurrence_named_later():
    found = find_deadlines("định kỳ báo cáo kết quả hằng quý", letter_date=LD)
    assert [(describe(d), d.raw) for d in found] == [("recurring:quarter", "định kỳ báo cáo kết quả hằng quý")]


# --- primary_deadline -------------------------------------------------------------------


def test_primary_prefers_scored_kinds():
    found = find_deadlines("Khẩn trương rà soát, báo cáo trước ngày 15/12/2023", letter_date=LD)
    d, reason = primary_deadline(found)
    assert describe(d) == "date:2023-12-15" and reason is None


def test_primary_is_the_one_that_closes_the_item_and_flags_two():
    found = find_deadlines("gửi Bộ Tư pháp trước ngày 15/12/2023 để Bộ Tư pháp báo cáo Thủ tướng Chính phủ "
                           "trước ngày 20/12/2023", letter_date=LD)
    d, reason = primary_deadline(found)
    assert describe(d) == "date:2023-12-20"
    assert reason == "two candidate deadlines: trước ngày 20/12/2023 / trước ngày 15/12/2023"


def test_primary_same_deadline_twice_is_fine():
    found = find_deadlines("trước ngày 15/12/2023, chậm nhất ngày 15/12/2023", letter_date=LD)
    assert primary_deadline(found)[1] is None


def test_primary_urgent_before_ongoing():
    found = find_deadlines("Thường xuyên theo dõi, kịp thời báo cáo", letter_date=LD)
    assert primary_deadline(found)[0].kind == "urgent"
    assert primary_deadline([]) == (None, None)


# --- the dev letters as a whole -----------------------------------------------------------

DEV = Path("/work/shared/eval/dev")
DEV_FILES = sorted(DEV.glob("*.txt")) if DEV.is_dir() else []
EXPECTED_IN_DEV = {  # every scored deadline in each file (the gold ones)
    "000": ["date:2023-12-31"],
    "001": ["recurring:-"],
    "002": [],
    "003": ["recurring:month"],
    "004": ["date:2023-12-31"],
}


@pytest.mark.skipif(not DEV_FILES, reason="dev letters not available")
@pytest.mark.parametrize("path", DEV_FILES, ids=lambda p: p.name[:3])
def test_no_false_deadlines_in_dev_letters(path):
    text = normalize(path.read_text(encoding="utf-8")).text
    gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
    letter_date = D(gold["documents"][-1]["date"])
    assert scored(text, letter_date) == EXPECTED_IN_DEV[path.name[:3]]


# --- a limit stated once for a list ---------------------------------------------------------


def _passed_down(text, clause_ids, letter_date=LD):
    text = normalize(text).text
    obligations = [
        Obligation(clause=cid, text="", span=Span(start=0, end=0),
                   deadline=primary_deadline(find_deadlines(text, c.span.start, c.children[0].span.start if c.children
                                                            else c.span.end, letter_date=letter_date))[0])
        for cid, c in _flat(parse_clauses(text, 0, len(text))) if cid in clause_ids
    ]
    pass_down_deadlines(text, parse_clauses(text, 0, len(text)), obligations, letter_date=letter_date)
    return {ob.clause: describe(ob.deadline) if ob.deadline else None for ob in obligations}


def _flat(clauses):
    for c in clauses:
        yield c.id, c
        yield from _flat(c.children)


def test_a_task_takes_the_limit_of_its_own_paragraph_after_its_items():
    text = ("1. Chủ tịch UBND các xã khẩn trương thống kê, báo cáo các nội dung sau:\n"
            "(1) Số diện tích lúa bị ngập úng cần gieo sạ lại.\n"
            "(2) Số ao nuôi thủy sản bị thiệt hại cần hỗ trợ.\n"
            "Ủy ban nhân dân các xã gửi Báo cáo về Phòng Nội vụ trước 17 giờ ngày 07/12/2023 để tổng hợp.\n\n"
            "2. Phòng Nội vụ tổng hợp, báo cáo Chủ tịch UBND huyện.\n")
    assert _passed_down(text, {"1", "1.1", "1.2", "2"}) == {
        "1": "date:2023-12-07", "1.1": None, "1.2": None, "2": None}


def test_a_lead_in_that_is_no_task_passes_its_limit_down_and_own_limits_stay():
    text = ("1. Đề nghị các cơ quan, đơn vị hoàn thành trước ngày 15/12/2023 các nội dung sau:\n\n"
            "a) Rà soát hồ sơ công việc tồn đọng.\n\n"
            "b) Báo cáo kết quả trước ngày 20/12/2023.\n")
    assert _passed_down(text, {"1.a", "1.b"}) == {"1.a": "date:2023-12-15", "1.b": "date:2023-12-20"}


def test_a_limit_label_is_no_task():
    assert is_limit_item("Thời gian thực hiện: Hoàn thành trong năm 2027.")
    assert is_limit_item("**Thời gian hoàn thành:** Quý IV/2025")
    assert not is_limit_item("Nhiệm vụ: Rà soát, hoàn thành trong năm 2025.")


def test_a_limit_label_goes_to_the_task_whose_item_it_is():
    text = ("1. Tổ chức tập huấn cho cán bộ, công chức cấp xã.\n"
            "a) Đối tượng: cán bộ, công chức cấp xã.\n"
            "b) Thời gian thực hiện: Quý I/2024.\n")
    assert _passed_down(text, {"1"}) == {"1": "date:2024-03-31"}


def test_a_limit_label_goes_to_the_tasks_beside_it_not_below_them():
    text = ("1. Về cấp giấy phép\n"
            "a) Thời gian thực hiện: Không quá 10 ngày làm việc.\n"
            "b) Trình tự thực hiện:\n"
            "- Bộ phận một cửa tiếp nhận hồ sơ trong thời gian 01 ngày.\n"
            "c) Phòng Nội vụ thẩm định hồ sơ.\n")
    assert _passed_down(text, {"1.b.-1", "1.c"}) == {"1.b.-1": None, "1.c": "relative:10wd:-:-"}
