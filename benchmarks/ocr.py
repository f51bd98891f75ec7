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

Real scans (`--real ../shared/eval/realscans`): every input file goes through the three engines
side by side in one run, each the way a user would run it:

  pipeline    the runner's own path (pipeline.runner: make_batches and extract_batch, as `congvan
              ingest --workers N` runs them: text layer or OCR, zones read again, extraction, page
              files joined), batches in a pool of `--jobs` processes, one OCR thread each
  tesseract   bare `tesseract PAGE stdout -l vie` on every page image (PDF pages rendered at 300
              dpi beforehand, not timed), `--jobs` processes at a time
  ocrmypdf    `ocrmypdf -l vie --jobs N --force-ocr --sidecar` on every input file (a JPEG first
              wrapped into a PDF, not timed)

and prints: the header accuracy of the pipeline's JSON by ../shared/eval/score_realscans.py, with
the values that are wrong (a value given that is not the label's) apart from those left out
(null, a number left blank, a date given as its month); then one table, an engine a row: the
header accuracy of each engine (the other engines' page texts run through this project's
extractors, so that the columns compare the OCR), the CER of each engine against the
`.reference.txt` transcriptions (the pipeline's page text as its JSON keeps it), and pages per
minute, with each engine's ratio to bare tesseract. Without ocrmypdf (`pip install -e
'.[bench]'`, and Debian's ghostscript) its row is left out and the run says why. The machine may
be shared: only the ratios of one run mean anything.
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


def _ocrmypdf() -> str | None:
    """The ocrmypdf command: on PATH, or beside this Python (a venv run without activating it)."""
    beside = Path(sys.executable).with_name("ocrmypdf")
    return shutil.which("ocrmypdf") or (str(beside) if beside.is_file() else None)


def _ocrmypdf_missing() -> str | None:
    """Why the ocrmypdf column cannot run, or None when it can."""
    if _ocrmypdf() is None:
        return "ocrmypdf is not installed (pip install -e '.[bench]')"
    if not shutil.which("gs"):
        return "ocrmypdf needs Ghostscript (apt-get install ghostscript)"
    return None


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
            subprocess.run([str(_ocrmypdf()), "-l", "vie", "--jobs", str(jobs), "--sidecar", str(sidecar),
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
    parser.add_argument("--real", type=Path, help="a folder of real scans with labels (../shared/eval/realscans)")
    parser.add_argument("--pred", type=Path, help="with --real: keep the pipeline's JSON in this folder")
    args = parser.parse_args()
    if args.real:
        return real_scans(args.real, args.jobs, args.engines.split(","), args.pred)

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
        if engine == "ocrmypdf" and (missing := _ocrmypdf_missing()):
            notes.append(f"ocrmypdf: {missing}, skipped")
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


# --------------------------------------------------------------------------- real scans

REAL_INPUTS = ("*.pdf", "*.jpg", "*.jpeg", "*.png", "*.tif", "*.tiff")
SCORER = REPO.parent / "shared" / "eval" / "score_realscans.py"


def real_scans(folder: Path, jobs: int, engines: list[str], pred: Path | None) -> int:
    from concurrent.futures import ProcessPoolExecutor

    from functools import partial

    from pipeline.runner import OutputNamer, extract_batch, find_inputs, make_batches

    inputs = sorted(p for pattern in REAL_INPUTS for p in folder.glob(pattern))
    if not inputs:
        print(f"no scans in {folder}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        pages = _render_pages(inputs, work / "pages")
        print(f"{folder}: {len(inputs)} files, {sum(len(v) for v in pages.values())} pages; {jobs} jobs "
              f"(the machine may be shared with other work: compare the ratios of this run only)")
        out = pred or work / "pred"
        out.mkdir(parents=True, exist_ok=True)
        references = {p.name[: -len(".reference.txt")]: p.read_text(encoding="utf-8")
                      for p in sorted(folder.glob("*.reference.txt"))}
        texts: dict[str, dict[str, str]] = {}
        timing: dict[str, float] = {}
        for engine in engines:
            started = time.perf_counter()
            if engine == "pipeline":
                items = OutputNamer(out).plan(find_inputs([str(p) for p in inputs])[0])
                with ProcessPoolExecutor(jobs) as pool:
                    list(pool.map(partial(extract_batch, ocr_workers=1), make_batches(items)))
                timing[engine] = time.perf_counter() - started
                texts[engine] = _json_pages(out, references)
            elif engine == "tesseract":
                flat = [(stem, page) for stem, its in pages.items() for page in its]
                read = tesseract_pages([page for _, page in flat], jobs)
                timing[engine] = time.perf_counter() - started
                texts[engine] = {f"{stem}-{page.stem.rsplit('-', 1)[1]}": t for (stem, page), t in zip(flat, read)}
            elif engine == "ocrmypdf":
                if missing := _ocrmypdf_missing():
                    print(f"note: ocrmypdf column skipped: {missing}")
                    continue
                texts[engine], timing[engine] = _ocrmypdf_files(inputs, work / "ocrmypdf", jobs)
        _print_header_accuracy(folder, out)
        headers = {"pipeline": _header_scores(folder, out)}
        for engine in texts:
            if engine != "pipeline":  # the other engines' text through the same extractors
                headers[engine] = _header_scores(folder, _extracted(texts[engine], pages, work / f"pred-{engine}"))
        _print_cer_and_speed(pages, references, texts, timing, headers)
    return 0


HEADER_FIELDS = ("key", "symbol", "date", "month", "doc_type", "issuer", "signer")


def _extracted(texts: dict[str, str], pages: dict[str, list[Path]], folder: Path) -> Path:
    """A JSON per input file, as score_realscans.py reads them, from an engine's page texts run
    through this project's extractors (no word boxes: plain text, as the engine gives it)."""
    from extractors import extract_documents

    folder.mkdir(parents=True)
    for stem, its_pages in pages.items():
        page_texts = [texts.get(f"{stem}-{n}", "") for n in range(1, len(its_pages) + 1)]
        documents, _ = extract_documents(page_texts, [[] for _ in page_texts])
        (folder / f"{stem}.json").write_text(json.dumps(
            {"documents": [d.model_dump(mode="json") for d in documents]}, ensure_ascii=False), encoding="utf-8")
    return folder


def _header_scores(folder: Path, pred: Path) -> dict[str, float]:
    done = subprocess.run([sys.executable, str(SCORER), str(folder), str(pred), "--json"], capture_output=True, text=True)
    try:
        return json.loads(done.stdout)["accuracy"]
    except (json.JSONDecodeError, KeyError):
        return {}


def _render_pages(inputs: list[Path], folder: Path) -> dict[str, list[Path]]:
    """Every page of every input as an image file: PDF pages rendered at 300 dpi, images as they are."""
    import pypdfium2 as pdfium
    from PIL import Image

    folder.mkdir(parents=True)
    pages: dict[str, list[Path]] = {}
    for path in inputs:
        if path.suffix.lower() == ".pdf":
            document = pdfium.PdfDocument(path)
            pages[path.stem] = []
            for n in range(len(document)):
                target = folder / f"{path.stem}-{n + 1}.png"
                document[n].render(scale=300 / 72).to_pil().save(target, dpi=(300, 300))
                pages[path.stem].append(target)
        else:
            target = folder / f"{path.stem}-1{path.suffix.lower()}"
            target.write_bytes(path.read_bytes())
            pages[path.stem] = [target]
            Image.open(target).verify()
    return pages


def _json_pages(out: Path, references: dict[str, str]) -> dict[str, str]:
    texts = {}
    for stem in references:
        path = out / f"{stem}.json"
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            texts[f"{stem}-1"] = data["pages"][0]["text"] if data.get("pages") else ""
    return texts


def _ocrmypdf_files(inputs: list[Path], folder: Path, jobs: int) -> tuple[dict[str, str], float]:
    from PIL import Image

    folder.mkdir(parents=True)
    texts: dict[str, str] = {}
    seconds = 0.0
    for path in inputs:
        source = path
        if path.suffix.lower() != ".pdf":
            source = folder / f"{path.stem}.in.pdf"
            image = Image.open(path)
            image.convert("RGB").save(source, resolution=image.info.get("dpi", (150, 150))[0])
        sidecar, output = folder / f"{path.stem}.txt", folder / f"{path.stem}.out.pdf"
        started = time.perf_counter()
        subprocess.run([str(_ocrmypdf()), "-l", "vie", "--jobs", str(jobs), "--force-ocr", "--invalidate-digital-signatures",
                        "--sidecar", str(sidecar),
                        "--output-type", "pdf", "--quiet", str(source), str(output)], check=False,
                       env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        seconds += time.perf_counter() - started
        page_texts = sidecar.read_text(encoding="utf-8").split("\f") if sidecar.is_file() else [""]
        for n, text in enumerate(page_texts, 1):
            texts[f"{path.stem}-{n}"] = text
    return texts, seconds


def _print_header_accuracy(folder: Path, pred: Path) -> None:
    done = subprocess.run([sys.executable, str(SCORER), str(folder), str(pred)], capture_output=True, text=True)
    rows = done.stdout.splitlines()
    print("\n## header accuracy (score_realscans.py)\n")
    print(rows[-1] if rows else done.stderr)
    wrong, left_out = [], []
    for row in rows[:-1]:
        stem = row[:60].strip()
        for field, got in re.findall(r"(\w+):want .*? got (None|'[^']*')", row):
            if field in ("symbol", "month"):
                continue
            value = None if got == "None" else got.strip("'")
            partial = value is None or (field == "key" and value.startswith("/")) or (field == "date" and len(value) == 7)
            (left_out if partial else wrong).append(f"{stem}: {field} {value!r}")
    print(f"\nwrong values ({len(wrong)}):" + "".join(f"\n  {w}" for w in wrong))
    print(f"left out or partial, flagged for review ({len(left_out)}):" + "".join(f"\n  {w}" for w in left_out))


def _print_cer_and_speed(pages: dict[str, list[Path]], references: dict[str, str], texts: dict[str, dict[str, str]],
                         timing: dict[str, float], headers: dict[str, dict[str, float]]) -> None:
    total = sum(len(v) for v in pages.values())
    base = timing.get("tesseract")
    print("\n## side by side on the same pages: header accuracy (score_realscans.py; the other engines' text\n"
          "## through this project's extractors), CER on the reference pages, throughput\n")
    header = ("engine", *HEADER_FIELDS, "CER (5 pages)", "worst page", "pages", "seconds", "pages/min", "vs tesseract")
    rows = []
    for engine, got in texts.items():
        scores = [(cer(ref, got.get(f"{stem}-1", "")), stem) for stem, ref in references.items()]
        length = max(1, sum(n for (_, n), _ in scores))
        worst = max(((d / max(1, n)), stem) for (d, n), stem in scores)
        speed = 60 * total / timing[engine]
        accuracy = headers.get(engine, {})
        rows.append((engine, *(f"{accuracy[f]:.3f}" if f in accuracy else "-" for f in HEADER_FIELDS),
                     f"{100 * sum(d for (d, _), _ in scores) / length:.2f}%", f"{100 * worst[0]:.1f}% {worst[1][:28]}",
                     str(total), f"{timing[engine]:.0f}", f"{speed:.1f}",
                     f"{base / timing[engine]:.2f}" if base else "-"))
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))


if __name__ == "__main__":
    sys.exit(main())
