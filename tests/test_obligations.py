"""Obligations: which clauses are tasks, who must do them, by when, carrying out what.

Each case is a small letter in the shape real ones take; the assertions say what a clerk
would type into the task tracker.
"""
import pytest

from extractors import extract_documents

HEADER = """ỦY BAN NHÂN DÂN
HUYỆN CẨM MỸ

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 120/UBND-NV

Cẩm Mỹ, ngày 10 tháng 11 năm 2023

V/v tăng cường kỷ luật, kỷ cương hành chính

Kính gửi:
- Thủ trưởng các cơ quan, đơn vị thuộc huyện;
- Chủ tịch UBND các xã, thị trấn.

"""
CLOSING = """
Nơi nhận:
- Như trên;
- Lưu: VT.

CHỦ TỊCH

Nguyễn Văn An
"""


def obligations(body: str, header: str = HEADER):
    docs, _ = extract_documents([header + body + CLOSING])
    assert len(docs) == 1
    return {ob.clause: ob for ob in docs[0].obligations}


def who(ob) -> list[tuple[str, str]]:
    return [(a.name, a.role) for a in ob.assignees]


def test_lead_in_gives_its_assignees_to_every_item():
    obs = obligations(
        "Thực hiện Công văn số 5611/UBND-VX ngày 11/11/2023 của UBND tỉnh;\n\n"
        "1. Đề nghị Thủ trưởng các cơ quan, đơn vị, Chủ tịch Ủy ban nhân dân các xã, thị trấn thực hiện các nhiệm vụ sau:\n\n"
        "a) Quán triệt, triển khai thực hiện Công điện số 968/CĐ-TTg ngày 16/10/2023 của Thủ tướng Chính phủ.\n\n"
        "b) Rà soát, báo cáo kết quả trước ngày 15/12/2023.\n\n"
    )
    assert sorted(obs) == ["1.a", "1.b"]
    expected = [("Thủ trưởng các cơ quan, đơn vị", "lead"), ("Chủ tịch Ủy ban nhân dân các xã, thị trấn", "lead")]
    assert who(obs["1.a"]) == who(obs["1.b"]) == expected
    assert obs["1.a"].implements.key == "968/CĐ-TTg"
    assert obs["1.b"].implements.key == "5611/UBND-VX"
    assert (obs["1.b"].deadline.kind, obs["1.b"].deadline.date) == ("date", "2023-12-15")


def test_heading_names_who_does_the_items_below_it():
    obs = obligations(
        "Ủy ban nhân dân huyện yêu cầu:\n\n"
        "1. Giao Phòng Nội vụ\n\nTăng cường kiểm tra công vụ, định kỳ hằng quý báo cáo kết quả.\n\n"
        "2. Giao Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện\n\n"
        "- Theo dõi, đôn đốc việc thực hiện.\n\n- Tổng hợp, báo cáo Chủ tịch UBND huyện.\n\n"
        "3. Chủ tịch UBND các xã, thị trấn\n\na) Kiện toàn Ban chỉ đạo cải cách hành chính.\n\n"
    )
    assert sorted(obs) == ["1", "2.-1", "2.-2", "3.a"]
    assert who(obs["1"]) == [("Phòng Nội vụ", "lead")]
    assert obs["1"].text.startswith("Tăng cường kiểm tra")
    assert (obs["1"].deadline.kind, obs["1"].deadline.period) == ("recurring", "quarter")
    assert who(obs["2.-2"]) == [("Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện", "lead")]
    assert who(obs["3.a"]) == [("Chủ tịch UBND các xã, thị trấn", "lead")]
    assert obs["3.a"].assignees[0].normalized == "Chủ tịch Ủy ban nhân dân các xã, thị trấn"


def test_subject_and_support():
    obs = obligations(
        "Chủ tịch UBND huyện yêu cầu:\n\n"
        "1. Giao Giám đốc Trung tâm Phục vụ hành chính công chủ trì, phối hợp với Phòng Tư pháp và các cơ quan, "
        "đơn vị liên quan rà soát thủ tục hành chính, hoàn thành trong quý I/2024.\n\n"
        "2. Phòng Nội vụ huyện chủ động phối hợp với các xã kiểm tra công vụ.\n\n"
        "3. Văn phòng HĐND và UBND huyện tham mưu, phối hợp với các cơ quan có liên quan theo dõi.\n\n"
    )
    assert who(obs["1"]) == [
        ("Giám đốc Trung tâm Phục vụ hành chính công", "lead"),
        ("Phòng Tư pháp", "support"),
        ("các cơ quan, đơn vị liên quan", "support"),
    ]
    assert (obs["1"].deadline.kind, obs["1"].deadline.date) == ("date", "2024-03-31")
    # coordination that is itself the task names no supporting body; generic partners are partners too
    assert who(obs["2"]) == [("Phòng Nội vụ huyện", "lead")]
    assert obs["2"].assignees[0].normalized == "Phòng Nội vụ huyện Cẩm Mỹ"
    assert who(obs["3"]) == [("Văn phòng HĐND và UBND huyện", "lead"), ("các cơ quan có liên quan", "support")]


