"""Every `examples` entry of the data files, run through the code that uses the entry; the files' schema."""
import re

import pytest

from extractors import tables
from extractors.abbreviations import expand_abbreviations, issuer_name
from extractors.assignees import read_subject
from extractors.bodies import case_body_name, central_cities, repair_body_name
from extractors.closing import body_end, is_person_name, read_closing
from extractors.syllables import is_syllable
from extractors.header import read_header
from extractors.implements import find_implements, named_directive
from extractors.keys import parse_key
from extractors.lines import lines_of
from extractors.normalize import normalize
from extractors.references import find_references
from extractors.split import opening_words
from extractors.targets import find_targets

DOC_TYPE_EXAMPLES = [
    pytest.param(e["code"], ex, id=f"{e['code']}:{ex[:40]}")
    for e in tables.entries("doc_types", "type") for ex in e.get("examples", [])
]


@pytest.mark.parametrize("code,example", DOC_TYPE_EXAMPLES)
def test_doc_type_example(code, example):
    found = find_references(normalize(example).text)
    assert found, example
    assert [r.doc_type for r in found] == [code] * len(found)


def test_every_doc_type_has_examples():
    assert all(e.get("examples") for e in tables.entries("doc_types", "type"))


ABBREVIATION_EXAMPLES = [
    pytest.param(printed, expanded, id=printed)
    for e in tables.entries("abbreviations", "abbreviation") for printed, expanded in e["examples"]
]


@pytest.mark.parametrize("printed,expanded", ABBREVIATION_EXAMPLES)
def test_abbreviation_example(printed, expanded):
    assert expand_abbreviations(printed) == expanded


ISSUER_EXAMPLES = [
    pytest.param(e["code"], e["name"], ex, id=ex)
    for e in tables.entries("abbreviations", "symbol_issuer") for ex in e["examples"]
]


@pytest.mark.parametrize("code,name,example", ISSUER_EXAMPLES)
def test_symbol_issuer_example(code, name, example):
    key = parse_key(example)
    assert key is not None and key.issuer_abbr
    parts = key.issuer_abbr.split("-")
    assert code in parts or (code in ("QH", "UBTVQH") and parts[0].rstrip("0123456789") == code)
    assert issuer_name(code) == name


# bodies.toml: how each table's examples are read (cased as printed, or misread words put back)
BODY_READERS = {"kind": case_body_name, "locality": case_body_name, "field": repair_body_name, "province": repair_body_name}
BODY_EXAMPLES = [
    pytest.param(table, read, expected, id=read)
    for table in BODY_READERS for e in tables.entries("bodies", table) for read, expected in e["examples"]
]


@pytest.mark.parametrize("table,read,expected", BODY_EXAMPLES)
def test_body_name_example(table, read, expected):
    assert BODY_READERS[table](read) == expected


@pytest.mark.parametrize("city", sorted(central_cities()))
def test_a_central_city_in_a_shared_list_is_a_thanh_pho(city):
    for sentence, province in ((f"Chủ tịch Ủy ban nhân dân các tỉnh, thành phố: Lào Cai, {city} chỉ đạo", "Lào Cai"),
                               (f"Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương: {city}, Sơn La theo dõi",
                                "Sơn La"),
                               (f"Chủ tịch UBND các tỉnh, thành phố: Cà Mau, {city} kiểm tra", "Cà Mau")):
        names = read_subject(sentence, 0)[0]
        title = sentence.split(" các ")[0]
        expected = f"{title} thành phố {city}"
        assert expected in [n.text for n in names]
        named = next(n for n in names if n.text == expected)
        assert sentence[named.start : named.end] == city  # the span is the city's own name in the list
        assert all(n.text.split(" tỉnh ")[-1] != city for n in names)  # never 'tỉnh' for a city
        assert f"{title} tỉnh {province}" in [n.text for n in names]


TITLE_EXAMPLES = [
    pytest.param(e["name"], ex, id=ex) for e in tables.entries("bodies", "title") for ex in e["examples"]
]


