"""The store's subcommands: ingest, show, tree, obligations, export. Every one takes `--db URL`
(default: $CONGVAN_DATABASE_URL, else SQLite in the repository's var/congvan.db)."""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import traceback
from datetime import date
from pathlib import Path

from pipeline.errors import USAGE_ERROR

_MIB = 1024 * 1024


def add_store_commands(commands: argparse._SubParsersAction) -> None:
    db_help = "database URL or SQLite file (default: $CONGVAN_DATABASE_URL, else var/congvan.db in the repo)"

    ingest = commands.add_parser(
        "ingest", help="extract letters and store them, linked to what they carry out and cite",
        description="Extract every file (folders: the .txt, .pdf and image files directly inside) and "
        "store its letters. A file already stored (same SHA-256) is skipped.")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--db", metavar="URL", help=db_help)
    ingest.add_argument("--force", action="store_true", help="extract and store again files already stored")
    ingest.add_argument("--max-size", type=float, default=100, metavar="MIB",
                        help="refuse input files larger than this many MiB (default: %(default)g)")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.set_defaults(command=_ingest)

    show = commands.add_parser("show", help="print a stored letter with its obligations")
    show.add_argument("key", metavar="KEY", help="number/symbol, e.g. 3328/UBND-NC")
    show.add_argument("--db", metavar="URL", help=db_help)
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(command=_show)

    tree = commands.add_parser("tree", help="print the directive chain a letter is part of")
    tree.add_argument("key", metavar="KEY")
    tree.add_argument("--db", metavar="URL", help=db_help)
    tree.set_defaults(command=_tree)

    obligations = commands.add_parser("obligations", help="list obligations: who must do what, by when")
    obligations.add_argument("--db", metavar="URL", help=db_help)
    obligations.add_argument("--assignee", metavar="TEXT",
                             help="only those whose assignee contains TEXT (case and tone marks ignored)")
    obligations.add_argument("--due-before", type=_iso_date, metavar="DATE", help="only those due before DATE")
    obligations.add_argument("--status", choices=("open", "overdue", "all"), default="open",
                             help="open: no due date or not yet past; overdue: due before today (default: open)")
    obligations.add_argument("--format", choices=("table", "json", "csv"), default="table")
    obligations.add_argument("--today", type=_iso_date, metavar="DATE", help="take DATE as today")
    obligations.set_defaults(command=_obligations)

    export = commands.add_parser("export", help="write every document and link as JSON")
    export.add_argument("--db", metavar="URL", help=db_help)
    export.add_argument("--format", choices=("json", "jsonl"), default="json")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here instead of standard output")
    export.set_defaults(command=_export)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _open(args: argparse.Namespace):  # noqa: ANN202
    from pipeline.store import Store

    return Store(args.db)


# --- ingest -----------------------------------------------------------------------------

