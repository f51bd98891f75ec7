"""What both flows share: the extract task and the flow run's pool of processes, the store of a
flow run, the end state and the report artifact.

The work is pipeline/runner.py's: a flow calls `run` with `prefect_extract()` as its extract step,
so each batch of files is a Prefect task. Extraction is CPU-bound (OCR), so on one machine an
extract task hands its files to the flow run's worker processes (`local_pool`, pipeline/workers.py:
each file under its time and memory limits); on a Dask cluster (no pool here) the task runs the
batch in its worker's process. The results are stored by the
flow run itself, one writer, with the runner's retries of transient database errors.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.states import Completed, Failed, State

from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.limits import Limits
from pipeline.runner import FAILED, Extract, FileResult, Item, RunReport, cores, extract_batch, extract_runs
from pipeline.workers import WorkerPool

_pool: WorkerPool | None = None  # the flow run's worker processes (None: none, e.g. on Dask workers)
_stores: dict[str | None, Any] = {}


@contextmanager
def local_pool(workers: int | None, limits: Limits | None = None, max_bytes: int = DEFAULT_MAX_BYTES, *,
               local: bool = True) -> Iterator[None]:
    """`workers` worker processes (default: one per core) under `limits` for the extract tasks of
    this flow run (pipeline/workers.py); none when the tasks run on a Dask cluster (`local` off)."""
    global _pool
    if not local:
        yield
        return
    size = workers or cores()
    _pool = WorkerPool(size, limits=limits, max_bytes=max_bytes, ocr_workers=None if size == 1 else 1)
    try:
        yield
    finally:
        _pool.close()
        _pool = None


def store_for(db: str | None):  # noqa: ANN201 - pipeline.store.Store
    """One Store per database URL in this process (opening one runs the migrations check)."""
    from pipeline.store import Store

    if db not in _stores:
        _stores[db] = Store(db)
    return _stores[db]


def _extract_in_task(batch: list[Item], max_bytes: int = DEFAULT_MAX_BYTES) -> list[FileResult]:
    """Extract a batch and write its JSON; never raises for a bad file (its FileResult carries the error).
    On a Dask worker (no pool of this flow run's) the files are read in the task's own process,
    under the soft limits only: a Dask worker may not start processes of its own."""
    if _pool is not None:
        return list(extract_runs(batch, _pool.extract))
    return extract_batch(batch, max_bytes=max_bytes)


# Not a decorator: Dask pickles the task's function by reference, and the module attribute of the
# function's own name must be the function itself, not the Task that wraps it.
extract_task = task(name="extract-batch", cache_policy=NO_CACHE, persist_result=False)(_extract_in_task)


def prefect_extract(max_bytes: int = DEFAULT_MAX_BYTES) -> Extract:
    """The runner's extract step as Prefect tasks, one a batch, results as the tasks finish."""
    def extract(batches: list[list[Item]]) -> Iterator[FileResult]:
        futures = [extract_task.submit(batch, max_bytes) for batch in batches]
        for future in as_completed(futures):
            yield from future.result()
    return extract


def end_state(report: RunReport, what: str) -> State:
    """Completed, or Failed naming how many files failed and why, once every other file is done:
    a run with failures must not look like a good night (Prefect's notifications key on it)."""
    failed = report.failed
    if report.interrupted:
        return Failed(message=f"{what}: interrupted after {len(report.results)} file(s)", data=report)
    if not failed:
        return Completed(message=f"{what}: {report.counts()}", data=report)
    reasons: dict[str, int] = {}
    for result in failed:
        status = result.error.status if result.error else "failed"
        reasons[status] = reasons.get(status, 0) + 1
    why = ", ".join(f"{n} {status}" for status, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
    return Failed(message=f"{what}: {len(failed)} of {len(report.results)} file(s) failed ({why}); "
                          "see the run's report artifact", data=report)


def publish_report(report: RunReport, *, key: str, title: str, lead: str) -> None:
    create_markdown_artifact(markdown=markdown(report, title=title, lead=lead), key=key,
                             description=f"{title}: counts, failures, slowest files")


def markdown(report: RunReport, *, title: str, lead: str, top: int = 10) -> str:
    """The run as a markdown report: counts, every failure with its stage, the slowest files."""
    minutes = report.seconds / 60
    lines = [f"# {title}", "", lead, "",
             "| files | stored | unchanged | failed | postponed | pages | seconds | pages/min |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
             f"| {len(report.results)} | {report.count('stored')} | {report.count('unchanged')} "
             f"| {report.count(FAILED)} | {report.count('postponed')} | {report.pages} | {report.seconds:.1f} "
             f"| {report.pages / minutes if minutes else 0:.1f} |", ""]
    troubled = [r for r in report.results if r.error is not None]
    if troubled:
        lines += ["## Failed or postponed", "", "| file | status | error | stage | exit code |",
                  "| --- | --- | --- | --- | ---: |"]
        lines += [f"| {_cell(r.name)} | {r.status} | {_cell(r.error.status + ': ' + r.error.message)} "
                  f"| {r.error.stage} | {r.error.exit_code} |" for r in troubled if r.error is not None]
        lines.append("")
    slow = sorted((r for r in report.results if r.seconds), key=lambda r: -r.seconds)[:top]
    if slow:
        lines += ["## Slowest files", "", "| file | seconds | pages |", "| --- | ---: | ---: |"]
        lines += [f"| {_cell(r.name)} | {r.seconds:.2f} | {r.pages} |" for r in slow] + [""]
    if report.waiting:
        lines += ["## Still being written (next pass)", ""] + [f"- {_cell(n)}" for n in report.waiting] + [""]
    if report.notes:
        lines += ["## Notes", ""] + [f"- {_cell(n)}" for n in report.notes] + [""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
