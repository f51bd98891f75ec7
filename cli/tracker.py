"""The commands that read the store: show, tree, obligations (the task tracker), done, list,
search, export. None of them creates a store: a mistyped --db is an error, not a new empty file."""
from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import date
from pathlib import Path

from cli.render import Column, say, table, write_lines
from pipeline.errors import NotInStoreError, UsageError

# --- opening ---------------------------------------------------------------------------------------


def _open(args: argparse.Namespace):  # noqa: ANN202 - pipeline.store.Store
    from pipeline.store import Store

    return Store(args.db, create=False)


def _pick(conn, key: str):  # noqa: ANN001, ANN202
    from pipeline.store.queries import find_documents

    found = find_documents(conn, key)
    if not found:
        raise NotInStoreError(f"no stored letter or citation has the key {key} (congvan search TEXT finds letters)")
    if len(found) > 1:
        others = ", ".join(f"{d.key} {d.date or d.year or '?'} {d.issuer or ''}".strip() for d in found[1:])
        say(f"note: {len(found)} documents have this key; showing the latest letter (others: {others})")
    return found[0]


# --- show ------------------------------------------------------------------------------------------


def show(args: argparse.Namespace) -> int:
    from pipeline.store.queries import document_detail

    with _open(args) as store, store.connect() as conn:
        doc = _pick(conn, args.key)
        detail = document_detail(conn, doc.id)
    if args.format == "json":
        write_lines(json.dumps(detail, ensure_ascii=False, indent=2) + "\n")
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
        print(f"    #{ob['id']} [{ob['clause']}] {_names(ob)}{'  ⚑ review' if ob['needs_review'] else ''}")
        print(f"        {_clip(ob['text'], 110)}")
        parts = [f"due: {_due(ob)}", f"status: {ob['status']}"]
        if ob["parent"]:
            parts.append(f"carries out: {_parent(ob['parent'])}")
        print("        " + "; ".join(parts))
    return 0


def _names(ob: dict) -> str:
    return ", ".join(a["name"] + (" (support)" if a["role"] == "support" else "") for a in ob["assignees"]) or "?"


def _due(ob: dict) -> str:
    """A task's due date as the tracker shows it: the date, a recurring task's next one, or its kind."""
    d = ob["deadline"]
    if ob["next_due"]:
        return f"{ob['next_due']} (" + (f"every {d['period']})" if d["period"] else "recurring)")
    if ob["due"]:
        return ob["due"]
    return d["kind"] if d else "-"


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


# --- tree ------------------------------------------------------------------------------------------


def tree(args: argparse.Namespace) -> int:
    from pipeline.store.queries import chain

    with _open(args) as store, store.connect() as conn:
        doc = _pick(conn, args.key)
        roots = chain(conn, doc.id)
    for root in roots:
        _print_node(root, "", "", doc.id)
    return 0


def _print_node(node, lead: str, child_lead: str, marked: int) -> None:  # noqa: ANN001
    label = f"{node.key or '(no number)'}  {node.date or '?'}  {node.issuer or '?'}"
    label += "  (not yet ingested)" if node.placeholder else f"  {node.obligations} obligation(s)"
    if node.id == marked:
        label += "  ◀"
    print(lead + label)
    for i, child in enumerate(node.children):
        last = i == len(node.children) - 1
        _print_node(child, child_lead + ("└── " if last else "├── "), child_lead + ("    " if last else "│   "),
                    marked)


# --- obligations -------------------------------------------------------------------------------------

# The export's columns, one row per obligation and assignee (as the obligation_tracker view).
EXPORT_COLUMNS = ("id", "letter", "letter_date", "issuer", "clause", "assignee", "role", "due", "recurs",
                  "deadline_words", "status", "needs_review", "review_reasons", "carries_out", "task")


def export_rows(tasks: list[dict]) -> list[dict]:
    rows = []
    for t in tasks:
        d = t["deadline"] or {}
        base = {"id": t["id"], "letter": t["letter"] or "", "letter_date": t["letter_date"] or "",
                "issuer": t["issuer"] or "", "clause": t["clause"], "due": t["due"] or "",
                "recurs": d.get("period") or "" if d.get("kind") == "recurring" else "",
                "deadline_words": " ".join((d.get("raw") or "").split()), "status": t["status"],
                "needs_review": "yes" if t["needs_review"] else "", "review_reasons": "; ".join(t["review_reasons"]),
                "carries_out": _parent(t["parent"]), "task": " ".join(t["text"].split())}
        for a in t["assignees"] or [{"name": "", "role": ""}]:
            rows.append({**base, "assignee": a["name"], "role": a["role"]})
    return rows


