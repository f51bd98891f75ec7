"""Every `examples` entry of the data files, run through the code that uses the entry."""
import pytest

from extractors import tables
from extractors.abbreviations import expand_abbreviations, issuer_name
from extractors.keys import parse_key
from extractors.normalize import normalize
from extractors.references import find_references

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
