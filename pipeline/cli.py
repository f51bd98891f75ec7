"""The `congvan` command: `congvan extract PATH... --out DIR`, `congvan schema`, and the store's
commands (ingest, show, tree, obligations, export: pipeline/store/cli.py)."""
from __future__ import annotations

import argparse
import logging
import sys
import traceback
from importlib.metadata import version
from pathlib import Path

from extractors.clauses import flatten
from schemas import ExtractionResult, json_schema

from pipeline.batch import Job, Outcome, expand_inputs, plan_outputs, run_job
from pipeline.errors import USAGE_ERROR, InternalError
from pipeline.extract import DEFAULT_MAX_BYTES

_MIB = 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    # pdfminer logs a warning for every font quirk it works around; none of them changes the text.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    args = _parser().parse_args(argv)
    return args.command(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="congvan",
        description="Turn Vietnamese official letters (.txt, .pdf, scans as .png/.jpg/.tif) into JSON records of who must do what by when.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('congvan')}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="extract letters from files into JSON",
        description="Write DIR/<input name>.json for every input. Folders stand for the .txt, .pdf and "
        "image (.png, .jpg, .jpeg, .tif, .tiff) files directly inside them. Every input is tried; the exit code is that of the first "
        "input that failed (see the README), 0 when none did.",
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help="a .txt, .pdf or image file, or a folder of them")
    extract.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the JSON files")
    extract.add_argument("--max-size", type=float, default=DEFAULT_MAX_BYTES / _MIB, metavar="MIB",
                         help="refuse input files larger than this many MiB (default: %(default)g)")
    extract.set_defaults(command=_extract)

    schema = commands.add_parser("schema", help="print the JSON Schema of the output files")
    schema.set_defaults(command=_schema)

    from pipeline.store.cli import add_store_commands

    add_store_commands(commands)
    _add_inbox_commands(commands)
    _add_review_command(commands)
    return parser


def _add_review_command(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="write the review site: each letter with its evidence highlighted (static HTML)",
        description="Write SITE/index.html and a page per letter from the output JSON (files, or folders of "
        ".json files) of extract, ingest, the inbox or the bulk flow. Opens from the file system; no server.")
    review.add_argument("paths", nargs="+", metavar="JSON", help="an output .json file, or a folder of them")
    review.add_argument("--out", required=True, type=Path, metavar="SITE", help="folder to write the site into")
    review.add_argument("--store", action="store_true",
                        help="take each letter's chain (parents, children) from the store, not only from the JSON given")
    review.add_argument("--db", metavar="URL", help=f"with --store: {_DB_HELP}")
    review.set_defaults(command=_review)


def _review(args: argparse.Namespace) -> int:
    from pipeline.errors import CongvanError
    from pipeline.review import write_review_site

    try:
        report = write_review_site(args.paths, args.out, store_url=args.db, use_store=args.store or bool(args.db))
    except CongvanError as error:
        _say(f"error: {error} (exit code {error.code})")
        return error.code
    for problem in report.problems:
        _say(f"error: {problem} (exit code {problem.code})")
    print(f"review site: {report.letters} letter(s), {report.images} page image(s): {report.index.resolve().as_uri()}")
    if report.problems:
        return report.problems[0].code
    if not report.letters:
        _say("error: no letters in the JSON given (folders stand for the .json files directly inside them)")
        return USAGE_ERROR
    return 0


_DB_HELP = "database URL or SQLite file (default: $CONGVAN_DATABASE_URL, else var/congvan.db in the repo)"


def _add_inbox_commands(commands: argparse._SubParsersAction) -> None:
    inbox = commands.add_parser(
        "inbox", help="one pass over an inbox folder: store its letters, move each file on",
        description="Claim every file in INBOX that has not changed for --min-age seconds, extract and "
        "store it, write its JSON to --out, and move it to INBOX/processed/YYYY-MM-DD/ or to "
        "INBOX/failed/ (with <name>.error.json). Nothing is deleted. No Prefect server is needed.")
    inbox.add_argument("inbox", type=Path, metavar="INBOX")
    inbox.add_argument("--once", action="store_true", required=True,
                       help="one pass, then exit (scheduled passes: congvan serve)")
    _inbox_options(inbox)
    inbox.set_defaults(command=_inbox)

    serve = commands.add_parser(
        "serve", help="serve the nightly inbox pass as a Prefect deployment on a cron schedule",
        description="Serve the nightly_inbox flow (flows/) on a schedule until stopped. Needs a Prefect "
        "server (prefect server start; PREFECT_API_URL=http://127.0.0.1:4200/api).")
    serve.add_argument("inbox", type=Path, metavar="INBOX")
    serve.add_argument("--cron", default="0 2 * * *", help="when to run (default: %(default)r)")
    serve.add_argument("--timezone", default="Asia/Ho_Chi_Minh", help="of the schedule (default: %(default)s)")
    serve.add_argument("--name", default="nightly-inbox", help="deployment name (default: %(default)s)")
    _inbox_options(serve)
    serve.set_defaults(command=_serve)