@pytest.mark.parametrize("name,example", TITLE_EXAMPLES)
def test_signature_title_example(name, example):
    closing = read_closing(f"{example}\n\nNguyễn Văn An\n", 0, len(example) + 16)
    assert closing.title[0] == name and closing.signer_name[0] == "Nguyễn Văn An"


SURNAME_EXAMPLES = [
    pytest.param(e["name"], ex, id=ex) for e in tables.entries("person_names", "surname") for ex in e["examples"]
]


@pytest.mark.parametrize("surname,example", SURNAME_EXAMPLES)
def test_family_name_example(surname, example):
    """A name printed in capitals under the title is the signer's when it starts with a family name."""
    closing = read_closing(f"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{example}\n", 0, len(example) + 27)
    assert closing.signer_name[0] == example.title() and closing.signer_name[0].split()[0] == surname


AUTHORITY_EXAMPLES = [
    pytest.param(e["prefix"], ex, id=ex) for e in tables.entries("signature", "authority") for ex in e["examples"]
]


@pytest.mark.parametrize("prefix,example", AUTHORITY_EXAMPLES)
def test_authority_example(prefix, example):
    text = f"{example}\nPHÓ GIÁM ĐỐC\n\nTrần Thị Bình\n"
    closing = read_closing(text, 0, len(text))
    assert [a[0] for a in closing.authority] == [prefix]


MARK_EXAMPLES = [
    pytest.param(e["field"], e["value"], ex, id=ex) for e in tables.entries("signature", "mark") for ex in e["examples"]
]


@pytest.mark.parametrize("field,value,example", MARK_EXAMPLES)
def test_mark_example(field, value, example):
    text = normalize(f"ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\n\n{example}\n\nSố: 12/UBND-VP\n\nAn Giang, ngày 05 tháng 01 năm 2024\n").text
    header = read_header(text, 0, len(text))
    assert header.marks[field].value == value


CHROME_EXAMPLES = [pytest.param(ex, id=ex) for e in tables.entries("web_chrome", "marker") for ex in e["examples"]]


@pytest.mark.parametrize("example", CHROME_EXAMPLES)
def test_web_chrome_example(example):
    body = "1. Thủ trưởng các Sở quán triệt thực hiện nghiêm các nội dung trên.\n\n"
    text = body + example + "\n"
    assert body_end(text, 0, len(text), news=True) == len(body)


SIGNAL_EXAMPLES = [
    pytest.param(e["pattern"], ex, found, id=f"{e['name']}:{ex[:30]}")
    for e in tables.entries("letter_signals", "signal")
    for found, key in ((True, "examples"), (False, "not_examples")) for ex in e.get(key, [])
]


@pytest.mark.parametrize("pattern,example,found", SIGNAL_EXAMPLES)
def test_letter_signal_example(pattern, example, found):
    assert bool(re.search(pattern, example, re.M)) is found


def test_every_data_file_follows_its_schema():
    names = sorted(p.stem for p in tables.DATA_DIR.glob("*.toml"))
    assert names == sorted(tables.SCHEMA)
    for name in names:
        tables.check(name, tables.load(name))


@pytest.mark.parametrize("broken,says", [
    ({"signal": [{"name": "x", "kind": "part", "pattern": "(", "examples": ["x"]}]}, "does not compile"),
    ({"signal": [{"name": "x", "kind": "part", "pattern": "x"}]}, "missing ['examples']"),
    ({"signal": [{"name": "x", "kind": "part", "pattern": "x", "examples": ["x"], "spelling": "x"}]}, "unknown keys"),
    ({"signal": []}, "non-empty"),
    ({}, "is missing"),
])
def test_a_data_file_that_breaks_its_schema_fails_loudly(broken, says):
    with pytest.raises(tables.DataError, match=re.escape(says)):
        tables.check("letter_signals", broken)


def test_phrases_become_one_pattern_longest_first():
    pattern = re.compile(tables.phrase_pattern(["Chủ tịch", "Phó Chủ tịch"]))
    assert pattern.match("Phó Chủ\ntịch").group(0) == "Phó Chủ\ntịch"


OPENING_EXAMPLES = [pytest.param(ex, id=ex[:30]) for e in tables.entries("letter_signals", "opening") for ex in e["examples"]]


