import json

from schemas import SCHEMA_PATH, json_schema


def test_committed_schema_matches_the_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema(), (
        "schemas/schema.json is out of date with schemas/models.py; "
        "regenerate it with `make schema` (or `congvan schema > schemas/schema.json`) and commit it"
    )


def test_schema_describes_an_extraction_result():
    schema = json.loads(json_schema())
    assert schema["title"] == "ExtractionResult"
    assert {"source", "pages", "documents"} <= set(schema["required"])
