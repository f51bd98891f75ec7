"""Many inputs, one output folder: which files to read, where each JSON goes, and running one."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from schemas import ExtractionResult

from pipeline.errors import CongvanError, NotALetterError, OutputWriteError
from pipeline.extract import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, extract_file
from pipeline.ocr import OcrOptions
from pipeline.output import render_json, write_atomic


@dataclass(frozen=True)
class Job:
    source: Path
    name: str
    output: Path


@dataclass(frozen=True)
class Outcome:
    job: Job
    result: ExtractionResult | None = None
    error: CongvanError | None = None


def expand_inputs(arguments: list[str]) -> tuple[list[tuple[Path, str]], list[str]]:
    """(path, name) for every input, directories replaced by the files congvan reads; and notes.

    Directories are not searched recursively and hidden files are skipped. A file named twice
    (directly and through its folder) is read once. Paths that do not exist stay in the list,
    so that they fail, and are reported, like any other bad input.
    """
    inputs: list[tuple[Path, str]] = []
    notes: list[str] = []
    seen: set[Path] = set()
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(
                child for child in path.iterdir()
                if child.is_file() and not child.name.startswith(".")
                and child.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not found:
                notes.append(f"{path.as_posix()}: no .txt, .pdf or image files in this folder")
            candidates = [(child, child.as_posix()) for child in found]
        else:
            candidates = [(path, argument)]
        for candidate, name in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                inputs.append((candidate, name))
    return inputs, notes


def plan_outputs(inputs: list[tuple[Path, str]], out_dir: Path) -> tuple[list[Job], list[str]]:
    """A Job per input, writing `<stem>.json`; a later input whose stem is taken gets a suffix.

    The suffix hashes the input's resolved path, so the same command always writes the same names.
    """
    jobs: list[Job] = []
    notes: list[str] = []
    owners: dict[str, str] = {}
    for source, name in inputs:
        filename = f"{source.stem}.json"
        # casefold: a.json and A.json are one file on the case-insensitive file systems of macOS and Windows
        if filename.casefold() in owners:
            digest = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:8]
            taken = filename
            filename = f"{source.stem}-{digest}.json"
            notes.append(f"{name}: {taken} is taken by {owners[taken.casefold()]}; "
                         f"writing {filename} instead")
        owners[filename.casefold()] = name
        jobs.append(Job(source=source, name=name, output=out_dir / filename))
    return jobs, notes


def run_job(job: Job, *, max_bytes: int = DEFAULT_MAX_BYTES, ocr: OcrOptions | None = None) -> Outcome:
    """Extract one input and write its JSON; a failed input writes nothing, except a file with no
    letter in it: its JSON keeps what was read (pages, text, boxes), and it still fails."""
    try:
        try:
            result = extract_file(job.source, name=job.name, max_bytes=max_bytes, ocr=ocr)
        except NotALetterError as error:
            if error.result is not None:
                _write(job, error.result)
            raise
        _write(job, result)
    except CongvanError as error:
        return Outcome(job=job, error=error)
    return Outcome(job=job, result=result)


def _write(job: Job, result: ExtractionResult) -> None:
    try:
        write_atomic(job.output, render_json(result))
    except OSError as error:
        raise OutputWriteError(job.name, f"cannot write {job.output.as_posix()}: {error.strerror}") from None
