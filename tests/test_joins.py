"""Page images of one letter as separate files (pipeline/joins.py), through `congvan extract`."""
import os
import time
from pathlib import Path

import pytest

from cli.main import main
from pipeline.inbox import InboxOptions, run_once
from pipeline.joins import series
from pipeline.runner import Item, make_batches
from pipeline.store import Store
from schemas import ExtractionResult

from test_ocr import BODY, render


NAMES = ["4_1.jpg", "4_2.jpg", "4_4.jpg", "a.txt", "page-1.png", "page-2.png", "x-1.pdf", "x-2.pdf",
         "other/page-3.png"]
RUNS = [["4_1.jpg", "4_2.jpg"], ["4_4.jpg"], ["a.txt"], ["page-1.png", "page-2.png"], ["x-1.pdf"], ["x-2.pdf"],
        ["other/page-3.png"]]


def test_runs_are_image_files_of_one_stem_in_one_folder_numbered_one_after_the_other():
    sources = [(Path("in") / n).as_posix() for n in NAMES]
    assert [[NAMES[i] for i in run] for run in series(sources)] == RUNS


def test_the_page_files_of_a_letter_are_one_batch():
    items = [Item((Path("in") / n).as_posix(), n, None, 1000) for n in NAMES]
    assert [[item.name for item in batch] for batch in make_batches(items)] == RUNS


CLOSING = ["2. Tổ chức trực ban nghiêm túc trong mùa mưa bão./.", "", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "",
           "CHỦ TỊCH", "", "Nguyễn Văn An"]


def two_pages(folder: Path) -> None:
    folder.mkdir()
    render(body=BODY[:3]).save(folder / "cv_1.png", dpi=(300, 300))
    render(header=[], body=CLOSING).save(folder / "cv_2.png", dpi=(300, 300))


def assert_joined(out: Path, second_file: str) -> None:
    first = ExtractionResult.model_validate_json((out / "cv_1.json").read_bytes())
    [doc] = first.documents
    assert doc.key == "12/UBND-VP" and doc.pages == [1, 2]
    assert doc.signer and doc.signer.name == "Nguyễn Văn An"
    assert [(p.number, p.file) for p in first.pages] == [(1, None), (2, second_file)]
    assert "joined_pages" in [w.code for w in first.warnings]

    second = ExtractionResult.model_validate_json((out / "cv_2.json").read_bytes())
    assert second.documents == [] and second.pages[0].text
    assert [w.code for w in second.warnings][-1] == "joined_into"


@pytest.mark.tesseract
def test_the_second_page_of_a_letter_is_joined_to_the_first(tmp_path):
    folder = tmp_path / "in"
    two_pages(folder)
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out)]) == 0
    assert_joined(out, f"{folder.as_posix()}/cv_2.png")


@pytest.mark.tesseract
def test_the_inbox_joins_them_in_its_pool_and_stores_both(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    two_pages(inbox)
    for path in inbox.iterdir():
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        report = run_once(inbox, out, store, InboxOptions(settle=0, workers=2))
        assert [(r.name, r.status, r.documents) for r in report.results] == [("cv_1.png", "stored", 1),
                                                                               ("cv_2.png", "stored", 0)]
    assert_joined(out, "cv_2.png")
    assert not any((inbox / "failed").iterdir())  # the inbox keeps its folders; nothing failed


@pytest.mark.tesseract
def test_a_later_file_with_its_own_header_stays_a_letter_of_its_own(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in (1, 2):
        render().save(folder / f"scan-{n}.png", dpi=(300, 300))
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out)]) == 0
    for n in (1, 2):
        result = ExtractionResult.model_validate_json((out / f"scan-{n}.json").read_bytes())
        assert len(result.documents) == 1 and len(result.pages) == 1
