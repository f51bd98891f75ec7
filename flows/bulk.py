"""`bulk_ingest`: archives of letters (files, folders, globs) into the store and JSON files.

The work is pipeline/work.py's: this module only makes Prefect tasks of it. Files are grouped
in batches (many text files, or one or two scans, a batch: pipeline.work.make_batches) so that
Prefect's cost per task stays small. On one machine each batch task hands its batch to a pool of
processes (OCR and extraction are CPU-bound; threads would wait on the GIL); given a Dask
scheduler address the batch tasks run on the cluster's workers instead. The flow stores the
results itself, one writer, retrying only transient database errors (a locked SQLite file, a lost
connection), never bad input. Killed and started again it skips the files already stored: no
duplicate, and no half-written JSON (outputs are written atomically, before the store has them).
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.prefect_env import SERVER_UNAVAILABLE_EXIT, server_unavailable_message, start_failure
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.work import Done, Item, cores, expand_paths, extract_batch, is_transient, known, make_batches, \
    plan_items, record

# The process pool of this flow run (None on Dask workers: there the task works in its own process).
_POOL: ProcessPoolExecutor | None = None


def _transient_only(task, task_run, state) -> bool:  # noqa: ANN001 - Prefect's retry_condition_fn
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


@task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False)
def extract_task(batch: list[Item], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Done]:
    """Extract a batch and write its JSON; never raises for a bad file (its Done carries the error)."""
    if _POOL is not None:
        return _POOL.submit(extract_batch, batch, max_bytes=max_bytes).result()
    return extract_batch(batch, max_bytes=max_bytes)


class Batch:
    """Extracted results handed to store_task: an opaque box, because Prefect walks a task's
    parameters (to link task runs) and walking every page, word and clause of a batch costs
    more than storing it."""

    __slots__ = ("dones",)

    def __init__(self, dones: list[Done]) -> None:
        self.dones = dones


@task(name="store-batch", cache_policy=NO_CACHE, persist_result=False, retries=4,
      retry_delay_seconds=[1, 2, 4, 8], retry_condition_fn=_transient_only)
def store_task(batch: Batch, db: str | None) -> list[str]:
    """Store a batch's outcomes (idempotent by SHA-256, so a retry after a half-done try is safe)."""
    store = _store(db)
    return [record(store, done) for done in batch.dones]


_STORES: dict = {}


def _store(db: str | None):  # noqa: ANN202
    from pipeline.store import Store

    if db not in _STORES:
        _STORES[db] = Store(db)
    return _STORES[db]


@dataclass
class BulkReport:
    stored: int = 0
    unchanged: int = 0
    skipped: int = 0  # already in the store before the run
    failed: list[tuple[str, str]] = field(default_factory=list)
    slowest: list[tuple[float, str, int]] = field(default_factory=list)
    pages: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def markdown(self, top: int = 10) -> str:
        lines = ["# congvan bulk ingest", "",
                 "| stored | unchanged | skipped (already stored) | failed | pages | seconds | pages/min |",
                 "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
                 f"| {self.stored} | {self.unchanged} | {self.skipped} | {len(self.failed)} | {self.pages} "
                 f"| {self.seconds:.1f} | {self.pages_per_minute:.1f} |", ""]
        if self.failed:
            lines += ["## Failures", "", "| file | error |", "| --- | --- |"]
            lines += [f"| {_cell(name)} | {_cell(reason)} |" for name, reason in self.failed] + [""]
        if self.slowest:
            lines += ["## Slowest files", "", "| file | seconds | pages |", "| --- | ---: | ---: |"]
            lines += [f"| {_cell(name)} | {seconds:.2f} | {pages} |"
                      for seconds, name, pages in sorted(self.slowest, reverse=True)[:top]]
        if self.notes:
            lines += ["", "## Notes", ""] + [f"- {_cell(note)}" for note in self.notes]
        return "\n".join(lines) + "\n"

    @property
    def pages_per_minute(self) -> float:
        return self.pages / self.seconds * 60 if self.seconds else 0.0


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


