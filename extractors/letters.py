"""Compose the stages: from the pages of one input file to its letters."""
from __future__ import annotations

from schemas import Document, ExtractionWarning

from extractors.normalize import normalize
from extractors.tracked import PageMap

PAGE_SEPARATOR = "\f"


def extract_documents(pages: list[str]) -> tuple[list[Document], list[ExtractionWarning]]:
    """The letters found in the pages of one file, with warnings about what was doubtful.

    An empty list means the text holds no letter; the caller decides what that costs.
    """
    source = PAGE_SEPARATOR.join(pages)
    PageMap.of(pages, PAGE_SEPARATOR)
    norm = normalize(source)
    if not norm.text.strip():
        return [], []
    return [Document(text=norm.text)], []
