"""`congvan inbox --once` with the bad files, links and names of issue 14 among good letters: the
bad file is quarantined in failed/ with <name>.error.json (its type, exit code and reason), never
deleted; every good letter of the pass is stored, its JSON written, the file moved to processed/;
nothing outside the inbox and --out is read or written through a link."""
from __future__ import annotations

import errno
import json
import os
import threading
import time
from pathlib import Path

from badinput import inputs
from badinput.common import age, error_file, files_under, good_letters, inbox_pass, plant_extractor_bug, processed

GOOD = ("a-good.txt", "z-good.txt")


def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "store.db"
    age(*good_letters(inbox, *GOOD))
    return inbox, out, db


def assert_good_done(inbox: Path, out: Path) -> None:
    assert set(GOOD) <= processed(inbox)
    assert {f"{Path(n).stem}.json" for n in GOOD} <= set(os.listdir(out))


def test_a_reference_loop_ends_in_timeout_within_its_limit(tmp_path):
    inbox, out, db = setup(tmp_path)
    age(inputs.pdf_reference_loop(inbox / "loop.pdf"))
    started = time.monotonic()
    assert inbox_pass(inbox, out, db, "--time-limit", "2") == 19
    assert time.monotonic() - started < 2 + 30  # the limit and the hard limit's grace, at most
    error = error_file(inbox, "loop.pdf")
    assert (error["error"], error["status"], error["exit_code"]) == ("TimeLimitError", "timeout", 19)
    assert "time limit of 2 s" in error["message"]
    assert (inbox / "failed" / "loop.pdf").read_bytes()[:8] == b"%PDF-1.4"
    assert_good_done(inbox, out)


def test_a_memory_bomb_is_quarantined_and_the_pass_goes_on(tmp_path):
    inbox, out, db = setup(tmp_path)
    age(inputs.pdf_stream_bomb(inbox / "bomb.pdf", 200 << 20))
    code = inbox_pass(inbox, out, db, "--memory-limit", "450")
    error = error_file(inbox, "bomb.pdf")
    assert code == error["exit_code"] and code in (20, 21) and "450 MiB" in error["message"]
    assert (inbox / "failed" / "bomb.pdf").is_file()
    assert_good_done(inbox, out)


def test_links_in_processing_are_refused_and_nothing_outside_is_touched(tmp_path):
    """Links planted in processing/ (loose, in a dead pass's folder, to a folder) and in the inbox
    itself (to a file, a loop): refused into failed/ as links; the files they name are not read,
    moved or published."""
    inbox, out, db = setup(tmp_path)
    outside = tmp_path / "outside"
    secret = inputs.good_letter(outside / "secret.txt" if outside.mkdir() is None else outside, 999)
    inputs.good_letter(outside / "other.txt", 998)
    before = files_under(outside)
    dead = inbox / "processing" / "20240101T000000-1-dead"
    dead.mkdir(parents=True)
    (inbox / "processing" / "loose.txt").symlink_to(secret)
    (dead / "planted.txt").symlink_to(secret)
    (inbox / "processing" / "folder").symlink_to(outside)
    (inbox / "dropped.txt").symlink_to(secret)
    loop = inputs.symlink_loop(inbox)
    age(inbox / "dropped.txt", loop, loop.with_name("loop.txt.2"))

    code = inbox_pass(inbox, out, db)

    assert code == 8
    assert files_under(outside) == before
    for name in ("loose.txt", "planted.txt", "folder", "dropped.txt", "loop.txt", "loop.txt.2"):
        assert (inbox / "failed" / name).is_symlink(), name
        error = error_file(inbox, name)
        assert error["error"] == "UnsupportedInputError" and "link" in error["message"]
    assert_good_done(inbox, out)
    published = b"".join(p.read_bytes() for p in out.iterdir())
    assert "Số: 999/".encode() not in published


def test_failed_and_processed_as_links_are_refused(tmp_path):
    """INBOX/failed and INBOX/processed made links to folders outside: moved aside, real folders
    made in their place; nothing is written through them."""
    inbox, out, db = setup(tmp_path)
    elsewhere = {name: tmp_path / f"elsewhere-{name}" for name in ("failed", "processed")}
    for name, folder in elsewhere.items():
        folder.mkdir()
        (folder / "theirs.txt").write_text("not the inbox's")
        (inbox / name).symlink_to(folder, target_is_directory=True)
    age(inputs.text_one_line(inbox / "one-line.txt"))

    code = inbox_pass(inbox, out, db)

    assert code in (7, 8)  # the not-a-letter or a refused link, whichever the report lists first
    for folder in elsewhere.values():
        assert os.listdir(folder) == ["theirs.txt"]
    assert not (inbox / "failed").is_symlink() and not (inbox / "processed").is_symlink()
    assert error_file(inbox, "one-line.txt")["exit_code"] == 7
    refused = [json.loads(p.read_text()) for p in (inbox / "failed").glob("*.error.json")]
    assert sum("symbolic link with the name of the inbox's own folder" in e["message"] for e in refused) == 2
    assert_good_done(inbox, out)


def test_a_file_named_processing_does_not_stop_the_pass(tmp_path):
    inbox, out, db = setup(tmp_path)
    (inbox / "processing").write_text("a user's file")
    assert inbox_pass(inbox, out, db) == 8
    assert (inbox / "processing").is_dir()
    [aside] = [p for p in (inbox / "failed").iterdir() if p.name == "processing"]
    assert aside.read_text() == "a user's file"
    assert "a file with the name of the inbox's own folder" in error_file(inbox, "processing")["message"]
    assert_good_done(inbox, out)
    assert inbox_pass(inbox, out, db) == 0  # and the next pass is clean