def test_assignee_labels_on_lettered_dash_items():
    obs = obligations(
        "Các cơ quan chịu trách nhiệm về kết quả thực hiện các nhiệm vụ được giao cụ thể:\n\n"
        "- a. Phòng Nội vụ: Chịu trách nhiệm chung về công tác cải cách hành chính.\n\n"
        "- b. Phòng Tài chính - Kế hoạch: Chịu trách nhiệm về cải cách tài chính công.\n\n"
    )
    assert who(obs["a"]) == [("Phòng Nội vụ", "lead")]
    assert who(obs["b"]) == [("Phòng Tài chính - Kế hoạch", "lead")]


def test_findings_background_and_closing_are_no_tasks():
    obs = obligations(
        "Bên cạnh kết quả đạt được, việc chấp hành kỷ luật vẫn còn một số tồn tại, hạn chế như sau:\n\n"
        "- Việc quán triệt các văn bản còn hình thức.\n\n- Việc phân công công việc còn chung chung.\n\n"
        "Để khắc phục, Chủ tịch UBND huyện yêu cầu Thủ trưởng các cơ quan và Chủ tịch UBND các xã thực hiện các nội dung sau:\n\n"
        "1. Tăng cường kiểm tra đột xuất.\n\n2. Xử lý nghiêm các trường hợp vi phạm.\n\n"
        "Đề nghị các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.\n"
    )
    assert sorted(obs) == ["1", "2"]
    assert who(obs["2"]) == [("Thủ trưởng các cơ quan", "lead"), ("Chủ tịch UBND các xã", "lead")]
    assert "nghiêm túc triển khai" not in obs["2"].text


def test_plan_aims_are_no_tasks():
    header = HEADER.replace("V/v tăng cường kỷ luật, kỷ cương hành chính", "KẾ HOẠCH\n\nTriển khai công tác cải cách hành chính năm 2024")
    header = header.replace("Số: 120/UBND-NV", "Số: 15/KH-UBND")
    obs = obligations(
        "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Nâng cao chất lượng phục vụ người dân.\n\n2. Bảo đảm đúng tiến độ.\n\n"
        "II. TỔ CHỨC THỰC HIỆN\n\n1. Phòng Nội vụ: Theo dõi, tổng hợp báo cáo trước ngày 20 hằng tháng.\n\n",
        header=header,
    )
    assert sorted(obs) == ["II.1"]
    assert (obs["II.1"].deadline.kind, obs["II.1"].deadline.period, obs["II.1"].deadline.day) == ("recurring", "month", 20)


def test_recipients_stand_in_when_the_task_names_no_one_and_it_is_flagged():
    obs = obligations("Ủy ban nhân dân huyện đề nghị:\n\n1. Rà soát, báo cáo kết quả trong 05 ngày làm việc kể từ ngày ký.\n\n")
    ob = obs["1"]
    assert who(ob) == [("Thủ trưởng các cơ quan, đơn vị thuộc huyện", "lead"), ("Chủ tịch UBND các xã, thị trấn", "lead")]
    assert ob.needs_review and "Kính gửi" in ob.review_reasons[0]
    assert (ob.deadline.kind, ob.deadline.days, ob.deadline.working_days) == ("relative", 5, True)
    assert ob.deadline.date == "2023-11-17"  # 5 working days after Friday 10/11/2023


def test_letter_without_clauses_gives_body_obligations():
    obs = obligations(
        "Ủy ban nhân dân huyện đề nghị Phòng Nội vụ tổng hợp, báo cáo kết quả trước ngày 20/11/2023.\n\n"
        "Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.\n"
    )
    assert sorted(obs) == ["body"]
    assert who(obs["body"]) == [("Phòng Nội vụ", "lead")]
    assert obs["body"].deadline.date == "2023-11-20"


