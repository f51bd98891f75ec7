"""The inbox: a folder letters are dropped into, emptied by one pass at a time (nightly, or by hand).

    INBOX/                      files dropped here wait for the next pass
    INBOX/processing/<run>/     files a pass has claimed (os.rename: two passes never take the same file)
    INBOX/processed/YYYY-MM-DD/ files done (stored, JSON written), or already in the store
    INBOX/failed/               files that failed, each with <name>.error.json beside it (and, for a
                                file with no letter in it, <name>.json: what was read of it)

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
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pipeline.errors import UnsupportedInputError
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.limits import Limits
from pipeline.output import render_json, write_atomic
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


# --- the inbox's own folders ----------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """An entry the inbox does not read (a symbolic link, a pipe, a squatter on its own folder names):
    moved aside to failed/ as it is, never followed, with why."""

    path: Path
    name: str
    reason: str


def own_folders(inbox: Path) -> list[Refused]:
    """Make processing/, processed/ and failed/ real folders of the inbox. Anything else under those
    names — a symbolic link planted to make a pass write elsewhere, a file called `processing` — is
    renamed away (the link itself: renaming follows nothing) and refused."""
    refused: list[Refused] = []
    for name in (FAILED, PROCESSING, PROCESSED):  # failed/ first: where the others are put
        squatter = _not_a_folder(inbox / name)
        if squatter is None:
            continue
        aside = inbox / f".congvan-aside-{secrets.token_hex(4)}"
        os.rename(inbox / name, aside)
        os.mkdir(inbox / name)
        refused.append(Refused(aside, name, f"{squatter} with the name of the inbox's own folder {name}/: "
                               "moved aside, not followed"))
    return refused


def real_folder(folder: Path, inbox: Path) -> Path:
    """`folder` (under the inbox) made if missing; a link or file in its place is refused and moved
    to failed/, so that no file is ever moved through a link planted there."""
    squatter = _not_a_folder(folder)
    if squatter is not None:
        place_failed(folder, inbox, Refused(folder, folder.name, f"{squatter} where the inbox keeps its folder "
                                            f"{folder.relative_to(inbox).as_posix()}/: moved aside, not followed"))
        os.mkdir(folder)
    return folder


def _not_a_folder(path: Path) -> str | None:
    """None when `path` is a real folder (made if missing), else what it is instead."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        os.mkdir(path)
        return None
    if stat.S_ISDIR(status.st_mode):
        return None
    return _kind(status.st_mode)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISREG(mode):
        return "a file"
    return "a pipe, socket or device"


# --- which files are ready ---------------------------------------------------------------------


def candidates(inbox: Path) -> tuple[list[Path], list[Refused]]:
    """(regular files directly in the inbox, entries refused), hidden ones and folders left alone,
    in name order. A symbolic link is refused, never read through: it could name any file the
    pass may read, and publish its text."""
    found: list[Path] = []
    refused: list[Refused] = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if entry.name.startswith(".") or entry.name in (PROCESSING, PROCESSED, FAILED):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except FileNotFoundError:
                continue
            if stat.S_ISREG(mode):
                found.append(Path(entry.path))
            elif not stat.S_ISDIR(mode):
                refused.append(Refused(Path(entry.path), entry.name, f"is {_kind(mode)}; the inbox reads only files "
                                       "put there, and does not follow links"))
    return sorted(found), sorted(refused, key=lambda r: r.name)


def ready_files(inbox: Path, *, min_age: float = 60.0, settle: float = 1.0,
                now: float | None = None) -> tuple[list[Path], list[Path]]:
    """(ready, still being written): a file changed in the last `min_age` seconds, whose size or
    times change within `settle` seconds (the change time too, which a copier keeping the source's
    modification time cannot set), or that another process has open for writing (a copy that
    stalls), is left for the next pass."""
    now = time.time() if now is None else now
    first: dict[Path, tuple[int, int, int]] = {}
    waiting: list[Path] = []
    for path in candidates(inbox)[0]:
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            continue  # taken by another pass
        if now - status.st_mtime < min_age:
            waiting.append(path)
        else:
            first[path] = _look(status)
    if settle > 0 and first:
        time.sleep(settle)
    writing = open_for_writing()
    ready: list[Path] = []
    for path, seen in first.items():
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            continue
        unchanged = _look(status) == seen and (status.st_dev, status.st_ino) not in writing
        (ready if unchanged else waiting).append(path)
    return ready, sorted(waiting)


