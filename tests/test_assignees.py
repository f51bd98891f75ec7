"""Assignee names: where they start, where they end, how a list splits, how they normalize."""
import re

import pytest

from extractors import tables
from extractors.assignees import cue_end, cues, find_actor, is_specific, normalized_name, read_names


def names(phrase: str) -> list[str]:
    return [n.text.strip() for n in read_names(phrase, 0)]


HEAD_EXAMPLES = [
    pytest.param(phrase, first, id=phrase[:50])
    for e in tables.entries("assignees", "head") for phrase, first in e["examples"]
]


@pytest.mark.parametrize("phrase,first", HEAD_EXAMPLES)
def test_head_example(phrase, first):
    assert names(phrase)[0] == first


ACTION_EXAMPLES = [pytest.param(ex, id=ex[:50]) for table in ("action", "boundary")
                   for e in tables.entries("assignees", table) if not e.get("finding") for ex in e["examples"]]
FINDING_EXAMPLES = [pytest.param(ex, id=ex[:50]) for e in tables.entries("assignees", "boundary") if e.get("finding")
                    for ex in e["examples"]]


@pytest.mark.parametrize("example", FINDING_EXAMPLES)
def test_a_name_before_a_finding_is_no_actor(example):
    assert read_names(example.replace(" | ", " "), 0) == []


@pytest.mark.parametrize("example", ACTION_EXAMPLES)
def test_action_word_ends_the_name(example):
    name, rest = example.split(" | ")
    found = read_names(f"{name} {rest}", 0)
    assert found and found[-1].end == len(name)


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("Thủ trưởng các cơ quan, đơn vị, Chủ tịch Ủy ban nhân dân các xã, thị trấn tập trung thực hiện",
         ["Thủ trưởng các cơ quan, đơn vị", "Chủ tịch Ủy ban nhân dân các xã, thị trấn"]),
        ("Thủ trưởng các Sở, ban, ngành; Chủ tịch Ủy ban nhân dân các quận, huyện; Thủ trưởng các đơn vị sự nghiệp "
         "công lập trực thuộc Ủy ban nhân dân thành phố tổ chức quán triệt",
         ["Thủ trưởng các Sở, ban, ngành", "Chủ tịch Ủy ban nhân dân các quận, huyện",
          "Thủ trưởng các đơn vị sự nghiệp công lập trực thuộc Ủy ban nhân dân thành phố"]),
        ("Thủ trưởng các Sở, ban, ngành cấp tỉnh và Chủ tịch UBND các huyện, thị xã, thành phố Huế thực hiện tốt",
         ["Thủ trưởng các Sở, ban, ngành cấp tỉnh", "Chủ tịch UBND các huyện, thị xã, thành phố Huế"]),
        ("Chánh Thanh tra thành phố và thủ trưởng các sở, ngành, Chủ tịch Uỷ ban nhân dân các quận, huyện rà soát",
         ["Chánh Thanh tra thành phố", "thủ trưởng các sở, ngành", "Chủ tịch Uỷ ban nhân dân các quận, huyện"]),
        ("Văn phòng UBND tỉnh và các cơ quan, đơn vị liên quan tham mưu", ["Văn phòng UBND tỉnh", "các cơ quan, đơn vị liên quan"]),
        ("Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện", ["Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"]),
        ("Văn phòng HĐND và UBND huyện: Chịu trách nhiệm", ["Văn phòng HĐND và UBND huyện"]),
        ("Thủ trưởng các cơ quan, đơn vị thuộc và trực thuộc Sở thực hiện", ["Thủ trưởng các cơ quan, đơn vị thuộc và trực thuộc Sở"]),
        ("Các cơ quan, đơn vị thuộc huyện (các cơ quan là thành viên Ban chỉ đạo CCHC huyện)", ["Các cơ quan, đơn vị thuộc huyện"]),
        ("Thành viên Ban chỉ đạo CCHC huyện chịu trách nhiệm", ["Thành viên Ban chỉ đạo CCHC huyện"]),
        ("Sở Nội vụ và Sở Tài chính phối hợp", ["Sở Nội vụ", "Sở Tài chính"]),
        ("Tổ kiểm tra công vụ Sở Y tế; cơ quan, đơn vị trực thuộc Sở Y tế tiếp tục triển khai",
         ["Tổ kiểm tra công vụ Sở Y tế", "cơ quan, đơn vị trực thuộc Sở Y tế"]),
        ("các cơ quan, đơn vị có liên quan bố trí kinh phí", ["các cơ quan, đơn vị có liên quan"]),
        ("Các Bộ: Quốc phòng, Công an và Ngoại giao tăng cường phối hợp", ["Bộ Quốc phòng", "Bộ Công an", "Bộ Ngoại giao"]),
        ("Các Sở: Nội vụ, Tài chính chủ trì thẩm định", ["Sở Nội vụ", "Sở Tài chính"]),
        # a place whose last word is a kind of body ('Hải Phòng') ends before the verb like any other
        ("Sở Tài chính thành phố Hải Phòng chủ trì, phối hợp", ["Sở Tài chính thành phố Hải Phòng"]),
        ("Thuế thành phố Hải Phòng hướng dẫn doanh nghiệp", ["Thuế thành phố Hải Phòng"]),
        ("Ban chỉ đạo tỉnh theo dõi", ["Ban chỉ đạo tỉnh"]),
    ],
)
def test_names_and_lists(phrase, expected):
    assert names(phrase) == expected


