"""The task tracker a clerk works from (pipeline/store/tracker.py, cli/tracker.py): due-date order,
recurring tasks' next date, the review mark, done marks that survive re-ingestion, grouping, the
CSV/.xlsx exports, the obligation_tracker view, key lookup as extraction normalizes keys, and
finding letters with list and search. SQLite; tests/test_store.py runs the store on PostgreSQL too."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from cli.main import main
from pipeline.extract import extract_file
from pipeline.store import Store
from pipeline.store.tracker import TaskFilter, next_due, tasks

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
TODAY = "2023-12-01"


@pytest.fixture(scope="module")
def sample_results():
    results = {p.name: extract_file(p, name=p.name) for p in sorted(SAMPLES.glob("*.txt"))}
    # one task flagged for review, as extraction flags those whose assignee it took from Kính gửi
    name = "cong-van-8731-ubnd-can-gio.txt"
    doc = results[name].documents[0]
    flagged = doc.obligations[0].model_copy(update={"needs_review": True, "review_reasons": ["assignees from Kính gửi"]})
    doc = doc.model_copy(update={"obligations": [flagged, *doc.obligations[1:]]})
    results[name] = results[name].model_copy(update={"documents": [doc]})
    return results


@pytest.fixture
def db(tmp_path, sample_results) -> str:
    url = str(tmp_path / "tracker.db")
    with Store(url) as store:
        for result in sample_results.values():
            store.ingest_result(result)
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("period,day,today,expected", [
    ("month", 20, "2023-12-01", "2023-12-20"),  # "trước ngày 20 hằng tháng"
    ("month", 20, "2023-12-20", "2023-12-20"),  # due today is not past
    ("month", 20, "2023-12-21", "2024-01-20"),  # past: next month's
    ("month", 31, "2024-02-10", "2024-02-29"),  # a day the month has not: its last day
    ("month", None, "2023-12-05", "2023-12-31"),  # "hằng tháng": the month's end
    ("quarter", None, "2023-11-15", "2023-12-31"),
    ("quarter", None, "2024-01-01", "2024-03-31"),
    ("quarter", 15, "2023-12-16", "2024-03-15"),  # day 15 of the quarter's last month
    ("half_year", None, "2023-07-01", "2023-12-31"),
    ("year", None, "2023-03-01", "2023-12-31"),
    ("week", None, "2023-11-29", "2023-12-01"),  # a Wednesday: Friday
    ("week", None, "2023-12-02", "2023-12-08"),  # a Saturday: next Friday
    ("day", None, "2023-12-02", "2023-12-02"),
    (None, None, "2023-12-02", "2023-12-31"),  # recurring, period not said: monthly
])
def test_next_due_of_recurring_tasks(period, day, today, expected):
    assert next_due(period, day, date.fromisoformat(today)) == date.fromisoformat(expected)


def test_tasks_are_sorted_by_due_date_recurring_ones_by_their_next_date(db):
    with Store(db) as store, store.connect() as conn:
        found = tasks(conn, TaskFilter(status="all", today=date.fromisoformat(TODAY)))
    dues = [t["due"] for t in found]
    dated = [d for d in dues if d is not None]
    assert dated == sorted(dated) and dues[: len(dated)] == dated  # dated first, in order; undated last
    recurring = [t for t in found if t["deadline"] and t["deadline"]["kind"] == "recurring"]
    assert recurring and all(t["next_due"] == t["due"] and t["due"] >= TODAY for t in recurring)
    assert all(t["status"] != "overdue" for t in recurring)


def test_obligations_table_marks_review_and_recurring(db, capsys):
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--all")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["id", "due", "status", "⚑"]
    flagged = [line for line in lines if " ⚑ " in line and "8731/UBND" in line]
    assert len(flagged) == 1
    assert any("(every month)" in line or "(recurring)" in line for line in lines)
    # --needs-review: that one only
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--needs-review", "--format", "json")
    assert [(t["letter"], t["needs_review"]) for t in json.loads(out)] == [("8731/UBND", True)]


def test_group_by_assignee(db, capsys):
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--all", "--group-by", "assignee")
    assert code == 0
    titles = [line for line in out.splitlines() if line and not line.startswith((" ", "─", "id")) and "(" in line]
    assert any(line.startswith("Phòng Nội vụ") for line in titles)
    assert any(line.startswith("Chánh Văn phòng Ủy ban nhân dân thành phố Hải Phòng  (") for line in titles)
    assert len(titles) > 5


def test_done_survives_reingestion_and_undo(db, capsys, tmp_path, sample_results):
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--format", "json")
    first = json.loads(out)[0]
    code, out, _ = run(capsys, "done", str(first["id"]), "--db", db, "--today", TODAY)
    assert code == 0 and out.startswith(f"#{first['id']} done: {first['letter']}")
    # the letter read again (a new version of its file): new rows, new ids, the mark kept
    name = next(n for n, r in sample_results.items() if any(d.key == first["letter"] for d in r.documents))
    with Store(db) as store:
        assert store.ingest_result(sample_results[name], force=True).replaced >= 1
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--status", "done", "--format", "json")
    [again] = json.loads(out)
    assert (again["letter"], again["clause"], again["text"]) == (first["letter"], first["clause"], first["text"])
    assert again["id"] != first["id"] and again["status"] == "done" and again["done_at"]
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--format", "json")
    assert again["id"] not in [t["id"] for t in json.loads(out)]  # done: no longer open
    assert run(capsys, "done", "--undo", str(again["id"]), "--db", db)[0] == 0
    code, out, _ = run(capsys, "obligations", "--db", db, "--today", TODAY, "--status", "done", "--format", "json")
    assert json.loads(out) == []
    code, _, err = run(capsys, "done", "999999", "--db", db)
    assert code == 65 and err.count("\n") == 1 and "no obligation with id 999999" in err


def test_csv_has_a_byte_order_mark_and_the_clerks_columns(db, capsys, tmp_path):
    out_file = tmp_path / "tasks.csv"
    assert run(capsys, "obligations", "--db", db, "--today", TODAY, "--status", "all", "--format", "csv",
               "--out", str(out_file))[0] == 0
    data = out_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {"issuer", "role", "needs_review", "deadline_words", "assignee", "due", "status"} <= set(rows[0])
    assert {r["role"] for r in rows} >= {"lead", "support"}
    assert any(r["deadline_words"] and r["due"] for r in rows) and any(r["needs_review"] == "yes" for r in rows)
    assert any(r["issuer"] == "Ủy ban nhân dân huyện Cần Giờ" for r in rows)


def test_xlsx_export(db, capsys, tmp_path):
    from openpyxl import load_workbook

    out_file = tmp_path / "tasks.xlsx"
    assert run(capsys, "obligations", "--db", db, "--today", TODAY, "--status", "all", "--format", "xlsx",
               "--out", str(out_file))[0] == 0
    sheet = load_workbook(out_file).active
    header = [c.value for c in sheet[1]]
    assert {"issuer", "role", "needs_review", "deadline_words"} <= set(header)
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert any(r["role"] == "support" for r in rows)
    assert any(isinstance(r["due"], date) for r in rows)  # dates as dates, for Excel's filters
    assert run(capsys, "obligations", "--db", db, "--format", "xlsx")[0] == 2  # needs --out


def test_obligation_tracker_view_reads_as_a_table(db, capsys):
    code, out, _ = run(capsys, "obligations", "--db", db, "--format", "json", "--status", "all")
    some = json.loads(out)[0]
    assert run(capsys, "done", str(some["id"]), "--db", db)[0] == 0
    with sqlite3.connect(db) as conn:  # what datasette or sqlite-utils see
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT * FROM obligation_tracker").fetchall()
    assert {"letter", "issuer", "assignee", "role", "due_date", "deadline_words", "status", "needs_review",
            "task"} <= set(rows[0].keys())
    assert {r["status"] for r in rows} >= {"done", "overdue"}
    assert sum(1 for r in rows if r["obligation_id"] == some["id"] and r["status"] == "done") >= 1


def test_keys_are_looked_up_as_extraction_normalizes_them(db, capsys, tmp_path):
    # the store has "968/CĐ-TTg" (cited by 3328); typed as OCR and keyboards give it
    code, out, _ = run(capsys, "tree", "968/CD-TTg", "--db", db)
    assert code == 0 and out.startswith("968/CĐ-TTg")
    assert run(capsys, "show", "3852/syt-vp", "--db", db)[0] == 0


def test_list_and_search(db, capsys):
    code, out, _ = run(capsys, "list", "--db", db)
    assert code == 0 and "8731/UBND" in out and "3852/SYT-VP" in out
    code, out, _ = run(capsys, "search", "cai cach", "hanh chinh", "--db", db, "--format", "json")
    found = json.loads(out)
    assert found and all("cải cách hành chính" in (d["subject"] or "").casefold() for d in found)
    code, out, _ = run(capsys, "search", "8731", "--db", db, "--format", "json")
    assert [d["key"] for d in json.loads(out)] == ["8731/UBND"]
    code, out, _ = run(capsys, "list", "--db", db, "--issuer", "tây ninh", "--format", "json")
    assert {d["key"] for d in json.loads(out)} == {"3852/SYT-VP", "3328/UBND-NC"}


def test_read_commands_never_create_a_store(tmp_path, capsys):
    missing = tmp_path / "typo" / "congvan.db"
    for argv in (["obligations"], ["list"], ["search", "x"], ["show", "1/UBND"], ["tree", "1/UBND"], ["done", "1"],
                 ["export"]):
        code, out, err = run(capsys, *argv, "--db", str(missing))
        assert code == 66 and err.count("\n") == 1 and "no store at" in err, argv
    assert not missing.exists() and not missing.parent.exists()
