"""The one way congvan runs files: `congvan extract`, `ingest`, `bulk`, the inbox and both Prefect
flows all go through here.

    inputs = find_inputs(["hop-thu/", "archive/**/*.pdf"], recursive=False)   # files, folders, globs
    items = OutputNamer(Path("out")).plan(inputs)                               # where each JSON goes
    report = run(items, store=store, extract=in_workers(2))                    # FileResult per file

A file goes through four steps, each with its own stage for errors (pipeline.errors.Stage):

1. *skip* (with a store): a file whose SHA-256 the store has already stored is `unchanged`,
   unless `force`; one that failed before is tried again.
2. *extract*, in a *worker* (this process, a pool of processes, or a Prefect task): read, OCR,
   extract, write the JSON atomically. Never raises for a bad file: its FileResult carries the
   error as plain data (ErrorInfo), because congvan's exceptions do not pickle between processes.
   A file with no letter in it still writes its JSON (what was read of it: `FileResult.unread`)
   and fails. Page images of one letter in separate files (4_1.jpg, 4_2.jpg) are one batch, and
   the later pages that start no letter are joined to the first (pipeline/joins.py).
3. *store* (with a store), in this process, one writer: `stored`; a database error that retrying
   may cure (locked, connection lost) is retried, and when the tries run out the file is
   `postponed` (left for the next run, not failed); any other store error fails the file.
4. *report*: every FileResult goes to `on_result` as it comes (progress, the inbox's moves).

The JSON is written before the store records the file: a file the store knows has its JSON, so a
run killed at any point and started again skips nothing it should not.

Ctrl-C stops the run between files: `run` returns what was done with `interrupted` set.
"""
from __future__ import annotations

import errno
import glob
import hashlib
import json
import os
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas import ExtractionResult

from pipeline import joins
from pipeline.errors import (
    FILE_ERRORS,
    CongvanError,
    InputTooLargeError,
    ExitCode,
    InternalError,
    MemoryLimitError,
    NotALetterError,
    OutputSpaceError,
    OutputWriteError,
    Stage,
    StoreWriteError,
    TimeLimitError,
)
from pipeline.extract import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, extract_file
from pipeline.limits import MIB, Limits, TimeLimitExceeded, time_limit
from pipeline.ocr import OcrOptions, PageProgress
from pipeline.output import render_json, write_atomic

# What a file's run ended as.
WRITTEN = "written"  # extracted, JSON written (no store)
STORED = "stored"  # extracted, JSON written, letters stored
UNCHANGED = "unchanged"  # the store has this file already (same SHA-256): nothing done
FAILED = "failed"  # no JSON; with a store, recorded as failed (and skipped from then on)
POSTPONED = "postponed"  # extracted, but the database could not be reached: for the next run
STATUSES = (WRITTEN, STORED, UNCHANGED, FAILED, POSTPONED)


@dataclass(frozen=True)
class ErrorInfo:
    """Why a file failed, as plain data: `type` is the class name (pipeline.errors or other)."""

    type: str
    status: str
    exit_code: int
    message: str
    stage: str
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    detail: str | None = None  # a traceback, for internal errors

    @classmethod
    def from_error(cls, error: BaseException, *, stage: Stage | None = None, detail: str | None = None) -> ErrorInfo:
        if isinstance(error, CongvanError):
            return cls(type=type(error).__name__, status=error.status, exit_code=int(error.exit_code),
                       message=error.reason, stage=str(stage or error.stage), detail=detail)
        return cls(type=type(error).__name__, status=InternalError.status, exit_code=int(InternalError.exit_code),
                   message=str(error) or type(error).__name__, stage=str(stage or InternalError.stage), detail=detail)

    def as_error(self, name: str) -> CongvanError:
        """The congvan error it stands for (what the store records for a failed file)."""
        return FILE_ERRORS.get(self.type, InternalError)(name, self.message)

    def as_json(self, **extra: object) -> dict[str, Any]:
        data: dict[str, Any] = {"error": self.type, "status": self.status, "exit_code": self.exit_code,
                                "message": self.message, "stage": self.stage, "time": self.time, **extra}
        if self.detail:
            data["traceback"] = self.detail
        return data


