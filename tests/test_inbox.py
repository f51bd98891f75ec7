"""The inbox pass (pipeline/inbox.py, `congvan inbox --once`): no Prefect here."""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from cli.main import main
from pipeline.inbox import PROCESSING, Claim, InboxOptions, ready_files, run_once
from pipeline.store import Store
from pipeline.runner import ErrorInfo, FileResult, Item, Retries, fit_name, ingest_file
from schemas import ExtractionResult

OLD = time.time() - 3600
FAST = InboxOptions(min_age=60, settle=0, workers=1)


def letter(base: str, number: int) -> str:
    return base.replace("Số: 12/UBND-VP", f"Số: {number}/UBND-VP")


def drop(inbox: Path, name: str, data: bytes | str, *, age: float | None = 3600) -> Path:
    path = inbox / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    if age is not None:
        os.utime(path, (time.time() - age, time.time() - age))
    return path


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def store(tmp_path: Path):
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as opened:
        yield opened


def test_a_night_of_good_and_bad_files(tmp_path, store, letter_text, not_a_letter_text, write_pdf):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    long_name = "c" * 196 + ".txt"  # 200 characters
    good = {
        "cv 1 có dấu cách.txt": letter(letter_text, 101),
        "công-văn-số-102.txt": letter(letter_text, 102),
        long_name: letter(letter_text, 103),
    }
    for name, text in good.items():
        drop(inbox, name, text)
    write_pdf(inbox / "dup-ingested-before.pdf", [letter(letter_text, 104).splitlines()])
    os.utime(inbox / "dup-ingested-before.pdf", (OLD, OLD))
    ingest_file(store, inbox / "dup-ingested-before.pdf")  # a letter already ingested
    bad = {
        "empty.txt": b"",
        "corrupt.pdf": b"%PDF-1.4\n1 0 obj garbage",
        "not a letter.txt": not_a_letter_text,
        "ảnh hỏng.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
        "notes.docx": b"PK\x03\x04 not congvan's",
        "huge.txt": letter(letter_text, 105) + " " * 25_000,
    }
    for name, data in bad.items():
        drop(inbox, name, data)
    write_pdf(inbox / "encrypted.pdf", [letter_text.splitlines()], user_password="secret")
    os.utime(inbox / "encrypted.pdf", (OLD, OLD))
    drop(inbox, "still-copying.txt", letter(letter_text, 106), age=None)  # modified just now

    options = InboxOptions(min_age=60, settle=0, workers=2, max_bytes=20_000)
    report = run_once(inbox, out, store, options)

    statuses = {f.name: f.status for f in report.results}
    assert {n: statuses[n] for n in good} == dict.fromkeys(good, "stored")
    assert statuses["dup-ingested-before.pdf"] == "unchanged"
    failed = [*bad, "encrypted.pdf"]
    assert {n: statuses[n] for n in failed} == dict.fromkeys(failed, "failed")
    assert report.waiting == ["still-copying.txt"]

    day = next((inbox / "processed").iterdir()).name
    files = tree(inbox)
    assert {f"processed/{day}/{n}" for n in [*good, "dup-ingested-before.pdf"]} <= files
    for name in failed:
        assert f"failed/{name}" in files
        error_json = fit_name(name, ".error.json")
        info = json.loads((inbox / "failed" / error_json).read_text("utf-8"))
        assert info["file"] == name and info["error"].endswith("Error") and info["message"]
        assert info["stage"] in {"read", "decode", "extract", "ocr"} and info["time"]
    errors = {n: json.loads((inbox / "failed" / fit_name(n, ".error.json")).read_text())["error"] for n in failed}
    assert errors["empty.txt"] == "EmptyInputError"
    assert errors["corrupt.pdf"] == "CorruptPdfError"
    assert errors["encrypted.pdf"] == "EncryptedPdfError"
    assert errors["not a letter.txt"] == "NotALetterError"
    assert errors["huge.txt"] == "InputTooLargeError"
    # nothing deleted: every file dropped is somewhere; nothing left claimed
    assert "still-copying.txt" in files
    assert len([f for f in files if not f.endswith(".json")]) == len(good) + len(failed) + 2
    assert not list((inbox / PROCESSING).iterdir())
    # the file with no letter in it: what was read of it beside its error file, no documents
    unread = ExtractionResult.model_validate_json((inbox / "failed" / "not a letter.txt.json").read_bytes())
    assert unread.documents == [] and unread.pages[0].text and "no_letter" in [w.code for w in unread.warnings]
    # JSON for the good ones and for the one with no letter, none for the other failures, no temporary files
    outputs = {p.name for p in out.iterdir()}
    # the letter stored before (by ingest, without JSON) gets its JSON too; the store keeps it unchanged
    assert {"cv 1 có dấu cách.json", "công-văn-số-102.json", fit_name("c" * 196, ".json"),
            "dup-ingested-before.json", "not a letter.json"} == outputs
    assert store.file_status(json.loads((out / "công-văn-số-102.json").read_text())["source"]["sha256"]) == "ok"

    # the next pass: only the file that was being written
    os.utime(inbox / "still-copying.txt", (OLD, OLD))
    again = run_once(inbox, out, store, FAST)
    assert [(f.name, f.status) for f in again.results] == [("still-copying.txt", "stored")]


