"""What the fault tests share: a folder of good letters around a bad file, the CLI run on it, and
what a pass leaves in the inbox."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from cli.main import main

from badinput import inputs

OLD = 3600  # seconds: a file dropped an hour ago is ready for a pass (--min-age 60)


def good_letters(folder: Path, *names: str) -> list[Path]:
    """A good letter of its own number under each name."""
    folder.mkdir(parents=True, exist_ok=True)
    return [inputs.good_letter(folder / name, 100 + k) for k, name in enumerate(names)]


def age(*paths: Path, seconds: float = OLD) -> None:
    """Make files look dropped `seconds` ago (lutime: a link is aged, not its target)."""
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then), follow_symlinks=False)


def extract(*args: str | Path) -> int:
    return main(["extract", *map(str, args), "--quiet"])


def inbox_pass(inbox: Path, out: Path, db: Path, *options: str) -> int:
    return main(["inbox", "--once", str(inbox), "--out", str(out), "--db", str(db), "--workers", "1", *options])


def error_file(inbox: Path, name: str) -> dict:
    """failed/<name>.error.json of an inbox pass."""
    return json.loads((inbox / "failed" / f"{name}.error.json").read_text(encoding="utf-8"))


def processed(inbox: Path) -> set[str]:
    """Names of the files in processed/YYYY-MM-DD/."""
    return {p.name for p in (inbox / "processed").glob("*/*")}


def files_under(root: Path) -> dict[str, bytes]:
    """Every file below `root` with its bytes (links not followed): to show nothing there changed."""
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            found[path.relative_to(root).as_posix()] = b"->" + os.readlink(path).encode() if path.is_symlink() \
                else path.read_bytes()
    return found


BUG_MARK = "BUG"  # a file whose text starts with it makes the extractor raise


def plant_extractor_bug(monkeypatch) -> None:  # noqa: ANN001
    """The extractor raises on a file whose text starts with BUG_MARK (a bug on one input), as the
    workers run it (fork_workers: the patch reaches them); every other file is read as always."""
    import pipeline.extract

    real = pipeline.extract.extract_documents

    def bug(pages, words=None):  # noqa: ANN001, ANN202
        if BUG_MARK in pages[0]:
            raise ValueError("a bug")
        return real(pages, words)

    monkeypatch.setattr(pipeline.extract, "extract_documents", bug)
