"""Bad input files: each fails with its own error and exit code, and costs the run nothing else."""
import os

import pytest

from cli.main import main
from schemas import ExtractionResult

# name -> (bytes or builder, exit code, words of the reason)
CASES = {
    "empty.txt": (b"", 4, "is empty (0 bytes)"),
    "garbage.txt": (bytes(range(256)) * 4, 5, "binary file, not text"),
    "latin1.txt": ("Réunion à Genève, très cher, où ça coûte.".encode("cp1252"), 6, "not UTF-8"),
    "photo.png": (b"\x89PNG\r\n\x1a\n\x00\x00", 15, "cannot be read as an image"),
    "letter.docx": (b"PK\x03\x04", 8, ".docx input is not supported"),
    "scan.pdf": ("pdf-without-text", 7, "no official letter found in its 1 page (no text found by OCR"),
    "locked.pdf": ("pdf-encrypted", 10, "is encrypted with a password"),
    "broken.pdf": (b"%PDF-1.7\n1 0 obj\n<< /Type /Cat", 11, "cannot be read as a PDF"),
}


def _write_case(folder, name, content, write_pdf, letter_text):
    path = folder / name
    if content == "pdf-without-text":
        write_pdf(path, [[]])
    elif content == "pdf-encrypted":
        write_pdf(path, [letter_text.splitlines()], user_password="secret")
    else:
        path.write_bytes(content)
    return path


# the scan is OCR'd: it needs the real Tesseract
NEEDS_TESSERACT = {"scan.pdf"}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.tesseract) if name in NEEDS_TESSERACT else name for name in CASES
])
def test_bad_input_fails_with_its_error_and_the_good_ones_are_written(
        tmp_path, name, write_pdf, letter_text, capsys):
    content, code, reason = CASES[name]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good-1.txt").write_text(letter_text, encoding="utf-8")
    bad = _write_case(inbox, name, content, write_pdf, letter_text)
    (inbox / "good-2.txt").write_text(letter_text, encoding="utf-8")
    out = tmp_path / "out"

    status = main(["extract", str(inbox / "good-1.txt"), str(bad), str(inbox / "good-2.txt"), "--out", str(out)])

    assert status == code
    # nothing for the bad file (but what was read of one with no letter in it), no temp file
    no_letter = [f"{bad.stem}.json"] if code == 7 else []
    assert sorted(os.listdir(out)) == sorted(["good-1.json", "good-2.json", *no_letter])
    captured = capsys.readouterr()
    assert f"congvan: error: {bad}: " in captured.err
    assert reason in captured.err
    assert f"(exit {code})" in captured.out


@pytest.mark.tesseract
def test_all_bad_inputs_in_one_run(tmp_path, write_pdf, letter_text, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    paths = [str(_write_case(inbox, name, content, write_pdf, letter_text))
             for name, (content, _, _) in CASES.items()]
    (inbox / "good.txt").write_text(letter_text, encoding="utf-8")
    out = tmp_path / "out"

    status = main(["extract", *paths, str(inbox / "good.txt"), str(tmp_path / "missing.txt"), "--out", str(out)])

    assert status == CASES["empty.txt"][1]  # the first input that failed sets the exit code
    no_letters = [f"{name.rsplit('.', 1)[0]}.json" for name, (_, code, _) in CASES.items() if code == 7]
    assert sorted(os.listdir(out)) == sorted(["good.json", *no_letters])
    err = capsys.readouterr().err
    for name, (_, code, reason) in CASES.items():
        assert f"{inbox / name}: " in err and reason in err and f"(exit code {code})" in err
    assert f"{tmp_path / 'missing.txt'}: does not exist (exit code 3)" in err


def test_a_vietnamese_letter_in_cp1258_is_extracted(tmp_path, letter_text, encode_cp1258):
    (tmp_path / "legacy.txt").write_bytes(encode_cp1258(letter_text))
    assert main(["extract", str(tmp_path / "legacy.txt"), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "legacy.json").is_file()


def test_text_that_is_no_letter(tmp_path, not_a_letter_text, capsys):
    (tmp_path / "shopping.txt").write_text(not_a_letter_text, encoding="utf-8")
    status = main(["extract", str(tmp_path / "shopping.txt"), "--out", str(tmp_path / "out")])
    assert status == 7
    assert "shopping.txt: no official letter found in its 1 page" in capsys.readouterr().err
    # what was read is kept: its pages, no documents, a no_letter warning
    result = ExtractionResult.model_validate_json((tmp_path / "out" / "shopping.json").read_bytes())
    assert result.documents == [] and result.pages[0].text == not_a_letter_text
    assert [w.code for w in result.warnings][-1] == "no_letter"


def test_too_large_input(tmp_path, letter_text, capsys):
    (tmp_path / "big.txt").write_text(letter_text * 200, encoding="utf-8")
    status = main(["extract", str(tmp_path / "big.txt"), "--out", str(tmp_path / "out"), "--max-size", "0.01"])
    assert status == 12
    err = capsys.readouterr().err
    assert "big.txt: is 0.2 MiB, over the 10485 bytes limit (raise it with --max-size)" in err


def test_a_bug_on_one_input_does_not_stop_the_run(tmp_path, letter_text, monkeypatch, capsys, fork_workers):
    import pipeline.extract

    real = pipeline.extract.extract_documents

    def crash_on_second(pages, words=None):
        if "crash" in pages[0]:
            raise ValueError("boom")
        return real(pages, words)

    monkeypatch.setattr(pipeline.extract, "extract_documents", crash_on_second)
    (tmp_path / "a.txt").write_text("crash\n" + letter_text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(letter_text, encoding="utf-8")
    status = main(["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--out", str(tmp_path / "out")])
    assert status == 70
    assert os.listdir(tmp_path / "out") == ["b.json"]
    err = capsys.readouterr().err
    assert "Traceback" in err and "a.txt: internal error, please report it with this file (ValueError: boom)" in err


def test_output_that_cannot_be_written(tmp_path, letter_text, monkeypatch, capsys, fork_workers):
    import pipeline.runner

    def broken_disk(path, data):
        raise OSError(5, "Input/output error")  # a full disk has a code of its own: tests/badinput

    monkeypatch.setattr(pipeline.runner, "write_atomic", broken_disk)
    (tmp_path / "a.txt").write_text(letter_text, encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out")]) == 13
    assert "a.txt: cannot write " in capsys.readouterr().err
    assert os.listdir(tmp_path / "out") == []


def test_input_errors_cross_process_boundaries():
    """A pool worker's failed input comes back to the parent as the same error (it is pickled)."""
    import pickle

    from pipeline.errors import NotALetterError

    back = pickle.loads(pickle.dumps(NotALetterError("a.txt", "no official letter found")))
    assert (type(back), back.path, back.reason, back.exit_code) == (NotALetterError, "a.txt", "no official letter found", 7)