@flow(name="bulk-ingest", task_runner=ThreadPoolTaskRunner(max_workers=max(2, cores())), log_prints=False)
def bulk_ingest(paths: list[str], out: str, db: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                workers: int | None = None, scheduler: str | None = None, progress: bool = True,
                batch_cost: float = 50.0) -> dict:
    """Extract and store every file under `paths` (files, folders searched recursively, globs),
    writing OUT/<stem>.json; files already stored (by SHA-256) are skipped. Returns the counts."""
    global _POOL
    logger = get_run_logger()
    start = time.perf_counter()
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    files, notes = expand_paths(paths)
    items, name_notes = plan_items(files, out_dir)
    report = BulkReport(notes=[*notes, *name_notes])
    todo, skipped = known(_store(db), items)
    report.skipped = len(skipped)
    batches = make_batches(todo, target=batch_cost)
    logger.info("%d file(s): %d already stored, %d to do in %d batch(es)", len(items), len(skipped),
                len(todo), len(batches))
    bar = _Bar(len(todo), progress)
    use_pool = scheduler is None and (workers or cores()) > 1
    if use_pool:
        _POOL = ProcessPoolExecutor(max_workers=workers or cores())
    try:
        futures = [extract_task.submit(batch, max_bytes) for batch in batches]
        for future in as_completed(futures):
            dones = future.result()
            statuses = store_task(Batch(dones), db)
            for done, status in zip(dones, statuses):
                report.pages += done.pages
                report.slowest.append((done.seconds, done.item.name, done.pages))
                report.slowest = sorted(report.slowest, reverse=True)[:10]
                if done.error is not None:
                    report.failed.append((done.item.name, f"{done.error.status}: {done.error.message}"))
                elif status == "stored":
                    report.stored += 1
                else:
                    report.unchanged += 1
                bar.step(done.item.name)
    finally:
        if use_pool and _POOL is not None:
            _POOL.shutdown()
            _POOL = None
    report.seconds = time.perf_counter() - start
    create_markdown_artifact(markdown=report.markdown(), key="bulk-ingest-report",
                             description="congvan bulk ingest: counts, failures, slowest files")
    logger.info("stored %d, unchanged %d, skipped %d, failed %d, %.1f pages/min", report.stored,
                report.unchanged, report.skipped, len(report.failed), report.pages_per_minute)
    return {"stored": report.stored, "unchanged": report.unchanged, "skipped": report.skipped,
            "failed": len(report.failed), "pages": report.pages, "seconds": report.seconds}


def run_bulk_ingest(paths: list[str], out: str, db: str | None = None, *, scheduler: str | None = None,
                    **options) -> dict:
    """bulk_ingest on this machine, or on the Dask cluster at `scheduler` ("tcp://host:8786")."""
    if scheduler:
        from prefect_dask import DaskTaskRunner

        runnable = bulk_ingest.with_options(task_runner=DaskTaskRunner(address=scheduler))
        return runnable(paths, out, db, scheduler=scheduler, **options)
    return bulk_ingest(paths, out, db, **options)


class _Bar:
    """A one-line progress bar on standard error."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled and total > 0, 0
        self.tty = sys.stderr.isatty()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = 30 * self.done // self.total
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {os.path.basename(name)}"
        if self.tty:
            sys.stderr.write("\r\033[K" + line[:120] + ("\n" if self.done == self.total else ""))
        elif self.done == self.total or self.done % max(1, self.total // 20) == 0:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="congvan bulk ingest (Prefect flow)")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--db")
    parser.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    parser.add_argument("--workers", type=int)
    args = parser.parse_args()
    try:
        counts = run_bulk_ingest(args.paths, args.out, args.db, scheduler=args.scheduler, workers=args.workers)
    except Exception as error:
        if not start_failure(error):
            raise
        print(f"congvan: error: {server_unavailable_message(error)}", file=sys.stderr)
        sys.exit(SERVER_UNAVAILABLE_EXIT)
    print(
        f"{counts['stored']} stored, {counts['unchanged']} already stored, {counts['failed']} failed; "
        f"JSON written to {args.out}/; store: {args.db or 'CONGVAN_DATABASE_URL or var/congvan.db'}"
    )
