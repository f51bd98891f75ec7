"""How long the review site takes per letter (`make bench-review`): rendering a letter page
(evidence, word boxes, highlighting, the template) against reading the same letter's JSON, side
by side, on the sample letters, three letters of ../shared/eval/dev2 when it is there (read in
place, extracted at start, never copied) and, with Tesseract, a two-page scan of the samples.

The budget is 50 ms per letter page. Page images of scans are made once per page and reused by
later runs (they are named by content); the last table shows a whole site written twice, the
first time with its images, the second reusing them.

    python benchmarks/review.py [--repeat 20]
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from schemas import ExtractionResult

from pipeline.extract import extract_file
from pipeline.output import render_json
from pipeline.review import write_review_site
from pipeline.review.chain import Chain
from pipeline.review.evidence import collect
from pipeline.review.load import load_letters
from pipeline.review.scans import page_views, place_letters
from pipeline.review.site import Renderer

REPO = Path(__file__).resolve().parent.parent
DEV2 = REPO.parent / "shared" / "eval" / "dev2"
DEV2_LETTERS = 3
BUDGET_MS = 50.0


def inputs(work: Path) -> list[Path]:
    """The output JSON the benchmark renders: samples, dev2 letters, a scan."""
    jsons = []
    for expected in sorted((REPO / "data" / "samples").glob("*.expected.json")):
        target = work / f"{expected.name.split('.')[0]}.json"
        shutil.copy(expected, target)
        jsons.append(target)
    if DEV2.is_dir():
        for path in sorted(DEV2.glob("*.txt"))[:DEV2_LETTERS]:
            target = work / f"dev2-{path.stem}.json"
            target.write_bytes(render_json(extract_file(path)))
            jsons.append(target)
    if shutil.which("tesseract"):
        from PIL import Image

        scans = REPO / "data" / "samples" / "scans" / "cong-van-8731-ubnd-can-gio" / "degraded"
        pages = [Image.open(scans / f"page-{n}.jpg").convert("L") for n in (1, 2)]
        pdf = work / "scan-8731.pdf"
        pages[0].save(pdf, "PDF", resolution=300, save_all=True, append_images=pages[1:])
        target = work / "scan-8731.json"
        target.write_bytes(render_json(extract_file(pdf, name=pdf.as_posix())))
        jsons.append(target)
    return jsons


def best_ms(action, repeat: int) -> float:  # noqa: ANN001 - a callable of no arguments
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per letter (median kept)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="congvan-bench-review-"))
    try:
        jsons = inputs(work)
        letters, problems = load_letters(jsons)
        assert not problems, problems
        renderer = Renderer()
        site = work / "site"
        print(f"{'letter':48} {'chars':>6} {'spans':>5} {'read JSON ms':>12} {'render ms':>9} {'ratio':>6}")
        renders = []
        for letter in letters:
            views = page_views(letter.result, letter.doc.pages, site)  # images made once, outside the timing
            raw = letter.json_path.read_bytes()
            read = best_ms(lambda raw=raw: ExtractionResult.model_validate_json(raw), args.repeat)

            def render_page(letter=letter, views=views) -> None:
                placement = place_letters(letter.result)[letter.index]
                renderer.letter_page(letter, placement, Chain(), views)

            render = best_ms(render_page, args.repeat)
            renders.append(render)
            spans = len(collect(letter.doc).items)
            print(f"{letter.slug[:48]:48} {len(letter.doc.text):6} {spans:5} {read:12.2f} {render:9.2f} "
                  f"{render / read:6.1f}")
        print(f"\nrender per letter: median {statistics.median(renders):.2f} ms, max {max(renders):.2f} ms "
              f"(budget {BUDGET_MS:.0f} ms): {'within' if max(renders) < BUDGET_MS else 'OVER'} budget")

        print(f"\n{'whole site (' + str(len(letters)) + ' letters)':32} {'seconds':>8} {'ms/letter':>10}")
        for run in ("first (makes page images)", "again (reuses them)"):
            if run.startswith("first"):
                shutil.rmtree(site, ignore_errors=True)
            started = time.perf_counter()
            write_review_site([p.as_posix() for p in jsons], site)
            seconds = time.perf_counter() - started
            print(f"{run:32} {seconds:8.2f} {seconds * 1000 / len(letters):10.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