def _inbox_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the JSON files")
    parser.add_argument("--db", metavar="URL", help=_DB_HELP)
    parser.add_argument("--min-age", type=float, default=60, metavar="SECONDS",
                        help="leave files changed in the last SECONDS for the next pass (default: %(default)g)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="processes extracting at once (default: one per core)")
    parser.add_argument("--max-size", type=float, default=DEFAULT_MAX_BYTES / _MIB, metavar="MIB",
                        help="refuse input files larger than this many MiB (default: %(default)g)")


def _inbox(args: argparse.Namespace) -> int:
    from pipeline.inbox import FAILED, InboxOptions, run_once
    from pipeline.store import Store

    if not args.inbox.is_dir():
        _say(f"error: {args.inbox.as_posix()} is not a folder")
        return USAGE_ERROR
    options = InboxOptions(min_age=args.min_age, workers=args.workers, max_bytes=int(args.max_size * _MIB))

    def show(file) -> None:  # noqa: ANN001
        detail = f" ({file.error['status']}: {file.error['message']})" if file.error else ""
        print(f"{file.status:9}  {file.name}{detail}", flush=True)

    with Store(args.db) as store:
        report = run_once(args.inbox, args.out, store, options, on_file=show)
    for name in report.waiting:
        print(f"{'waiting':9}  {name} (changed recently: next pass)")
    print(report.summary())
    if report.count("failed"):
        _say(f"{report.count('failed')} file(s) moved to {(args.inbox / FAILED).as_posix()}/ "
             "with <name>.error.json")
        return 1
    return 0


def _serve(args: argparse.Namespace) -> int:
    from flows.prefect_env import SERVER_UNAVAILABLE_EXIT, server_unavailable_message, start_failure
    from flows.serve import serve_inbox

    try:
        serve_inbox(args.inbox, args.out, db=args.db, cron=args.cron, timezone=args.timezone, name=args.name,
                    min_age=args.min_age, workers=args.workers, max_bytes=int(args.max_size * _MIB))
    except Exception as error:
        if not start_failure(error):
            raise
        _say(f"error: {server_unavailable_message(error)}")
        return SERVER_UNAVAILABLE_EXIT
    return 0


def _schema(_: argparse.Namespace) -> int:
    sys.stdout.write(json_schema())
    return 0


def _extract(args: argparse.Namespace) -> int:
    out_dir: Path = args.out
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _say(f"error: cannot use {out_dir.as_posix()} as the output folder: {error.strerror}")
        return USAGE_ERROR
    inputs, notes = expand_inputs(args.paths)
    jobs, name_notes = plan_outputs(inputs, out_dir)
    for note in [*notes, *name_notes]:
        _say(f"warning: {note}")
    if not jobs:
        _say("error: no input files to extract")
        return USAGE_ERROR

    outcomes = [_run(job, int(args.max_size * _MIB)) for job in jobs]

    print(_summary_table(outcomes))
    written = [o for o in outcomes if o.result is not None]
    failed = [o for o in outcomes if o.error is not None]
    print(f"\n{len(written)} of {len(outcomes)} input(s) written as JSON to {out_dir.as_posix()}/")
    for outcome in failed:
        _say(f"error: {outcome.error} (exit code {outcome.error.code})")
    return failed[0].error.code if failed else 0


def _run(job: Job, max_bytes: int) -> Outcome:
    try:
        return run_job(job, max_bytes=max_bytes)
    except Exception as error:  # one input hitting a bug must not cost the rest of the batch
        traceback.print_exc()
        reason = f"internal error, please report it with this file ({type(error).__name__}: {error})"
        return Outcome(job=job, error=InternalError(job.name, reason))


def _summary_table(outcomes: list[Outcome]) -> str:
    rows = [("file", "letters", "clauses", "references", "warnings", "result")]
    for outcome in outcomes:
        if outcome.result is not None:
            rows.append((outcome.job.name, *map(str, _counts(outcome.result)), outcome.job.output.as_posix()))
        else:
            rows.append((outcome.job.name, "-", "-", "-", "-",
                         f"{outcome.error.status} (exit {outcome.error.code})"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0]), *(cell.rjust(w) for cell, w in zip(row[1:5], widths[1:5])), row[5]]
        lines.append("  ".join(cells))
    return "\n".join(lines)


def _counts(result: ExtractionResult) -> tuple[int, int, int, int]:
    documents = result.documents
    return (
        len(documents),
        sum(len(flatten(doc.clauses)) for doc in documents),
        sum(len(doc.references) for doc in documents),
        len(result.warnings),
    )


def _say(message: str) -> None:
    print(f"congvan: {message}", file=sys.stderr)
