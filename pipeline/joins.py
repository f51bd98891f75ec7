"""Page images of one letter given as separate files, joined into one letter.

A letter photographed or scanned page by page arrives as `4_1.jpg`, `4_2.jpg` or `page-1.png`,
`page-2.png`: one stem, a page number. Consecutive image files of one stem in one folder, in
name order, are read as one letter when the later page starts without a header (no "Số:" line
and no issuing body read on it): the first file's JSON holds the joined pages (each page from
another file says which) and the letter, with a `joined_pages` warning; the later file's JSON
keeps its own pages, no documents, and a `joined_into` warning naming the first. A later file
with its own header is a letter of its own, as without this step.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from extractors import extract_documents
from schemas import ExtractionResult, ExtractionWarning

from pipeline.batch import Job, Outcome
from pipeline.errors import NotALetterError
from pipeline.output import render_json, write_atomic

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# "4_1", "page-2", "scan 03", "trang2": a stem and a page number at the end of the name
_PAGE_NAME = re.compile(r"^(?P<stem>.*?)(?P<number>\d{1,3})$")


def series(jobs: list[Job]) -> list[list[Job]]:
    """The jobs in runs: a run of image files of one stem, numbered one after the other, or one job."""
    runs: list[list[Job]] = []
    for job in jobs:
        if runs and _follows(runs[-1][-1], job):
            runs[-1].append(job)
        else:
            runs.append([job])
    return runs


def _page_name(job: Job) -> tuple[Path, str, int] | None:
    if job.source.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    m = _PAGE_NAME.match(job.source.stem)
    return (job.source.parent, m.group("stem"), int(m.group("number"))) if m else None


def _follows(before: Job, job: Job) -> bool:
    a, b = _page_name(before), _page_name(job)
    return bool(a and b) and a[:2] == b[:2] and b[2] == a[2] + 1


def run_series(run: list[Job], extract: Callable[[Job], Outcome]) -> list[Outcome]:
    """Extract every job of a run (`extract` writes each JSON) and join the later pages that start no letter."""
    outcomes = [extract(job) for job in run]
    head = 0
    for k in range(1, len(outcomes)):
        later = _read(outcomes[k])
        first = _read(outcomes[head])
        if later is None or first is None or _starts_letter(later):
            head = k
            continue
        joined = _joined(first, later, outcomes[k].job.name)
        outcomes[head] = _written(outcomes[head].job, joined)
        note = ExtractionWarning(code="joined_into", message=(
            f"its pages are pages {len(first.pages) + 1}-{len(joined.pages)} of the letter in "
            f"{outcomes[head].job.output.name}: page images of one letter in separate files"))
        alone = later.model_copy(update={"documents": [], "warnings": [*_own(later.warnings), note]})
        outcomes[k] = _written(outcomes[k].job, alone)
    return outcomes


def _read(outcome: Outcome) -> ExtractionResult | None:
    """What was read of a file: its result, or the pages of one in which no letter was found."""
    if outcome.result is not None:
        return outcome.result
    if isinstance(outcome.error, NotALetterError) and isinstance(outcome.error.result, ExtractionResult):
        return outcome.error.result
    return None


def _starts_letter(result: ExtractionResult) -> bool:
    """Whether the file's first page starts a letter: a header with a number or an issuing body read on it."""
    return any(doc.pages[:1] == [1] and (doc.key or (doc.issuer and not doc.issuer.inferred_from))
               for doc in result.documents)


def _joined(first: ExtractionResult, later: ExtractionResult, later_name: str) -> ExtractionResult:
    offset = len(first.pages)
    moved = [p.model_copy(update={"number": p.number + offset, "file": p.file or later_name}) for p in later.pages]
    pages = [*first.pages, *moved]
    documents, warnings = extract_documents([p.text for p in pages], [p.words for p in pages])
    signatures = [*first.signatures, *(s.model_copy(update={"page": s.page + offset}) for s in later.signatures)]
    page_warnings = [w for w in _own(first.warnings) if w.document is None]
    page_warnings += [w.model_copy(update={"page": w.page + offset}) if w.page else w
                      for w in _own(later.warnings) if w.document is None]
    note = ExtractionWarning(code="joined_pages", message=(
        f"pages {offset + 1}-{len(pages)} are the file {later_name}, joined: the page images of one letter "
        "in separate files, in name order"))
    return first.model_copy(update={"pages": pages, "documents": documents, "signatures": signatures,
                                    "warnings": [*page_warnings, note, *warnings]})


def _own(warnings: list[ExtractionWarning]) -> list[ExtractionWarning]:
    """Warnings about reading the pages, not about a file being no letter on its own."""
    return [w for w in warnings if w.code != "no_letter"]


def _written(job: Job, result: ExtractionResult) -> Outcome:
    write_atomic(job.output, render_json(result))
    return Outcome(job=job, result=result)
