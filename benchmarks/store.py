"""Store benchmark: ingest generated letters into SQLite through the real store code, grow the store
to the size of a province's archive, then time the tracker's queries and `tree` on it.

The letters are the sample letters' extractions with their numbers, dates, issuers and parents
varied: root directives of the Prime Minister (a tenth of them never ingested, so they stay
placeholders), provincial letters carrying them out, departmental letters carrying those out,
district letters below — chains four levels deep, ingested in a shuffled order. Numbers repeat
between provinces (the issuer tells them apart) and every deadline is moved by the letter's date,
so some are overdue.

Ingesting goes at about 50 letters a second (linking each letter into its chains is the cost), so
`--letters` are ingested and the store is then grown `--grow` times by copying those rows under
new ids and keys (`grow`, in SQL): each copy is a chain forest of its own, with the same shape of
data for the query planner. The default, 10,000 ingested and grown 10 times, is a store of
100,000 letters and about 930,000 obligations. A clerk's queries should answer in under 100 ms.

    .venv/bin/python benchmarks/store.py [--letters 10000] [--grow 10] [--db PATH] [--seed 1]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.extract import extract_file  # noqa: E402
from pipeline.store import Store  # noqa: E402
from pipeline.store.queries import chain, document_detail, find_documents  # noqa: E402
from pipeline.store.tables import metadata  # noqa: E402
from pipeline.store.tracker import TaskFilter, letters, mark_done, tasks  # noqa: E402
from schemas import DocumentLink, ExtractionResult, Issuer, Page, Reference, Source, Span  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
TODAY = date(2025, 1, 1)


def templates() -> list:
    docs = []
    for path in sorted(SAMPLES.glob("*.txt")):
        docs += [d for d in extract_file(path).documents if d.obligations]
    return docs


def plan(n: int, rng: random.Random) -> list[dict]:
    """The letters to generate, parents before children: key, issuer, date, parent."""
    letters: list[dict] = []
    roots = max(4, n // 250)
    level = []
    for r in range(roots):
        day = date(2023, 1, 2) + timedelta(days=rng.randrange(300))
        letter = {"key": f"{100 + r}/CĐ-TTg", "type": "cong_dien", "issuer": "Thủ tướng Chính phủ",
                  "date": day, "parent": None, "ingest": r % 10 != 9, "level": 0}
        letters.append(letter)
        level.append(letter)
    fanout = (8, 5, 5, 5)
    depth = 1
    while len(letters) < n and level:
        nxt = []
        for parent in level:
            for _j in range(fanout[min(depth - 1, 3)]):
                if len(letters) >= n:
                    break
                province = rng.randrange(60)
                if depth == 1:
                    issuer, symbol = f"Ủy ban nhân dân tỉnh T{province}", "UBND-VX"
                elif depth == 2:
                    issuer, symbol = f"Sở Nội vụ tỉnh T{province}", "SNV-VP"
                else:
                    issuer, symbol = f"Ủy ban nhân dân huyện H{rng.randrange(700)}", "UBND"
                number = rng.randrange(1, 3000)  # numbers repeat between bodies
                day = parent["date"] + timedelta(days=rng.randrange(3, 40))
                letter = {"key": f"{number}/{symbol}", "type": "cong_van", "issuer": issuer, "date": day,
                          "parent": parent, "ingest": True, "level": depth}
                letters.append(letter)
                nxt.append(letter)
        level = nxt
        depth += 1
    # the same key, issuer and year twice would be one letter: keep the first
    seen, unique = set(), []
    for letter in letters:
        identity = (letter["key"], letter["issuer"], letter["date"].year)
        if identity not in seen:
            seen.add(identity)
            unique.append(letter)
    return unique


def build(letter: dict, template, index: int) -> ExtractionResult:
    parent = letter["parent"]
    span = Span(start=0, end=0)
    references = []
    if parent is not None:
        number, symbol = parent["key"].split("/", 1)
        references.append(Reference(key=parent["key"], raw=parent["key"], number=number, symbol=symbol,
                                    doc_type=parent["type"], date=parent["date"].isoformat(),
                                    issuer=parent["issuer"], relation="implements", span=span))
    references += [r.model_copy(update={"relation": "cites"}) for r in template.references
                   if "/" in r.key and r.year][:2]
    shift = letter["date"] - date.fromisoformat(template.date)
    obligations = []
    for ob in template.obligations:
        deadline = ob.deadline
        if deadline is not None and deadline.date:
            deadline = deadline.model_copy(update={"date": (date.fromisoformat(deadline.date) + shift).isoformat()})
        # about one task in 25 is flagged for review, as real extractions flag an unsure lead or deadline
        flagged = (index + len(obligations)) % 25 == 0
        obligations.append(ob.model_copy(update={
            "deadline": deadline,
            "implements": DocumentLink(key=parent["key"]) if parent is not None else None,
            "needs_review": flagged, "review_reasons": ["no assignee found"] if flagged else []}))
    number, symbol = letter["key"].split("/", 1)
    doc = template.model_copy(update={
        "key": letter["key"], "number": number, "symbol": symbol, "year": letter["date"].year,
        "doc_type": letter["type"], "date": letter["date"].isoformat(),
        "issuer": Issuer(name=letter["issuer"]), "references": references, "obligations": obligations,
        "implements": [DocumentLink(key=parent["key"])] if parent is not None else [],
    })
    sha = hashlib.sha256(f"{index}:{letter['key']}:{letter['issuer']}".encode()).hexdigest()
    return ExtractionResult(source=Source(path=f"gen/{index}.txt", sha256=sha, media_type="text/plain",
                                          size_bytes=len(doc.text)),
                            pages=[Page(number=1, method="text", text="")], documents=[doc])


# Columns that hold ids of another table (shifted with that table's rows) and keys (suffixed per copy).
_KEYS = {"identity", "key", "key_norm", "to_key", "to_key_norm", "track_key", "sha256", "path"}
_COPIED = ("files", "documents", "clauses", "doc_references", "obligations", "assignees", "deadlines", "links")


def grow(engine, copies: int) -> None:  # noqa: ANN001
    """Copy every stored row `copies` times under new ids, with keys suffixed "~N" (SQL only)."""
    with engine.begin() as conn:
        top = {name: conn.exec_driver_sql(f"SELECT max(id) FROM {name}").scalar() or 0 for name in _COPIED}
        for n in range(1, copies + 1):
            for name in _COPIED:
                table = metadata.tables[name]
                exprs = []
                for column in table.columns:
                    foreign = next(iter(column.foreign_keys), None)
                    if column.name == "id":
                        exprs.append(f"id + {top[name] * n}")
                    elif foreign is not None:
                        shift = top[foreign.column.table.name] * n
                        exprs.append(f"{column.name} + {shift}")
                    elif column.name in _KEYS:
                        exprs.append(f"{column.name} || '~{n}'")
                    else:
                        exprs.append(column.name)
                columns = ", ".join(c.name for c in table.columns)
                conn.exec_driver_sql(f"INSERT INTO {name} ({columns}) SELECT {', '.join(exprs)} FROM {name} "
                                     f"WHERE id <= {top[name]}")
        conn.exec_driver_sql("ANALYZE")


def _time(fn, repeat: int = 5) -> tuple[float, object]:  # noqa: ANN001
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000, help="generated and ingested (default: %(default)s)")
    parser.add_argument("--grow", type=int, default=10, help="copies of them in the store (default: %(default)s)")
    parser.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--existing", action="store_true",
                        help="time the queries on the store --db that an earlier run with the same --letters and --seed built")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    if not args.existing:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    docs = templates()
    letters_planned = plan(args.letters, rng)
    results = [build(letter, docs[i % len(docs)], i) for i, letter in enumerate(letters_planned) if letter["ingest"]]
    rng.shuffle(results)
    print(f"generated {len(results)} letters ({len(letters_planned) - len(results)} root directives left out), "
          f"{sum(len(r.documents[0].obligations) for r in results)} obligations; ingesting in a shuffled order",
          file=sys.stderr)

    store = Store(str(db))
    start = time.perf_counter()
    for i, result in enumerate([] if args.existing else results, 1):
        store.ingest_result(result)
        if i % 1000 == 0:
            print(f"  {i} letters, {i / (time.perf_counter() - start):.0f}/s", file=sys.stderr)
    elapsed = time.perf_counter() - start
    grow_start = time.perf_counter()
    if args.grow > 1 and not args.existing:
        print(f"growing the store to {args.grow} times that", file=sys.stderr)
        grow(store.engine, args.grow - 1)
    grow_seconds = time.perf_counter() - grow_start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        stored = conn.exec_driver_sql("SELECT count(*) FROM documents WHERE NOT placeholder").scalar()
        obligation_count = conn.exec_driver_sql("SELECT count(*) FROM obligations").scalar()
    size = sum(os.path.getsize(f"{db}{s}") for s in ("", "-wal") if os.path.exists(f"{db}{s}"))
    with store.engine.begin() as conn:  # a clerk has marked some tasks done
        for obligation_id in range(1, obligation_count if not args.existing else 0, 997):
            mark_done(conn, obligation_id)

    with store.connect() as conn:
        root_key = letters_planned[0]["key"]
        root_id = find_documents(conn, root_key)[0].id
        leaf = next(letter for letter in reversed(letters_planned) if letter["level"] >= 3)
        leaf_id = next(d.id for d in find_documents(conn, leaf["key"]) if d.issuer == leaf["issuer"])
        leaf_number = leaf["key"].split("/")[0]  # a number some stored letters bear
        page = 50  # the tracker's first screen
        queries = [
            (f"tree {root_key} (root)", lambda: chain(conn, root_id), _tree_size),
            (f"tree {leaf['key']} (level {leaf['level']})", lambda: chain(conn, leaf_id), _tree_size),
            (f"show {leaf['key']}", lambda: document_detail(conn, leaf_id), lambda d: len(d["obligations"])),
            ("obligations (open, by due date)", lambda: tasks(conn, TaskFilter(today=TODAY), limit=page), len),
            ("obligations --status overdue", lambda: tasks(conn, TaskFilter(status="overdue", today=TODAY), limit=page), len),
            ("obligations --status done", lambda: tasks(conn, TaskFilter(status="done", today=TODAY), limit=page), len),
            ("obligations --assignee 'sở nội vụ'",
             lambda: tasks(conn, TaskFilter(assignee="sở nội vụ", today=TODAY), limit=page), len),
            ("obligations --needs-review", lambda: tasks(conn, TaskFilter(needs_review=True, today=TODAY), limit=page), len),
            ("obligations --due-before 2023-06-01 --status all",
             lambda: tasks(conn, TaskFilter(status="all", due_before=date(2023, 6, 1), today=TODAY), limit=page), len),
            ("list (newest letters)", lambda: letters(conn, limit=page), len),
            ("search 'cải cách hành chính'", lambda: letters(conn, text="cải cách hành chính", limit=page), len),
            (f"search '{leaf_number}'", lambda: letters(conn, text=leaf_number, limit=page), len),
        ]
        timed = [(name, *_time(fn), size_of) for name, fn, size_of in queries]

    rows = [
        ("letters ingested through the store", f"{len(results)}"),
        ("ingest time", f"{elapsed:.1f} s"),
        ("letters/s", f"{len(results) / elapsed:.0f}" if elapsed > 1 else "-"),
        (f"grown by copying ({args.grow}x), time", f"{grow_seconds:.1f} s"),
        ("letters in the store", f"{stored}"),
        ("obligations in the store", f"{obligation_count}"),
        ("peak memory (RSS)", f"{peak_mib:.0f} MiB"),
        ("database size", f"{size / 1024 / 1024:.0f} MiB"),
    ]
    rows += [(f"{name} ({size_of(value)} rows)", f"{seconds * 1000:.1f} ms") for name, seconds, value, size_of in timed]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    slow = [name for name, seconds, _, _ in timed if seconds >= 0.1]
    print(f"\n{len(timed) - len(slow)} of {len(timed)} queries under 100 ms" + (f"; slow: {', '.join(slow)}" if slow else ""))
    store.close()
    tmp.cleanup()
    return 0


def _tree_size(nodes) -> int:  # noqa: ANN001
    return sum(1 + _tree_size(n.children) for n in nodes)


if __name__ == "__main__":
    sys.exit(main())