@pytest.mark.parametrize(
    "phrase",
    ["Tổ chức kiểm tra công vụ thường xuyên", "Báo cáo kết quả về Sở Nội vụ", "Tăng cường công tác kiểm tra",
     "Khẩn trương rà soát các nhiệm vụ", "Quán triệt đến từng cán bộ"],
)
def test_a_task_that_starts_with_a_verb_names_no_one(phrase):
    assert read_names(phrase, 0) == []


@pytest.mark.parametrize(
    "name, specific",
    [("Văn phòng UBND tỉnh", True), ("Chánh Thanh tra thành phố", True), ("các cơ quan có liên quan", False),
     ("các cơ quan, đơn vị liên quan", False), ("các tổ chức đoàn thể cấp xã", False)],
)
def test_specific_or_generic(name, specific):
    assert is_specific(name) is specific


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Phòng Nội vụ huyện", "Phòng Nội vụ huyện Cẩm Mỹ"),
        ("Văn phòng HĐND và UBND huyện", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện Cẩm Mỹ"),
        ("Chủ tịch UBND các xã, thị trấn", "Chủ tịch Ủy ban nhân dân các xã, thị trấn"),
        ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
        ("Sở Y tế tỉnh", "Sở Y tế tỉnh"),
    ],
)
def test_normalized_name_resolves_the_issuers_own_place(name, expected):
    assert normalized_name(name, "huyện", "Cẩm Mỹ") == expected


PATTERN_EXAMPLES = [
    pytest.param(table, ex, True, id=f"{table}:{ex[:40]}")
    for table in ("findings", "background_heading", "closing", "opinion", "quoted_list", "directive_intro", "explains", "modal")
    for e in tables.entries("assignees", table) for ex in e["examples"]
] + [
    pytest.param(table, ex, False, id=f"not {table}:{ex[:40]}")
    for table in ("findings", "background_heading", "closing", "opinion", "quoted_list", "directive_intro", "explains", "modal")
    for e in tables.entries("assignees", table) for ex in e.get("not_examples", [])
]


@pytest.mark.parametrize("table,example,matches", PATTERN_EXAMPLES)
def test_non_task_pattern_examples(table, example, matches):
    from extractors.obligations import _matches

    assert _matches(table, example) is matches


FIELD_EXAMPLES = [pytest.param(phrase, expected, id=phrase[:50])
                  for e in tables.entries("assignees", "field") for phrase, expected in e["examples"]]


@pytest.mark.parametrize("phrase,expected", FIELD_EXAMPLES)
def test_kind_list_keeps_compound_field_names(phrase, expected):
    start = re.search(r"(?:Giám đốc )?[Cc]ác ", phrase).start()
    assert [n.text for n in read_names(phrase, start)] == expected


def _entry_params(table: str):
    return [pytest.param(phrase, expected, id=phrase[:50])
            for e in tables.entries("assignees", table) for phrase, expected in e["examples"]]


@pytest.mark.parametrize("phrase,expected", _entry_params("qualifier") + _entry_params("relative_clause") + _entry_params("compound"))
def test_qualifiers_and_relative_clauses_end_the_name_where_the_predicate_starts(phrase, expected):
    assert names(phrase) == expected


@pytest.mark.parametrize("sentence,actor", _entry_params("opener"))
def test_the_actor_comes_after_a_fronted_phrase(sentence, actor):
    assert [n.text for n in find_actor(sentence, 0, len(sentence))][0] == actor


@pytest.mark.parametrize("phrase,first", _entry_params("honorific"))
def test_honorifics_are_not_part_of_the_name(phrase, first):
    assert names(phrase)[0] == first


CUE_EXAMPLES = [pytest.param(e["role"], sentence, expected, id=f"{e['role']}:{sentence[:40]}")
                for e in tables.entries("assignees", "cue") for sentence, expected in e["examples"]]


