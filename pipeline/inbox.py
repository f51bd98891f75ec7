"""The inbox: a folder letters are dropped into, emptied by one pass at a time (nightly, or by hand).

    INBOX/                      files dropped here wait for the next pass
    INBOX/processing/<run>/     files a pass has claimed (os.rename: two passes never take the same file)
    INBOX/processed/YYYY-MM-DD/ files done (stored, JSON written), or already in the store
    INBOX/failed/               files that failed, each with <name>.error.json beside it

A pass claims every file that is ready (not modified for `min_age` seconds, and the same size
twice `settle` seconds apart: a file still being copied waits for the next pass), extracts them
(in a pool of processes), writes their JSON (atomically), stores them, and moves each one on.
Nothing is ever deleted. A pass holds a lock (flock) on its folder in processing/; a folder whose
lock is free belongs to a dead pass, and the next pass takes its files back and does them again
(the store is idempotent by SHA-256, the JSON files are whole or absent). When the store fails
for a transient reason (locked, connection lost) the file stays in processing/ for the next pass.

No Prefect here: flows/ calls these same functions.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.limits import Limits
from pipeline.output import write_atomic
from pipeline.runner import FAILED as FAILED_STATUS
from pipeline.runner import (
    POSTPONED,
    ErrorInfo,
    Extract,
    FileResult,
    Item,
    OutputNamer,
    Retries,
    RunReport,
    choose_extract,
    file_sha256,
    file_size,
    fit_name,
    run,
)

PROCESSING, PROCESSED, FAILED = "processing", "processed", "failed"
LOCK = ".lock"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


@dataclass(frozen=True)
class InboxOptions:
    min_age: float = 60.0  # seconds since the last change before a file is taken
    settle: float = 1.0  # seconds between the two size checks (0: one check)
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int | None = None  # processes extracting; None: one per core; 1: in this process
    retries: Retries = Retries()  # of a store write failing for a transient reason
    timezone: str = DEFAULT_TIMEZONE  # of the processed/YYYY-MM-DD folders
    limits: Limits = Limits()  # what one file may cost (pipeline/limits.py)


def summary(inbox: Path, report: RunReport) -> str:
    """'INBOX: 2 stored, 1 failed; 1 still being written' (and files recovered from a dead pass)."""
    return (f"{inbox.as_posix()}: {report.counts()}; {len(report.waiting)} still being written"
            + (f"; {len(report.recovered)} recovered from a dead pass" if report.recovered else ""))


# --- which files are ready ---------------------------------------------------------------------


def candidates(inbox: Path) -> list[Path]:
    """Regular files directly in the inbox, hidden ones left alone, in name order."""
    found = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            found.append(Path(entry.path))
    return sorted(found)


def ready_files(inbox: Path, *, min_age: float = 60.0, settle: float = 1.0,
                now: float | None = None) -> tuple[list[Path], list[Path]]:
    """(ready, still being written): a file changed in the last `min_age` seconds, or whose size or
    modification time changes within `settle` seconds, is left for the next pass."""
    now = time.time() if now is None else now
    first: dict[Path, tuple[int, int]] = {}
    waiting: list[Path] = []
    for path in candidates(inbox):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue  # taken by another pass
        if now - stat.st_mtime < min_age:
            waiting.append(path)
        else:
            first[path] = (stat.st_size, stat.st_mtime_ns)
    if settle > 0 and first:
        time.sleep(settle)
    ready: list[Path] = []
    for path, seen in first.items():
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        (ready if (stat.st_size, stat.st_mtime_ns) == seen else waiting).append(path)
    return ready, sorted(waiting)


# --- claiming ------------------------------------------------------------------------------------


class Claim:
    """This pass's folder in processing/, locked while the pass lives. Use as a context manager."""

    def __init__(self, inbox: Path) -> None:
        self.inbox = inbox
        self.processing = inbox / PROCESSING
        self.run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}-{secrets.token_hex(3)}"
        self.folder = self.processing / self.run_id
        self._lock_fd: int | None = None

    def __enter__(self) -> Claim:
        self.processing.mkdir(parents=True, exist_ok=True)
        # made under a hidden name and renamed, so no other pass ever sees it unlocked
        hidden = self.processing / f".new-{self.run_id}"
        hidden.mkdir()
        self._lock_fd = os.open(hidden / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        os.rename(hidden, self.folder)
        return self

    def __exit__(self, *_: object) -> None:
        if self._lock_fd is None:
            return
        leftovers = [p for p in self.folder.iterdir() if p.name != LOCK]
        if not leftovers:  # our own empty folder and lock file: not the user's files
            (self.folder / LOCK).unlink(missing_ok=True)
            _rmdir(self.folder)
        os.close(self._lock_fd)  # files left here are taken back by the next pass
        self._lock_fd = None

    def take(self, path: Path) -> Path | None:
        """Move `path` into this pass's folder; None when another pass took it first."""
        target = self.folder / path.name
        if target.exists():  # a file of the same name recovered from a dead pass
            target = self.folder / f"{secrets.token_hex(3)}~{path.name}"
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        return target

    def recover(self) -> list[Path]:
        """Take over the files of dead passes (their folder's lock is free) and stray files in processing/."""
        taken: list[Path] = []
        for entry in sorted(self.processing.iterdir()):
            if entry == self.folder or entry.name.startswith("."):
                continue
            if entry.is_file():
                moved = self.take(entry)
                taken += [moved] if moved else []
                continue
            if not entry.is_dir():
                continue
            try:
                fd = os.open(entry / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError:
                continue  # gone, or not ours to open
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a live pass
                for path in sorted(entry.iterdir()):
                    if path.name != LOCK and path.is_file():
                        moved = self.take(path)
                        taken += [moved] if moved else []
                if not any(p.name != LOCK for p in entry.iterdir()):
                    (entry / LOCK).unlink(missing_ok=True)
                    _rmdir(entry)
            finally:
                os.close(fd)
        return taken


def _rmdir(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty after all: something was put there; leave it


# --- moving on -----------------------------------------------------------------------------------


def original_name(claimed: Path) -> str:
    """The name the file had in the inbox (a claim may have prefixed "xxxxxx~" to avoid a clash)."""
    name = claimed.name
    prefix, sep, rest = name.partition("~")
    if sep and len(prefix) == 6 and all(c in "0123456789abcdef" for c in prefix) and rest:
        return rest
    return name


def place(source: Path, folder: Path, name: str) -> Path:
    """Move `source` into `folder` as `name`, or `name (2)`, `name (3)` ... never over another file."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = _split(name)
    for n in range(1, 10_000):
        candidate = folder / (name if n == 1 else fit_name(f"{stem} ({n})", suffix))
        try:
            os.link(source, candidate)  # fails if taken: no file is ever replaced
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if candidate.exists():
                continue
            os.rename(source, candidate)
            return candidate
        os.unlink(source)
        return candidate
    raise FileExistsError(f"no free name for {name} in {folder}")


def _split(name: str) -> tuple[str, str]:
    path = Path(name)
    return (path.stem, path.suffix) if path.suffix and len(path.suffix) <= 10 else (name, "")


def move_processed(claimed: Path, inbox: Path, day: date) -> Path:
    return place(claimed, inbox / PROCESSED / day.isoformat(), original_name(claimed))


def move_failed(claimed: Path, inbox: Path, error: ErrorInfo, **extra: object) -> Path:
    """Into failed/, with <name>.error.json beside it (error type, message, stage, time)."""
    name = original_name(claimed)
    moved = place(claimed, inbox / FAILED, name)
    report = error.as_json(file=name, **extra)
    data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    write_atomic(moved.parent / fit_name(moved.name, ".error.json"), data)
    return moved


# --- one pass -------------------------------------------------------------------------------------


def run_once(inbox: Path, out_dir: Path, store, options: InboxOptions | None = None,  # noqa: ANN001
             *, extract: Extract | None = None,
             on_result: Callable[[FileResult], None] | None = None) -> RunReport:
    """One pass over the inbox through the runner (pipeline/runner.py). `store` is a
    pipeline.store.Store; `extract` runs batches of items (default: a pool of processes, or this
    process when options.workers == 1) — flows/ passes Prefect tasks. Each file is moved on as
    its result comes: processed/ (stored, or the store had it), failed/ (with its error file),
    or left in processing/ when the store could not be reached (postponed)."""
    options = options or InboxOptions()
    inbox, out_dir = Path(inbox), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = RunReport()
    tz = ZoneInfo(options.timezone)
    with Claim(inbox) as claim:
        recovered = claim.recover()
        report.recovered = [original_name(p) for p in recovered]
        ready, waiting = ready_files(inbox, min_age=options.min_age, settle=options.settle)
        report.waiting = [p.name for p in waiting]
        claimed = recovered + [c for c in (claim.take(p) for p in ready) if c is not None]
        # JSON named by the file's inbox name; another file's JSON of that name (tonight's scan001.pdf
        # is not last night's) is kept, and this one gets a suffix from its SHA-256
        namer = OutputNamer(out_dir, keep_others=True)
        items = []
        for path in claimed:
            name = original_name(path)
            sha = file_sha256(path) or name
            output = namer.name(Path(name).stem or name, name, sha, sha256=sha)
            items.append(Item(path.as_posix(), name, output.as_posix() if output else None, file_size(path)))
        report.notes += namer.notes

        def settle(result: FileResult) -> None:
            move_on(result, inbox, tz)
            if on_result is not None:
                on_result(result)

        run(items, store=store, extract=extract or choose_extract(options.workers, limits=options.limits,
                                                            max_bytes=options.max_bytes),
            retries=options.retries, on_result=settle, report=report)
    return report


def move_on(result: FileResult, inbox: Path, tz: ZoneInfo) -> None:
    """Move a claimed file on by its result: processed/, failed/ (with <name>.error.json), or left
    in processing/ for the next pass when the store could not be reached."""
    claimed = Path(result.item.source)
    if result.status == POSTPONED:
        result.moved_to = claimed.as_posix()
    elif result.status == FAILED_STATUS and result.error is not None:
        result.moved_to = move_failed(claimed, inbox, result.error, sha256=result.sha256).as_posix()
    else:
        result.moved_to = move_processed(claimed, inbox, datetime.now(tz).date()).as_posix()