def test_the_same_name_twice_keeps_both(tmp_path, store, letter_text):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for number in (201, 202):
        drop(inbox, "cv.txt", letter(letter_text, number))
        run_once(inbox, out, store, FAST)
    day = next((inbox / "processed").iterdir())
    assert sorted(p.name for p in day.iterdir()) == ["cv (2).txt", "cv.txt"]


def test_file_still_growing_waits(tmp_path, letter_text):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    path = drop(inbox, "growing.txt", letter_text)
    drop(inbox, "done.txt", letter_text)

    def grow() -> None:
        time.sleep(0.1)
        with open(path, "a") as file:
            file.write("more")
        os.utime(path, (OLD, OLD))  # a copier that keeps the old time: only the size tells
    writer = threading.Thread(target=grow)
    writer.start()
    ready, waiting = ready_files(inbox, min_age=60, settle=0.4)
    writer.join()
    assert [p.name for p in ready] == ["done.txt"] and [p.name for p in waiting] == ["growing.txt"]


def test_two_passes_at_once_never_take_the_same_file(tmp_path, letter_text):
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", f"sqlite:///{tmp_path / 'store.db'}"
    inbox.mkdir()
    names = [f"cv-{n}.txt" for n in range(40)]
    for n, name in enumerate(names):
        drop(inbox, name, letter(letter_text, 300 + n))
    Store(db).close()  # migrated once, before the race
    reports = []

    def one_pass() -> None:
        with Store(db) as store:
            reports.append(run_once(inbox, out, store, FAST))
    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handled = [f.name for report in reports for f in report.results]
    assert sorted(handled) == sorted(names)  # each once, by one pass or the other
    assert all(f.status == "stored" for report in reports for f in report.results)
    day = next((inbox / "processed").iterdir())
    assert sorted(p.name for p in day.iterdir()) == sorted(names)


def test_a_killed_pass_is_picked_up_again(tmp_path, store, letter_text):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (inbox / PROCESSING / "20260101T020000-999-dead").mkdir(parents=True)
    # a dead pass: its folder (lock free), a file it claimed, and the temporary file of a JSON it
    # was writing when killed
    drop(inbox / PROCESSING / "20260101T020000-999-dead", "claimed.txt", letter(letter_text, 401))
    out.mkdir()
    (out / ".claimed.json.999.deadbeef.tmp").write_text('{"half": ')
    drop(inbox, "new.txt", letter(letter_text, 402))
    report = run_once(inbox, out, store, FAST)
    assert report.recovered == ["claimed.txt"]
    assert sorted((f.name, f.status) for f in report.results) == [("claimed.txt", "stored"), ("new.txt", "stored")]
    assert not list((inbox / PROCESSING).iterdir())
    for name in ("claimed.json", "new.json"):
        assert json.loads((out / name).read_text("utf-8"))["documents"]  # whole files
    assert not (out / "half.json").exists()


def test_a_live_pass_keeps_its_files(tmp_path, store, letter_text):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    with Claim(inbox) as other:  # another pass, alive, holding its lock
        drop(other.folder, "mine.txt", letter(letter_text, 501))
        report = run_once(inbox, out, store, FAST)
        assert report.results == [] and (other.folder / "mine.txt").exists()


def test_a_locked_store_leaves_the_file_for_the_next_pass(tmp_path, letter_text):
    from zoneinfo import ZoneInfo

    from sqlalchemy.exc import OperationalError

    from pipeline.inbox import move_on
    from pipeline.runner import WRITTEN, store_one

    inbox = tmp_path / "inbox"
    (inbox / PROCESSING / "run").mkdir(parents=True)
    claimed = drop(inbox / PROCESSING / "run", "cv.txt", "x")

    class Locked:
        calls = 0

        def ingest_result(self, *_a, **_k):
            Locked.calls += 1
            raise OperationalError("INSERT", {}, Exception("database is locked"))

    done = FileResult(Item(claimed.as_posix(), "cv.txt", None), WRITTEN, "0" * 64, result=object(), seconds=0.1)
    result = store_one(Locked(), done, retries=Retries(tries=2, delay=0))
    move_on(result, inbox, ZoneInfo("UTC"))
    assert result.status == "postponed" and claimed.exists() and Locked.calls == 2
    assert result.error is not None and result.error.stage == "store"
    assert not (inbox / "failed").exists()


def test_error_info_is_plain_data():
    from pipeline.errors import EncryptedPdfError

    info = ErrorInfo.from_error(EncryptedPdfError("a.pdf", "is encrypted"))
    assert (info.type, info.stage, info.exit_code) == ("EncryptedPdfError", "decode", 10)
    assert isinstance(info.as_error("a.pdf"), EncryptedPdfError)
    assert len(fit_name("ế" * 150, ".error.json").encode()) <= 200


def test_cli_inbox_once(tmp_path, letter_text, capsys):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    drop(inbox, "tốt.txt", letter(letter_text, 601))
    drop(inbox, "rỗng.txt", b"")
    code = main(["inbox", "--once", str(inbox), "--out", str(out), "--db", str(tmp_path / "s.db"),
                 "--workers", "1"])
    printed = capsys.readouterr().out
    assert code == 4  # the first failed file's: EmptyInputError
    assert "1 stored, 1 failed" in printed
    assert (out / "tốt.json").exists() and (inbox / "failed" / "rỗng.txt.error.json").exists()
