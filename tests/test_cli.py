"""`congvan` end to end on letters the tests write."""
import json
import os
import re
import subprocess
import sys

import pytest

from cli.main import main
from schemas import ExtractionResult, json_schema


@pytest.fixture
def letters(tmp_path, letter_text, write_pdf):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "12-UBND-VP.txt").write_text(letter_text, encoding="utf-8")
    lines = letter_text.splitlines()
    write_pdf(inbox / "scanned-with-text.pdf", [lines[:10], lines[10:]])
    (inbox / "README.md").write_text("not an input", encoding="utf-8")
    (inbox / "12-UBND-VP.json").write_text("{}", encoding="utf-8")
    return inbox


def test_extract_folder_writes_one_json_per_letter(tmp_path, letters, capsys):
    out = tmp_path / "out"
    assert main(["extract", str(letters), "--out", str(out)]) == 0
    assert sorted(os.listdir(out)) == ["12-UBND-VP.json", "scanned-with-text.json"]

    text_result = ExtractionResult.model_validate_json((out / "12-UBND-VP.json").read_bytes())
    assert text_result.source.path == f"{letters.as_posix()}/12-UBND-VP.txt"
    assert text_result.source.media_type == "text/plain"
    assert text_result.documents

    pdf_result = ExtractionResult.model_validate_json((out / "scanned-with-text.json").read_bytes())
    assert [(p.number, p.method) for p in pdf_result.pages] == [(1, "text_layer"), (2, "text_layer")]
    assert "Số: 12/UBND-VP" in pdf_result.pages[0].text

    stdout = capsys.readouterr().out
    header = stdout.splitlines()[0].split()
    assert header == ["file", "letters", "clauses", "references", "warnings", "result"]
    assert f"{out.as_posix()}/12-UBND-VP.json" in stdout
    assert f"2 of 2 input(s) written as JSON to {out.as_posix()}/" in stdout


def test_rerun_writes_byte_identical_files(tmp_path, letters):
    out = tmp_path / "out"
    main(["extract", str(letters), "--out", str(out)])
    first = {name: (out / name).read_bytes() for name in os.listdir(out)}
    main(["extract", str(letters), "--out", str(out)])
    assert {name: (out / name).read_bytes() for name in os.listdir(out)} == first


def test_same_stem_gets_a_hash_suffix_and_a_warning(tmp_path, letter_text, capsys):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "letter.txt").write_text(letter_text, encoding="utf-8")
    out = tmp_path / "out"
    arguments = ["extract", str(tmp_path / "a"), str(tmp_path / "b" / "letter.txt"), "--out", str(out)]
    assert main(arguments) == 0
    names = sorted(os.listdir(out))
    assert names[1] == "letter.json"
    assert re.fullmatch(r"letter-[0-9a-f]{8}\.json", names[0])
    later = ExtractionResult.model_validate_json((out / names[0]).read_bytes())
    assert later.source.path.endswith("b/letter.txt")
    assert "letter.json is taken by" in capsys.readouterr().err
    main(arguments)
    assert sorted(os.listdir(out)) == names


def test_a_file_named_twice_is_read_once(tmp_path, letters):
    out = tmp_path / "out"
    assert main(["extract", str(letters), str(letters / "12-UBND-VP.txt"), "--out", str(out)]) == 0
    assert sorted(os.listdir(out)) == ["12-UBND-VP.json", "scanned-with-text.json"]


def test_clauses_are_counted_with_their_children(tmp_path, letter_text, capsys):
    (tmp_path / "a.txt").write_text(letter_text, encoding="utf-8")
    main(["extract", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")])
    result = json.loads((tmp_path / "out" / "a.json").read_text(encoding="utf-8"))

    def count(clauses):
        return sum(1 + count(c["children"]) for c in clauses)

    row = capsys.readouterr().out.splitlines()[2].split()  # header, rule, first row
    assert row[1:5] == [str(len(result["documents"])), str(sum(count(d["clauses"]) for d in result["documents"])),
                        str(sum(len(d["references"]) for d in result["documents"])), str(len(result["warnings"]))]


def test_empty_folder_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["extract", str(tmp_path / "empty"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "no .txt, .pdf or image files here" in err and "no input files found" in err


def test_out_naming_a_file_is_a_usage_error(tmp_path, letter_text, capsys):
    (tmp_path / "a.txt").write_text(letter_text, encoding="utf-8")
    (tmp_path / "out").write_text("", encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")]) == 2
    assert "cannot use" in capsys.readouterr().err


def test_schema_command_prints_the_json_schema(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == json_schema()


def test_console_script_runs(tmp_path, letter_text):
    (tmp_path / "a.txt").write_text(letter_text, encoding="utf-8")
    congvan = os.path.join(os.path.dirname(sys.executable), "congvan")
    done = subprocess.run([congvan, "extract", "a.txt", "--out", "out"], cwd=tmp_path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "a.json").is_file()
