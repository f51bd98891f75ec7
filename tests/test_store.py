"""The store: ingest, identity, linking with placeholders, order independence, obligations' status,
the CLI commands. Every test runs on SQLite and on PostgreSQL (see the store_url fixture)."""
from __future__ import annotations

import hashlib
import random
import json
import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from extractors import extract_documents
from cli.main import main
from pipeline.extract import extract_file
from pipeline.store import Store
from pipeline.runner import ingest_file
from pipeline.store.queries import chain, export_graph, find_documents
from pipeline.store.tracker import TaskFilter, tasks
from pipeline.store.tables import documents, files, links, obligations
from schemas import ExtractionResult, Page, Source

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"

LETTER = """\
{issuer}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {key}
Hà Nội, ngày {d} tháng {m} năm {y}
{kind}
{subject}
Kính gửi:
- Các Bộ, cơ quan ngang Bộ;
- Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.
{opening}
1. Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương rà soát thủ tục hành chính, báo cáo kết quả trước ngày 31 tháng 12 năm {y}.
2. Bộ Nội vụ tăng cường kiểm tra công vụ, xử lý nghiêm cán bộ vi phạm kỷ luật, kỷ cương hành chính.
{extra}
Nơi nhận:
- Như trên;
- Lưu: VT.
THỦ TƯỚNG
Lê Văn Thành
"""


def letter_text(key: str, day: str, *, kind: str = "CHỈ THỊ", issuer: str = "THỦ TƯỚNG CHÍNH PHỦ",
                subject: str = "Về tăng cường kỷ luật, kỷ cương hành chính", opening: str = "Thủ tướng Chính phủ yêu cầu:",
                extra: str = "") -> str:
    y, m, d = day.split("-")
    return LETTER.format(key=key, d=d, m=str(int(m)), y=y, kind=kind, issuer=issuer, subject=subject,
                         opening=opening, extra=extra)


def result_of(text: str, name: str) -> ExtractionResult:
    docs, warnings = extract_documents([text])
    assert docs, name
    data = text.encode()
    return ExtractionResult(source=Source(path=name, sha256=hashlib.sha256(data).hexdigest(),
                                          media_type="text/plain", size_bytes=len(data)),
                            pages=[Page(number=1, method="text", text=text)], documents=docs, warnings=warnings)


CD_968 = letter_text("968/CĐ-TTg", "2023-10-16", kind="CÔNG ĐIỆN",
                     subject="Về việc tiếp tục chấn chỉnh, tăng cường kỷ luật, kỷ cương trong cơ quan hành chính "
                     "nhà nước các cấp")


@pytest.fixture(scope="session")
def samples() -> dict[str, ExtractionResult]:
    """The sample letters as `congvan extract` reads them, once per session."""
    return {p.name: extract_file(p, name=p.name) for p in sorted(SAMPLES.glob("*.txt"))}


@pytest.fixture(scope="session")
def cd968() -> ExtractionResult:
    return result_of(CD_968, "968-cd-ttg.txt")


