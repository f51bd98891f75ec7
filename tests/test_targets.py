import pytest

from extractors.targets import find_targets


def summary(text):
    return [(t.value, t.unit, t.bound, t.subject) for t in find_targets(text)]


CASES = [
    # the dev letters' phrasing
    ("bảo đảm đến hết năm 2023 phải công khai 100% thủ tục hành chính nội bộ giữa các cơ quan hành chính",
     [(100.0, "%", "exactly", "thủ tục hành chính nội bộ")]),
    ("phương án đơn giản hóa ít nhất 50% số thủ tục hành chính nội bộ thuộc phạm vi quản lý nhà nước",
     [(50.0, "%", "at_least", "thủ tục hành chính nội bộ")]),
    ("phải bảo đảm cắt giảm ít nhất 20% số thủ tục hành chính và 20% chi phí tuân thủ thủ tục hành chính.",
     [(20.0, "%", "at_least", "thủ tục hành chính"), (20.0, "%", "at_least", "chi phí tuân thủ thủ tục hành chính")]),
    ("giải quyết hồ sơ đúng hạn (tối thiểu 96%); dịch vụ công trực tuyến (30%); tỷ lệ số hóa hồ sơ (15% trở lên)",
     [(96.0, "%", "at_least", "giải quyết hồ sơ đúng hạn"), (30.0, "%", "exactly", "dịch vụ công trực tuyến"),
      (15.0, "%", "at_least", "số hóa hồ sơ")]),
    ("phấn đấu đạt chỉ tiêu hồ sơ trực tuyến tối thiểu 30% cấp huyện và 20% cấp xã;",
     [(30.0, "%", "at_least", "hồ sơ trực tuyến"), (20.0, "%", "at_least", "hồ sơ trực tuyến")]),
    ("chấn chỉnh công tác tiếp nhận, giải quyết hồ sơ đạt yêu cầu đề ra (đúng hạn trên 96%);",
     [(96.0, "%", "at_least", "đúng hạn")]),
    ("tỷ lệ giao dịch thanh toán không dùng tiền mặt đạt tối thiểu 5%.",
     [(5.0, "%", "at_least", "giao dịch thanh toán không dùng tiền mặt")]),
    # variants
    ("đạt 100% thủ tục hành chính", [(100.0, "%", "exactly", "thủ tục hành chính")]),
    ("tỷ lệ hồ sơ trễ hạn không quá 5%", [(5.0, "%", "at_most", "hồ sơ trễ hạn")]),
    ("tỷ lệ hồ sơ trễ hạn dưới 2,5%", [(2.5, "%", "at_most", "hồ sơ trễ hạn")]),
    ("tỷ lệ hài lòng không dưới 90%", [(90.0, "%", "at_least", "hài lòng")]),
    ("tiếp nhận tối thiểu 1.000 hồ sơ trực tuyến", [(1000.0, "hồ sơ", "at_least", None)]),
    # not targets
    ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ", []),
    ("tiến độ chưa đạt kì vọng: rà soát đơn giản hóa TTHC đạt 10%; số hóa hồ sơ đạt 20%", []),
    ("tỷ lệ hồ sơ trực tuyến mới đạt 12%", []),
    ("tiếp nhận 1.000 hồ sơ", []),
    ("khoản 2 Điều 5, giai đoạn 2021-2025", []),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_targets(text, expected):
    assert summary(text) == expected


def test_spans_and_window():
    text = "Mở đầu 50%. Rà soát, đơn giản hóa ít nhất 50% số thủ tục hành chính nội bộ."
    start = text.index("Rà")
    found = find_targets(text, start)
    assert [t.raw for t in found] == ["ít nhất 50%"]
    assert all(text[t.span.start:t.span.end] == t.raw and t.span.page is None for t in found)
    assert find_targets(text, start, start + 10) == []