@dataclass(frozen=True)
class Item:
    """One file to do: where it is, what messages call it, where its JSON goes (None: nowhere)."""

    source: str
    name: str
    output: str | None
    size: int = 0
    follow_links: bool = True  # False: a symbolic link is refused, not read through (the inbox)


@dataclass
class FileResult:
    """What became of one file: the one result type of every command and flow."""

    item: Item
    status: str  # one of STATUSES
    sha256: str | None = None
    result: ExtractionResult | None = None
    error: ErrorInfo | None = None
    seconds: float = 0.0
    pages: int = 0
    documents: int = 0  # letters stored (with a store) or found (without)
    replaced: int = 0  # stored letters this file's replaced
    moved_to: str | None = None  # the inbox: where the file went
    unread: ExtractionResult | None = None  # what was read of a file with no letter in it (its JSON)
    peak_memory: int = 0  # bytes: the worker's peak resident memory while reading this file

    @property
    def name(self) -> str:
        return self.item.name

    def describe_error(self) -> str:
        """'<file>: <reason>', as the error lines print it."""
        return f"{self.item.name}: {self.error.message}" if self.error else self.item.name


@dataclass
class RunReport:
    """Every file's result (in the order of the inputs once the run is over), and what the run noted."""

    results: list[FileResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. a folder with no input, a JSON name taken
    waiting: list[str] = field(default_factory=list)  # the inbox: still being written, for the next pass
    recovered: list[str] = field(default_factory=list)  # the inbox: taken back from a dead pass
    interrupted: bool = False
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == FAILED]

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results)

    def exit_code(self) -> ExitCode:
        """130 when interrupted; else the code of the first file that failed; else 0."""
        if self.interrupted:
            return ExitCode.INTERRUPTED
        failed = self.failed
        if failed and failed[0].error is not None:
            return ExitCode(failed[0].error.exit_code)
        postponed = [r for r in self.results if r.status == POSTPONED]
        if postponed:  # the database unreachable (69), or no space for the JSON (22)
            error = postponed[0].error
            no_space = error is not None and error.type == OutputSpaceError.__name__
            return ExitCode.NO_SPACE if no_space else ExitCode.SERVICE_UNAVAILABLE
        return ExitCode.OK

    def counts(self) -> str:
        """'3 stored, 1 unchanged, 1 failed' (statuses that occurred)."""
        parts = [f"{self.count(s)} {s}" for s in STATUSES if self.count(s)]
        return ", ".join(parts) or "no files"


# --- choosing the files ----------------------------------------------------------------------


def find_inputs(arguments: Iterable[str], *, recursive: bool = False) -> tuple[list[Path], list[str]]:
    """Files for files, folders and globs ("archive/**/*.pdf"); and notes about what found nothing.

    From folders and globs only the kinds congvan reads are taken, hidden files and folders
    skipped, in name order; folders are searched `recursive`ly or only at their top. A file named
    twice is taken once. A path that does not exist stays in the list, so that it fails, and is
    reported, like any other bad input.
    """
    found: list[Path] = []
    notes: list[str] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            children = path.rglob("*") if recursive else path.iterdir()
            matches = sorted(p for p in children if _wanted(p, path))
        elif path.exists():
            matches = [path]
        elif glob.has_magic(argument):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True) if _wanted(Path(p), None))
        else:
            matches = [path]
        if not matches:
            notes.append(f"{path.as_posix()}: no .txt, .pdf or image files here")
        for match in matches:
            key = _resolved(match)
            if key not in seen:
                seen.add(key)
                found.append(match)
    return found, notes