def test_targets_are_kept():
    obs = obligations("Chủ tịch UBND huyện yêu cầu:\n\n1. Phòng Nội vụ bảo đảm giải quyết hồ sơ đúng hạn tối thiểu 96%.\n\n")
    [target] = obs["1"].targets
    assert (target.value, target.unit, target.bound) == (96.0, "%", "at_least")


@pytest.mark.parametrize(
    "item, lead",
    [
        ("1. Sở Nội vụ chủ trì, phối hợp với Văn phòng UBND tỉnh tham mưu kiểm tra.", "Sở Nội vụ"),
        ("1. Giám đốc Sở Nội vụ đề xuất biện pháp tăng cường kỷ luật.", "Giám đốc Sở Nội vụ"),
        ("1. Các Sở, ban, ngành tỉnh; UBND các huyện khẩn trương thực hiện.", "Các Sở, ban, ngành tỉnh"),
        ("1. Thành viên Ban chỉ đạo cải cách hành chính huyện chịu trách nhiệm theo dõi.", "Thành viên Ban chỉ đạo cải cách hành chính huyện"),
        ("1. Yêu cầu Chánh Thanh tra huyện kiểm tra việc thực hiện.", "Chánh Thanh tra huyện"),
        ("1. Phòng Nội vụ theo dõi, tổng hợp", "Phòng Nội vụ"),
        ("1. Các sở, ban, ngành tỉnh khẩn trương rà soát.", "Các sở, ban, ngành tỉnh"),
        ("1. Các phòng, ban chuyên môn thuộc UBND huyện rà soát thủ tục.", "Các phòng, ban chuyên môn thuộc UBND huyện"),
        ("1. Đối với Sở Nội vụ: Tham mưu kiểm tra công vụ.", "Sở Nội vụ"),
        ("1. Giao nhiệm vụ cho Phòng Tư pháp rà soát văn bản.", "Phòng Tư pháp"),
        ("1. Đối với cán bộ, công chức vi phạm thì Phòng Nội vụ tham mưu xử lý.", "Phòng Nội vụ"),
        ("1. Căn cứ kết quả kiểm tra, Chánh Thanh tra huyện kiến nghị xử lý.", "Chánh Thanh tra huyện"),
        ("1. Về công tác tuyên truyền: Giao Phòng Văn hóa và Thông tin chủ trì.", "Phòng Văn hóa và Thông tin"),
        ("1. Sở Xây dựng chủ trì, phối hợp với Sở Tài chính thẩm định.", "Sở Xây dựng"),
    ],
)
def test_subject_forms(item, lead):
    obs = obligations("Chủ tịch UBND huyện yêu cầu:\n\n" + item + "\n\n")
    assert obs["1"].assignees[0].name == lead and obs["1"].assignees[0].role == "lead"


def test_explanations_in_a_reply_letter_are_no_tasks():
    obs = obligations(
        "Trả lời Công văn số 636/CT-THNVDT ngày 25/4/2023 của Cục Thuế tỉnh, Tổng cục Thuế có ý kiến như sau:\n\n"
        "- Về việc thay thế liên 1 hóa đơn bằng bảng kê: căn cứ quy định hiện hành, đơn vị được sử dụng bảng kê.\n\n"
        "- Căn cứ tiết b khoản 3 Điều 1 Thông tư số 130/2016/TT-BTC, hàng hóa này không chịu thuế.\n\n"
    )
    assert obs == {}


def test_a_decisions_own_articles_are_no_tasks_but_its_executors_are():
    header = HEADER.replace("V/v tăng cường kỷ luật, kỷ cương hành chính", "QUYẾT ĐỊNH\n\nVề việc phê duyệt Kế hoạch cải cách hành chính")
    header = header.replace("Số: 120/UBND-NV", "Số: 1563/QĐ-UBND").split("Kính gửi")[0]
    obs = obligations(
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CẨM MỸ\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Phê duyệt Kế hoạch cải cách hành chính năm 2024.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
        "Điều 3. Chánh Văn phòng HĐND và UBND huyện; Giám đốc các Sở: Nội vụ, Văn hóa, Thể thao và Du lịch; "
        "Thủ trưởng các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.\n",
        header=header,
    )
    assert sorted(obs) == ["Đ3"]
    assert [a.name for a in obs["Đ3"].assignees] == [
        "Chánh Văn phòng HĐND và UBND huyện", "Giám đốc Sở Nội vụ", "Giám đốc Sở Văn hóa, Thể thao và Du lịch",
        "Thủ trưởng các cơ quan, đơn vị liên quan",
    ]


