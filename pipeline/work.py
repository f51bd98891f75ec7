"""Many files through the pipeline at once: the plain (Prefect-free) pieces that flows/ wraps.

A *worker* extracts a file and writes its JSON (CPU-bound: OCR and extraction), in a process of
its own; the *parent* stores the results, one writer, so SQLite never sees two at once. The JSON
is written before the store records the file: a file the store knows has its JSON, so a run
killed at any point and started again skips nothing it should not (store ingest is idempotent by
SHA-256, JSON files are written atomically).

What goes between processes is plain data (Done, ErrorInfo): congvan's errors do not pickle.
"""
from __future__ import annotations

import glob
import hashlib
import os
import sqlite3
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, UTC
from pathlib import Path

from schemas import ExtractionResult

from pipeline import errors
from pipeline.batch import plan_outputs
from pipeline.errors import CongvanError, InternalError, OutputWriteError
from pipeline.extract import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, extract_file
from pipeline.ocr import OcrOptions
from pipeline.output import render_json, write_atomic

# which stage an error class belongs to, for reports and the inbox's <name>.error.json
_STAGES = {
    "read": ("InputNotFoundError", "EmptyInputError", "InputTooLargeError"),
    "decode": ("NotTextError", "UndecodableTextError", "UnsupportedInputError", "EncryptedPdfError",
               "CorruptPdfError", "CorruptImageError", "ImageTooLargeError"),
    "ocr": ("OcrRequiredError", "OcrFailedError"),
    "extract": ("NotALetterError", "InternalError"),
    "output": ("OutputWriteError",),
}
STAGE_OF = {name: stage for stage, names in _STAGES.items() for name in names}


@dataclass(frozen=True)
class ErrorInfo:
    """Why a file failed, as plain data: `type` is the class name (pipeline.errors or other)."""

    type: str
    status: str
    code: int
    message: str
    stage: str
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    detail: str | None = None  # a traceback, for internal errors

    @classmethod
    def from_error(cls, error: BaseException, *, stage: str | None = None, detail: str | None = None) -> ErrorInfo:
        name = type(error).__name__
        if isinstance(error, CongvanError):
            return cls(type=name, status=error.status, code=error.code, message=error.reason,
                       stage=stage or STAGE_OF.get(name, "extract"), detail=detail)
        return cls(type=name, status="internal error", code=InternalError.code, message=str(error) or name,
                   stage=stage or "extract", detail=detail)

    def as_error(self, name: str) -> CongvanError:
        """The congvan error it stands for (what the store records for a failed file)."""
        cls = getattr(errors, self.type, None)
        if not (isinstance(cls, type) and issubclass(cls, CongvanError)):
            cls = InternalError
        return cls(name, self.message)

    def as_json(self, **extra: object) -> dict:
        data = {"error": self.type, "status": self.status, "exit_code": self.code, "message": self.message,
                "stage": self.stage, "time": self.time, **extra}
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


@dataclass
class Done:
    item: Item
    sha256: str | None
    result: ExtractionResult | None
    error: ErrorInfo | None
    seconds: float
    pages: int = 0


# --- choosing the files --------------------------------------------------------------------