def _wanted(path: Path, root: Path | None) -> bool:
    """A file of a kind congvan reads; a link of such a name that leads nowhere (dangling, or a loop)
    too, so that it fails with its reason instead of being passed over in silence."""
    parts = path.relative_to(root).parts if root is not None else (path.name,)
    return ((path.is_file() or (path.is_symlink() and not path.exists()))
            and not any(part.startswith(".") for part in parts) and path.suffix.lower() in SUPPORTED_SUFFIXES)


def _resolved(path: Path) -> Path:
    """The path with its links followed as far as they go: Path.resolve raises on a loop of links
    (RuntimeError in Python 3.11), os.path.realpath stops at it."""
    return Path(os.path.realpath(path))


# --- naming the outputs ------------------------------------------------------------------------

NAME_LIMIT = 200  # bytes: file systems allow 255, and write_atomic's temporary name adds about 22


def fit_name(stem: str, suffix: str, limit: int = NAME_LIMIT) -> str:
    """`stem + suffix`, the stem shortened (with a hash of it, so names stay apart) if over `limit` bytes."""
    name = stem + suffix
    if len(name.encode("utf-8")) <= limit:
        return name
    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    room = limit - len(suffix.encode("utf-8")) - len(digest) - 1
    short = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return f"{short}-{digest}{suffix}"


class OutputNamer:
    """Where each input's JSON goes: `OUT/<input stem>.json`, the one naming rule of congvan.

    When a stem is taken — by an earlier input of the same run (`a/cv.txt` and `b/cv.pdf`), or,
    with `keep_others`, by a JSON already in OUT that was written for other content (the inbox,
    where tonight's scan001.pdf is not last night's) — the input gets `<stem>-<8 hex>.json`, the
    hex a hash of its `identity`: its resolved path (the same command writes the same names) or,
    for the inbox, its SHA-256. Names are compared casefolded (a.json and A.json are one file on
    macOS and Windows) and kept under NAME_LIMIT bytes.
    """

    def __init__(self, out_dir: Path | None, *, keep_others: bool = False) -> None:
        self.out_dir = out_dir
        self.keep_others = keep_others
        self._owners: dict[str, str] = {}  # casefolded file name -> the input that has it
        self.notes: list[str] = []

    def name(self, stem: str, display: str, identity: str, sha256: str | None = None) -> Path | None:
        if self.out_dir is None:
            return None
        filename = fit_name(stem, ".json")
        if self._taken(filename, sha256):
            taken = filename
            for attempt in range(10_000):  # the same identity twice (two names of one content in the inbox)
                salt = identity if not attempt else f"{identity}\n{attempt}"
                filename = fit_name(f"{stem}-{hashlib.sha256(salt.encode()).hexdigest()[:8]}", ".json")
                if not self._taken(filename, sha256):
                    break
            owner = self._owners.get(taken.casefold(), "a JSON file already there")
            self.notes.append(f"{display}: {taken} is taken by {owner}; writing {filename} instead")
        self._owners[filename.casefold()] = display
        return self.out_dir / filename

    def _taken(self, filename: str, sha256: str | None) -> bool:
        if filename.casefold() in self._owners:
            return True
        if not self.keep_others or self.out_dir is None:
            return False
        existing = self.out_dir / filename
        return existing.is_file() and written_for(existing) not in (None, sha256)

    def plan(self, paths: list[Path], *, names: list[str] | None = None) -> list[Item]:
        """An Item per file; `names` (default: the paths as given) are what messages call them."""
        items = []
        for index, path in enumerate(paths):
            display = names[index] if names is not None else path.as_posix()
            output = self.name(Path(display).stem or path.stem, display, str(_resolved(path)))
            items.append(Item(path.as_posix(), display, output.as_posix() if output else None, file_size(path)))
        return items