def test_a_lead_ins_partners_pass_to_its_items():
    obs = obligations(
        "Chủ tịch UBND huyện yêu cầu:\n\n"
        "1. Phòng Tài chính - Kế hoạch chủ trì, phối hợp với Phòng Nội vụ và các xã, thị trấn:\n\n"
        "a) Rà soát nguồn kinh phí thực hiện.\n\nb) Đề xuất phương án phân bổ trước ngày 30/11/2023.\n\n"
    )
    assert sorted(obs) == ["1.a", "1.b"]
    assert who(obs["1.b"]) == [("Phòng Tài chính - Kế hoạch", "lead"), ("Phòng Nội vụ", "support"), ("các xã, thị trấn", "support")]


def test_actors_after_a_fronted_phrase_and_in_later_sentences():
    obs = obligations(
        "Chủ tịch UBND huyện yêu cầu:\n\n"
        "1. Để nâng cao chất lượng phục vụ, Phòng Nội vụ tăng cường kiểm tra công vụ. "
        "Trên cơ sở kết quả kiểm tra, Phòng Tư pháp đề xuất xử lý vi phạm.\n\n"
        "2. Về công tác chuyển đổi số: giao Phòng Văn hóa và Thông tin hướng dẫn các xã.\n\n"
        "3. Trường hợp phát sinh vướng mắc, đơn vị được lấy ý kiến có trách nhiệm trả lời đúng hạn.\n\n"
    )
    assert who(obs["1"]) == [("Phòng Nội vụ", "lead"), ("Phòng Tư pháp", "lead")]
    assert who(obs["2"]) == [("Phòng Văn hóa và Thông tin", "lead")]
    # a role the item describes is no one to track
    assert all(a.name != "đơn vị" for a in obs["3"].assignees)


def test_headings_name_their_items_and_are_no_tasks():
    obs = obligations(
        "Chủ tịch UBND huyện yêu cầu:\n\n"
        "1. Phòng Văn hóa và\nThông tin huyện\n\na) Tuyên truyền trên hệ thống đài truyền thanh.\n\n"
        "2. Các cơ quan được giao chủ trì thực hiện nhiệm vụ có trách nhiệm\n\na) Báo cáo tiến độ hằng tháng.\n\n"
    )
    assert sorted(obs) == ["1.a", "2.a"]
    assert who(obs["1.a"]) == [("Phòng Văn hóa và Thông tin huyện", "lead")]
    assert who(obs["2.a"]) == [("Các cơ quan được giao chủ trì thực hiện nhiệm vụ", "lead")]


def test_a_plans_task_block_is_one_task():
    header = HEADER.replace("V/v tăng cường kỷ luật, kỷ cương hành chính", "KẾ HOẠCH\n\nChuyển đổi số năm 2024")
    header = header.replace("Số: 120/UBND-NV", "Số: 16/KH-UBND")
    obs = obligations(
        "I. NHIỆM VỤ\n\n1. Về dữ liệu\n\n"
        "a) Nhiệm vụ: Rà soát, chuẩn hóa cơ sở dữ liệu của huyện, phối hợp với Viettel Đồng Nai.\n\n"
        "b) Cơ quan thực hiện:\n\n- Đơn vị chủ trì: Phòng Văn hóa và Thông tin.\n\n- Đơn vị phối hợp: Các cơ quan, đơn vị thuộc huyện.\n\n"
        "c) Thời gian thực hiện: Hoàn thành trước ngày 31/12/2024.\n\n",
        header=header,
    )
    assert sorted(obs) == ["I.1.a"]
    assert who(obs["I.1.a"]) == [
        ("Phòng Văn hóa và Thông tin", "lead"), ("Các cơ quan, đơn vị thuộc huyện", "support"), ("Viettel Đồng Nai", "support"),
    ] or who(obs["I.1.a"])[:2] == [("Phòng Văn hóa và Thông tin", "lead"), ("Các cơ quan, đơn vị thuộc huyện", "support")]
    assert obs["I.1.a"].deadline.date == "2024-12-31"


