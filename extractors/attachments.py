"""What follows a letter's signature: documents issued with it, and appendices.

A plan, regulation or programme issued with a decision ("QUY ĐỊNH ..." over "(Ban hành kèm theo
Quyết định số ...)") is part of that decision: its items are the decision's clauses after its
articles, and its tasks are the decision's obligations. An appendix (Phụ lục, Danh mục, Biểu mẫu:
tables and forms) is no clause. The titles and the caption are data: extractors/data/attachments.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.lines import is_upper, lines_of
from extractors.tables import load

# The caption sits right under the title, after at most this many more title lines.
_CAPTION_WITHIN_LINES = 6


@dataclass(frozen=True)
class Attachment:
    title: str
    start: int  # the title line
    body_start: int  # after the caption: where its items begin
    end: int  # the next appendix, or the end of the letter


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = load("attachments")

    def titles(table: str) -> re.Pattern[str]:
        words = sorted((e["title"] for e in data[table]), key=len, reverse=True)
        return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")(?:\s|$)", re.I)

    return re.compile(data["caption"]["pattern"]), titles("issued_with"), titles("appendix")


def is_caption(line: str) -> bool:
    """"(Ban hành kèm theo Quyết định số ...)": the line under an attached document's title."""
    return bool(_patterns()[0].match(line.strip()))


def is_appendix_title(line: str) -> bool:
    return bool(_patterns()[2].match(line.strip()))


def find_attachments(text: str, start: int, end: int | None = None) -> list[Attachment]:
    """Documents issued with the letter in text[start:end] (after its signature), in order."""
    caption, issued_with, appendix = _patterns()
    end = len(text) if end is None else end
    lines = lines_of(text, start, end)
    found: list[Attachment] = []
    for i, ln in enumerate(lines):
        t = ln.text.strip()
        if not (is_upper(t) and issued_with.match(t)):
            continue
        below = lines[i + 1 : i + 1 + _CAPTION_WITHIN_LINES]
        at = next((j for j, b in enumerate(below) if caption.match(b.text.strip())), None)
        if at is None or any(not is_upper(b.text) for b in below[:at]):
            continue
        cap = below[at]
        # a caption may wrap ("... của Hội đồng\nnhân dân Thành phố)"): it ends at its closing parenthesis
        body_start = cap.end
        if cap.text.lstrip().startswith("(") and ")" not in cap.text:
            close = text.find(")", cap.end, end)
            if close >= 0:
                body_start = text.find("\n", close, end) if text.find("\n", close, end) >= 0 else end
        found.append(Attachment(title=t, start=ln.start, body_start=body_start, end=end))
    # each runs until the next attachment or appendix title
    out = []
    for k, a in enumerate(found):
        stop = found[k + 1].start if k + 1 < len(found) else end
        for ln in lines_of(text, a.body_start, stop):
            if is_upper(ln.text) and appendix.match(ln.text.strip()):
                stop = ln.start
                break
        out.append(Attachment(a.title, a.start, a.body_start, stop))
    return out