def written_for(json_path: Path) -> str | None:
    """The SHA-256 of the input a congvan JSON file was written for (None: unreadable, or not ours)."""
    try:
        with json_path.open(encoding="utf-8") as file:
            return json.load(file).get("source", {}).get("sha256")
    except (OSError, ValueError, AttributeError):
        return None


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def file_sha256(path: str | Path, *, follow_links: bool = True, max_bytes: int | None = None) -> str | None:
    """None when unreadable, or larger than `max_bytes`: a file refused for its size is not read
    for its hash either (a sparse 2 GiB file took seconds to hash, for nothing)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb", opener=None if follow_links else _no_follow) as file:
            if max_bytes is not None and os.fstat(file.fileno()).st_size > max_bytes:
                return None
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


# --- the worker side ---------------------------------------------------------------------------


def extract_item(item: Item, *, max_bytes: int = DEFAULT_MAX_BYTES, ocr_workers: int | None = None,
                 on_page: PageProgress | None = None, limits: Limits | None = None) -> FileResult:
    """Extract one file and write its JSON (atomically), under the soft `limits`
    (pipeline/limits.py; a worker process sets its memory limit itself). Raises only for Ctrl-C.

    A failed file writes nothing, except one with no letter in it: its JSON keeps what was read
    (pages, text, boxes, a `no_letter` warning), and `FileResult.unread` carries it.
    """
    start = time.perf_counter()
    limits = limits or Limits()
    ocr = OcrOptions(workers=ocr_workers or OcrOptions().workers, file_timeout=limits.ocr_seconds)
    try:
        with time_limit(limits.seconds) as token:
            try:
                result = extract_file(Path(item.source), name=item.name, max_bytes=max_bytes, ocr=ocr,
                                      on_page=on_page, follow_links=item.follow_links)
            except NotALetterError as failure:
                if failure.result is not None:
                    write_json(item, failure.result)
                done = failed_result(item, ErrorInfo.from_error(failure), start)
                done.unread = failure.result
                done.pages = len(failure.result.pages) if failure.result is not None else 0
                return done
            write_json(item, result)
    except TimeLimitExceeded as exceeded:
        if exceeded.token is not token:
            raise
        stopped = TimeLimitError(item.name, f"took longer than its time limit of {limits.seconds:g} s "
                                 "(--time-limit); stopped")
        return failed_result(item, ErrorInfo.from_error(stopped), start)
    except MemoryError:
        limit = f" of {limits.memory // MIB} MiB (--memory-limit)" if limits.memory else ""
        error = MemoryLimitError(item.name, f"needs more memory than the limit{limit}")
        return failed_result(item, ErrorInfo.from_error(error), start)
    except CongvanError as failure:
        return failed_result(item, ErrorInfo.from_error(failure), start)
    except Exception as failure:  # a bug on one file must not cost the others
        reason = f"internal error, please report it with this file ({type(failure).__name__}: {failure})"
        return failed_result(item, ErrorInfo.from_error(InternalError(item.name, reason), detail=short_traceback()),
                             start)
    return FileResult(item, WRITTEN, sha256=result.source.sha256, result=result, seconds=time.perf_counter() - start,
                      pages=len(result.pages), documents=len(result.documents))


def failed_result(item: Item, error: ErrorInfo, start: float) -> FileResult:
    # a file refused for its size is not read for its hash: what the size check spared
    sha = None if error.type == InputTooLargeError.__name__ else file_sha256(item.source, follow_links=item.follow_links)
    return FileResult(item, FAILED, sha256=sha, error=error, seconds=time.perf_counter() - start)


def short_traceback() -> str:
    """The traceback being handled, with congvan's and the libraries' files named from their
    package ("pipeline/pdf.py", "pdfminer/pdftypes.py"): a report shows no install paths."""
    lines = traceback.format_exc().splitlines(keepends=True)
    roots = sorted({str(Path(p).resolve()) for p in [*sys.path, _REPO] if p}, key=len, reverse=True)

    def short(line: str) -> str:
        for root in roots:
            line = line.replace(f'File "{root}/', 'File "')
        return line

    return "".join(short(line) for line in lines)


_REPO = str(Path(__file__).resolve().parents[1])


def write_json(item: Item, result: ExtractionResult) -> None:
    """The item's JSON, written atomically (nowhere when the item has no output)."""
    if item.output is None:
        return
    try:
        write_atomic(Path(item.output), render_json(result))
    except OSError as failure:
        kind = OutputSpaceError if failure.errno in (errno.ENOSPC, errno.EDQUOT) else OutputWriteError
        raise kind(item.name, f"cannot write {item.output}: {failure.strerror}") from None


