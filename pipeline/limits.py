"""The limits every input runs under, so that no file can stop a run (issue 14).

Two layers, both per file:

- *soft*, inside the worker process that reads the file: a wall-clock limit (`time_limit`, a
  SIGALRM timer that raises in the worker's main thread, where the readers run, so a parser
  looping in Python stops with a typed error), and an address-space limit (RLIMIT_AS: an
  allocation over it is a MemoryError, which becomes a typed error, not a dead machine);
- *hard*, in the parent (pipeline/workers.py): a worker still busy `grace` seconds after the
  file's time is up is killed, with everything it started, and the file fails with `timeout`;
  a worker that dies (a C library aborting under the memory limit, the OOM killer) costs its
  file only.

The readers add limits of their own where a file says how much work it will be: pages per
file (MAX_PAGES), the size a PDF stream inflates to (MAX_INFLATED_BYTES), pixels per page
(pipeline/images.py), characters of text per file (MAX_TEXT_CHARS).
"""
from __future__ import annotations

import ctypes
import os
import resource
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

MIB = 1024 * 1024
GIB = 1024 * MIB

MAX_PAGES = 2000  # pages of one file (PDF or TIFF): the README's promise
MAX_INFLATED_BYTES = 256 * MIB  # one PDF stream, inflated: a 600 dpi A3 colour page is 200 MB
# Characters of text in one file: about 3,000 pages of a letter, far above any real letter, and
# under the memory limit for every stage (the extractors keep an offset for each character).
MAX_TEXT_CHARS = 8_000_000


@dataclass(frozen=True)
class Limits:
    """What one file may cost: `seconds` of wall clock and `memory` bytes of address space in its
    worker process (None: no memory limit); the worker is killed `grace` seconds after its time."""

    seconds: float = 2400.0
    memory: int | None = 4 * GIB
    grace: float = 30.0

    @property
    def ocr_seconds(self) -> float:
        """OCR's own limit for a file's pages (pipeline/ocr.py): under `seconds`, so that a slow scan
        stops with the pages it has read, before the file's limit costs them all."""
        return min(1800.0, 0.75 * self.seconds)


class TimeLimitExceeded(BaseException):
    """A `time_limit` ran out. A BaseException: readers that catch Exception for a bad page must
    not take it for one."""

    def __init__(self, token: object, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.token = token
        self.seconds = seconds


_deadlines: list[tuple[float, object, float]] = []  # (monotonic deadline, token, seconds), outermost first


@contextmanager
def time_limit(seconds: float, token: object | None = None) -> Iterator[object]:
    """Raise TimeLimitExceeded(token) in this block when `seconds` have passed. Nests (the earliest
    deadline fires first; the catcher compares tokens). Only in the main thread, where signals
    arrive: elsewhere it limits nothing, and the worker's hard limit still holds."""
    token = object() if token is None else token
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield token
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    entry = (time.monotonic() + seconds, token, seconds)
    _deadlines.append(entry)
    _arm()
    try:
        yield token
    finally:
        _deadlines.remove(entry)
        _arm()
        if not _deadlines:
            signal.signal(signal.SIGALRM, previous)


def _arm() -> None:
    if not _deadlines:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    left = min(deadline for deadline, _, _ in _deadlines) - time.monotonic()
    # and again every _REPEAT seconds while a block whose time is up is still running: clean-up
    # code may run into the same loop (pdfplumber's close() lists the pages again)
    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), _REPEAT)


_REPEAT = 0.25


def _on_alarm(signum: int, frame: object) -> None:
    now = time.monotonic()
    expired = [(deadline, token, seconds) for deadline, token, seconds in _deadlines if deadline <= now + 0.001]
    if not expired:
        _arm()
        return
    _, token, seconds = min(expired, key=lambda entry: entry[0])
    raise TimeLimitExceeded(token, seconds)


# --- the worker process's own limits ------------------------------------------------------------


def limit_memory(limit: int | None) -> None:
    """RLIMIT_AS for this process and what it starts (Tesseract): allocations past it fail."""
    if limit is None:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Be killed (SIGKILL) when the process that started this one dies, e.g. `kill -9` of the
    inbox pass by the OOM killer: a worker left behind would hold on to its file for ever."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's pipe closing still ends the worker
        pass


def reset_peak_memory() -> None:
    """Start this process's peak-memory count (VmHWM) again, so it tells one file's peak."""
    try:
        with open("/proc/self/clear_refs", "w") as file:
            file.write("5")
    except OSError:
        pass


def peak_memory() -> int:
    """This process's peak resident memory in bytes since the last reset (0 where unknown)."""
    try:
        with open("/proc/self/status") as file:
            for line in file:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return usage * 1024 if os.uname().sysname == "Linux" else usage