@pytest.mark.parametrize("example", OPENING_EXAMPLES)
def test_opening_example(example):
    assert re.match(opening_words(), example)


def _implemented(text: str, as_subject: bool) -> list[str]:
    text = normalize(text).text
    refs = find_references(text)
    opening = [] if as_subject else lines_of(text)
    return [r.key for r in find_implements(text, opening, (0, len(text)) if as_subject else None, refs)]


IMPLEMENTS_EXAMPLES = [
    pytest.param(table, text, keys, id=f"{table}:{text[:50]}")
    for table, rows in tables.load("implements").items() if table != "item_cue"
    for e in rows for text, keys in e["examples"]
]


@pytest.mark.parametrize("table,text,keys", IMPLEMENTS_EXAMPLES)
def test_implements_example(table, text, keys):
    assert _implemented(text, as_subject=table == "subject_opening") == keys


def test_every_implements_entry_has_examples():
    assert all(e.get("examples") for rows in tables.load("implements").values() for e in rows)


ITEM_CUE_EXAMPLES = [
    pytest.param(text, key, id=f"{e['word']}:{text[:40]}")
    for e in tables.entries("implements", "item_cue") for text, key in e["examples"]
]


@pytest.mark.parametrize("text,key", ITEM_CUE_EXAMPLES)
def test_item_cue_example(text, key):
    text = normalize(text).text
    named = named_directive(text, 0, len(text), find_references(text))
    assert (named[0].key if named else "") == key


RECIPIENT_EXAMPLES = [
    pytest.param(text, names, id=f"{table}:{e['word']}:{text[:30]}")
    for table, rows in tables.load("recipients").items() for e in rows for text, names in e["examples"]
]


@pytest.mark.parametrize("text,names", RECIPIENT_EXAMPLES)
def test_recipient_example(text, names):
    text = normalize(text).text
    assert [r.value for r in read_header(text, 0, len(text)).recipients] == names


def _target_examples(table: str) -> list:
    return [pytest.param(e.get("kind"), ex, id=f"{table}:{ex[:30]}") for e in tables.entries("targets", table) for ex in e["examples"]]


@pytest.mark.parametrize("kind,example", _target_examples("bound"))
def test_target_bound_example(kind, example):
    assert [t.bound for t in find_targets(example)] == [kind]


@pytest.mark.parametrize("kind,example", _target_examples("unit"))
def test_target_unit_example(kind, example):
    [target] = find_targets(example)
    assert target.unit != "%" and target.unit in example


@pytest.mark.parametrize("kind,example", _target_examples("finding"))
def test_target_finding_example(kind, example):
    assert find_targets(example) == []


@pytest.mark.parametrize("kind,example", _target_examples("subject_stop") + _target_examples("no_subject_start"))
def test_target_subject_example(kind, example):
    [target] = find_targets(example)
    assert target.subject is None or target.subject in example.split("%", 1)[1] and len(target.subject) < len(example)


SYLLABLE_EXAMPLES = [
    pytest.param(word, table != "not_examples", id=f"{name}-{word}")
    for name in ("onset", "rhyme") for e in tables.entries("syllables", name)
    for table in ("examples", "not_examples") for word in e.get(table, [])
]


@pytest.mark.parametrize("word,valid", SYLLABLE_EXAMPLES)
def test_syllable_example(word, valid):
    assert is_syllable(word) is valid


def test_a_name_of_misread_syllables_or_a_title_is_no_name():
    assert is_person_name("Trần Phước Hiền") and is_person_name("Nguyễn Quỳnh Thiện")
    assert not is_person_name("Phó Chủ Tịc N")  # a title under a seal, misread
    assert is_person_name("Y Ngông Niê Kdăm")  # a Central Highlands name is spelt otherwise


def test_a_misread_family_name_is_put_back_only_when_one_fits():
    from extractors.closing import surname_as_printed

    assert surname_as_printed("Le") == "Lê" and surname_as_printed("Tran") == "Trần"  # marks lost
    assert surname_as_printed("Nguyễu") == "Nguyễn"  # one letter off a long name
    assert surname_as_printed("Dán") is None  # no family name is 'dan', and one letter off a short word is a guess