def extract_runs(batch: list[Item], extract_one: Callable[[Item], FileResult]) -> Iterator[FileResult]:
    """The batch's results as each is done; the page image files of one letter (pipeline/joins.py)
    are extracted together and joined before their results are given."""
    for run in joins.series([item.source for item in batch]):
        yield from join_pages([extract_one(batch[index]) for index in run])


def join_pages(done: list[FileResult]) -> list[FileResult]:
    """The results of a run of page image files, the later pages of a letter joined to its first.

    A later file whose first page starts no letter gives its pages to the file before it: that
    one's JSON holds the letter of all the pages, the later one's its own pages and no documents
    (`written`, no longer failed as no letter). A join that still finds no letter changes nothing.
    """
    head = 0
    for k in range(1, len(done)):
        first, later = _read(done[head]), _read(done[k])
        if first is None or later is None or joins.starts_letter(later):
            head = k
            continue
        whole = joins.joined(first, later, done[k].item.name)
        if not whole.documents:
            head = k
            continue
        try:
            done[head] = _rewritten(done[head], whole)
            done[k] = _rewritten(done[k], joins.joined_into(later, whole, done[head].item.name))
        except OutputWriteError as failure:
            done[k] = FileResult(done[k].item, FAILED, sha256=done[k].sha256, error=ErrorInfo.from_error(failure))
    return done


def _read(done: FileResult) -> ExtractionResult | None:
    """What was read of a file: its result, or the pages of one in which no letter was found."""
    return done.result if done.result is not None else done.unread


def _rewritten(done: FileResult, result: ExtractionResult) -> FileResult:
    write_json(done.item, result)
    return FileResult(done.item, WRITTEN, sha256=result.source.sha256, result=result, seconds=done.seconds,
                      pages=done.pages, documents=len(result.documents))


def extract_batch(items: list[Item], *, max_bytes: int = DEFAULT_MAX_BYTES, ocr_workers: int | None = 1) -> list[FileResult]:
    """A batch, one file after the other, in this process (a pool worker, or a Prefect task)."""
    return list(extract_runs(items, partial(extract_item, max_bytes=max_bytes, ocr_workers=ocr_workers)))


def cost(item: Item) -> float:
    """A rough guess of the work in a file, in "text files": scans are OCR'd, hundreds of times slower."""
    if Path(item.source).suffix.lower() == ".txt":
        return 1.0
    return 20.0 + item.size / 200_000  # PDFs may be scans; bigger images take longer


def make_batches(items: list[Item], *, target: float = 50.0, max_items: int = 100) -> list[list[Item]]:
    """Items in groups of about `target` cost: many small text files together (each batch costs a
    task, and a Prefect task costs milliseconds), every PDF or image in a batch of its own (it may
    be a scan: seconds a page, and the batches are what runs on the cores side by side) — but the
    page images of one letter in separate files in one batch, to be joined (`join_pages`)."""
    batches: list[list[Item]] = []
    current: list[Item] = []
    total = 0.0
    for item in items:
        if not current and batches and joins.follows(batches[-1][-1].source, item.source):
            batches[-1].append(item)  # the next page image of the letter in the batch before
            continue
        if cost(item) > 1.0:
            if current:
                batches.append(current)
                current, total = [], 0.0
            batches.append([item])
            continue
        current.append(item)
        total += cost(item)
        if total >= target or len(current) >= max_items:
            batches.append(current)
            current, total = [], 0.0
    if current:
        batches.append(current)
    return batches


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# How the extract step runs: batches in, FileResults out as they finish.
Extract = Callable[[list[list[Item]]], Iterator[FileResult]]