def test_names_are_kept_and_nothing_is_overwritten(tmp_path, write_pdf):
    """Two files of one stem give two JSONs; `abc123~x.txt` keeps its name; a user's own
    X.error.json is not replaced by the error file of X; a 188-character Vietnamese name writes."""
    inbox, out, db = setup(tmp_path)
    long_name = inputs.vietnamese_long_name()
    inputs.good_letter(inbox / "cv.txt", 301)
    write_pdf(inbox / "cv.pdf", [inputs.letter(302).splitlines()])
    inputs.good_letter(inbox / "abc123~x.txt", 303)
    inputs.good_letter(inbox / long_name, 304)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "empty.txt.error.json").write_text('{"mine": true}\n')
    age(*[p for p in inbox.iterdir() if p.is_file()])

    inbox_pass(inbox, out, db)

    jsons = {p.name: json.loads(p.read_text()) for p in out.glob("*.json")}
    numbers = {d["number"] for j in jsons.values() for d in j["documents"]}
    assert {301, 302, 303, 304} <= {int(n) for n in numbers if n}
    assert {"cv.txt", "cv.pdf", "abc123~x.txt", long_name} <= processed(inbox)
    assert "abc123~x.json" in jsons
    mine = [p for p in (inbox / "failed").rglob("*") if p.is_file() and p.read_bytes() == b'{"mine": true}\n']
    assert len(mine) == 1
    errors = [json.loads(p.read_text()) for p in (inbox / "failed").glob("*.error.json") if p not in mine]
    assert any(e["file"] == "empty.txt" and e["exit_code"] == 4 for e in errors)
    assert_good_done(inbox, out)


def test_a_long_vietnamese_name_that_fails_is_quarantined(tmp_path):
    inbox, out, db = setup(tmp_path)
    name = inputs.vietnamese_long_name()
    age(inputs.text_one_line(inbox / name))
    assert inbox_pass(inbox, out, db) == 7
    assert (inbox / "failed" / name).is_file()
    [error] = (inbox / "failed").glob("*.error.json")
    assert json.loads(error.read_text())["file"] == name and len(error.name.encode()) <= 255
    assert_good_done(inbox, out)


def test_a_full_output_disk_leaves_the_letters_for_the_next_pass(tmp_path, monkeypatch, fork_workers):
    """No space for the JSON (ENOSPC, as the disk gives it): the letters stay in processing/, nothing
    is recorded, exit 22; the next pass, with space, does them."""
    import pipeline.runner

    def full(path, data):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    inbox, out, db = setup(tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.runner, "write_atomic", full)
        assert inbox_pass(inbox, out, db) == 22
    assert sorted(p.name for p in (inbox / "processing").rglob("*.txt")) == sorted(GOOD)
    assert not (inbox / "failed").exists() or not list((inbox / "failed").iterdir())
    assert inbox_pass(inbox, out, db) == 0
    assert_good_done(inbox, out)
    assert not list((inbox / "processing").rglob("*.txt"))


def test_a_stalled_copy_is_not_claimed(tmp_path, capsys):
    """A copy that keeps an old modification time and still grows between the pass's two looks
    is left for the next pass; once it stops, it is claimed whole."""
    inbox, out, db = setup(tmp_path)
    copy = inbox / "copy.txt"
    text = inputs.letter(401).encode()
    copy.write_bytes(text[:100])
    age(copy)
    stop = threading.Event()

    def trickle() -> None:  # a copier that writes a little at a time and keeps the source's time
        written = 100
        while not stop.is_set() and written < len(text):
            with copy.open("ab") as file:
                file.write(text[written:written + 8])
            written += 8
            age(copy)
            time.sleep(0.05)

    writer = threading.Thread(target=trickle)
    writer.start()
    try:
        assert inbox_pass(inbox, out, db) == 0
    finally:
        stop.set()
        writer.join()
    assert "waiting    copy.txt" in capsys.readouterr().out
    assert copy.is_file() and "copy.txt" not in processed(inbox)
    copy.write_bytes(text)
    age(copy)
    assert inbox_pass(inbox, out, db) == 0
    assert "copy.txt" in processed(inbox) and (out / "copy.json").is_file()


def test_an_internal_error_file_names_no_install_path(tmp_path, monkeypatch, fork_workers):
    """A bug on one file: quarantined with its traceback in the error file, the files named from
    their package, no install path; the good letters go on."""
    import sys

    plant_extractor_bug(monkeypatch)
    inbox, out, db = setup(tmp_path)
    (inbox / "bug.txt").write_text("BUG\n" + inputs.letter(), encoding="utf-8")
    age(inbox / "bug.txt")
    assert inbox_pass(inbox, out, db) == 70
    error = error_file(inbox, "bug.txt")
    assert error["error"] == "InternalError" and 'File "pipeline/extract.py"' in error["traceback"]
    repo = str(Path(__file__).resolve().parents[2])
    for root in {repo, sys.prefix, sys.base_prefix, os.path.dirname(os.__file__)}:
        assert f'"{root}/' not in error["traceback"]
    assert_good_done(inbox, out)
