"""Page images of one letter as separate files (pipeline/joins.py), through `congvan extract`."""
from pathlib import Path

import pytest

from pipeline.batch import Job
from pipeline.cli import main
from pipeline.joins import series
from schemas import ExtractionResult

from test_ocr import BODY, render


def jobs(*names):
    return [Job(source=Path("in") / n, name=n, output=Path("out") / n)
            for n in names]


def test_runs_are_image_files_of_one_stem_numbered_one_after_the_other():
    runs = series(jobs("4_1.jpg", "4_2.jpg", "4_4.jpg", "a.txt", "page-1.png", "page-2.png", "x-1.pdf", "x-2.pdf"))
    assert [[j.name for j in r] for r in runs] == [
        ["4_1.jpg", "4_2.jpg"], ["4_4.jpg"], ["a.txt"], ["page-1.png", "page-2.png"], ["x-1.pdf"], ["x-2.pdf"]]


@pytest.mark.tesseract
def test_the_second_page_of_a_letter_is_joined_to_the_first(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    render(body=BODY[:3]).save(folder / "cv_1.png", dpi=(300, 300))
    closing = ["2. Tổ chức trực ban nghiêm túc trong mùa mưa bão./.", "", "Nơi nhận:", "- Như trên;",
               "- Lưu: VT.", "", "CHỦ TỊCH", "", "Nguyễn Văn An"]
    render(header=[], body=closing).save(folder / "cv_2.png", dpi=(300, 300))
    out = tmp_path / "out"
    assert main(["extract", str(folder), "--out", str(out)]) == 0

    first = ExtractionResult.model_validate_json((out / "cv_1.json").read_bytes())
    [doc] = first.documents
    assert doc.key == "12/UBND-VP" and doc.pages == [1, 2]
    assert doc.signer and doc.signer.name == "Nguyễn Văn An"
    assert [(p.number, p.file) for p in first.pages] == [(1, None), (2, f"{folder.as_posix()}/cv_2.png")]
    assert "joined_pages" in [w.code for w in first.warnings]

    second = ExtractionResult.model_validate_json((out / "cv_2.json").read_bytes())
    assert second.documents == [] and second.pages[0].text
    assert [w.code for w in second.warnings][-1] == "joined_into"


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