def in_workers(workers: int | None = 1, *, limits: Limits | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
               on_page: PageProgress | None = None, on_item: Callable[[Item], None] | None = None) -> Extract:
    """Every file in a worker process under `limits` (pipeline/workers.py), cheapest first, so that
    small files do not wait behind heavy scans. One worker (`extract`, `ingest`): one file after
    the other, OCR on every core, `on_item` told as each file starts and `on_page` as each of its
    pages is OCR'd. More (archives, the inbox): one file per worker, each OCR'ing on one core."""
    size = workers or cores()

    def extract(batches: list[list[Item]]) -> Iterator[FileResult]:
        from pipeline.workers import WorkerPool

        # the page image files of one letter stay together, to be joined (join_pages)
        runs = sorted(([batch[i] for i in run] for batch in batches
                       for run in joins.series([item.source for item in batch])),
                      key=lambda run: sum(cost(item) for item in run))
        with WorkerPool(size, limits=limits, max_bytes=max_bytes, ocr_workers=None if size == 1 else 1) as pool:
            def extract_one(item: Item) -> FileResult:
                if on_item is not None:
                    on_item(item)
                return pool.extract(item, on_page=on_page if size == 1 else None)

            if size == 1:
                for run in runs:
                    yield from extract_runs(run, extract_one)
                return
            with ThreadPoolExecutor(max_workers=size, thread_name_prefix="congvan-file") as threads:
                pending: set[Future] = {threads.submit(_listed, extract_runs(run, extract_one)) for run in runs}
                try:
                    while pending:
                        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in finished:
                            yield from future.result()
                except BaseException:  # Ctrl-C: stop the workers now rather than after their files
                    for future in pending:
                        future.cancel()
                    pool.close()
                    raise
    return extract


def _listed(results: Iterator[FileResult]) -> list[FileResult]:
    return list(results)


def choose_extract(workers: int | None, *, limits: Limits | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                   on_page: PageProgress | None = None, on_item: Callable[[Item], None] | None = None) -> Extract:
    """One worker, with page progress, for one worker (or one core); else a pool of them."""
    if (workers or cores()) <= 1:
        return in_workers(1, limits=limits, max_bytes=max_bytes, on_page=on_page, on_item=on_item)
    return in_workers(workers, limits=limits, max_bytes=max_bytes)


# --- the parent side: the store ------------------------------------------------------------------


def is_transient(error: BaseException) -> bool:
    """A failure worth retrying: a locked SQLite database, a lost database connection. Never bad input."""
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, exc.OperationalError | exc.DisconnectionError | exc.TimeoutError):
        return True
    if isinstance(error, sqlite3.OperationalError):
        return "locked" in str(error) or "busy" in str(error)
    return isinstance(error, ConnectionError | TimeoutError)


@dataclass(frozen=True)
class Retries:
    tries: int = 3  # of a store write failing for a transient reason
    delay: float = 1.0  # seconds before the second try, doubled for each next one


def with_retries(call: Callable[[], Any], retries: Retries) -> Any:
    for attempt in range(max(1, retries.tries)):
        try:
            return call()
        except Exception as error:
            if not is_transient(error) or attempt + 1 >= retries.tries:
                raise
            time.sleep(retries.delay * (2 ** attempt))
    raise AssertionError("unreachable")


