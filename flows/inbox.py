"""`nightly_inbox`: one pass over an inbox folder, as a Prefect flow (pipeline/inbox.py does the work).

Claiming, moving and the error files are pipeline/inbox.py's (the same functions `congvan inbox
--once` runs without Prefect); here the extraction batches are Prefect tasks (flows/tasks.py), and
the pass ends with a markdown artifact, Completed or — when files failed — Failed.
"""
from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.states import State
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import end_state, local_pool, prefect_extract, publish_report, store_for
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.inbox import DEFAULT_TIMEZONE, InboxOptions, run_once, summary
from pipeline.limits import Limits
from pipeline.runner import cores


# (Prefect's types cannot tell ThreadPoolTaskRunner's future type at this point: ignored)
@flow(name="nightly-inbox", task_runner=ThreadPoolTaskRunner(max_workers=max(2, cores())),  # type: ignore[arg-type]
      persist_result=False)
def nightly_inbox(inbox: str, out: str, db: str | None = None, *, min_age: float = 60.0, settle: float = 1.0,
                  workers: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                  timezone: str = DEFAULT_TIMEZONE, time_limit: float = Limits.seconds,
                  memory_limit: int | None = Limits.memory) -> State:
    """Claim the inbox's ready files, extract, store, and move each to processed/ or failed/.
    The state's data is the RunReport."""
    logger = get_run_logger()
    limits = Limits(seconds=time_limit, memory=memory_limit)
    options = InboxOptions(min_age=min_age, settle=settle, workers=workers, max_bytes=max_bytes, timezone=timezone,
                           limits=limits)
    with local_pool(workers, limits, max_bytes):
        report = run_once(Path(inbox), Path(out), store_for(db), options, extract=prefect_extract(max_bytes),
                          on_result=lambda r: logger.info("%s: %s", r.status, r.name))
    for result in report.failed:
        logger.error("%s (moved to %s)", result.describe_error(), result.moved_to)
    line = summary(Path(inbox), report)
    publish_report(report, key="nightly-inbox-report", title=f"congvan inbox pass: {inbox}", lead=line)
    logger.info(line)
    return end_state(report, "inbox pass")
