"""`nightly_inbox`: one pass over an inbox folder, as a Prefect flow (pipeline/inbox.py does the work).

Claiming, moving and the error files are pipeline/inbox.py's (the same functions
`congvan inbox --once` runs without Prefect); here the extraction batches are Prefect tasks
(flows/bulk.py's extract_task, on a pool of processes), and the pass ends with a markdown artifact.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

import flows.bulk as bulk
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.inbox import DEFAULT_TIMEZONE, InboxOptions, PassReport, run_once
from pipeline.work import cores


@flow(name="nightly-inbox", task_runner=ThreadPoolTaskRunner(max_workers=max(2, cores())))
def nightly_inbox(inbox: str, out: str, db: str | None = None, *, min_age: float = 60.0, settle: float = 1.0,
                  workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                  timezone: str = DEFAULT_TIMEZONE) -> dict:
    """Claim the inbox's ready files, extract, store, and move each to processed/ or failed/."""
    logger = get_run_logger()
    options = InboxOptions(min_age=min_age, settle=settle, workers=workers, max_bytes=max_bytes,
                           timezone=timezone)
    use_pool = (workers or cores()) > 1

    def extract(batches):  # noqa: ANN001, ANN202
        futures = [bulk.extract_task.submit(batch, max_bytes) for batch in batches]
        for future in as_completed(futures):
            yield from future.result()

    if use_pool:
        bulk._POOL = ProcessPoolExecutor(max_workers=workers or cores())
    try:
        report = run_once(Path(inbox), Path(out), bulk._store(db), options, extract=extract,
                          on_file=lambda f: logger.info("%s: %s", f.status, f.name))
    finally:
        if use_pool and bulk._POOL is not None:
            bulk._POOL.shutdown()
            bulk._POOL = None
    create_markdown_artifact(markdown=_markdown(report), key="nightly-inbox-report",
                             description="congvan inbox pass: what was processed, what failed")
    logger.info(report.summary())
    return {status: report.count(status) for status in ("processed", "duplicate", "failed", "postponed")} | {
        "waiting": len(report.waiting), "recovered": len(report.recovered)}


def _markdown(report: PassReport) -> str:
    lines = [f"# congvan inbox pass: {report.inbox}", "", report.summary(), ""]
    failed = [f for f in report.files if f.status in ("failed", "postponed")]
    if failed:
        lines += ["## Failed or postponed", "", "| file | status | error | stage |", "| --- | --- | --- | --- |"]
        lines += [f"| {_cell(f.name)} | {f.status} | {_cell((f.error or {}).get('message', ''))} "
                  f"| {(f.error or {}).get('stage', '')} |" for f in failed]
    slow = sorted((f for f in report.files if f.seconds), key=lambda f: -f.seconds)[:10]
    if slow:
        lines += ["", "## Slowest files", "", "| file | seconds | pages |", "| --- | ---: | ---: |"]
        lines += [f"| {_cell(f.name)} | {f.seconds:.2f} | {f.pages} |" for f in slow]
    if report.waiting:
        lines += ["", "## Still being written (next pass)", ""] + [f"- {_cell(n)}" for n in report.waiting]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