def _look(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns


def open_for_writing() -> set[tuple[int, int]]:
    """(device, inode) of every file another process of this machine has open for writing, as far
    as /proc lets this user see (Linux; elsewhere nothing). A copy by `cp`, or by Samba for a
    Windows share, holds its file open until it is done."""
    found: set[tuple[int, int]] = set()
    own = str(os.getpid())
    try:
        pids = [name for name in os.listdir("/proc") if name.isdigit() and name != own]
    except OSError:
        return found
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.stat(f"/proc/{pid}/fd/{fd}")
                if not stat.S_ISREG(target.st_mode):
                    continue
                with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                    flags = next(int(line.split()[1], 8) for line in info if line.startswith("flags:"))
            except (OSError, StopIteration, ValueError):
                continue
            if flags & (os.O_WRONLY | os.O_RDWR):
                found.add((target.st_dev, target.st_ino))
    return found


# --- claiming ------------------------------------------------------------------------------------


class Claim:
    """This pass's folder in processing/, locked while the pass lives. Use as a context manager.

    Claimed files keep their names; a second file of the same name (one recovered from a dead
    pass) goes into a numbered subfolder (`<run>/2/cv.txt`), so a name is never changed to make room.
    The lock file says which process holds it (pid and start time): a lock whose process is gone
    is stale, whoever still holds the file open.
    """

    def __init__(self, inbox: Path) -> None:
        self.inbox = inbox
        self.processing = inbox / PROCESSING
        self.run_id = f"{datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}-{secrets.token_hex(3)}"
        self.folder = self.processing / self.run_id
        self._lock_fd: int | None = None

    def __enter__(self) -> Claim:
        real_folder(self.processing, self.inbox)
        # made under a hidden name and renamed, so no other pass ever sees it unlocked
        hidden = self.processing / f".new-{self.run_id}"
        hidden.mkdir()
        self._lock_fd = os.open(hidden / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        os.write(self._lock_fd, f"{os.getpid()} {_started(os.getpid())}\n".encode())
        os.rename(hidden, self.folder)
        return self

    def __exit__(self, *_: object) -> None:
        if self._lock_fd is None:
            return
        leftovers = [p for p in self.folder.iterdir() if p.name != LOCK]
        for sub in [p for p in leftovers if p.is_dir() and not p.is_symlink()]:
            _rmdir(sub)  # an empty numbered subfolder
        if not [p for p in self.folder.iterdir() if p.name != LOCK]:  # our own empty folder and lock file
            (self.folder / LOCK).unlink(missing_ok=True)
            _rmdir(self.folder)
        os.close(self._lock_fd)  # files left here are taken back by the next pass
        self._lock_fd = None

    def take(self, path: Path) -> Path | None:
        """Move `path` into this pass's folder; None when another pass took it first."""
        target = self.folder / path.name
        number = 1
        while os.path.lexists(target):  # a file of the same name recovered from a dead pass
            number += 1
            (self.folder / str(number)).mkdir(exist_ok=True)
            target = self.folder / str(number) / path.name
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        return target

    def recover(self) -> tuple[list[Path], list[Refused]]:
        """Take over the files of dead passes (their folder's lock is free, or its process gone) and
        stray files in processing/; links and other entries that are no files are refused."""
        taken: list[Path] = []
        refused: list[Refused] = []

        def take_all(folder: Path, depth: int) -> None:
            for entry in sorted(folder.iterdir()):
                if entry.name == LOCK or entry.name.startswith("."):
                    continue
                mode = os.lstat(entry).st_mode
                if stat.S_ISREG(mode):
                    moved = self.take(entry)
                    taken.extend([moved] if moved else [])
                elif stat.S_ISDIR(mode) and depth > 0:
                    take_all(entry, depth - 1)
                    _rmdir(entry)
                elif not stat.S_ISDIR(mode):
                    refused.append(Refused(entry, entry.name, f"is {_kind(mode)} in the inbox's processing/ folder, "
                                           "which only the inbox writes to: moved aside, not followed"))

        for entry in sorted(self.processing.iterdir()):
            if entry == self.folder or entry.name.startswith("."):
                continue
            mode = os.lstat(entry).st_mode
            if not stat.S_ISDIR(mode):
                if stat.S_ISREG(mode):
                    moved = self.take(entry)
                    taken.extend([moved] if moved else [])
                else:
                    refused.append(Refused(entry, entry.name, f"is {_kind(mode)} in the inbox's processing/ folder, "
                                           "which only the inbox writes to: moved aside, not followed"))
                continue
            try:
                fd = os.open(entry / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
            except OSError:
                continue  # gone, or not ours to open
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if _holder_alive(fd):
                        continue  # a live pass
                take_all(entry, depth=1)  # its files, and its numbered subfolders' files
                if not any(p.name != LOCK for p in entry.iterdir()):
                    (entry / LOCK).unlink(missing_ok=True)
                    _rmdir(entry)
            finally:
                os.close(fd)
        return taken, refused


def _holder_alive(fd: int) -> bool:
    """Whether the process a lock file names is still the one that took it (False: stale)."""
    try:
        pid_text, started = os.pread(fd, 100, 0).decode().split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return True  # a lock of an older congvan, without its holder: trust the lock
    return _started(pid) == started


def _started(pid: int) -> str:
    """When process `pid` started (clock ticks since boot; "gone" when it does not exist): a pid and
    its start time name one process, even after the pid is reused."""
    try:
        with open(f"/proc/{pid}/stat") as file:
            return file.read().rsplit(")", 1)[1].split()[19]
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return "gone"
        except PermissionError:
            pass
        return "alive"
    except IndexError:
        return "alive"


def _rmdir(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty after all: something was put there; leave it


# --- moving on -----------------------------------------------------------------------------------


def place(source: Path, folder: Path, name: str, *, error: bytes | None = None) -> Path:
    """Move `source` into `folder` as `name`, or `name (2)`, `name (3)` ... never over another file,
    never through a link (a link is moved as the link); with `error`, write it beside the file as
    `<name>.error.json`, a name that is free too (a user's own X.error.json is never replaced)."""
    stem, suffix = _split(name)
    for n in range(1, 10_000):
        candidate = folder / (name if n == 1 else fit_name(f"{stem} ({n})", suffix))
        error_path = folder / fit_name(candidate.name, ".error.json")
        if error is not None and os.path.lexists(error_path):
            continue
        try:
            os.link(source, candidate, follow_symlinks=False)  # fails if taken: no file is ever replaced
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if os.path.lexists(candidate):
                continue
            os.rename(source, candidate)
        else:
            os.unlink(source)
        if error is not None:
            try:
                write_atomic(error_path, error, replace=False)
            except FileExistsError:  # taken in the meantime
                write_atomic(folder / fit_name(f"{candidate.name}.{secrets.token_hex(3)}", ".error.json"), error,
                             replace=False)
        return candidate
    raise FileExistsError(f"no free name for {name} in {folder}")


def _split(name: str) -> tuple[str, str]:
    path = Path(name)
    return (path.stem, path.suffix) if path.suffix and len(path.suffix) <= 10 else (name, "")


def move_processed(claimed: Path, inbox: Path, day: date) -> Path:
    folder = real_folder(real_folder(inbox / PROCESSED, inbox) / day.isoformat(), inbox)
    return place(claimed, folder, claimed.name)


def move_failed(claimed: Path, inbox: Path, error: ErrorInfo, **extra: object) -> Path:
    """Into failed/, with <name>.error.json beside it (error type, message, stage, time)."""
    name = claimed.name
    report = error.as_json(file=name, **extra)
    data = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return place(claimed, real_folder(inbox / FAILED, inbox), name, error=data)


def place_failed(path: Path, inbox: Path, refused: Refused) -> Path:
    """A refused entry into failed/ as it is (a link stays a link), with its error file."""
    info = ErrorInfo.from_error(UnsupportedInputError(refused.name, refused.reason))
    data = (json.dumps(info.as_json(file=refused.name), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    failed = inbox / FAILED
    if _not_a_folder(failed) is not None:  # only own_folders() may move failed/ itself aside
        raise FileExistsError(f"{failed} is not a folder")
    return place(path, failed, refused.name, error=data)


# --- one pass -------------------------------------------------------------------------------------


def run_once(inbox: Path, out_dir: Path, store, options: InboxOptions | None = None,  # noqa: ANN001
             *, extract: Extract | None = None,
             on_result: Callable[[FileResult], None] | None = None) -> RunReport:
    """One pass over the inbox through the runner (pipeline/runner.py). `store` is a
    pipeline.store.Store; `extract` runs batches of items (default: worker processes, see
    options.workers) — flows/ passes Prefect tasks. Each file is moved on as its result comes:
    processed/ (stored, or the store had it), failed/ (with its error file), or left in
    processing/ when the store could not be reached or the disk is full (postponed). Entries the
    inbox does not read (links, pipes, squatters on its folder names) are refused into failed/."""
    options = options or InboxOptions()
    inbox, out_dir = Path(inbox), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = RunReport()
    tz = ZoneInfo(options.timezone)

    def refuse(entries: list[Refused]) -> None:
        for entry in entries:
            info = ErrorInfo.from_error(UnsupportedInputError(entry.name, entry.reason))
            result = FileResult(Item(entry.path.as_posix(), entry.name, None, follow_links=False), FAILED_STATUS,
                                error=info)
            result.moved_to = place_failed(entry.path, inbox, entry).as_posix()
            report.results.append(result)
            if on_result is not None:
                on_result(result)

    refuse(own_folders(inbox))
    with Claim(inbox) as claim:
        recovered, stray = claim.recover()
        refuse(stray)
        report.recovered = [p.name for p in recovered]
        ready, waiting = ready_files(inbox, min_age=options.min_age, settle=options.settle)
        refuse(candidates(inbox)[1])
        report.waiting = [p.name for p in waiting]
        claimed = recovered + [c for c in (claim.take(p) for p in ready) if c is not None]
        # JSON named by the file's inbox name; another file's JSON of that name (tonight's scan001.pdf
        # is not last night's) is kept, and this one gets a suffix from its SHA-256
        namer = OutputNamer(out_dir, keep_others=True)
        items = []
        for path in claimed:
            name = path.name
            sha = file_sha256(path, follow_links=False, max_bytes=options.max_bytes) or name
            output = namer.name(Path(name).stem or name, name, sha, sha256=sha)
            items.append(Item(path.as_posix(), name, output.as_posix() if output else None, file_size(path),
                              follow_links=False))
        report.notes += namer.notes

        def settle(result: FileResult) -> None:
            move_on(result, inbox, tz, report)
            if on_result is not None:
                on_result(result)

        run(items, store=store, extract=extract or choose_extract(options.workers, limits=options.limits,
                                                                  max_bytes=options.max_bytes),
            retries=options.retries, on_result=settle, report=report, max_bytes=options.max_bytes)
    return report


def move_on(result: FileResult, inbox: Path, tz: ZoneInfo, report: RunReport | None = None) -> None:
    """Move a claimed file on by its result: processed/, failed/ (with <name>.error.json), or left
    in processing/ for the next pass when the store could not be reached, the disk is full, or the
    move itself fails (a full disk again: nothing is lost, the next pass does it)."""
    claimed = Path(result.item.source)
    try:
        if result.status == POSTPONED:
            result.moved_to = claimed.as_posix()
        elif result.status == FAILED_STATUS and result.error is not None:
            moved = move_failed(claimed, inbox, result.error, sha256=result.sha256)
            if result.unread is not None:  # no letter found: what was read goes beside the error file
                write_atomic(moved.parent / fit_name(moved.name, ".json"), render_json(result.unread))
            result.moved_to = moved.as_posix()
        else:
            result.moved_to = move_processed(claimed, inbox, datetime.now(tz).date()).as_posix()
    except OSError as error:
        result.moved_to = claimed.as_posix()
        if report is not None:
            report.notes.append(f"{result.name}: left in {PROCESSING}/ for the next pass: it could not be moved "
                                f"({error.strerror or error})")