def obligations(args: argparse.Namespace) -> int:
    from pipeline.store.tracker import TaskFilter, tasks

    exporting = args.format in ("csv", "xlsx", "json")
    if args.format == "xlsx" and not args.out:
        raise UsageError("--format xlsx needs --out FILE.xlsx")
    limit = None if (args.all or (exporting and args.limit is None)) else (args.limit or 50)
    task_filter = TaskFilter(status=args.status, assignee=args.assignee, due_before=args.due_before,
                             needs_review=args.needs_review, today=args.today)
    with _open(args) as store, store.connect() as conn:
        found = tasks(conn, task_filter, limit=None if limit is None else limit + 1)
    more = limit is not None and len(found) > limit
    found = found[:limit] if limit is not None else found
    if args.format == "json":
        _write_text(args.out, json.dumps(found, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(export_rows(found))
        # a byte-order mark: Excel reads the file as UTF-8 (Vietnamese) only with one
        _write_text(args.out, "\ufeff" + buffer.getvalue())
    elif args.format == "xlsx":
        _write_xlsx(args.out, export_rows(found))
    else:
        _print_tasks(found, group_by=args.group_by)
        shown = f"{len(found)} obligation(s)"
        print(f"\n{shown}" + ("; more: --limit N or --all" if more else "")
              + "   ⚑ needs review   ·   congvan done ID marks one done, congvan done --undo ID opens it again")
    if args.out and args.format != "table":
        say(f"wrote {len(found)} obligation(s) to {args.out}")
    return 0


def _print_tasks(found: list[dict], *, group_by: str | None) -> None:
    columns = [Column("id", "right"), Column("due"), Column("status"), Column("⚑"), Column("assignees", max_width=40),
               Column("letter"), Column("clause"), Column("task", max_width=90)]

    def row(t: dict, who: str) -> tuple:
        return (t["id"], _due(t), t["status"], "⚑" if t["needs_review"] else "", who, t["letter"] or "?",
                t["clause"], _clip(t["text"], 90))

    if group_by != "assignee":
        table(columns, [row(t, _names(t)) for t in found])
        return
    groups: dict[str, list[tuple]] = {}
    for t in found:  # in due order; a task of two bodies is under both
        for a in t["assignees"] or [{"name": "(no assignee)", "role": "lead"}]:
            groups.setdefault(a["name"], []).append(row(t, a["role"]))
    columns[4] = Column("role")
    for name in sorted(groups, key=lambda n: (n == "(no assignee)", n.casefold())):
        table(columns, groups[name], title=f"{name}  ({len(groups[name])})")


def _write_text(out: Path | None, text: str) -> None:
    if out is None:
        write_lines(text)
        return
    from pipeline.output import write_atomic

    write_atomic(out, text.encode("utf-8"))


def _write_xlsx(out: Path, rows: list[dict]) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from pipeline.output import write_atomic

    book = Workbook()
    sheet = book.active
    sheet.title = "obligations"
    sheet.append(list(EXPORT_COLUMNS))
    for r in rows:
        sheet.append([_cell(r[c]) for c in EXPORT_COLUMNS])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for i, name in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = {"task": 80, "assignee": 40, "issuer": 30}.get(name, 14)
    buffer = io.BytesIO()
    book.save(buffer)
    write_atomic(out, buffer.getvalue())


def _cell(value: object) -> object:
    """Dates as dates, so that Excel sorts and filters them as such."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


# --- done -------------------------------------------------------------------------------------------


def done(args: argparse.Namespace) -> int:
    """Mark tasks done (or open again): the mark is kept by the task's track key, so it survives
    the letter being ingested again. All or nothing: an unknown id changes none."""
    from pipeline.store.tracker import mark_done, task_details

    with _open(args) as store:
        with store.engine.begin() as conn:
            missing = [i for i in args.ids if not mark_done(conn, i, done=not args.undo)]
            if missing:
                conn.rollback()
                raise NotInStoreError(f"no obligation with id {', '.join(map(str, missing))} "
                                      "(congvan obligations --status all lists them); nothing was changed")
        with store.connect() as conn:
            for t in task_details(conn, args.ids, today=args.today):
                print(f"#{t['id']} {t['status']}: {t['letter']} [{t['clause']}] {_names(t)}: {_clip(t['text'], 80)}")
    return 0


# --- list, search -------------------------------------------------------------------------------------


def list_letters(args: argparse.Namespace) -> int:
    return _letters(args, text=None)


def search(args: argparse.Namespace) -> int:
    return _letters(args, text=" ".join(args.text))


def _letters(args: argparse.Namespace, *, text: str | None) -> int:
    from pipeline.store.tracker import letters

    with _open(args) as store, store.connect() as conn:
        found = letters(conn, text=text, issuer=args.issuer, since=args.since, limit=args.limit + 1)
    more = len(found) > args.limit
    found = found[: args.limit]
    if args.format == "json":
        write_lines(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
        return 0
    table([Column("key"), Column("date"), Column("type"), Column("issuer", max_width=40),
           Column("obligations", "right"), Column("subject", wrap=True, max_width=80)],
          [(d["key"] or "(no number)", d["date"] or "?", d["type"] or "", d["issuer"] or "?", d["obligations"],
            d["subject"] or "") for d in found])
    print(f"\n{len(found)} letter(s)" + ("; more: --limit N" if more else "")
          + ("" if found else (f" match {text!r}" if text else "")) + "   ·   congvan show KEY, congvan tree KEY")
    return 0


# --- export ---------------------------------------------------------------------------------------------


def export(args: argparse.Namespace) -> int:
    from pipeline.store.queries import export_graph

    with _open(args) as store, store.connect() as conn:
        graph = export_graph(conn)
    if args.format == "json":
        text = json.dumps(graph, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = [json.dumps({"type": "document", **d}, ensure_ascii=False) for d in graph["documents"]]
        lines += [json.dumps({"type": "link", **link}, ensure_ascii=False) for link in graph["links"]]
        text = "\n".join(lines) + "\n"
    _write_text(args.out, text)
    return 0