def expand_paths(arguments: Iterable[str]) -> tuple[list[Path], list[str]]:
    """Files for files, folders (searched recursively) and globs ("archive/**/*.pdf"); and notes.

    Only the kinds congvan reads are taken from folders and globs; hidden files and folders are
    skipped; each file once, in the order given (folders and globs in name order).
    """
    found: list[Path] = []
    notes: list[str] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            found.append(path)

    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            matches = sorted(p for p in path.rglob("*") if _wanted(p, path))
        elif path.exists():
            matches = [path]
        elif glob.has_magic(argument):
            matches = sorted(Path(p) for p in glob.glob(argument, recursive=True)
                             if Path(p).is_file() and Path(p).suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            matches = [path]  # fails, and is reported, like any other bad input
        if not matches:
            notes.append(f"{argument}: no .txt, .pdf or image files")
        for match in matches:
            add(match)
    return found, notes


def _wanted(path: Path, root: Path) -> bool:
    relative = path.relative_to(root).parts
    return (path.is_file() and not any(part.startswith(".") for part in relative)
            and path.suffix.lower() in SUPPORTED_SUFFIXES)


def plan_items(paths: list[Path], out_dir: Path | None) -> tuple[list[Item], list[str]]:
    """An Item per file, JSON named as `congvan extract` names it (a suffix when two stems clash)."""
    if out_dir is None:
        return [Item(p.as_posix(), p.as_posix(), None, _size(p)) for p in paths], []
    jobs, notes = plan_outputs([(p, p.as_posix()) for p in paths], out_dir)
    items = []
    for job in jobs:
        output = job.output.with_name(fit_name(job.output.stem, ".json"))
        items.append(Item(job.source.as_posix(), job.name, output.as_posix(), _size(job.source)))
    return items, notes


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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def file_sha256(path: str | Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def cost(item: Item) -> float:
    """A rough guess of the work in a file, in "text files": scans are OCR'd, hundreds of times slower."""
    suffix = Path(item.source).suffix.lower()
    if suffix == ".txt":
        return 1.0
    return 20.0 + item.size / 200_000  # PDFs may be scans; bigger images take longer


def make_batches(items: list[Item], *, target: float = 50.0, max_items: int = 100) -> list[list[Item]]:
    """Items in groups of about `target` cost: many small text files together, scans one or two a batch."""
    batches: list[list[Item]] = []
    current: list[Item] = []
    total = 0.0
    for item in items:
        current.append(item)
        total += cost(item)
        if total >= target or len(current) >= max_items:
            batches.append(current)
            current, total = [], 0.0
    if current:
        batches.append(current)
    return batches


# --- the worker side -------------------------------------------------------------------------


def extract_one(item: Item, *, max_bytes: int = DEFAULT_MAX_BYTES, ocr_workers: int | None = None) -> Done:
    """Extract one file and write its JSON (atomically; nothing when it fails). Never raises."""
    start = time.perf_counter()
    ocr = OcrOptions(workers=ocr_workers) if ocr_workers else None
    result = error = None
    try:
        result = extract_file(Path(item.source), name=item.name, max_bytes=max_bytes, ocr=ocr)
        if item.output is not None:
            try:
                write_atomic(Path(item.output), render_json(result))
            except OSError as failure:
                raise OutputWriteError(item.name, f"cannot write {item.output}: {failure.strerror}") from None
    except CongvanError as failure:
        result, error = None, ErrorInfo.from_error(failure)
    except Exception as failure:  # a bug on one file must not cost the others
        result = None
        error = ErrorInfo.from_error(failure, detail=traceback.format_exc())
    sha = result.source.sha256 if result is not None else file_sha256(item.source)
    pages = len(result.pages) if result is not None else 0
    return Done(item, sha, result, error, time.perf_counter() - start, pages)


def extract_batch(items: list[Item], *, max_bytes: int = DEFAULT_MAX_BYTES, ocr_workers: int | None = 1) -> list[Done]:
    """A batch, one file after the other, in this process (a pool worker, or a Prefect task)."""
    return [extract_one(item, max_bytes=max_bytes, ocr_workers=ocr_workers) for item in items]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_in_pool(batches: list[list[Item]], *, workers: int | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Done]:
    """Every batch in a pool of processes (one per core), results as they come."""
    workers = workers or cores()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: set[Future] = {pool.submit(extract_batch, batch, max_bytes=max_bytes) for batch in batches}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                yield from future.result()


# --- the parent side: the store ----------------------------------------------------------------


def is_transient(error: BaseException) -> bool:
    """A failure worth retrying: a locked SQLite database, a lost database connection. Never bad input."""
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, (exc.OperationalError, exc.DisconnectionError, exc.TimeoutError)):
        return True
    if isinstance(error, sqlite3.OperationalError):
        return "locked" in str(error) or "busy" in str(error)
    return isinstance(error, (ConnectionError, TimeoutError))


def record(store, done: Done, *, force: bool = False) -> str:  # noqa: ANN001 - pipeline.store.Store
    """Store one file's outcome: "stored", "unchanged" (known already) or "failed" (recorded as such).

    Store errors propagate (transient ones are for the caller to retry: is_transient).
    """
    if done.result is not None:
        return store.ingest_result(done.result, force=force).status
    if done.sha256 is not None and done.error is not None:
        store.record_failure(done.sha256, done.item.name, done.error.as_error(done.item.name))
    return "failed"


def known(store, items: list[Item]) -> tuple[list[Item], list[Item]]:  # noqa: ANN001
    """(to do, already stored): a file whose SHA-256 the store has (ingested, or failed) is skipped."""
    todo, skipped = [], []
    for item in items:
        sha = file_sha256(item.source)
        (skipped if sha is not None and store.file_status(sha) in ("ok", "failed") else todo).append(item)
    return todo, skipped
