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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.output import write_atomic
from pipeline.work import (
    Done,
    ErrorInfo,
    Item,
    extract_batch,
    file_sha256,
    fit_name,
    is_transient,
    make_batches,
    record,
    run_in_pool,
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
    store_retries: int = 3  # tries of a store write failing for a transient reason
    retry_delay: float = 1.0
    timezone: str = DEFAULT_TIMEZONE  # of the processed/YYYY-MM-DD folders


@dataclass
class FileReport:
    name: str
    status: str  # processed | duplicate | failed | postponed
    moved_to: str | None = None
    output: str | None = None
    error: dict | None = None
    seconds: float = 0.0
    pages: int = 0


@dataclass
class PassReport:
    inbox: str
    files: list[FileReport] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # still being written: next pass
    recovered: list[str] = field(default_factory=list)  # taken back from a dead pass

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("processed", "duplicate", "failed", "postponed")]
        return (f"{self.inbox}: {', '.join(parts)}; {len(self.waiting)} still being written"
                + (f"; {len(self.recovered)} recovered from a dead run" if self.recovered else ""))


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
    ready = []
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


def output_for(name: str, out_dir: Path) -> Path:
    return out_dir / fit_name(_split(name)[0] or name, ".json")


def run_once(inbox: Path, out_dir: Path, store, options: InboxOptions | None = None,  # noqa: ANN001
             *, extract: Callable[[list[list[Item]]], Iterator[Done]] | None = None,
             on_file: Callable[[FileReport], None] | None = None) -> PassReport:
    """One pass over the inbox. `store` is a pipeline.store.Store; `extract` runs batches of items
    (default: a pool of processes, or this process when options.workers == 1) — flows/ passes its own."""
    options = options or InboxOptions()
    inbox, out_dir = Path(inbox), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = PassReport(inbox.as_posix())
    tz = ZoneInfo(options.timezone)
    with Claim(inbox) as claim:
        recovered = claim.recover()
        report.recovered = [original_name(p) for p in recovered]
        ready, waiting = ready_files(inbox, min_age=options.min_age, settle=options.settle)
        report.waiting = [p.name for p in waiting]
        claimed = recovered + [c for c in (claim.take(p) for p in ready) if c is not None]

        def finish(file: FileReport) -> None:
            report.files.append(file)
            if on_file is not None:
                on_file(file)

        todo: list[Item] = []
        for path in claimed:
            name = original_name(path)
            sha = file_sha256(path)
            if sha is not None and _with_retries(lambda sha=sha: store.file_status(sha), options) == "ok":
                moved = move_processed(path, inbox, datetime.now(tz).date())
                finish(FileReport(name, "duplicate", moved_to=moved.as_posix()))
                continue
            todo.append(Item(path.as_posix(), name, output_for(name, out_dir).as_posix(), _size(path)))

        batches = make_batches(todo)
        if extract is None:
            extract = (lambda b: (d for batch in b for d in extract_batch(batch, max_bytes=options.max_bytes,
                                                                          ocr_workers=None))
                       ) if options.workers == 1 else (
                lambda b: run_in_pool(b, workers=options.workers, max_bytes=options.max_bytes))
        for done in extract(batches):
            finish(settle_one(done, inbox, store, options, tz))
    return report


def settle_one(done: Done, inbox: Path, store, options: InboxOptions, tz: ZoneInfo) -> FileReport:  # noqa: ANN001
    """Store one extracted file and move it on: processed/, failed/, or left for the next pass."""
    claimed = Path(done.item.source)
    name = done.item.name
    try:
        status = _with_retries(lambda: record(store, done), options)
    except Exception as error:
        if is_transient(error):  # the database, not the file: stays in processing/ for the next pass
            return FileReport(name, "postponed", moved_to=claimed.as_posix(),
                              error=ErrorInfo.from_error(error, stage="store").as_json())
        info = ErrorInfo.from_error(error, stage="store")
        moved = move_failed(claimed, inbox, info, sha256=done.sha256)
        return FileReport(name, "failed", moved_to=moved.as_posix(), error=info.as_json(), seconds=done.seconds)
    if done.error is not None:
        moved = move_failed(claimed, inbox, done.error, sha256=done.sha256)
        return FileReport(name, "failed", moved_to=moved.as_posix(), error=done.error.as_json(),
                          seconds=done.seconds)
    moved = move_processed(claimed, inbox, datetime.now(tz).date())
    return FileReport(name, "processed" if status == "stored" else "duplicate", moved_to=moved.as_posix(),
                      output=done.item.output, seconds=done.seconds, pages=done.pages)


def _with_retries(call: Callable, options: InboxOptions):  # noqa: ANN202
    for attempt in range(max(1, options.store_retries)):
        try:
            return call()
        except Exception as error:
            if not is_transient(error) or attempt + 1 >= options.store_retries:
                raise
            time.sleep(options.retry_delay * (2 ** attempt))
    raise AssertionError("unreachable")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
