"""Store benchmark: ingest generated letters into SQLite through the real store code, then time
`tree` and `obligations --status overdue` on that store.

The letters are the sample letters' extractions with their numbers, dates, issuers and parents
varied: root directives of the Prime Minister (a tenth of them never ingested, so they stay
placeholders), provincial letters carrying them out, departmental letters carrying those out,
district letters below — chains four levels deep, ingested in a shuffled order. Numbers repeat
between provinces (the issuer tells them apart) and every deadline is moved by the letter's date,
so some are overdue.

    .venv/bin/python benchmarks/store.py [--letters 10000] [--db PATH] [--seed 1]
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
from pipeline.store.queries import chain, find_documents, obligation_rows  # noqa: E402
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
        obligations.append(ob.model_copy(update={
            "deadline": deadline,
            "implements": DocumentLink(key=parent["key"]) if parent is not None else None}))
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


def _time(fn, repeat: int = 5) -> tuple[float, object]:  # noqa: ANN001
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--db", type=Path, help="SQLite file (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    docs = templates()
    letters = plan(args.letters, rng)
    results = [build(letter, docs[i % len(docs)], i) for i, letter in enumerate(letters) if letter["ingest"]]
    rng.shuffle(results)
    print(f"generated {len(results)} letters ({len(letters) - len(results)} root directives left out), "
          f"{sum(len(r.documents[0].obligations) for r in results)} obligations; ingesting in a shuffled order",
          file=sys.stderr)

    store = Store(str(db))
    start = time.perf_counter()
    for i, result in enumerate(results, 1):
        store.ingest_result(result)
        if i % 1000 == 0:
            print(f"  {i} letters, {i / (time.perf_counter() - start):.0f}/s", file=sys.stderr)
    elapsed = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(os.path.getsize(f"{db}{s}") for s in ("", "-wal") if os.path.exists(f"{db}{s}"))

    with store.connect() as conn:
        root_key = letters[0]["key"]
        root_id = find_documents(conn, root_key)[0].id
        tree_time, trees = _time(lambda: chain(conn, root_id))
        leaf = next(letter for letter in reversed(letters) if letter["level"] >= 3)
        leaf_id = next(d.id for d in find_documents(conn, leaf["key"]) if d.issuer == leaf["issuer"])
        leaf_time, leaf_trees = _time(lambda: chain(conn, leaf_id))
        overdue_time, overdue = _time(lambda: obligation_rows(conn, status="overdue", today=TODAY))

    def size_of(nodes) -> int:  # noqa: ANN001
        return sum(1 + size_of(n.children) for n in nodes)

    rows = [
        ("letters ingested", f"{len(results)}"),
        ("ingest time", f"{elapsed:.1f} s"),
        ("letters/s", f"{len(results) / elapsed:.0f}"),
        ("peak memory (RSS)", f"{peak_mib:.0f} MiB"),
        ("database size", f"{size / 1024 / 1024:.1f} MiB"),
        (f"tree {root_key} (root, {size_of(trees)} letters)", f"{tree_time * 1000:.0f} ms"),
        (f"tree {leaf['key']} (level {leaf['level']}, {size_of(leaf_trees)} in its tree)", f"{leaf_time * 1000:.0f} ms"),
        (f"obligations --status overdue ({len(overdue)} rows)", f"{overdue_time * 1000:.0f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    store.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
