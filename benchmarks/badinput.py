"""The bad inputs of issue 14 through the real CLI: what each one costs, and what it ends as.

Every case is one bad file (tests/badinput/inputs.py makes it, at the size of the issue) in a
folder with a good letter, run as `congvan extract FOLDER --out OUT` in a process of its own.
The table says, per case: the exit code and the error kind the bad file ended as, whether the
good letter of the same run was written, the wall-clock seconds of the run, and its peak memory
(the largest resident set of the command or any process it started: the greatest VmHWM of
the process tree, read from /proc every 50 ms, and os.wait4's ru_maxrss of the command; the
workers are children of multiprocessing's fork server, which the command does not wait for, so
getrusage(RUSAGE_CHILDREN) alone would miss them).

    .venv/bin/python benchmarks/badinput.py                 # every case
    .venv/bin/python benchmarks/badinput.py --only long     # cases whose name contains 'long'

The letters without line breaks (1, 2 and 4 MB) show whether the extractors stay linear: the
last column is processor seconds per MB against the 1 MB case (about 1.0 when linear, 2 or 4
when not; processor time, since wall-clock time on a shared machine is mostly the others' load),
the processor seconds of the good letter alone (the command's start, the worker's) taken off.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.badinput import inputs  # noqa: E402 - after the path it is found on

CONGVAN = Path(sys.executable).with_name("congvan")
SCAN = REPO / "data/samples/scans/cong-van-8731-ubnd-can-gio/clean/page-3.png"
MB = 1 << 20
# 'congvan: error: PATH: REASON (exit code N)'
ERROR_LINE = re.compile(r"^congvan: error: (?P<path>.+?): (?P<reason>.*) \(exit code (?P<code>\d+)\)$", re.M)

# name -> (builder of the bad file in a folder, size in MB for the linearity column or None)
Case = tuple[Callable[[Path], Path], float | None]
CASES: dict[str, Case] = {
    "(none: the good letter alone)": (lambda d: d / "good.txt", None),
    "pdf reference loop": (lambda d: inputs.pdf_reference_loop(d / "loop.pdf"), None),
    "pdf stream 1.5 GiB (deflate bomb)": (lambda d: inputs.pdf_stream_bomb(d / "bomb.pdf"), None),
    "pdf MediaBox 1e30": (lambda d: inputs.pdf_huge_media_box(d / "box.pdf"), None),
    "pdf 5000 pages": (lambda d: inputs.pdf_many_pages(d / "pages.pdf"), None),
    "tiff LAB": (lambda d: inputs.tiff_lab(d / "lab.tif"), None),
    "png tagged 5000 dpi (a real scan)": (lambda d: inputs.png_with_dpi(d / "dpi.png", SCAN), None),
    "text one line": (lambda d: inputs.text_one_line(d / "one-line.txt"), None),
    "text header without body": (lambda d: inputs.text_header_without_body(d / "header.txt"), None),
    "text 100,000 x 'Số: 1/'": (lambda d: inputs.text_number_lines(d / "numbers.txt"), None),
    "letter, one line of 1 MB": (lambda d: inputs.text_long_letter(d / "long-1.txt", 1 * MB), 1.0),
    "letter, one line of 2 MB": (lambda d: inputs.text_long_letter(d / "long-2.txt", 2 * MB), 2.0),
    "letter, one line of 4 MB": (lambda d: inputs.text_long_letter(d / "long-4.txt", 4 * MB), 4.0),
    "text 50 MB": (lambda d: inputs.text_huge(d / "huge.txt"), None),
    "sparse file 2 GiB": (lambda d: inputs.sparse_file(d / "sparse.txt"), None),
    "name of 188 Vietnamese characters": (lambda d: inputs.good_letter(d / inputs.vietnamese_long_name(), 7), None),
    "symlink loop": (lambda d: inputs.symlink_loop(d), None),
}


def run_case(name: str, build: Callable[[Path], Path], options: list[str]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="congvan-badinput-") as temp:
        folder, out = Path(temp) / "in", Path(temp) / "out"
        folder.mkdir()
        inputs.good_letter(folder / "good.txt")
        bad = build(folder)
        # the bad file named on its own as well as in its folder: a folder skips what is no file (a loop)
        command = [str(CONGVAN), "extract", str(folder), str(bad), "--out", str(out), "--quiet", *options]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert process.stderr is not None
        sampler = PeakSampler(process.pid)
        sampler.start()
        err = process.stderr.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(process.pid, 0)
        sampler.stop.set()
        sampler.join()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors = [m for m in ERROR_LINE.finditer(err) if Path(m["path"]).name == bad.name and bad.name != "good.txt"]
        reason = errors[0]["reason"] if errors else ("read" if process.returncode == 0 else err.strip()[-80:])
        return {"case": name, "exit": process.returncode, "outcome": reason, "good": (out / "good.json").is_file(),
                "seconds": seconds, "peak": max(sampler.peak, usage.ru_maxrss * 1024),
                "cpu": max(sampler.cpu, usage.ru_utime + usage.ru_stime)}


class PeakSampler(threading.Thread):
    """The greatest peak resident set (VmHWM) of a process and its descendants, and the processor
    time they used (user + system, each process's last reading), read every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()
        self._cpu: dict[int, float] = {}

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())

    def run(self) -> None:
        while not self.stop.wait(0.05):
            for pid in _tree(self.pid):
                self.peak = max(self.peak, _vm_hwm(pid))
                self._cpu[pid] = max(self._cpu.get(pid, 0.0), _cpu_seconds(pid))


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def _tree(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as file:
                todo += [int(child) for child in file.read().split()]
        except OSError:
            continue
    return found


def _vm_hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as file:
            for line in file:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="cases whose name contains this")
    parser.add_argument("--time-limit", type=float, default=20.0, help="--time-limit of each run (default: 20)")
    parser.add_argument("--memory-limit", type=float, default=None,
                        help="--memory-limit in MiB of each run (default: congvan's)")
    args = parser.parse_args()
    options = ["--time-limit", f"{args.time_limit:g}"]
    if args.memory_limit is not None:
        options += ["--memory-limit", f"{args.memory_limit:g}"]
    rows = []
    per_mb: float | None = None
    base = 0.0
    for name, (build, size) in CASES.items():
        if args.only and args.only not in name:
            continue
        row = run_case(name, build, options)
        if name.startswith("(none"):
            base = float(row["cpu"])  # type: ignore[arg-type]
        if size is not None:
            rate = (float(row["cpu"]) - base) / size  # type: ignore[arg-type]
            per_mb = per_mb or rate
            row["linear"] = f"{rate / per_mb:.2f}"
        rows.append(row)
        print(f"{name}: exit {row['exit']} in {row['seconds']:.1f} s", file=sys.stderr, flush=True)
    header = ("case", "exit", "outcome (the bad file's error)", "good letter", "seconds", "cpu s", "peak MiB",
              "cpu/MB vs 1 MB")
    table = [header] + [(str(r["case"]), str(r["exit"]), _short(str(r["outcome"])), "written" if r["good"] else "LOST",
                         f"{r['seconds']:.1f}", f"{r['cpu']:.1f}", f"{int(r['peak']) / MB:.0f}", str(r.get("linear", "")))
                        for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for k, row in enumerate(table):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if k == 0:
            print("-+-".join("-" * w for w in widths))
    return 0


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
