"""OCR accuracy and throughput on the rendered sample scans (data/samples/scans).

For each engine and each variant (clean, degraded) it prints the character error rate against
the ground-truth text of the pages, and pages per minute with all cores busy:

  pipeline    this pipeline's OCR (pipeline.ocr), through `pipeline_pages` below
  tesseract   bare `tesseract IMAGE stdout -l vie`, one process per core, OMP_THREAD_LIMIT=1
  ocrmypdf    `ocrmypdf -l vie --jobs N --sidecar` on one image-only PDF per letter, if installed

CER = Levenshtein distance / length of the ground truth, both in NFC with every run of white
space made one space (line breaks do not count, the order of blocks does), over all pages
(total distance / total length). "CER" compares with the page read column by column (header:
issuing body, number and subject, then motto and date; closing: Nơi nhận, then signature);
"CER either order" takes, page by page, the better of that and the page read row by row across
the columns, which is how Tesseract returns a two-column header: both are sound readings. The
worst page is by the latter. The distance is computed here (bit-parallel, Hyyrö 2001): exact,
about a millisecond a page, no dependency.

Build the scans first (`python scripts/render_scans.py --degrade`), then run
`python benchmarks/ocr.py`. Nothing here asserts a time: it prints a table.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCANS = REPO / "data" / "samples" / "scans"
VARIANTS = ("clean", "degraded")


# --------------------------------------------------------------------------- CER

def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) by Hyyrö's bit-parallel algorithm:
    one pass over `b` with |a|-bit integers, about a millisecond for two pages of text."""
    if len(a) < len(b):
        a, b = b, a
    m = len(a)
    if not b:
        return m
    peq: dict[str, int] = {}
    for i, char in enumerate(a):
        peq[char] = peq.get(char, 0) | (1 << i)
    mask, high = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for char in b:
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def cer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance, reference length) after normalization."""
    reference, hypothesis = normalize(reference), normalize(hypothesis)
    return levenshtein(reference, hypothesis), len(reference)


# --------------------------------------------------------------------------- pages

@dataclass
class ScanPage:
    letter: str
    variant: str
    number: int
    image: Path
    truth: str       # header and closing column by column
    truth_rows: str  # the same read row by row across the columns


def find_pages(folder: Path) -> dict[str, list[ScanPage]]:
    """The rendered pages by variant, from each letter's manifest.json."""
    pages: dict[str, list[ScanPage]] = {v: [] for v in VARIANTS}
    for manifest_path in sorted(folder.glob("*/manifest.json")):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        letter = manifest_path.parent
        for variant in VARIANTS:
            for n, name in enumerate(manifest.get(variant, []), 1):
                truth = (letter / manifest["ground_truth"][n - 1]).read_text(encoding="utf-8")
                rows = (letter / manifest["ground_truth_rows"][n - 1]).read_text(encoding="utf-8")
                pages[variant].append(ScanPage(manifest["letter"], variant, n, letter / name, truth, rows))
    return pages


# --------------------------------------------------------------------------- engines

def pipeline_pages(images: list[Path], jobs: int) -> list[str]:
    """This pipeline's OCR (pipeline.ocr) over `images` on `jobs` cores, one text per image.

    LEAD, CHECK THE WIRING: written against pipeline.ocr as it stood while it was being written
    (`ocr_pages(name, sources, OcrOptions(workers=...))` over `pipeline.images.open_image_pages`
    sources, returning schemas.Page objects). All pages go in one call so that every core is
    busy. If that API moves, fix this function; until it imports, the table says why.
    """
    try:
        from pipeline.images import open_image_pages
        from pipeline.ocr import OcrOptions, ocr_pages
    except ImportError as error:
        raise NotImplementedError(f"pipeline.ocr is not there yet ({error})") from None
    sources = [source for image in images for source in open_image_pages(image.name, image.read_bytes())]
    pages, _warnings = ocr_pages("benchmark", sources, OcrOptions(workers=jobs), fail_if_none_read=False)
    return [page.text or "" for page in pages]


