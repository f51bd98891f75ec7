"""`bulk_ingest`: archives of letters (files, folders searched recursively, globs) into the store
and JSON files, as one Prefect flow run (`congvan bulk`, `make run`).

The runner (pipeline/runner.py) does the work; here each batch of files is a Prefect task
(flows/tasks.py), on this machine's pool of processes or on a Dask cluster. Files already stored
(same SHA-256) are skipped, so a run killed and started again does nothing twice and leaves no
half-written JSON. The run ends Completed, or — after every other file is processed and stored —
Failed, naming how many files failed and why; its report artifact lists them.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from prefect import flow, get_run_logger
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import end_state, local_pool, prefect_extract, publish_report, store_for
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.limits import Limits
from pipeline.runner import FileResult, OutputNamer, RunReport, cores, find_inputs, run


@flow(name="bulk-ingest", task_runner=ThreadPoolTaskRunner(max_workers=max(2, cores())),  # type: ignore[arg-type]
      log_prints=False,
      persist_result=False)
def bulk_ingest(paths: list[str], out: str, db: str | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                workers: int | None = None, scheduler: str | None = None, batch_cost: float = 50.0,
                force: bool = False, time_limit: float = Limits.seconds,
                memory_limit: int | None = Limits.memory) -> State:
    """Extract and store every file under `paths`, writing OUT/<stem>.json. The state's data is the
    RunReport (call with return_state=True to have it whatever the outcome)."""
    logger = get_run_logger()
    files, notes = find_inputs(paths, recursive=True)
    namer = OutputNamer(Path(out))
    items = namer.plan(files)
    Path(out).mkdir(parents=True, exist_ok=True)
    report = RunReport(notes=[*notes, *namer.notes])
    for note in report.notes:
        logger.warning(note)
    with local_pool(None if scheduler else workers, Limits(seconds=time_limit, memory=memory_limit), max_bytes,
                    local=not scheduler):
        run(items, store=store_for(db), extract=prefect_extract(max_bytes), force=force, batch_cost=batch_cost,
            on_start=lambda n: _started(logger, len(items), n), on_result=_done, report=report,
            max_bytes=max_bytes)
    for result in report.failed:
        logger.error("%s (exit code %s)", result.describe_error(), result.error.exit_code if result.error else "")
    publish_report(report, key="bulk-ingest-report", title="congvan bulk ingest", lead=f"{len(items)} file(s)")
    logger.info("%s; %.1f pages/min", report.counts(), report.pages / report.seconds * 60 if report.seconds else 0)
    return end_state(report, "bulk ingest")


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def file_done(self, result: FileResult) -> None: ...


# Who hears how many files there are and of each as it is done (the command line's progress). Not
# a flow parameter: parameters go to the Prefect API, an object with methods cannot.
_listeners: list[Progress] = []


def _started(logger, found: int, todo: int) -> None:  # noqa: ANN001
    logger.info("%d file(s): %d to extract", found, todo)
    for listener in _listeners:
        listener.start(todo)


def _done(result: FileResult) -> None:
    for listener in _listeners:
        listener.file_done(result)


def run_bulk_ingest(paths: list[str], out: str, db: str | None = None, *, scheduler: str | None = None,
                    progress: Progress | None = None, **options) -> tuple[State, RunReport]:
    """bulk_ingest on this machine, or on the Dask cluster at `scheduler` ("tcp://host:8786"):
    its final state and its report."""
    runnable = bulk_ingest
    if scheduler:
        from prefect_dask import DaskTaskRunner

        runnable = bulk_ingest.with_options(task_runner=DaskTaskRunner(address=scheduler))  # type: ignore[arg-type]
    if progress is not None:
        _listeners.append(progress)
    try:
        state = runnable(paths, out, db, scheduler=scheduler, return_state=True, **options)
    finally:
        if progress is not None:
            _listeners.remove(progress)
    report = state.result(raise_on_failure=False)
    if not isinstance(report, RunReport):  # an exception in the flow itself: raise it here
        raise report if isinstance(report, BaseException) else RuntimeError(f"bulk ingest ended {state.type}: {state.message}")
    return state, report
