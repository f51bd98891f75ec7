"""Prefect's cost: `bulk_ingest` (flows/bulk.py) against the same work in a plain process pool.

The inputs: the sample letters' .txt files copied under new names (--texts, default 500) and the
degraded scanned pages data/samples/scans/*/degraded/*.jpg copied likewise (--scans, default 40).
Both runs do the same: skip stored files, extract in a pool of processes (one per core), write
the JSON, store the results in a fresh SQLite file. The flow is warmed up first (its temporary
local Prefect API starts once per process, 9–16 s, reported separately).

    .venv/bin/python benchmarks/flows.py [--texts 500] [--scans 40] [--workers N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_inputs(folder: Path, texts: int, scans: int) -> None:
    samples = sorted((ROOT / "data" / "samples").glob("*.txt"))
    pages = sorted((ROOT / "data" / "samples" / "scans").glob("*/degraded/*.jpg"))
    folder.mkdir(parents=True)
    for n in range(texts):
        shutil.copyfile(samples[n % len(samples)], folder / f"text-{n:04d}.txt")
    for n in range(scans):
        shutil.copyfile(pages[n % len(pages)], folder / f"scan-{n:03d}.jpg")


def plain(paths: list[str], out: Path, db: str, workers: int) -> tuple[float, int]:
    from pipeline.runner import OutputNamer, find_inputs, in_workers, run
    from pipeline.store import Store

    start = time.perf_counter()
    with Store(db) as store:
        out.mkdir(parents=True, exist_ok=True)
        files, _ = find_inputs(paths, recursive=True)
        report = run(OutputNamer(out).plan(files), store=store, extract=in_workers(workers))
    return time.perf_counter() - start, report.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=500)
    parser.add_argument("--scans", type=int, default=40)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="congvan-bench-flows-"))
    os.environ.setdefault("PREFECT_HOME", str(work / "prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    from flows.bulk import run_bulk_ingest
    from pipeline.runner import cores

    workers = args.workers or cores()
    rows = []
    try:
        start = time.perf_counter()
        run_bulk_ingest([], str(work / "warm-out"), str(work / "warm.db"))
        warmup = time.perf_counter() - start
        for kind, texts, scans in (("text letters", args.texts, 0), ("scanned pages", 0, args.scans)):
            if not (texts or scans):
                continue
            inputs = work / kind.replace(" ", "-")
            make_inputs(inputs, texts, scans)
            plain_seconds, pages = plain([str(inputs)], work / f"{kind}-plain", str(work / f"{kind}-plain.db"),
                                         workers)
            start = time.perf_counter()
            _, report = run_bulk_ingest([str(inputs)], str(work / f"{kind}-flow"), str(work / f"{kind}-flow.db"),
                                        workers=workers)
            flow_seconds = time.perf_counter() - start
            pages = texts + scans  # a text letter counts as a page; each .jpg is one page, read or not
            rows.append((kind, texts + scans, pages, plain_seconds, flow_seconds, len(report.failed)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\n{workers} worker process(es); temporary Prefect API start and first flow run: {warmup:.1f} s\n")
    header = ("inputs", "files", "pages", "plain pool s", "bulk_ingest s", "overhead", "pages/min plain",
              "pages/min flow", "failed")
    table = [header]
    for kind, files, pages, plain_s, flow_s, failed in rows:
        table.append((kind, str(files), str(pages), f"{plain_s:.1f}", f"{flow_s:.1f}",
                      f"{(flow_s / plain_s - 1) * 100:+.1f}%", f"{pages / plain_s * 60:.0f}",
                      f"{pages / flow_s * 60:.0f}", str(failed)))
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main()