def tesseract_pages(images: list[Path], jobs: int) -> list[str]:
    """Bare Tesseract: one single-threaded process per page, `jobs` at a time."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def run(image: Path) -> str:
        done = subprocess.run(["tesseract", str(image), "stdout", "-l", "vie"], env=env,
                              capture_output=True, text=True, check=True)
        return done.stdout

    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(run, images))


def timed_ocrmypdf(pages: list[ScanPage], jobs: int) -> tuple[list[str], float]:
    """OCRmyPDF with its own parallelism (--jobs) on one image-only PDF per letter, as a scanner
    gives them; the text comes from --sidecar (pages split by form feeds). Only the ocrmypdf
    runs are timed, not building their PDFs."""
    from PIL import Image

    texts: list[str] = []
    seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        letters: dict[str, list[ScanPage]] = {}
        for page in pages:
            letters.setdefault(page.letter, []).append(page)
        for letter, its_pages in letters.items():
            pdf, out, sidecar = (Path(tmp) / f"{letter}.{suffix}" for suffix in ("in.pdf", "out.pdf", "txt"))
            images = [Image.open(p.image) for p in its_pages]
            dpi = images[0].info.get("dpi", (300, 300))[0]
            images[0].save(pdf, save_all=True, append_images=images[1:], resolution=dpi)
            started = time.perf_counter()
            subprocess.run(["ocrmypdf", "-l", "vie", "--jobs", str(jobs), "--sidecar", str(sidecar),
                            "--output-type", "pdf", "--quiet", str(pdf), str(out)], check=True)
            seconds += time.perf_counter() - started
            page_texts = sidecar.read_text(encoding="utf-8").split("\f")
            texts += (page_texts + [""] * len(its_pages))[:len(its_pages)]
    return texts, seconds


ENGINES = {"pipeline": pipeline_pages, "tesseract": tesseract_pages, "ocrmypdf": None}


# --------------------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=Path, default=SCANS, help="folder of rendered letters (default: data/samples/scans)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    parser.add_argument("--engines", default="pipeline,tesseract,ocrmypdf")
    parser.add_argument("--save", type=Path, help="write each OCR text to DIR/<engine>/<variant>/<letter>-<page>.txt")
    parser.add_argument("--show", type=int, default=15, help="print the first N lines of tesseract's text of each degraded first page (0: none)")
    args = parser.parse_args()

    pages = find_pages(args.scans)
    if not any(pages.values()):
        print(f"no rendered scans in {args.scans}: run python scripts/render_scans.py --degrade", file=sys.stderr)
        return 1
    for variant in VARIANTS:
        if not pages[variant]:
            print(f"note: no {variant} pages (python scripts/render_scans.py --degrade builds them)")
    letters = len({p.letter for ps in pages.values() for p in ps})
    print(f"{args.scans}: {letters} letters; {', '.join(f'{len(ps)} {v} pages' for v, ps in pages.items())}; {args.jobs} jobs")

    rows, notes, shown = [], [], {}
    for engine in args.engines.split(","):
        if engine == "ocrmypdf" and not shutil.which("ocrmypdf"):
            notes.append("ocrmypdf: not installed, skipped (apt-get install ocrmypdf)")
            continue
        for variant in VARIANTS:
            its_pages = pages[variant]
            if not its_pages:
                continue
            try:
                if engine == "ocrmypdf":
                    texts, seconds = timed_ocrmypdf(its_pages, args.jobs)
                else:
                    started = time.perf_counter()
                    texts = ENGINES[engine]([p.image for p in its_pages], args.jobs)
                    seconds = time.perf_counter() - started
            except NotImplementedError as error:
                notes.append(f"{engine}: {error}")
                break
            scores = [cer(p.truth, text) for p, text in zip(its_pages, texts)]
            either = [min(d, cer(p.truth_rows, text)[0]) for (d, _), p, text in zip(scores, its_pages, texts)]
            length = max(1, sum(n for _, n in scores))
            worst_ratio, worst_letter, worst_number = max((d / max(1, n), p.letter, p.number) for d, (_, n), p in zip(either, scores, its_pages))
            rows.append((engine, variant, len(its_pages), f"{100 * sum(d for d, _ in scores) / length:.2f}%",
                         f"{100 * sum(either) / length:.2f}%",
                         f"{100 * worst_ratio:.2f}% {worst_letter} p{worst_number}",
                         f"{60 * len(its_pages) / seconds:.1f}", f"{seconds:.1f}"))
            if args.save:
                for page, text in zip(its_pages, texts):
                    path = args.save / engine / variant / f"{page.letter}-{page.number}.txt"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text, encoding="utf-8")
            if engine == "tesseract" and variant == "degraded":
                shown = {p.letter: t for p, t in zip(its_pages, texts) if p.number == 1}

    header = ("engine", "variant", "pages", "CER", "CER either order", "worst page (either)", "pages/min", "seconds")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) if i in (0, 1, 5) else str(v).rjust(w) for i, (v, w) in enumerate(zip(row, widths))))
    for note in notes:
        print(f"note: {note}")
    if args.show:
        for letter, text in shown.items():
            lines = [line for line in text.splitlines() if line.strip()][:args.show]
            print(f"\n--- tesseract, degraded, {letter} page 1, first {len(lines)} lines:")
            print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
