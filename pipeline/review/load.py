"""The letters a review site shows: read from the JSON files `congvan extract` (or ingest, the
inbox, the bulk flow) wrote, each file validated against the contract.

A file that is not such a result (unreadable, not JSON, another schema) is reported with its
reason and left out; the others are still shown.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from schemas import Document, ExtractionResult

from pipeline.errors import CongvanError, InputNotFoundError, NotAResultError


@dataclass
class SiteLetter:
    """One letter of one result file, and the name of its page in the site."""

    slug: str  # letters/<slug>.html
    json_path: Path
    result: ExtractionResult
    index: int  # in result.documents

    @property
    def doc(self) -> Document:
        return self.result.documents[self.index]

    @property
    def href(self) -> str:
        """Its page, relative to another letter page (both are in letters/)."""
        return f"{self.slug}.html"


def json_files(arguments: list[str], *, gone_hint: str = "does not exist",
               ) -> tuple[list[Path], list[InputNotFoundError]]:
    """The .json files named, folders standing for the .json files directly inside them (in
    name order, hidden ones skipped); a file named twice is read once. A missing one is reported
    with `gone_hint` as its reason."""
    found: list[Path] = []
    missing: list[InputNotFoundError] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            candidates = sorted(p for p in path.iterdir()
                                if p.is_file() and p.suffix == ".json" and not p.name.startswith("."))
        elif path.is_file():
            candidates = [path]
        else:
            missing.append(InputNotFoundError(argument, gone_hint))
            continue
        for candidate in candidates:
            if candidate.resolve() not in seen:
                seen.add(candidate.resolve())
                found.append(candidate)
    return found, missing


def read_result(path: Path) -> ExtractionResult:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputNotFoundError(path.as_posix(), f"cannot be read ({error.strerror})") from None
    try:
        return ExtractionResult.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise NotAResultError(path.as_posix(), f"is not congvan's output JSON ({first['msg']} at {where}); "
                              "give the JSON files `congvan extract` wrote") from None


def load_letters(paths: list[Path]) -> tuple[list[SiteLetter], list[CongvanError]]:
    """Every letter of every readable result, with a page name unique in the site."""
    letters: list[SiteLetter] = []
    problems: list[CongvanError] = []
    taken: set[str] = set()
    for path in paths:
        try:
            result = read_result(path)
        except (InputNotFoundError, NotAResultError) as error:
            problems.append(error)
            continue
        for index in range(len(result.documents)):
            slug = path.stem if len(result.documents) == 1 else f"{path.stem}-{index + 1}"
            if slug in taken:  # the same file name in two folders: keep both, apart
                slug = f"{slug}-{hashlib.sha256(path.resolve().as_posix().encode()).hexdigest()[:8]}"
            taken.add(slug)
            letters.append(SiteLetter(slug, path, result, index))
    return letters, problems