def test_a_paragraph_after_the_list_finishes_the_items_task():
    obs = obligations(
        "Chủ tịch UBND huyện yêu cầu:\n\n"
        "1. Chủ tịch UBND các xã: Xuân Đường, Xuân Quế chỉ đạo rà soát, báo cáo về các nội dung sau:\n\n"
        "(1) Số hộ có nhà bị hư hỏng.\n\n(2) Nhu cầu hỗ trợ.\n\n"
        "UBND các xã: Xuân Đường, Xuân Quế gửi báo cáo về Phòng Nội vụ trước ngày 20/11/2023.\n\n"
    )
    assert who(obs["1"])[:2] == [("Chủ tịch UBND xã Xuân Đường", "lead"), ("Chủ tịch UBND xã Xuân Quế", "lead")]
    assert obs["1"].deadline.date == "2023-11-20"


def test_a_letter_without_items_gathers_the_actors_of_its_directing_sentences():
    obs = obligations(
        "Xét đề nghị của Phòng Nội vụ, Chủ tịch UBND huyện có ý kiến như sau:\n"
        "Phòng Tài chính - Kế hoạch chủ trì, phối hợp với Phòng Nội vụ rà soát kinh phí; báo cáo trước ngày 25/11/2023. "
        "UBND các xã: Xuân Đường, Xuân Quế hoàn thiện hồ sơ theo quy định.\n"
        "Văn phòng HĐND và UBND huyện thông báo để các cơ quan, đơn vị biết, thực hiện./.\n"
    )
    assert sorted(obs) == ["body"]
    assert who(obs["body"]) == [
        ("Phòng Tài chính - Kế hoạch", "lead"), ("UBND xã Xuân Đường", "lead"), ("UBND xã Xuân Quế", "lead"), ("Phòng Nội vụ", "support"),
    ]
    assert obs["body"].deadline.date == "2023-11-25"


def test_a_decisions_items_decide_unless_someone_is_told_to_act():
    header = HEADER.replace("V/v tăng cường kỷ luật, kỷ cương hành chính", "QUYẾT ĐỊNH\n\nVề việc thành lập Tổ công tác")
    header = header.replace("Số: 120/UBND-NV", "Số: 1600/QĐ-UBND").split("Kính gửi")[0]
    obs = obligations(
        "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN CẨM MỸ\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\n\n"
        "Điều 1. Thành lập Tổ công tác chuyển đổi số huyện\n\n"
        "1. Tổ công tác (sau đây gọi tắt là Tổ) là tổ chức phối hợp liên ngành.\n\n"
        "2. Tổ trưởng Tổ công tác trình Chủ tịch UBND huyện kế hoạch hoạt động.\n\n"
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
        "Điều 3. Chánh\nVăn phòng HĐND và UBND huyện, Trưởng phòng Nội vụ huyện chịu trách nhiệm thi hành Quyết định này./.\n",
        header=header,
    )
    assert sorted(obs) == ["Đ1.2", "Đ3"]
    assert [a.name for a in obs["Đ3"].assignees] == ["Chánh Văn phòng HĐND và UBND huyện", "Trưởng phòng Nội vụ huyện"]


def test_an_opinion_letters_items_are_tasks_only_where_they_ask():
    obs = obligations(
        "Thực hiện Công văn số 5611/UBND-VX ngày 11/11/2023 của UBND tỉnh, Ủy ban nhân dân huyện có ý kiến như sau:\n\n"
        "1. Kinh phí năm 2023 đã được phân bổ theo quy định.\n\n"
        "2. Về kinh phí năm 2024: Vì vậy, đề nghị Phòng Tài chính - Kế hoạch tổng hợp nhu cầu của các xã.\n\n"
        "Ủy ban nhân dân huyện gửi kèm các tài liệu gồm:\n\n- Bảng tổng hợp kinh phí;\n\n- Danh sách các xã.\n\n"
    )
    assert sorted(obs) == ["2"]
    assert who(obs["2"]) == [("Phòng Tài chính - Kế hoạch", "lead")]


def _due(ob) -> str | None:
    return f"{ob.deadline.kind}:{ob.deadline.date or ob.deadline.period}" if ob.deadline else None


def test_a_lead_in_that_is_no_task_gives_its_limit_to_its_items():
    obs = obligations(
        "1. Đề nghị Thủ trưởng các cơ quan, đơn vị hoàn thành trước ngày 15/12/2023 các nội dung sau:\n\n"
        "a) Rà soát hồ sơ công việc tồn đọng.\n\n"
        "b) Báo cáo kết quả trước ngày 20/12/2023.\n\n"
    )
    assert sorted(obs) == ["1.a", "1.b"]
    assert _due(obs["1.a"]) == "date:2023-12-15"
    assert _due(obs["1.b"]) == "date:2023-12-20"  # its own limit stays
