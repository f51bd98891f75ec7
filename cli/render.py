"""What the command line shows: one table renderer and one progress display for every command.

Tables are rich tables sized to the terminal; written to a file or a pipe they are as wide as their
rows (or $COLUMNS) so that logs and scripts get whole cells. Progress goes to standard error: on a terminal a live
bar per file and, while a scan is OCR'd, one per page; elsewhere (logs, CI) one line per file and
per OCR'd page.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.runner import FileResult, Item

WIDTH_OFF_TERMINAL = 10_000  # no terminal to fit: each column as wide as its widest cell


def console(file: TextIO | None = None) -> Console:
    file = file or sys.stdout
    tty = file.isatty()
    width = None if tty else int(os.environ.get("COLUMNS") or WIDTH_OFF_TERMINAL)
    return Console(file=file, width=width, highlight=False, soft_wrap=False, emoji=False)


@dataclass(frozen=True)
class Column:
    header: str
    justify: str = "left"  # left | right
    wrap: bool = False  # long text wraps (else it is cut with …)
    max_width: int | None = None


def table(columns: Sequence[Column], rows: Sequence[Sequence[object]], *, title: str | None = None,
          file: TextIO | None = None) -> None:
    """Print rows under their column headers."""
    t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
    for c in columns:
        t.add_column(c.header, justify=c.justify, no_wrap=not c.wrap, overflow="fold" if c.wrap else "ellipsis",  # type: ignore[arg-type]
                     max_width=c.max_width)
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    out = console(file)
    if out.is_terminal:
        out.print(t)
        return
    with out.capture() as captured:  # off a terminal: no padding after the last cell
        out.print(t)
    write_lines("".join(line.rstrip() + "\n" for line in captured.get().splitlines()), file)


def write_lines(text: str, file: TextIO | None = None) -> None:
    """Write text a line at a time, line ends as they are: a reader that goes away (`| head`) is
    then noticed at once, as a BrokenPipeError, rather than lost in one huge write."""
    file = file or sys.stdout
    for line in text.splitlines(keepends=True):
        file.write(line)
    file.flush()


def say(message: str) -> None:
    """A line for the user on standard error: `congvan: <message>`."""
    print(f"congvan: {message}", file=sys.stderr, flush=True)


class RunProgress:
    """Progress of a run of files: per file, and per page while a file is OCR'd (in this process)."""

    def __init__(self, enabled: bool = True, file: TextIO | None = None) -> None:
        self.file = file or sys.stderr
        self.enabled = enabled
        self.live = enabled and self.file.isatty()
        self.total = 0
        self.done = 0
        self.started = False  # results before start(): files the store had, nothing to show
        self.current: Item | None = None
        self._progress: Progress | None = None
        self._files: TaskID | None = None
        self._pages: TaskID | None = None

    def start(self, total: int) -> None:
        self.total = total
        self.started = True
        if self.live and total:
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), console=Console(file=self.file), transient=True)
            self._progress.start()
            self._files = self._progress.add_task("files", total=total)

    def file_started(self, item: Item) -> None:
        self.current = item
        if self._progress is not None and self._files is not None:
            self._progress.update(self._files, description=f"files  {_short(item.name)}")

    def page(self, done: int, total: int) -> None:
        if not self.enabled or self.current is None:
            return
        if self._progress is not None:
            if self._pages is None:
                self._pages = self._progress.add_task("  OCR pages", total=total)
            self._progress.update(self._pages, completed=done, total=total)
        else:
            self._line(f"  {self.current.name}: OCR page {done} of {total}")

    def file_done(self, result: FileResult) -> None:
        if not self.started:
            return
        self.done += 1
        if not self.enabled:
            return
        if self._progress is not None and self._files is not None:
            self._progress.advance(self._files)
            if self._pages is not None:
                self._progress.remove_task(self._pages)
                self._pages = None
        else:
            self._line(f"[{self.done}/{self.total or '?'}] {result.name}: {result.status}")

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def _line(self, text: str) -> None:
        print(text, file=self.file, flush=True)


def _short(name: str, width: int = 50) -> str:
    base = os.path.basename(name)
    return base if len(base) <= width else "…" + base[-(width - 1):]
