"""The Prefect flows (flows/): bulk_ingest and nightly_inbox under one session-wide test harness.

Each flow run costs seconds, so there are few of them; the logic under them is tested without
Prefect in tests/test_inbox.py.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

pytest.importorskip("prefect")

from pipeline.store import Store  # noqa: E402

OLD = time.time() - 3600


def letter(base: str, number: int) -> str:
    return base.replace("Số: 12/UBND-VP", f"Số: {number}/UBND-VP")


def archive(root: Path, letter_text: str, count: int, start: int) -> Path:
    (root / "sub").mkdir(parents=True)
    for n in range(count):
        folder = root if n % 2 else root / "sub"
        (folder / f"cv-{start + n}.txt").write_text(letter(letter_text, start + n), "utf-8")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_bulk_ingest_skips_what_is_stored_and_reports(prefect_harness, tmp_path, letter_text):
    from prefect.artifacts import Artifact

    from flows.bulk import bulk_ingest

    source = archive(tmp_path / "archive", letter_text, 30, 1000)
    out, db = tmp_path / "out", str(tmp_path / "store.db")
    first = bulk_ingest([str(source)], str(out), db, workers=2, progress=False)
    assert (first["stored"], first["skipped"], first["failed"]) == (30, 0, 2)
    assert len(list(out.glob("*.json"))) == 30 and not list(out.glob(".*"))

    # "killed" after the first run: another file, and a half-written temporary JSON, appear
    (source / "cv-late.txt").write_text(letter(letter_text, 2000), "utf-8")
    (out / ".cv-late.json.123.abcd.tmp").write_text("{")
    second = bulk_ingest([str(source / "**" / "*.txt"), str(source / "broken.pdf")], str(out), db,
                         workers=2, progress=False)
    assert (second["stored"], second["skipped"], second["failed"]) == (1, 32, 0)
    assert json.loads((out / "cv-late.json").read_text("utf-8"))["documents"]
    with Store(db) as store, store.connect() as conn:
        from sqlalchemy import func, select

        from pipeline.store.tables import documents
        assert conn.execute(select(func.count()).select_from(documents)
                            .where(documents.c.placeholder.is_(False))).scalar() == 31  # no duplicate

    artifact = Artifact.get("bulk-ingest-report")
    assert artifact is not None and "| 1 | 0 | 32 | 0 |" in artifact.data


def test_nightly_inbox_flow(prefect_harness, tmp_path, letter_text):
    from flows.inbox import nightly_inbox

    inbox, out, db = tmp_path / "inbox", tmp_path / "out", str(tmp_path / "store.db")
    inbox.mkdir()
    for name, data in {"cv một.txt": letter(letter_text, 3001), "cv-2.txt": letter(letter_text, 3002),
                       "rỗng.txt": "", "hỏng.pdf": "%PDF-1.4 garbage"}.items():
        (inbox / name).write_text(data, "utf-8")
        os.utime(inbox / name, (OLD, OLD))
    (inbox / "new.txt").write_text(letter(letter_text, 3003), "utf-8")  # just written: waits
    counts = nightly_inbox(str(inbox), str(out), db, settle=0, workers=2)
    assert counts == {"processed": 2, "duplicate": 0, "failed": 2, "postponed": 0, "waiting": 1, "recovered": 0}
    assert sorted(p.name for p in (inbox / "failed").iterdir()) == [
        "hỏng.pdf", "hỏng.pdf.error.json", "rỗng.txt", "rỗng.txt.error.json"]
    assert sorted(p.name for p in out.iterdir()) == ["cv một.json", "cv-2.json"]
    assert (inbox / "new.txt").exists()


def test_bulk_ingest_on_a_dask_cluster(prefect_harness, tmp_path, letter_text):
    distributed = pytest.importorskip("distributed")

    from flows.bulk import run_bulk_ingest

    source = archive(tmp_path / "archive", letter_text, 12, 4000)
    out, db = tmp_path / "out", str(tmp_path / "store.db")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        counts = run_bulk_ingest([str(source)], str(out), db, scheduler=cluster.scheduler_address,
                                 progress=False, batch_cost=4)
    assert (counts["stored"], counts["failed"]) == (12, 2)
    assert len(list(out.glob("*.json"))) == 12
