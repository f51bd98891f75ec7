"""Extraction from scans, scored: OCR the rendered scans of the dev letters, extract, run score.py.

    python benchmarks/score_scans.py [--variant degraded|clean] [--misses]

Each dev letter's pages (data/samples/scans/eval.toml says which renderings) go through this
pipeline's OCR and extractors as one file would; the JSON is written to a temporary folder and
../shared/eval/score.py scores it against the gold files of the letters that have scans.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from extractors import extract_documents
from pipeline.images import open_image_pages
from pipeline.ocr import OcrOptions, ocr_pages

REPO = Path(__file__).resolve().parent.parent
SCANS = REPO / "data" / "samples" / "scans"
EVAL = REPO.parent / "shared" / "eval"


def letter_pages(folder: Path, variant: str) -> list[Path]:
    return sorted((folder / variant).glob("page-*.*"), key=lambda p: int(p.stem.split("-")[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=("degraded", "clean"), default="degraded")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    if not (EVAL / "score.py").exists():
        print(f"no scorer at {EVAL / 'score.py'}", file=sys.stderr)
        return 2
    plan = tomllib.loads((SCANS / "eval.toml").read_text(encoding="utf-8"))["dev"]
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp, "gold"), Path(tmp, "pred")
        gold.mkdir()
        pred.mkdir()
        for stem, letters in plan.items():
            images = [image for letter in letters for image in letter_pages(SCANS / letter, args.variant)]
            sources = [s for image in images for s in open_image_pages(image.name, image.read_bytes())]
            pages, _ = ocr_pages(stem, sources, OcrOptions())
            documents, _ = extract_documents([p.text for p in pages], [p.words for p in pages])
            (pred / f"{stem}.json").write_text(
                json.dumps({"documents": [d.model_dump(mode="json") for d in documents]}, ensure_ascii=False),
                encoding="utf-8",
            )
            shutil.copy(EVAL / "dev" / f"{stem}.gold.json", gold)
            print(f"{stem}: {len(images)} pages, {len(documents)} letters", file=sys.stderr)
        command = [sys.executable, str(EVAL / "score.py"), "--gold", str(gold), "--pred", str(pred)]
        return subprocess.call(command + (["--misses"] if args.misses else []))


if __name__ == "__main__":
    sys.exit(main())