def skip_known(store, items: list[Item], *, force: bool = False,  # noqa: ANN001 - pipeline.store.Store
               retries: Retries = Retries(), max_bytes: int | None = None) -> tuple[list[Item], list[FileResult]]:
    """(to do, unchanged): a file whose SHA-256 the store has stored, and whose JSON is there, is not
    done again (its JSON deleted, or another --out: it is extracted again for its JSON, and the store
    keeps it unchanged). One that failed before is tried again: a failure stays loud until the file
    is fixed or taken away. A file over `max_bytes` is not read for its hash: it is refused by its size."""
    todo: list[Item] = []
    known: list[FileResult] = []
    for item in items:
        sha = file_sha256(item.source, follow_links=item.follow_links, max_bytes=max_bytes)
        if (not force and sha is not None and (item.output is None or Path(item.output).is_file())
                and with_retries(partial(store.file_status, sha), retries) == "ok"):
            if item.output is not None:  # a store of before files.output learns where the JSON is
                with_retries(partial(store.record_output, sha, item.output), retries)
            known.append(FileResult(item, UNCHANGED, sha256=sha))
        else:
            todo.append(item)
    return todo, known


def store_one(store, done: FileResult, *, force: bool = False,  # noqa: ANN001 - pipeline.store.Store
              retries: Retries = Retries()) -> FileResult:
    """Keep one extracted file's letters, or its failure, in the store; the file's final status.

    A transient store error that outlasts the retries leaves the file `postponed`, and so does a
    JSON that could not be written for want of space; another store error fails the file
    (StoreWriteError), keeping its JSON.
    """
    if done.error is not None and done.error.type == OutputSpaceError.__name__:
        done.status = POSTPONED  # the disk is full, not the file bad: for the next run, nothing recorded
        return done
    try:
        if done.result is not None:
            outcome = with_retries(lambda: store.ingest_result(done.result, force=force, output=done.item.output), retries)
            done.status, done.documents, done.replaced = outcome.status, outcome.documents, outcome.replaced
        elif done.sha256 is not None and done.error is not None:
            error = done.error
            with_retries(lambda: store.record_failure(done.sha256, done.item.name, error.as_error(done.item.name)),
                         retries)
    except Exception as error:
        info = ErrorInfo.from_error(StoreWriteError(done.item.name, f"the store refused it: {error}"),
                                    detail=traceback.format_exc())
        done.status = POSTPONED if is_transient(error) else FAILED
        done.error = info
    return done


# --- a run -----------------------------------------------------------------------------------------


def run(items: list[Item], *, store=None, extract: Extract | None = None,  # noqa: ANN001 - pipeline.store.Store
        force: bool = False, retries: Retries = Retries(), batch_cost: float = 50.0,
        on_result: Callable[[FileResult], None] | None = None,
        on_start: Callable[[int], None] | None = None, report: RunReport | None = None,
        max_bytes: int | None = None) -> RunReport:
    """Every item through the steps above; `on_start(n)` is told how many will be extracted; a file
    over `max_bytes` (the extract's --max-size) is not read for its hash before it is refused."""
    report = report if report is not None else RunReport()
    start = time.perf_counter()
    extract = extract or in_workers(1)

    def finish(result: FileResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    try:
        todo = items
        if store is not None:
            todo, known = skip_known(store, items, force=force, retries=retries, max_bytes=max_bytes)
            for result in known:
                finish(result)
        if on_start is not None:
            on_start(len(todo))
        for done in extract(make_batches(todo, target=batch_cost)):
            finish(store_one(store, done, force=force, retries=retries) if store is not None else done)
    except KeyboardInterrupt:
        report.interrupted = True
    # in the order of the inputs (a pool finishes them in any order): "the first file that failed"
    order = {item.source: i for i, item in enumerate(items)}
    report.results.sort(key=lambda r: order.get(r.item.source, len(order)))
    report.seconds = time.perf_counter() - start
    return report


def ingest_file(store, path: Path, *, force: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> FileResult:  # noqa: ANN001
    """One file through `run` into the store, no JSON written (scripts, benchmarks, tests)."""
    [item] = OutputNamer(None).plan([Path(path)])
    return run([item], store=store, force=force, extract=in_workers(1, max_bytes=max_bytes)).results[0]
