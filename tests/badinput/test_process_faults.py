"""Faults of the processes around the files (issue 14): the inbox's parent killed with -9, a full
disk under `ingest --out`, two commands migrating one new store, the size check of ingest, the
workers' temporary page images."""
from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from cli.main import main
from pipeline.limits import Limits
from pipeline.runner import Item
from pipeline.workers import WorkerPool

from badinput import inputs
from badinput.common import age, error_file, good_letters, inbox_pass, processed

CONGVAN = Path(sys.executable).with_name("congvan")
SCAN = Path(__file__).resolve().parents[2] / "data/samples/scans/cong-van-8731-ubnd-can-gio/clean/page-3.png"


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        try:
            with open(f"/proc/{todo[-1]}/task/{todo[-1]}/children") as file:
                children = [int(c) for c in file.read().split()]
        except OSError:
            children = []
        todo.pop()
        found += children
        todo += children
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, seconds: float = 20.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_kill_9_of_the_inbox_parent_kills_its_workers_and_the_next_pass_takes_over(tmp_path):
    """The pass is killed (SIGKILL, as the OOM killer does) while its worker is stuck in a PDF's
    reference loop: the workers and fork server die with it; its lock is stale, and the next pass
    takes the claimed file back (and ends it in timeout) and does the good letter."""
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "store.db"
    age(inputs.pdf_reference_loop(good_letters(inbox, "a-good.txt")[0].with_name("loop.pdf")), *inbox.iterdir())
    command = [str(CONGVAN), "inbox", "--once", str(inbox), "--out", str(out), "--db", str(db), "--workers", "1",
               "--time-limit", "300"]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # the good letter is done first (cheapest first), then the worker loops on the PDF
        assert wait_for(lambda: "a-good.txt" in processed(inbox) and len(descendants(parent.pid)) >= 2)
        time.sleep(0.5)
        workers = descendants(parent.pid)
        assert list((inbox / "processing").glob("*/loop.pdf"))
        parent.kill()
        parent.wait()
        assert wait_for(lambda: not any(alive(pid) for pid in workers), 10), "workers outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    assert inbox_pass(inbox, out, db, "--time-limit", "2") == 19
    assert error_file(inbox, "loop.pdf")["status"] == "timeout"
    assert not list((inbox / "processing").rglob("loop.pdf"))
    assert (out / "a-good.json").is_file()


def test_a_failed_write_is_written_on_the_rerun(tmp_path, monkeypatch, capsys, fork_workers):
    """`ingest --out` on a full disk: the file is not 'already stored' on the rerun, which writes its
    JSON; and a JSON deleted since is written again (a file is done when its rows and JSON exist)."""
    import pipeline.runner

    def full(path, data):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    [letter] = good_letters(tmp_path / "in", "cv.txt")
    command = ["ingest", str(letter), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db"), "--quiet"]
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.runner, "write_atomic", full)
        assert main(command) == 22
    assert "left for the next run" in capsys.readouterr().err
    assert main(command) == 0
    assert (tmp_path / "out" / "cv.json").is_file()
    (tmp_path / "out" / "cv.json").unlink()
    assert main(command) == 0
    assert (tmp_path / "out" / "cv.json").is_file()


def test_a_bulk_run_on_a_full_disk_writes_the_json_on_the_rerun(prefect_harness, tmp_path, monkeypatch, capsys,
                                                                fork_workers):
    """The issue's case: `bulk --out` on a full disk, then space freed: the rerun writes every JSON
    and stores the files (it once called them 'already stored', wrote nothing and exited 0)."""
    import pipeline.runner

    def full(path, data):  # noqa: ANN001, ANN202
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    good_letters(tmp_path / "in", "a.txt", "b.txt")
    command = ["bulk", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "s.db"),
               "--workers", "1", "--quiet"]
    with monkeypatch.context() as patch:
        patch.setattr(pipeline.runner, "write_atomic", full)
        assert main(command) == 22
    assert not list((tmp_path / "out").glob("*.json"))
    capsys.readouterr()
    assert main(command) == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["a.json", "b.json"]
    assert capsys.readouterr().out.splitlines()[3].split()[:3] == ["2", "2", "0"]  # files, stored, unchanged


