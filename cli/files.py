"""The commands that run files: extract, ingest, bulk, inbox, serve. All of them go through
pipeline/runner.py (bulk and serve through its Prefect flows) and end the same way: a table of
what happened, the error lines of the files that failed, where to look next, and the exit code of
the first file that failed (130 after Ctrl-C)."""
from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path

from extractors.clauses import flatten

from cli.render import Column, RunProgress, say, table
from pipeline.errors import ExitCode, ServiceUnavailableError, UsageError
from pipeline.limits import Limits
from pipeline.runner import (
    FAILED,
    OutputNamer,
    RunReport,
    choose_extract,
    find_inputs,
    in_workers,
    run,
)

# --- extract ------------------------------------------------------------------------------------


def extract(args: argparse.Namespace) -> int:
    out_dir = _output_folder(args.out)
    items, _ = _plan(args.paths, out_dir, recursive=False)
    progress = RunProgress(not args.quiet)
    report = run(items, extract=in_workers(1, limits=limits_of(args), max_bytes=args.max_bytes,
                                           on_page=progress.page, on_item=progress.file_started),
                 on_start=progress.start, on_result=progress.file_done)
    progress.close()
    by_name = {r.item.name: r for r in report.results}
    rows: list[tuple[object, ...]] = []
    for item in items:
        r = by_name.get(item.name)
        if r is None:
            rows.append((item.name, "-", "-", "-", "-", "not done (interrupted)"))
        elif r.result is not None:
            docs = r.result.documents
            rows.append((item.name, len(docs), sum(len(flatten(d.clauses)) for d in docs),
                         sum(len(d.references) for d in docs), len(r.result.warnings), item.output))
        else:
            rows.append((item.name, "-", "-", "-", "-", f"{r.error.status} (exit {r.error.exit_code})" if r.error else r.status))
    table([Column("file"), Column("letters", "right"), Column("clauses", "right"), Column("references", "right"),
           Column("warnings", "right"), Column("result")], rows)
    print(f"\n{report.count('written')} of {len(items)} input(s) written as JSON to {out_dir.as_posix()}/")
    return _finish(report, len(items))


# --- ingest ---------------------------------------------------------------------------------------


def ingest(args: argparse.Namespace) -> int:
    from pipeline.store import Store

    out_dir = _output_folder(args.out) if args.out else None
    items, _ = _plan(args.paths, out_dir, recursive=args.recursive)
    progress = RunProgress(not args.quiet)
    with Store(args.db) as store:
        report = run(items, store=store, force=args.force,
                     extract=choose_extract(args.workers, limits=limits_of(args), max_bytes=args.max_bytes,
                                            on_page=progress.page, on_item=progress.file_started),
                     on_start=progress.start, on_result=progress.file_done, max_bytes=args.max_bytes)
        progress.close()
        print_run_summary(report, store, out_dir, db=args.db, today=args.today)
    return _finish(report, len(items))


# --- bulk (Prefect) -------------------------------------------------------------------------------


def bulk(args: argparse.Namespace) -> int:
    from flows.prefect_env import server_unavailable_message, start_failure

    out_dir = _output_folder(args.out)
    progress = RunProgress(not args.quiet)
    try:
        from flows.bulk import run_bulk_ingest

        state, report = run_bulk_ingest(args.paths, out_dir.as_posix(), args.db, scheduler=args.scheduler,
                                        workers=args.workers, max_bytes=args.max_bytes, force=args.force,
                                        time_limit=args.time_limit, memory_limit=args.memory_limit,
                                        progress=progress)
    except Exception as error:
        if not start_failure(error):
            raise
        raise ServiceUnavailableError(server_unavailable_message(error)) from None
    finally:
        progress.close()
    for note in report.notes:
        say(f"warning: {note}")
    if not report.results and not report.interrupted:
        raise UsageError("no input files to ingest")
    from pipeline.store import Store

    with Store(args.db) as store:
        print_run_summary(report, store, out_dir, db=args.db, today=args.today)
    print(f"Prefect: flow run {state.type.value.lower()}: {state.message}")
    return _finish(report, len(report.results))


# --- inbox ----------------------------------------------------------------------------------------


def inbox(args: argparse.Namespace) -> int:
    from pipeline.inbox import FAILED as FAILED_FOLDER
    from pipeline.inbox import InboxOptions, run_once, summary
    from pipeline.store import Store

    if not args.inbox.is_dir():
        raise UsageError(f"{args.inbox.as_posix()} is not a folder")
    out_dir = _output_folder(args.out)
    options = InboxOptions(min_age=args.min_age, workers=args.workers, max_bytes=args.max_bytes,
                           limits=limits_of(args))

    def show(result) -> None:  # noqa: ANN001 - FileResult
        detail = f" ({result.error.status}: {result.error.message})" if result.error else ""
        print(f"{result.status:9}  {result.name}{detail}", flush=True)

    with Store(args.db) as store:
        report = run_once(args.inbox, out_dir, store, options, on_result=show)
        for name in report.waiting:
            print(f"{'waiting':9}  {name} (changed recently: next pass)")
        print(summary(args.inbox, report))
        print_run_summary(report, store, out_dir, db=args.db, today=args.today)
    if report.failed:
        say(f"{len(report.failed)} file(s) moved to {(args.inbox / FAILED_FOLDER).as_posix()}/ with <name>.error.json")
    return _finish(report, len(report.results))


