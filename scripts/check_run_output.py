"""Check what `make run` left: one JSON per sample input — the texts and the received scans and
page images — each naming at least one letter.

    python3 scripts/check_run_output.py SAMPLES OUT

Exits 1 with one line per problem; used by .ci/run so that a main job that "succeeds" without
writing its output fails CI. Standard library only (it runs before or without the venv).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

# the inputs `make run` ingests (Makefile: RECEIVED): the sample texts, and the scans and page
# images in received/
INPUT_GLOBS = ("*.txt", "received/*.pdf", "received/*.jpg", "received/*.png", "received/*.tif")


def problems(samples: Path, out: Path) -> list[str]:
    inputs = sorted(path for pattern in INPUT_GLOBS for path in samples.glob(pattern))
    if not inputs:
        return [f"no sample inputs in {samples} ({', '.join(INPUT_GLOBS)})"]
    if not any(path.suffix != ".txt" for path in inputs):
        return [f"no scans or page images in {samples / 'received'}"]
    found = []
    for path in inputs:
        result = out / f"{path.stem}.json"
        if not result.is_file():
            found.append(f"{result}: missing (input {path})")
            continue
        try:
            documents = json.loads(result.read_text(encoding="utf-8")).get("documents") or []
        except (OSError, ValueError) as error:
            found.append(f"{result}: unreadable ({error})")
            continue
        if not documents:
            found.append(f"{result}: no documents")
    return found


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    samples_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    listed = problems(samples_dir, out_dir)
    for line in listed:
        print(f"check: {line}", file=sys.stderr)
    if listed:
        sys.exit(1)
    print(f"check: every sample in {samples_dir} has its JSON in {out_dir}")