def test_two_obligations_commands_on_a_new_store_both_succeed(tmp_path):
    """A new (empty) SQLite file: both commands migrate it at once; one waits for the other's lock."""
    for attempt in range(2):
        db = tmp_path / f"new-{attempt}.db"
        db.touch()
        runs = [subprocess.Popen([str(CONGVAN), "obligations", "--db", str(db)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE) for _ in range(2)]
        results = [(run.wait(60), run.stderr.read().decode()) for run in runs]  # type: ignore[union-attr]
        assert [code for code, _ in results] == [0, 0], results


def test_ingest_checks_the_size_before_reading(tmp_path, capsys):
    """A sparse 2 GiB file under a memory limit a read of it would break: refused by its size (12),
    not by memory (20); the good letter stored."""
    folder = tmp_path / "in"
    good_letters(folder, "a-good.txt")
    inputs.sparse_file(folder / "huge.txt")
    code = main(["ingest", str(folder), "--db", str(tmp_path / "s.db"), "--memory-limit", "600", "--quiet"])
    err = capsys.readouterr().err
    assert code == 12 and "huge.txt: is 2048.0 MiB, over the 100.0 MiB limit" in err


def test_page_images_are_private_and_removed(tmp_path, monkeypatch):
    """A scan's page images and Tesseract's files live in the worker's own folder (0700, its files
    0600), which is gone when the pool closes; one left by a killed pass is removed."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    umask = os.umask(0o022)
    os.umask(umask)
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = temp / f"congvan-worker-{dead.pid}-stale"
    stale.mkdir(mode=0o700)
    (stale / "page-1.png").write_bytes(b"left by a killed pass")
    seen: dict[str, int] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for folder, names, files in os.walk(temp):
                for name in [*names, *files]:
                    try:
                        seen[os.path.join(folder, name)] = os.lstat(os.path.join(folder, name)).st_mode
                    except OSError:
                        pass
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with WorkerPool(1, limits=Limits(seconds=120)) as pool:
            assert not stale.exists()
            page = tmp_path / "scan.png"
            page.write_bytes(SCAN.read_bytes())
            result = pool.extract(Item(str(page), "scan.png", str(tmp_path / "scan.json")))
    finally:
        done.set()
        watcher.join()
    assert result.error is None
    workers = [p for p in seen if Path(p).parent == temp and Path(p).name.startswith("congvan-worker-")
               and "stale" not in p]
    assert workers and all(stat.S_IMODE(seen[p]) == 0o700 for p in workers)
    # every page image and Tesseract file was inside a worker's folder, its own (0600), and none is left
    inside = [p for p in seen if any(p.startswith(w + os.sep) for w in workers)]
    assert any(p.lower().endswith(".png") for p in inside)
    assert all(stat.S_IMODE(seen[p]) & 0o077 == 0 for p in inside), {p: oct(seen[p]) for p in inside}
    # the JSON, written by the worker for the user, has the user's umask, not the worker's
    assert stat.S_IMODE((tmp_path / "scan.json").stat().st_mode) == 0o666 & ~umask
    # (pymp-*: multiprocessing's folder of this process, for the fork server's socket)
    others = [p for p in seen if Path(p).parent == temp and p not in workers and p != str(stale)
              and not Path(p).name.startswith("pymp-")]
    assert others == []
    assert [name for name in os.listdir(temp) if not name.startswith("pymp-")] == []


def test_a_lock_held_on_by_a_straggler_is_stale_when_its_pass_is_gone(tmp_path):
    """A dead pass's lock still held (flock) by a process it left behind: the lock file names a
    process that is gone, so the next pass takes the claimed file back all the same."""
    inbox, out, db = tmp_path / "inbox", tmp_path / "out", tmp_path / "store.db"
    good_letters(inbox, "a-good.txt")
    dead_pass = inbox / "processing" / "20240101T000000-1-dead"
    dead_pass.mkdir(parents=True)
    [claimed] = good_letters(dead_pass, "claimed.txt")
    gone = subprocess.Popen(["true"])
    gone.wait()
    (dead_pass / ".lock").write_text(f"{gone.pid} 12345\n")
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(120)",
                               str(dead_pass / ".lock")], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        age(*inbox.glob("*.txt"), claimed)
        assert inbox_pass(inbox, out, db) == 0
    finally:
        holder.kill()
        holder.wait()
    assert {"a-good.txt", "claimed.txt"} <= processed(inbox)
    assert (out / "claimed.json").is_file()
