"""Throughput of the text extractors: extract_documents over 1,000 letters in one process.

The letters are the .txt samples of data/samples, repeated; while that folder has none, the
dev set of ../shared/eval/dev. Run with `make bench` or `python benchmarks/extract_text.py`.
A second, timed pass wraps each stage that extractors.letters composes, so the table shows
where the time goes.
"""
from __future__ import annotations

import argparse
import functools
import itertools
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import extractors.letters
from extractors import extract_documents
from extractors.clauses import parse_clauses
from pipeline.text_file import read_text_pages

REPO = Path(__file__).resolve().parent.parent
# The functions extractors.letters calls, by the stage they make up.
STAGES = {
    "normalize": ["normalize"],
    "split": ["split_letters"],
    "header": ["read_header", "read_report", "body_end", "read_closing"],
    "clauses": ["parse_clauses"],
    "references": ["find_references", "find_implements"],
    "obligations": ["find_obligations"],
}


def stage_seconds(letters: list[list[str]], count: int) -> dict[str, float]:
    """Seconds spent in each stage over `count` letters, by wrapping the composed functions."""
    spent = dict.fromkeys(STAGES, 0.0)
    originals = {}

    def timed(stage, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - started
        return wrapper

    for stage, names in STAGES.items():
        for name in names:
            originals[name] = getattr(extractors.letters, name)
            setattr(extractors.letters, name, timed(stage, originals[name]))
    try:
        for pages in itertools.islice(itertools.cycle(letters), count):
            extract_documents(pages)
    finally:
        for name, function in originals.items():
            setattr(extractors.letters, name, function)
    return spent
LONG_LIST = "\n\n".join(
    f"{i}. Nhiệm vụ {i}:\n\n" + "\n".join(f"- Nội dung {j} của nhiệm vụ, thực hiện trong tháng." for j in range(5))
    for i in range(1, 90)
)
SOURCES = (REPO / "data" / "samples", REPO.parent / "shared" / "eval" / "dev")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000, help="how many letters to extract (default: 1000)")
    args = parser.parse_args()

    files = next((sorted(folder.glob("*.txt")) for folder in SOURCES if list(folder.glob("*.txt"))), [])
    if not files:
        print(f"no .txt letters in {' or '.join(str(s) for s in SOURCES)}", file=sys.stderr)
        return 1
    # Decoding is I/O-side work; read once so that the loop measures the extractors alone.
    letters = [[page.text for page in read_text_pages(f.name, f.read_bytes())[0]] for f in files]

    started = time.perf_counter()
    found = sum(len(extract_documents(pages)[0]) for pages in itertools.islice(itertools.cycle(letters), args.letters))
    seconds = time.perf_counter() - started
    # tracemalloc slows allocation-heavy code severalfold, so it gets a pass of its own over
    # the distinct letters; nothing is kept between letters, so the peak is the same.
    tracemalloc.start()
    for pages in letters:
        extract_documents(pages)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    print(f"source: {len(files)} files from {files[0].parent}")
    rows = [
        ("letters", f"{args.letters}"),
        ("documents found", f"{found}"),
        ("seconds", f"{seconds:.2f}"),
        ("letters/second", f"{args.letters / seconds:.1f}"),
        ("peak traced memory", f"{peak / 1024 / 1024:.1f} MiB"),
        ("max RSS", f"{max_rss_kib / 1024:.1f} MiB"),
    ]
    spent = stage_seconds(letters, args.letters)
    total = sum(spent.values())
    rows += [(f"stage {stage}", f"{1000 * s / args.letters:.2f} ms/letter  {100 * s / total:4.1f}%") for stage, s in spent.items()]
    # the goal for the reference finder (once a timed test, which a loaded machine failed): < 1 ms per 10 KB
    characters = sum(len("".join(pages)) for pages in letters) / len(letters) * args.letters
    rows.append(("references per 10 KB", f"{1000 * spent['references'] / characters * 10_000:.2f} ms"))
    # a list of 89 items of 5 bullets (once a timed test in tests/test_clauses.py: under 200 ms)
    started = time.perf_counter()
    for _ in range(5):
        parse_clauses(LONG_LIST)
    rows.append(("clauses of 89 × 5 items", f"{1000 * (time.perf_counter() - started) / 5:.1f} ms"))
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name.ljust(width)}  {value.rjust(10)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