# --- serve ----------------------------------------------------------------------------------------


def serve(args: argparse.Namespace) -> int:
    """Check everything the pass needs before serving: a served deployment that fails at 02:00 on
    a mistyped folder is an outage found in the morning."""
    from flows.prefect_env import server_unavailable_message, start_failure
    from flows.serve import check_schedule, serve_inbox
    from pipeline.store import Store

    if not args.inbox.is_dir():
        raise UsageError(f"{args.inbox.as_posix()} is not a folder (the inbox must exist before it is served)")
    _output_folder(args.out)
    if problem := check_schedule(args.cron, args.timezone):
        raise UsageError(problem)
    with Store(args.db):
        pass  # the store opens (and is migrated) now, not at the first night's run
    try:
        serve_inbox(args.inbox, args.out, db=args.db, cron=args.cron, timezone=args.timezone, name=args.name,
                    min_age=args.min_age, workers=args.workers, max_bytes=args.max_bytes,
                    time_limit=args.time_limit, memory_limit=args.memory_limit)
    except Exception as error:
        if not start_failure(error):
            raise
        raise ServiceUnavailableError(server_unavailable_message(error)) from None
    return ExitCode.OK


# --- shared ---------------------------------------------------------------------------------------


def limits_of(args: argparse.Namespace) -> Limits:
    """--time-limit and --memory-limit (0: none) as the runner's Limits."""
    return Limits(seconds=args.time_limit, memory=args.memory_limit or None)


def _output_folder(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot use {out.as_posix()} as the output folder: {error.strerror}") from None
    return out


def _plan(paths: list[str], out_dir: Path | None, *, recursive: bool):  # noqa: ANN202
    inputs, notes = find_inputs(paths, recursive=recursive)
    namer = OutputNamer(out_dir)
    items = namer.plan(inputs)
    for note in [*notes, *namer.notes]:
        say(f"warning: {note}")
    if not items:
        raise UsageError("no input files found")
    return items, notes


def print_run_summary(report: RunReport, store, out_dir: Path | None, *, db: str | None,  # noqa: ANN001
                      today: date | None = None) -> None:
    """What the run brought in, read back from the store, and where to look next."""
    from pipeline.store.tracker import summary

    day = today or date.today()
    with store.connect() as conn:
        figures = summary(conn, (r.sha256 for r in report.results if r.sha256 and r.status != FAILED), day)
    table([Column(h, "right") for h in ("files", "stored", "unchanged", "failed", "letters", "obligations",
                                        "due in 7 days", "overdue", "needs review")],
          [(len(report.results), report.count("stored"), report.count("unchanged"), len(report.failed),
            figures["letters"], figures["obligations"], figures["due_soon"], figures["overdue"],
            figures["needs_review"])], title=f"This run ({day.isoformat()})")
    option = f" --db {shlex.quote(db)}" if db else ""
    lines = []
    if out_dir is not None:
        lines.append(("JSON", f"{out_dir.as_posix()}/ (one file per input)"))
        lines.append(("review", f"congvan review {out_dir.as_posix()}/ --store{option} --out {out_dir.as_posix()}/review"
                                "   (each letter with its evidence highlighted; make run writes it)"))
    lines += [("store", store.display_url),
              ("tracker", f"congvan obligations{option}   (by due date; --status overdue, --group-by assignee, "
                          "--format xlsx --out tasks.xlsx)"),
              ("letters", f"congvan list{option}   ·   congvan search TEXT{option}   ·   congvan show KEY{option}")]
    if report.failed:
        lines.append(("failed", f"{len(report.failed)} file(s): the error lines below say which and why"))
    print("\nWhere to look next:")
    for label, text in lines:
        print(f"  {label:<8} {text}")


def _finish(report: RunReport, total: int) -> int:
    """The error lines, the interruption note, and the exit code."""
    for result in report.failed:
        if result.error is not None and result.error.detail:
            print(result.error.detail.rstrip(), file=sys.stderr)
        code = result.error.exit_code if result.error else ExitCode.FAILED
        say(f"error: {result.describe_error()} (exit code {code})")
    for result in report.results:
        if result.status == "postponed" and result.error is not None:
            say(f"warning: {result.describe_error()}: left for the next run")
    if report.interrupted:
        say(f"interrupted: {len(report.results)} of {total} file(s) done ({report.counts()}); "
            "run the same command again to go on (files already stored are skipped)")
    return int(report.exit_code())


# --- review ---------------------------------------------------------------------------------------


def review(args: argparse.Namespace) -> int:
    from pipeline.review import write_review_site

    from_store = args.store or bool(args.db)
    if not args.paths and not from_store:
        raise UsageError("give the output JSON (files or folders), or --store for every letter in the store")
    report = write_review_site(args.paths or None, args.out, store_url=args.db, use_store=from_store)
    for problem in report.problems:
        say(f"error: {problem} (exit code {int(problem.exit_code)})")
    print(f"review site: {report.letters} letter(s), {report.images} page image(s): {report.index.resolve().as_uri()}")
    if report.problems:
        return int(report.problems[0].exit_code)
    if not report.letters:
        raise UsageError("no letters in the store's JSON files" if not args.paths else
                         "no letters in the JSON given (folders stand for the .json files directly inside them)")
    return ExitCode.OK
