"""Worker processes: every file is read in one, under limits it cannot escape (pipeline/limits.py).

    with WorkerPool(2, limits=Limits(seconds=600)) as pool:
        result = pool.extract(item)            # a FileResult, whatever the file does to its worker

A worker reads one file at a time (pipeline.runner.extract_item), under the soft limits, and
sends back its FileResult. The parent waits for it at most `limits.seconds + limits.grace`; then
it kills the worker's whole process group (the worker and the Tesseract it runs) and the file
fails with TimeLimitError. A worker that dies — a C library aborting when the memory limit
refuses it an allocation, a segfault, the OOM killer — fails its file with MemoryLimitError or
WorkerCrashedError; the next file gets a new worker, and the run goes on.

Workers are started by a fork server (multiprocessing's "forkserver"): a small process that has
imported congvan once and forks each worker from there, so a worker starts in milliseconds and
inherits none of the parent's threads, locks or open files (an inbox pass's lock stays the
pass's own). Workers die with their parent: the fork server leaves when the parent does, and
each worker is killed when the fork server goes (PR_SET_PDEATHSIG). Each worker has a private
temporary folder (mode 0700) for the page images and Tesseract's files (mode 0600: the worker
runs under umask 077, its JSON files excepted), removed when it ends;
one left by a killed pass is removed by the next pool.

`extract` may be called from many threads at once (Prefect's task threads): each call takes an
idle worker, or waits for one.
"""
from __future__ import annotations

import contextlib
import glob
import multiprocessing
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pipeline.errors import InternalError, MemoryLimitError, TimeLimitError, WorkerCrashedError
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.limits import MIB, Limits, die_with_parent, limit_memory, peak_memory, reset_peak_memory
from pipeline.ocr import PageProgress

# How workers start: "forkserver" (see above). Tests that change congvan's functions in this
# process (monkeypatch) for a worker to see use "fork".
START_METHOD = "forkserver"
_PRELOAD = ["pipeline.runner"]  # what the fork server imports once, for every worker
_TEMP_PREFIX = "congvan-worker-"


class WorkerPool:
    """Up to `size` worker processes, started when first needed, each reading one file at a time."""

    def __init__(self, size: int = 1, *, limits: Limits | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 ocr_workers: int | None = None) -> None:
        self.limits = limits or Limits()
        self.max_bytes = max_bytes
        self.ocr_workers = ocr_workers
        self._idle: queue.SimpleQueue[_Worker | None] = queue.SimpleQueue()
        for _ in range(max(1, size)):
            self._idle.put(None)
        self._running: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        _remove_stale_temp_folders()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def extract(self, item, on_page: PageProgress | None = None):  # noqa: ANN001, ANN201 - runner.Item -> FileResult
        """Read `item` in a worker and write its JSON; its FileResult, whatever happened to the worker."""
        worker = self._idle.get()
        try:
            if worker is None:
                worker = self._start()
            result, keep = self._run(worker, item, on_page)
        except BaseException:  # Ctrl-C (in the main thread): stop this worker now, not after its file
            if worker is not None:
                self._discard(worker, kill=True)
            self._idle.put(None)
            raise
        if not keep:
            self._discard(worker, kill=True)
            worker = None
        self._idle.put(worker)
        return result

    def close(self) -> None:
        """Stop every worker (killing those still at work) and remove their temporary folders."""
        self._closed = True
        with self._lock:
            workers = list(self._running)
        for worker in workers:
            self._discard(worker, kill=not worker.stop())

    # --- one file -----------------------------------------------------------------------------

    def _run(self, worker: _Worker, item, on_page: PageProgress | None):  # noqa: ANN001, ANN202
        from pipeline.runner import ErrorInfo, failed_result

        start = time.perf_counter()
        deadline = time.monotonic() + self.limits.seconds + self.limits.grace
        try:
            worker.conn.send(("extract", item, self.max_bytes, self.ocr_workers))
        except OSError:
            return failed_result(item, ErrorInfo.from_error(self._death(worker, item)), start), False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                worker.kill()
                worker.remove_partial_output(item)
                error = TimeLimitError(item.name, f"took longer than its time limit of {self.limits.seconds:g} s "
                                       "(--time-limit); its worker was stopped")
                return failed_result(item, ErrorInfo.from_error(error), start), False
            try:
                ready = worker.conn.poll(min(left, 1.0))
                message = worker.conn.recv() if ready else None
            except (EOFError, OSError):
                worker.remove_partial_output(item)
                return failed_result(item, ErrorInfo.from_error(self._death(worker, item)), start), False
            if message is None:
                continue
            if message[0] == "page":
                if on_page is not None:
                    on_page(message[1], message[2])
                continue
            _, result, keep = message
            return result, keep

    def _death(self, worker: _Worker, item) -> Exception:  # noqa: ANN001
        """Why a worker died while reading `item`, as the file's error."""
        worker.process.join(5)
        code = worker.process.exitcode
        limit = self.limits.memory
        under = f" under the memory limit of {limit // MIB} MiB (--memory-limit)" if limit else ""
        if self._closed:
            return InternalError(item.name, "stopped: the run was interrupted")
        if code is not None and code < 0:
            name = signal.Signals(-code).name
            if -code == signal.SIGKILL:  # not ours (ours is a timeout): the system's OOM killer
                return MemoryLimitError(item.name, f"its worker was killed ({name}), most likely for memory: the "
                                        "system ran out of it while reading this file")
            return WorkerCrashedError(item.name, f"its worker crashed ({name}) while reading it{under}: a library "
                                      "failed on this file")
        return WorkerCrashedError(item.name, f"its worker exited (code {code}) while reading it{under}")

    # --- the workers themselves -----------------------------------------------------------------

    def _start(self) -> _Worker:
        worker = _Worker(self.limits)
        with self._lock:
            self._running.add(worker)
        return worker

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        if kill:
            worker.kill()
        worker.cleanup()
        with self._lock:
            self._running.discard(worker)


