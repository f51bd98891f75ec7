"""Golden files: every letter in data/samples/ against its reviewed expected JSON.

The expected files were written by the program and then read line by line. After a change
that alters the output on purpose, regenerate them with `make goldens` (UPDATE_GOLDENS=1)
and read the diff before committing it.
"""
import json
import os
from pathlib import Path

import pytest

from pipeline.extract import extract_file
from pipeline.output import render_json

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
LETTERS = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".pdf"})


def expected_path(letter: Path) -> Path:
    return letter.with_name(letter.stem + ".expected.json")


@pytest.mark.skipif(bool(os.environ.get("UPDATE_GOLDENS")), reason="writing the golden files")
def test_every_sample_has_a_golden_file():
    assert LETTERS
    assert [p.name for p in LETTERS if not expected_path(p).exists()] == []


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_sample_matches_its_golden_file(letter, monkeypatch):
    monkeypatch.chdir(REPO)
    rendered = render_json(extract_file(letter.relative_to(REPO)))
    golden = expected_path(letter)
    if os.environ.get("UPDATE_GOLDENS"):
        golden.write_bytes(rendered)
    assert json.loads(rendered) == json.loads(golden.read_text(encoding="utf-8"))
