"""`congvan COMMAND ...`: the parser, and what every command shares.

A command returns its exit code (pipeline.errors.ExitCode; README, "Command reference"). What
stops a command is one line on standard error, never a traceback: a bad option or argument (2),
a CommandError (its own code), standard output closed by its reader (141), Ctrl-C (130, after the
command's summary of what was done). Only a bug in congvan prints a traceback (70).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

from schemas import json_schema

from cli import files, tracker
from cli.render import say
from pipeline.errors import CommandError, CongvanError, ExitCode, UsageError
from pipeline.extract import DEFAULT_MAX_BYTES
from pipeline.limits import Limits

_MIB = 1024 * 1024
_DB_HELP = "database URL or SQLite file (default: $CONGVAN_DATABASE_URL, else var/congvan.db in the repo)"


def main(argv: list[str] | None = None) -> int:
    # pdfminer logs a warning for every font quirk it works around; none of them changes the text.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        args = parser().parse_args(argv)
        return int(args.command(args))
    except CommandError as error:
        say(f"error: {error}")
        return int(error.exit_code)
    except CongvanError as error:  # one input stopped a command that reads just it (review's store)
        say(f"error: {error} (exit code {int(error.exit_code)})")
        return int(error.exit_code)
    except BrokenPipeError:
        # the reader went away (`congvan obligations | head`): stop writing, say so once
        _silence_stdout()
        say("error: standard output was closed before the end; output stopped")
        return int(ExitCode.BROKEN_PIPE)
    except KeyboardInterrupt:
        say("interrupted")
        return int(ExitCode.INTERRUPTED)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (captured by a test): nothing to silence
        pass


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (with where to find help), and a CommandError."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


# --- argument types ----------------------------------------------------------------------------

def _number(convert, what: str, *, above: float | None = None, at_least: float | None = None):  # noqa: ANN001, ANN202
    """An argparse type: `convert`(text), refused (one line) when not a number or out of range."""
    def parse(text: str):  # noqa: ANN202
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
        if (above is not None and not value > above) or (at_least is not None and value < at_least):
            bound = f"more than {above:g}" if above is not None else f"{at_least:g} or more"
            raise argparse.ArgumentTypeError(f"must be {bound}, not {text}")
        return value
    return parse


_mib_count = _number(float, "a number of MiB", above=0)
_positive = _number(int, "a whole number", at_least=1)
_seconds = _number(float, "a number of seconds", at_least=0)
_positive_seconds = _number(float, "a number of seconds", above=0)
_mib_at_least_0 = _number(float, "a number of MiB", at_least=0)


def _mib(text: str) -> int:
    return int(_mib_count(text) * _MIB)


def _mib_or_none(text: str) -> int:
    return int(_mib_at_least_0(text) * _MIB)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


# --- the parser ----------------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="congvan", description="Vietnamese official letters (.txt, .pdf, scans as .png/.jpg/.tif) "
                  "into JSON records of who must do what by when, a store that links them, and a task tracker.")
    top.add_argument("--version", action="version", version=f"%(prog)s {version('congvan')}")
    commands = top.add_subparsers(required=True, metavar="COMMAND")
    _file_commands(commands)
    _store_commands(commands)
    _review_command(commands)
    schema = commands.add_parser("schema", help="print the JSON Schema of the output files")
    schema.set_defaults(command=_schema)
    return top


def _schema(_: argparse.Namespace) -> int:
    sys.stdout.write(json_schema())
    return ExitCode.OK


def _size_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-size", type=_mib, default=DEFAULT_MAX_BYTES, dest="max_bytes", metavar="MIB",
                   help=f"refuse input files larger than this many MiB (default: {DEFAULT_MAX_BYTES // _MIB})")
    defaults = Limits()
    p.add_argument("--time-limit", type=_positive_seconds, default=defaults.seconds, metavar="SECONDS",
                   help="stop reading a file after this many seconds and set it aside as a timeout "
                   "(default: %(default)g)")
    p.add_argument("--memory-limit", type=_mib_or_none, default=defaults.memory, metavar="MIB",
                   help="memory (address space) each process reading a file may use; 0: no limit "
                   f"(default: {(defaults.memory or 0) // _MIB})")


def _quiet_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")


def _today_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--today", type=_iso_date, metavar="DATE", help="take DATE (YYYY-MM-DD) as today")


def _file_commands(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser(
        "extract", help="extract letters from files into JSON",
        description="Write DIR/<input name>.json for every input. Folders stand for the .txt, .pdf and image "
        "(.png, .jpg, .jpeg, .tif, .tiff) files directly inside them; globs ('in/*.pdf') work too. Every input is "
        "tried; the exit code is that of the first input that failed (see the README), 0 when none did.")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="a .txt, .pdf or image file, a folder, or a glob")
    extract.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the JSON files")
    _size_option(extract)
    _quiet_option(extract)
    extract.set_defaults(command=files.extract)

    ingest = commands.add_parser(
        "ingest", help="extract letters and store them, linked to what they carry out and cite",
        description="Extract every file (folders: the files directly inside, or all below with --recursive) and "
        "store its letters. A file already stored (same SHA-256) is skipped; one that failed before is tried again.")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--db", metavar="URL", help=_DB_HELP)
    ingest.add_argument("--out", type=Path, metavar="DIR", help="also write the JSON files here")
    ingest.add_argument("--recursive", action="store_true", help="folders: every file below, not only at the top")
    ingest.add_argument("--force", action="store_true", help="extract and store again files already stored")
    ingest.add_argument("--workers", type=_positive, metavar="N",
                        help="processes extracting at once (default: 1, OCR on every core; more for many small files)")
    _size_option(ingest)
    _quiet_option(ingest)
    _today_option(ingest)
    ingest.set_defaults(command=files.ingest, workers=1)

    bulk = commands.add_parser(
        "bulk", help="ingest archives as a Prefect flow run (folders searched recursively, globs)",
        description="Extract and store every file under PATH (folders searched recursively, globs such as "
        "'old/**/*.pdf') as one run of the bulk-ingest Prefect flow: files already stored are skipped, batches of "
        "files run in a pool of processes (or on a Dask cluster), and the run ends Failed when any file failed.")
    bulk.add_argument("paths", nargs="+", metavar="PATH")
    bulk.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the JSON files")
    bulk.add_argument("--db", metavar="URL", help=_DB_HELP)
    bulk.add_argument("--workers", type=_positive, metavar="N", help="processes extracting (default: one per core)")
    bulk.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://10.0.0.5:8786")
    bulk.add_argument("--force", action="store_true", help="extract and store again files already stored")
    _size_option(bulk)
    _quiet_option(bulk)
    _today_option(bulk)
    bulk.set_defaults(command=files.bulk)

    inbox = commands.add_parser(
        "inbox", help="one pass over an inbox folder: store its letters, move each file on",
        description="Claim every file in INBOX that has not changed for --min-age seconds, extract and store it, "
        "write its JSON to --out, and move it to INBOX/processed/YYYY-MM-DD/ or to INBOX/failed/ (with "
        "<name>.error.json). Nothing is deleted. No Prefect server is needed.")
    inbox.add_argument("inbox", type=Path, metavar="INBOX")
    inbox.add_argument("--once", action="store_true", required=True,
                       help="one pass, then exit (scheduled passes: congvan serve)")
    _inbox_options(inbox)
    _today_option(inbox)
    inbox.set_defaults(command=files.inbox)

    serve = commands.add_parser(
        "serve", help="serve the nightly inbox pass as a Prefect deployment on a cron schedule",
        description="Serve the nightly_inbox flow on a schedule until stopped. Needs a Prefect server "
        "(prefect server start; PREFECT_API_URL=http://127.0.0.1:4200/api). The inbox, output folder, store and "
        "schedule are checked before it starts.")
    serve.add_argument("inbox", type=Path, metavar="INBOX")
    serve.add_argument("--cron", default="0 2 * * *", help="when to run (default: %(default)r)")
    serve.add_argument("--timezone", default="Asia/Ho_Chi_Minh", help="of the schedule (default: %(default)s)")
    serve.add_argument("--name", default="nightly-inbox", help="deployment name (default: %(default)s)")
    _inbox_options(serve)
    serve.set_defaults(command=files.serve)


def _inbox_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the JSON files")
    p.add_argument("--db", metavar="URL", help=_DB_HELP)
    p.add_argument("--min-age", type=_seconds, default=60, metavar="SECONDS",
                   help="leave files changed in the last SECONDS for the next pass (default: %(default)g)")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="processes extracting at once (default: one per core)")
    _size_option(p)


def _review_command(commands: argparse._SubParsersAction) -> None:
    review = commands.add_parser(
        "review", help="write the review site: each letter with its evidence highlighted (static HTML)",
        description="Write SITE/index.html and a page per letter from the output JSON (files, or folders of "
        ".json files) of extract, ingest, the inbox or the bulk flow, or with --store and no JSON named, of "
        "every letter in the store. Opens from the file system; no server.")
    review.add_argument("paths", nargs="*", metavar="JSON",
                        help="an output .json file, or a folder of them (none with --store: every stored letter)")
    review.add_argument("--out", required=True, type=Path, metavar="SITE", help="folder to write the site into")
    review.add_argument("--store", action="store_true",
                        help="take each letter's chain (parents, children) from the store; with no JSON named, the "
                        "letters too (from the JSON each stored file's run wrote)")
    review.add_argument("--db", metavar="URL", help=f"with --store: {_DB_HELP}")
    review.set_defaults(command=files.review)


def _store_commands(commands: argparse._SubParsersAction) -> None:
    show = commands.add_parser("show", help="print a stored letter with its obligations")
    show.add_argument("key", metavar="KEY", help="number/symbol as written, e.g. 3328/UBND-NC or 968/CD-TTg")
    show.add_argument("--db", metavar="URL", help=_DB_HELP)
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(command=tracker.show)

    tree = commands.add_parser("tree", help="print the directive chain a letter is part of")
    tree.add_argument("key", metavar="KEY")
    tree.add_argument("--db", metavar="URL", help=_DB_HELP)
    tree.set_defaults(command=tracker.tree)

    obligations = commands.add_parser(
        "obligations", help="the task tracker: who must do what, by when, sorted by due date",
        description="Obligations sorted by the date they are due (a recurring task by its next occurrence), "
        "undated ones last; ⚑ marks those that need a person's review. Exports: CSV (UTF-8 with a byte-order "
        "mark, for Excel), .xlsx, JSON, one row per obligation and assignee.")
    obligations.add_argument("--db", metavar="URL", help=_DB_HELP)
    obligations.add_argument("--status", choices=("open", "overdue", "done", "all"), default="open",
                             help="open: not done, not past due; overdue: past due, not done; done: marked done "
                             "(default: open)")
    obligations.add_argument("--assignee", metavar="TEXT",
                             help="only those whose assignee contains TEXT (case and tone marks ignored)")
    obligations.add_argument("--due-before", type=_iso_date, metavar="DATE", help="only those due before DATE")
    obligations.add_argument("--needs-review", action="store_true", help="only those that need review")
    obligations.add_argument("--group-by", choices=("assignee",), help="one table per assignee")
    obligations.add_argument("--format", choices=("table", "csv", "xlsx", "json"), default="table")
    obligations.add_argument("--out", type=Path, metavar="FILE", help="write the export here (needed for xlsx)")
    obligations.add_argument("--limit", type=_positive, metavar="N",
                             help="show the first N (default: 50 in the table, all in exports)")
    obligations.add_argument("--all", action="store_true", help="show all")
    _today_option(obligations)
    obligations.set_defaults(command=tracker.obligations)

    done = commands.add_parser("done", help="mark obligations done (kept when their letter is ingested again)")
    done.add_argument("ids", nargs="+", type=_positive, metavar="ID", help="as `congvan obligations` shows them")
    done.add_argument("--undo", action="store_true", help="open them again")
    done.add_argument("--db", metavar="URL", help=_DB_HELP)
    _today_option(done)
    done.set_defaults(command=tracker.done)

    for name, helptext, command in (("list", "list stored letters, newest first", tracker.list_letters),
                                    ("search", "find letters by key, issuer, subject or signer", tracker.search)):
        p = commands.add_parser(name, help=helptext)
        if name == "search":
            p.add_argument("text", nargs="+", metavar="TEXT", help="words to find (case and tone marks ignored)")
        p.add_argument("--db", metavar="URL", help=_DB_HELP)
        p.add_argument("--issuer", metavar="TEXT", help="only letters whose issuer contains TEXT")
        p.add_argument("--since", type=_iso_date, metavar="DATE", help="only letters dated DATE or later")
        p.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N (default: %(default)s)")
        p.add_argument("--format", choices=("table", "json"), default="table")
        p.set_defaults(command=command)

    export = commands.add_parser("export", help="write every document and link as JSON")
    export.add_argument("--db", metavar="URL", help=_DB_HELP)
    export.add_argument("--format", choices=("json", "jsonl"), default="json")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here instead of standard output")
    export.set_defaults(command=tracker.export)


if __name__ == "__main__":
    sys.exit(main())