class _Worker:
    def __init__(self, limits: Limits) -> None:
        context = _context()
        self.temp = tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{os.getpid()}-")  # mode 0700
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, limits, dict(os.environ), self.temp, _umask()),
                                       name="congvan-worker", daemon=True)
        self.process.start()
        child.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def stop(self) -> bool:
        """Ask the worker to leave; False when it did not within a few seconds."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(("stop",))
        self.process.join(5)
        return self.process.exitcode is not None

    def kill(self) -> None:
        """The worker and everything it started (its own process group: Tesseract too)."""
        pid = self.process.pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.join(5)

    def remove_partial_output(self, item) -> None:  # noqa: ANN001
        """The temporary JSON file a killed worker may have left beside the item's output."""
        if item.output is None or self.pid is None:
            return
        from pipeline.output import temporary_pattern

        for leftover in glob.glob(os.path.join(glob.escape(str(Path(item.output).parent)), temporary_pattern(self.pid))):
            with contextlib.suppress(OSError):
                os.unlink(leftover)

    def cleanup(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        shutil.rmtree(self.temp, ignore_errors=True)


def _context() -> Any:  # a multiprocessing context (its type has no Process for mypy)
    context = multiprocessing.get_context(START_METHOD)
    if START_METHOD == "forkserver":
        context.set_forkserver_preload(_PRELOAD)  # type: ignore[attr-defined]
    return context


def _umask() -> int:
    """This process's umask (from /proc, which reads it without changing it for other threads)."""
    try:
        with open("/proc/self/status") as file:
            for line in file:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_stale_temp_folders() -> None:
    """The temporary folders of workers whose pass was killed (its process is gone)."""
    for folder in glob.glob(os.path.join(glob.escape(tempfile.gettempdir()), f"{_TEMP_PREFIX}*")):
        try:
            pid = int(Path(folder).name[len(_TEMP_PREFIX):].split("-", 1)[0])
            if os.stat(folder).st_uid != os.getuid():
                continue
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, OSError):
            continue


# --- the worker's side -------------------------------------------------------------------------


def _serve(conn: Connection, limits: Limits, environ: dict[str, str], temp: str, umask: int) -> None:
    """A worker's life: files from `conn`, one at a time, until told to stop or the parent goes.
    What it makes for itself (page images, Tesseract's files) is its own (umask 077); the JSON
    files it writes get the parent's umask."""
    die_with_parent()
    _release_fork_server()
    os.setpgrp()  # its own process group: killed with what it starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    os.environ.clear()
    os.environ.update(environ, TMPDIR=temp)  # the parent's environment of now, not the fork server's
    tempfile.tempdir = temp
    limit_memory(limits.memory)
    from pipeline import output
    from pipeline.runner import extract_item

    output.published_umask = umask
    os.umask(0o077)

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message[0] != "extract":
            return
        _, item, max_bytes, ocr_workers = message
        reset_peak_memory()
        result = extract_item(item, max_bytes=max_bytes, ocr_workers=ocr_workers, limits=limits,
                              on_page=lambda done, total: conn.send(("page", done, total)))
        result = replace(result, peak_memory=peak_memory())
        # after a memory failure the heap may be in pieces: a new worker for the next file
        keep = result.error is None or result.error.type not in ("MemoryLimitError", "TimeLimitError")
        try:
            conn.send(("done", result, keep))
        except MemoryError:
            conn.send(("done", failed_copy(result), False))
        if not keep:
            return


def _release_fork_server() -> None:
    """Let the fork server leave when the parent does. multiprocessing gives every process the fork
    server starts the write end of the pipe whose end tells the fork server its last client is
    gone, so the fork server outlived a parent killed with -9 as long as a worker was busy (a
    reference loop: for ever), and PR_SET_PDEATHSIG, which fires when the fork server goes, never
    came. A worker starts no processes through multiprocessing: it closes its copy."""
    from multiprocessing import forkserver

    server = getattr(forkserver, "_forkserver", None)
    fd = getattr(server, "_forkserver_alive_fd", None)
    if START_METHOD == "forkserver" and isinstance(fd, int):
        with contextlib.suppress(OSError):
            os.close(fd)
        server._forkserver_alive_fd = None  # type: ignore[union-attr]


def failed_copy(result):  # noqa: ANN001, ANN201 - a FileResult too large to send back
    from pipeline.runner import ErrorInfo, failed_result

    error = MemoryLimitError(result.item.name, "its result is too large to send back under the memory limit")
    return failed_result(result.item, ErrorInfo.from_error(error), time.perf_counter() - result.seconds)