@pytest.mark.parametrize("role,sentence,expected", CUE_EXAMPLES)
def test_cue_examples(role, sentence, expected):
    if role in ("support", "enumerate", "lead_in"):
        found = [n.text for pos in cues(role, sentence, 0, len(sentence)) for n in read_names(sentence, pos)]
    else:
        after = cue_end(role, sentence, 0, len(sentence))
        assert after is not None
        found = [n.text for n in read_names(sentence, after)]
    assert found == expected


@pytest.mark.parametrize(
    "phrase, expected",
    [
        # a title shared by a list of places or fields is given to each of them
        ("Chủ tịch Ủy ban nhân dân các tỉnh: Sơn La, Hòa Bình, Lai Châu và Điện Biên tiếp tục",
         ["Chủ tịch Ủy ban nhân dân tỉnh Sơn La", "Chủ tịch Ủy ban nhân dân tỉnh Hòa Bình",
          "Chủ tịch Ủy ban nhân dân tỉnh Lai Châu", "Chủ tịch Ủy ban nhân dân tỉnh Điện Biên"]),
        ("Bí thư tỉnh ủy và Chủ tịch UBND các huyện: Cẩm Mỹ, Long Thành chỉ đạo",
         ["Bí thư tỉnh ủy", "Chủ tịch UBND huyện Cẩm Mỹ", "Chủ tịch UBND huyện Long Thành"]),
        ("Bộ trưởng các Bộ: Xây dựng, Y tế chỉ đạo", ["Bộ trưởng Bộ Xây dựng", "Bộ trưởng Bộ Y tế"]),
        # body names that hold an action word
        ("Sở Xây dựng chủ trì, phối hợp", ["Sở Xây dựng"]),
        ("Bộ Công Thương chỉ đạo Tổng công ty Điện lực miền Bắc", ["Bộ Công Thương"]),
        ("Cơ quan phối hợp có trách nhiệm góp ý", ["Cơ quan phối hợp"]),
        ("Các tổ chức, cá nhân có liên quan thực hiện", ["Các tổ chức, cá nhân có liên quan"]),
        # a web copy's line wrap inside a name, and a line that ends a whole name
        ("Sở Văn hóa, Thể thao và\nDu lịch: Phối hợp với Sở Nội vụ", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Chánh\nVăn phòng Bộ, Vụ trưởng Vụ Thi đua - Khen thưởng chịu trách nhiệm",
         ["Chánh Văn phòng Bộ", "Vụ trưởng Vụ Thi đua - Khen thưởng"]),
        ("Sở Tư pháp\nKhi có vướng mắc", ["Sở Tư pháp"]),
        ("Công an tỉnh\n- Kiểm tra", ["Công an tỉnh"]),
        # titles: a bare one shares the body after it; one that names an office does not
        ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ chịu trách nhiệm",
         ["Bộ trưởng", "Thủ trưởng cơ quan ngang bộ", "Thủ trưởng cơ quan thuộc Chính phủ"]),
        ("Chánh Văn phòng UBND tỉnh, Thủ trưởng các cơ quan, đơn vị và tổ chức, cá nhân có liên quan chịu trách nhiệm",
         ["Chánh Văn phòng UBND tỉnh", "Thủ trưởng các cơ quan, đơn vị", "tổ chức, cá nhân có liên quan"]),
        # the Party and the mass organisations
        ("Các sở, ngành, tổ chức chính trị - xã hội, Ủy ban nhân dân các huyện, thị xã có trách nhiệm",
         ["Các sở, ngành", "tổ chức chính trị - xã hội", "Ủy ban nhân dân các huyện, thị xã"]),
        ("Các huyện ủy, thị ủy, đảng ủy trực thuộc\nTỉnh ủy xây dựng kế hoạch thực hiện",
         ["Các huyện ủy, thị ủy, đảng ủy trực thuộc Tỉnh ủy"]),
        ("Hiệp hội Du lịch tỉnh, Hội Phụ nữ tỉnh, Liên minh Hợp tác xã tỉnh tuyên truyền",
         ["Hiệp hội Du lịch tỉnh", "Hội Phụ nữ tỉnh", "Liên minh Hợp tác xã tỉnh"]),
    ],
)
def test_names_of_the_genre(phrase, expected):
    assert names(phrase) == expected
@pytest.mark.parametrize("level,place", [("huyện", "Cần Giờ"), ("đặc khu", "Phú Quốc"), ("phường", "Bến Nghé")])
def test_the_issuers_own_level_resolves_to_its_place_at_every_level(level, place):
    """Every level of bodies.toml's [[locality]] list, 'đặc khu' included: one list, read everywhere."""
    assert normalized_name(f"Ủy ban nhân dân {level}", level, place) == f"Ủy ban nhân dân {level} {place}"