class _Progress:
    """A one-line bar on standard error: `[#####.....] 12/40 name`."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0
        self.tty = sys.stderr.isatty()

    def step(self, name: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // max(self.total, 1)
        line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {name}"
        if self.tty:
            sys.stderr.write("\r\033[K" + line[:120])
            if self.done == self.total:
                sys.stderr.write("\n")
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()


def _ingest(args: argparse.Namespace) -> int:
    from pipeline.batch import expand_inputs
    from pipeline.errors import InternalError
    from pipeline.store import IngestOutcome

    inputs, notes = expand_inputs(args.paths)
    for note in notes:
        _say(f"warning: {note}")
    if not inputs:
        _say("error: no input files to ingest")
        return USAGE_ERROR
    outcomes: list[IngestOutcome] = []
    progress = _Progress(len(inputs), not args.quiet)
    with _open(args) as store:
        for path, name in inputs:
            try:
                outcome = store.ingest_path(path, name=name, force=args.force, max_bytes=int(args.max_size * _MIB))
            except Exception as error:  # one input hitting a bug must not cost the rest
                traceback.print_exc()
                outcome = IngestOutcome(name, "failed", error=InternalError(
                    name, f"internal error, please report it with this file ({type(error).__name__}: {error})"))
            outcomes.append(outcome)
            progress.step(name)
        url = store.url
    stored = [o for o in outcomes if o.status == "stored"]
    unchanged = [o for o in outcomes if o.status == "unchanged"]
    failed = [o for o in outcomes if o.status == "failed"]
    letters = sum(o.documents for o in stored)
    replaced = sum(o.replaced for o in stored)
    print(f"{len(stored)} file(s) stored ({letters} letter(s){f', {replaced} replaced' if replaced else ''}), "
          f"{len(unchanged)} unchanged, {len(failed)} failed; database: {_display_url(url)}")
    for outcome in failed:
        _say(f"error: {outcome.error} (exit code {outcome.error.code})")
    return failed[0].error.code if failed else 0


def _display_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# --- show ---------------------------------------------------------------------------------

def _pick(conn, key: str):  # noqa: ANN001, ANN202
    from pipeline.store.queries import find_documents

    found = find_documents(conn, key)
    if not found:
        _say(f"error: no stored letter or citation has the key {key}")
        return None
    if len(found) > 1:
        others = ", ".join(f"{d.key} {d.date or d.year or '?'} {d.issuer or ''}".strip() for d in found[1:])
        _say(f"note: {len(found)} documents have this key; showing the latest letter (others: {others})")
    return found[0]


def _show(args: argparse.Namespace) -> int:
    from pipeline.store.queries import document_detail

    with _open(args) as store, store.connect() as conn:
        doc = _pick(conn, args.key)
        if doc is None:
            return 1
        detail = document_detail(conn, doc.id)
    if args.format == "json":
        print(json.dumps(detail, ensure_ascii=False, indent=2))
        return 0
    kind = detail["doc_type_label"] or detail["doc_type"] or "Văn bản"
    print(f"{kind} {detail['key']}" + ("  (placeholder: cited, not yet ingested)" if detail["placeholder"] else ""))
    issuer = detail["issuer"] or "?"
    if detail["issuer_parent"]:
        issuer = f"{issuer} ({detail['issuer_parent']})"
    print(f"  issuer:  {issuer}")
    print(f"  date:    {detail['date'] or '?'}")
    if detail["subject"]:
        print(f"  subject: {detail['subject']}")
    if detail["signer"]:
        print(f"  signer:  {detail['signer']}" + (f", {detail['signer_title']}" if detail["signer_title"] else ""))
    if detail["links"]:
        print("  cites:")
        for link in detail["links"]:
            state = {"resolved": "stored", "placeholder": "not yet ingested",
                     "ambiguous": "ambiguous: " + "; ".join(
                         f"{c['date'] or '?'} {c['issuer'] or ''}".strip() for c in link.get("candidates", []))
                     }.get(link["status"], link["status"])
            print(f"    {link['relation']:<10} {link['to']} {link['to_date'] or ''}  [{state}]")
    if detail["cited_by"]:
        print("  cited by:")
        for c in detail["cited_by"]:
            print(f"    {c['relation']:<10} {c['key']} {c['date'] or ''} {c['issuer'] or ''}")
    print(f"  obligations: {len(detail['obligations'])}")
    for ob in detail["obligations"]:
        print(f"    [{ob['clause']}] {_names(ob)}")
        print(f"        {_clip(ob['text'], 110)}")
        parts = [f"due: {_due(ob)}", f"status: {ob['status']}"]
        if ob["parent"]:
            parts.append(f"carries out: {_parent(ob['parent'])}")
        print("        " + "; ".join(parts))
    return 0


def _names(ob: dict) -> str:
    return ", ".join(a["name"] + (" (support)" if a["role"] == "support" else "") for a in ob["assignees"]) or "?"


def _due(ob: dict) -> str:
    d = ob["deadline"]
    if not d:
        return "-"
    return d["date"] or d["kind"]


def _parent(parent: dict | None) -> str:
    if not parent:
        return ""
    text = parent["key"]
    if parent.get("clause"):
        text += f" §{parent['clause']} ({parent['score']:.2f})"
    return text


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- tree ---------------------------------------------------------------------------------

def _tree(args: argparse.Namespace) -> int:
    from pipeline.store.queries import chain

    with _open(args) as store, store.connect() as conn:
        doc = _pick(conn, args.key)
        if doc is None:
            return 1
        roots = chain(conn, doc.id)
    for root in roots:
        _print_node(root, "", "", doc.id)
    return 0


def _print_node(node, lead: str, child_lead: str, marked: int) -> None:  # noqa: ANN001
    date_text = node.date or "?"
    label = f"{node.key or '(no number)'}  {date_text}  {node.issuer or '?'}"
    label += "  (not yet ingested)" if node.placeholder else f"  {node.obligations} obligation(s)"
    if node.id == marked:
        label += "  ◀"
    print(lead + label)
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        _print_node(child, child_lead + ("└── " if last else "├── "), child_lead + ("    " if last else "│   "),
                    marked)


# --- obligations --------------------------------------------------------------------------

_COLUMNS = ("letter", "letter_date", "clause", "assignees", "due", "status", "parent", "text")


def _flat(ob: dict) -> dict:
    return {"letter": ob["letter"], "letter_date": ob["letter_date"] or "", "clause": ob["clause"],
            "assignees": "; ".join(a["name"] for a in ob["assignees"]), "due": _due(ob), "status": ob["status"],
            "parent": _parent(ob["parent"]), "text": " ".join(ob["text"].split())}


def _obligations(args: argparse.Namespace) -> int:
    from pipeline.store.queries import obligation_rows

    with _open(args) as store, store.connect() as conn:
        rows = obligation_rows(conn, assignee=args.assignee, due_before=args.due_before, status=args.status,
                               today=args.today)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_flat(r) for r in rows)
        sys.stdout.write(buffer.getvalue())
    else:
        flat = [_flat(r) for r in rows]
        for r in flat:
            r["assignees"] = _clip(r["assignees"], 50)
            r["text"] = _clip(r["text"], 60)
        header = {c: c for c in _COLUMNS}
        widths = {c: max(len(str(r[c])) for r in [header, *flat]) for c in _COLUMNS}
        for r in [header, *flat]:
            print("  ".join(str(r[c]).ljust(widths[c]) for c in _COLUMNS).rstrip())
        print(f"\n{len(rows)} obligation(s)")
    return 0


# --- export -------------------------------------------------------------------------------

def _export(args: argparse.Namespace) -> int:
    from pipeline.store.queries import export_graph

    with _open(args) as store, store.connect() as conn:
        graph = export_graph(conn)
    if args.format == "json":
        text = json.dumps(graph, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = [json.dumps({"type": "document", **d}, ensure_ascii=False) for d in graph["documents"]]
        lines += [json.dumps({"type": "link", **link}, ensure_ascii=False) for link in graph["links"]]
        text = "\n".join(lines) + "\n"
    if args.out:
        from pipeline.output import write_atomic

        write_atomic(args.out, text.encode())
    else:
        sys.stdout.write(text)
    return 0


def _say(message: str) -> None:
    print(f"congvan: {message}", file=sys.stderr)
