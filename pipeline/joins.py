"""Page images of one letter given as separate files, joined into one letter.

A letter photographed or scanned page by page arrives as `4_1.jpg`, `4_2.jpg` or `page-1.png`,
`page-2.png`: one stem, a page number. Consecutive image files of one stem in one folder, in
name order, are read as one letter when the later page starts without a header (no "Số:" line
and no issuing body read on it): the first file's JSON holds the joined pages (each page from
another file says which) and the letter, with a `joined_pages` warning; the later file's JSON
keeps its own pages, no documents, and a `joined_into` warning naming the first. A later file
with its own header is a letter of its own, as without this step.

The runner (pipeline/runner.py) keeps such a series in one batch and joins it there, so every
command and flow joins the same way; this module only says which files follow one another and
what the joined results are.
"""
from __future__ import annotations

import re
from pathlib import Path

from extractors import extract_documents
from schemas import ExtractionResult, ExtractionWarning

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# "4_1", "page-2", "scan 03", "trang2": a stem and a page number at the end of the name
_PAGE_NAME = re.compile(r"^(?P<stem>.*?)(?P<number>\d{1,3})$")


def _page_name(source: str) -> tuple[Path, str, int] | None:
    path = Path(source)
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return None
    m = _PAGE_NAME.match(path.stem)
    return (path.parent, m.group("stem"), int(m.group("number"))) if m else None


def follows(before: str, source: str) -> bool:
    """Whether the image file `source` is the next page of `before`: one folder, one stem, the next number."""
    a, b = _page_name(before), _page_name(source)
    return a is not None and b is not None and a[:2] == b[:2] and b[2] == a[2] + 1


def series(sources: list[str]) -> list[list[int]]:
    """The positions of `sources` in runs: image files of one stem numbered one after the other, or one file."""
    runs: list[list[int]] = []
    for index, source in enumerate(sources):
        if runs and follows(sources[runs[-1][-1]], source):
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def starts_letter(result: ExtractionResult) -> bool:
    """Whether the file's first page starts a letter: a header with a number or an issuing body read on it."""
    return any(doc.pages[:1] == [1] and (doc.key or (doc.issuer and not doc.issuer.inferred_from))
               for doc in result.documents)


def joined(first: ExtractionResult, later: ExtractionResult, later_name: str) -> ExtractionResult:
    """The first file's result with the later file's pages after its own, extracted again as one text."""
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


def joined_into(later: ExtractionResult, whole: ExtractionResult, first_name: str) -> ExtractionResult:
    """The later file's own result once its pages are in `whole`: its pages, no documents, a note naming the first."""
    start = len(whole.pages) - len(later.pages) + 1
    note = ExtractionWarning(code="joined_into", message=(
        f"its pages are pages {start}-{len(whole.pages)} of the letter in {first_name}: page images of one "
        "letter in separate files"))
    return later.model_copy(update={"documents": [], "warnings": [*_own(later.warnings), note]})


def _own(warnings: list[ExtractionWarning]) -> list[ExtractionWarning]:
    """Warnings about reading the pages, not about a file being no letter on its own."""
    return [w for w in warnings if w.code != "no_letter"]