POSTGRES_ENV = "CONGVAN_TEST_POSTGRES_URL"
_postgres_problem: list[str] = []


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path) -> str:
    """An empty database: an SQLite file, or the PostgreSQL server named by
    $CONGVAN_TEST_POSTGRES_URL (.ci/run starts one with scripts/postgres.sh), emptied first."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'congvan.db'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"PostgreSQL variant skipped: no server ({POSTGRES_ENV} is not set; "
                    "as root, `bash scripts/postgres.sh` starts one and prints its URL)")
    if _postgres_problem:
        pytest.skip(_postgres_problem[0])
    try:
        reset(url)
    except Exception as error:  # noqa: BLE001 - any failure to reach the server means: skip
        _postgres_problem.append(f"PostgreSQL variant skipped: cannot use {POSTGRES_ENV}: "
                                 f"{type(error).__name__}: {str(error).splitlines()[0]}")
        pytest.skip(_postgres_problem[0])
    return url


def reset(url: str) -> None:
    """Empty the database: drop every table (PostgreSQL: the public schema) and the SQLite file."""
    from sqlalchemy import create_engine, text

    from pipeline.store.db import database_url

    url = database_url(url)
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def fresh(store_url: str) -> Store:
    reset(store_url)
    return Store(store_url)


def ingest_all(store_url: str, results: list[ExtractionResult]) -> dict:
    with fresh(store_url) as store:
        for result in results:
            assert store.ingest_result(result).status == "stored"
        with store.connect() as conn:
            return export_graph(conn)


def doc(graph: dict, key: str, **match) -> list[dict]:
    return [d for d in graph["documents"] if d["key"] == key and all(d[k] == v for k, v in match.items())]


def test_samples_in_any_order_give_the_same_graph(store_url, samples, cd968):
    results = [*samples.values(), cd968]
    names = [r.source.path for r in results]
    orders = [list(range(len(results))), list(reversed(range(len(results))))]
    orders += [random.Random(seed).sample(range(len(results)), len(results)) for seed in range(3)]
    orders.append([5, 1, 3, 0, 4, 2])  # the directive first
    graphs = []
    for order in orders:
        graph = ingest_all(store_url, [results[i] for i in order])
        graphs.append(graph)
        assert graph == graphs[0], f"order {[names[i] for i in order]} differs from {names}"
    graph = graphs[0]
    # 968/CĐ-TTg: cited by 3328 and 8731, read once: one letter, no placeholder left
    assert doc(graph, "968/CĐ-TTg") == doc(graph, "968/CĐ-TTg", placeholder=False)
    assert len(doc(graph, "968/CĐ-TTg")) == 1
    to_968 = [link for link in graph["links"] if link["to"] == "968/CĐ-TTg"]
    assert {link["from"] for link in to_968} == {"3328/UBND-NC", "8731/UBND"}
    assert all(link["resolved"] for link in to_968)
    # 3852 carries out 3328, which is in the same file
    up = [link for link in graph["links"] if link["from"] == "3852/SYT-VP" and link["to"] == "3328/UBND-NC"
          and link["clause_from"] is None]
    assert up == [{**up[0], "relation": "implements", "resolved": True, "to_date": "2023-10-23"}]
    # obligations of 3328 that carry out 968 point at its clauses, with a score
    matched = [link for link in to_968 if link["clause_from"] and link["clause_to"]]
    assert matched and all(0 < link["score"] <= 1 for link in matched)
    # two different 26/CT-TTg (2016 and 2023) stay two placeholders
    assert sorted(d["date"] for d in doc(graph, "26/CT-TTg")) == ["2016-09-05", "2023-10-20"]


def test_a_placeholder_is_filled_when_the_letter_arrives(store_url, samples, cd968):
    with fresh(store_url) as store:
        for result in samples.values():
            store.ingest_result(result)
        with store.connect() as conn:
            before = export_graph(conn)
            [placeholder] = doc(before, "968/CĐ-TTg")
            assert placeholder["placeholder"] and placeholder["date"] == "2023-10-16"
            assert placeholder["issuer"] == "Thủ tướng Chính phủ" and placeholder["doc_type"] == "cong_dien"
            assert placeholder["subject"].startswith("tiếp tục chấn chỉnh")
            [root] = chain(conn, find_documents(conn, "3852/SYT-VP")[0].id)
            assert (root.key, root.placeholder) == ("968/CĐ-TTg", True)
        store.ingest_result(cd968)
        with store.connect() as conn:
            after = export_graph(conn)
            [root] = chain(conn, find_documents(conn, "3852/SYT-VP")[0].id)
        assert (root.key, root.placeholder, root.obligations) == ("968/CĐ-TTg", False, 2)
        assert [c.key for c in root.children] == ["3328/UBND-NC"]
        assert [c.key for c in root.children[0].children] == ["3852/SYT-VP"]
        assert doc(after, "968/CĐ-TTg", placeholder=False)
        assert not doc(after, "968/CĐ-TTg", placeholder=True)


def test_same_key_other_year_is_another_document_and_two_fits_stay_unresolved(store_url):
    ct_2021 = result_of(letter_text("23/CT-TTg", "2021-09-02", subject="Về đẩy mạnh cải cách hành chính"), "ct-2021.txt")
    ct_2025 = result_of(letter_text("23/CT-TTg", "2025-06-10", subject="Về chuyển đổi số"), "ct-2025.txt")
    dated = result_of(letter_text("100/BNV-CCVC", "2025-08-01", issuer="BỘ NỘI VỤ", kind="",
                                  subject="V/v triển khai Chỉ thị", opening="Thực hiện Chỉ thị số 23/CT-TTg ngày "
                                  "02/9/2021 của Thủ tướng Chính phủ, Bộ Nội vụ đề nghị:"), "dated.txt")
    undated = result_of(letter_text("200/BNV-CCVC", "2025-08-02", issuer="BỘ NỘI VỤ", kind="",
                                    subject="V/v triển khai Chỉ thị", opening="Thực hiện Chỉ thị số 23/CT-TTg của "
                                    "Thủ tướng Chính phủ, Bộ Nội vụ đề nghị:"), "undated.txt")
    early = result_of(letter_text("300/BNV-CCVC", "2022-03-01", issuer="BỘ NỘI VỤ", kind="",
                                  subject="V/v triển khai Chỉ thị", opening="Thực hiện Chỉ thị số 23/CT-TTg của "
                                  "Thủ tướng Chính phủ, Bộ Nội vụ đề nghị:"), "early.txt")
    graphs = [ingest_all(store_url, order) for order in
              ([ct_2021, ct_2025, dated, undated, early], [early, undated, dated, ct_2025, ct_2021])]
    assert graphs[0] == graphs[1]
    graph = graphs[0]
    assert sorted(d["date"] for d in doc(graph, "23/CT-TTg")) == ["2021-09-02", "2025-06-10"]
    assert not doc(graph, "23/CT-TTg", placeholder=True)

    def link_from(key: str) -> dict:
        [link] = [x for x in graph["links"] if x["from"] == key and x["to"] == "23/CT-TTg" and not x["clause_from"]]
        return link

    assert link_from("100/BNV-CCVC")["resolved"] and link_from("100/BNV-CCVC")["to_date"] == "2021-09-02"
    ambiguous = link_from("200/BNV-CCVC")
    assert not ambiguous["resolved"] and not ambiguous["placeholder"]
    assert [c["date"] for c in ambiguous["candidates"]] == ["2021-09-02", "2025-06-10"]
    # a letter of 2022 cannot carry out a directive of 2025: only one fits
    assert link_from("300/BNV-CCVC")["resolved"] and link_from("300/BNV-CCVC")["to_date"] == "2021-09-02"


def test_ingesting_twice_changes_nothing(store_url, samples, tmp_path):
    with fresh(store_url) as store:
        for result in samples.values():
            assert store.ingest_result(result).status == "stored"
        with store.connect() as conn:
            before = export_graph(conn), _counts(conn)
        for result in samples.values():
            assert store.ingest_result(result).status == "unchanged"
        path = tmp_path / "cv.txt"
        path.write_text(CD_968, encoding="utf-8")
        assert ingest_file(store, path).status == "stored"
        assert ingest_file(store, path).status == "unchanged"
        copy = tmp_path / "copy.txt"
        copy.write_text(CD_968, encoding="utf-8")
        assert ingest_file(store, copy).status == "unchanged"  # same bytes, another name
        with store.connect() as conn:
            after_counts = _counts(conn)
        assert after_counts["files"] == before[1]["files"] + 1


def _counts(conn) -> dict[str, int]:  # noqa: ANN001
    return {name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in (("files", files), ("documents", documents), ("links", links),
                                ("obligations", obligations))}


def test_a_new_version_of_a_file_replaces_its_letters(store_url, samples, tmp_path):
    path = tmp_path / "cd.txt"
    with fresh(store_url) as store:
        store.ingest_result(samples["cong-van-3852-syt-tay-ninh-kem-3328-ubnd.txt"])
        path.write_text(CD_968, encoding="utf-8")
        assert ingest_file(store, path).status == "stored"
        with store.connect() as conn:
            first = export_graph(conn)
        extra = "3. Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện Công điện này."
        path.write_text(CD_968.replace("\nNơi nhận:", f"\n{extra}\nNơi nhận:"), encoding="utf-8")
        outcome = ingest_file(store, path)
        assert (outcome.status, outcome.documents, outcome.replaced) == ("stored", 1, 1)
        with store.connect() as conn:
            second = export_graph(conn)
            statuses = sorted(conn.execute(select(files.c.status).where(files.c.path == path.as_posix())).scalars())
            counts = _counts(conn)
        assert statuses == ["ok", "replaced"]
        assert [d["obligations"] for d in doc(second, "968/CĐ-TTg")] == [3]
        assert [d["obligations"] for d in doc(first, "968/CĐ-TTg")] == [2]
        assert counts["documents"] == len(second["documents"])
        # forcing a re-extraction of the same content gives the same records
        assert ingest_file(store, path, force=True).replaced == 1
        with store.connect() as conn:
            assert export_graph(conn) == second
            assert _counts(conn) == counts
    # and the result is what ingesting the last version alone gives
    direct = ingest_all(store_url, [samples["cong-van-3852-syt-tay-ninh-kem-3328-ubnd.txt"],
                                    result_of(path.read_text(encoding="utf-8"), path.as_posix())])
    assert direct == second


def test_overdue_is_a_due_date_before_today(store_url, samples):
    with fresh(store_url) as store:
        for result in samples.values():
            store.ingest_result(result)
        with store.connect() as conn:
            overdue = tasks(conn, TaskFilter(status="overdue", today=date(2024, 1, 1)))
            on_the_day = tasks(conn, TaskFilter(status="overdue", today=date(2023, 12, 31)))
            everything = tasks(conn, TaskFilter(status="all", today=date(2024, 1, 1)))
            open_ = tasks(conn, TaskFilter(status="open", today=date(2024, 1, 1)))
            due = tasks(conn, TaskFilter(status="all", due_before=date(2024, 6, 1), today=date(2023, 1, 1)))
            by_assignee = tasks(conn, TaskFilter(status="all", assignee="PHONG NOI VU"))
    assert [(o["letter"], o["clause"]) for o in overdue] == [("3328/UBND-NC", "2.-6"), ("8731/UBND", "1.h")]
    assert all(o["deadline"]["date"] == "2023-12-31" and o["status"] == "overdue" for o in overdue)
    assert overdue[0]["parent"]["key"] == "1085/QĐ-TTg"
    assert on_the_day == []
    assert len(everything) == len(overdue) + len(open_)
    assert {o["status"] for o in due} == {"open"} and all(o["due"] < "2024-06-01" for o in due)
    assert len([o for o in due if not o["next_due"]]) == 2  # and recurring ones whose next time is before
    assert by_assignee and all("Phòng Nội vụ" in " ".join(a["name"] for a in o["assignees"]) for o in by_assignee)


def test_migrations_build_the_tables_the_code_uses(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from pipeline.store.tables import metadata

    with fresh(store_url) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_cli_ingest_show_tree_obligations_export(store_url, tmp_path, capsys):
    reset(store_url)
    sample = SAMPLES / "cong-van-3852-syt-tay-ninh-kem-3328-ubnd.txt"
    (tmp_path / "968.txt").write_text(CD_968, encoding="utf-8")
    assert main(["ingest", str(sample), str(tmp_path), "--db", store_url, "--today", "2023-12-01"]) == 0
    out, err = capsys.readouterr()
    header, _, figures = out.splitlines()[1:4]
    assert header.split()[:6] == ["files", "stored", "unchanged", "failed", "letters", "obligations"]
    assert figures.split()[:6] == ["2", "2", "0", "0", "3", "18"] and "[2/2]" in err
    assert "congvan obligations --db" in out
    assert main(["ingest", str(sample), "--db", store_url, "--quiet"]) == 0
    assert capsys.readouterr().out.splitlines()[3].split()[:3] == ["1", "0", "1"]

    assert main(["tree", "3852/SYT-VP", "--db", store_url]) == 0
    tree = capsys.readouterr().out.splitlines()
    assert tree[0].startswith("968/CĐ-TTg  2023-10-16  Thủ tướng Chính phủ  2 obligation(s)")
    assert tree[1].startswith("└── 3328/UBND-NC  2023-10-23  Ủy ban nhân dân tỉnh Tây Ninh  13 obligation(s)")
    assert tree[2].startswith("    └── 3852/SYT-VP  2023-01-06  Sở Y tế  3 obligation(s)  ◀")

    assert main(["show", "3852/syt-vp", "--db", store_url]) == 0
    shown = capsys.readouterr().out
    assert "Công văn 3852/SYT-VP" in shown and "implements 3328/UBND-NC 2023-10-23  [stored]" in shown
    assert "obligations: 3" in shown

    assert main(["obligations", "--db", store_url, "--status", "overdue", "--today", "2024-01-01",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {(r["letter"], r["deadline"]["date"]) for r in rows} == {("3328/UBND-NC", "2023-12-31"),
                                                                    ("968/CĐ-TTg", "2023-12-31")}
    assert main(["obligations", "--db", store_url, "--assignee", "bộ nội vụ", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "\ufeffid,letter,letter_date,issuer,clause,assignee,role,due,recurs,deadline_words,status," \
        "needs_review,review_reasons,carries_out,task"
    assert len(lines) == 2 and ",Bộ Nội vụ,lead," in lines[1]

    assert main(["export", "--db", store_url, "--format", "jsonl", "--out", str(tmp_path / "g.jsonl")]) == 0
    records = [json.loads(line) for line in (tmp_path / "g.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["type"] for r in records} == {"document", "link"}
    assert main(["export", "--db", store_url]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert set(graph) == {"documents", "links"}
    assert len(graph["documents"]) + len(graph["links"]) == len(records)
    assert main(["show", "9999/XYZ", "--db", store_url]) == 65
