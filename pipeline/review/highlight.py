"""A letter's text as HTML with every piece of evidence highlighted in place.

Highlights are nested elements: a clause holds its label and its obligation, an obligation its
assignees and deadline. Two spans that cross (neither holds the other) cannot both be one
element, so the later one is cut where the earlier ends and continues in a second element with
the same `data-span`; the text of all elements of one `data-span` is exactly the span's text.
Page breaks are empty elements (the page number is drawn by the stylesheet), so the text content
of the whole block is the letter's text, character for character.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipeline.review.evidence import Evidence


@dataclass(frozen=True)
class PageBreak:
    offset: int  # in the letter's text: the first character of the page
    page: int


def highlight(text: str, evidence: list[Evidence], breaks: list[PageBreak] | None = None) -> Markup:
    """The HTML of `text` with an element per evidence (pieces of one, where spans cross)."""
    out: list[str] = []
    # (start, -end, order, item, first); order keeps equal spans stable; the first piece of an
    # evidence carries its id, later pieces (after a crossing) only its data-span
    queue: list[tuple[int, int, int, Evidence | PageBreak, bool]] = []
    for order, ev in enumerate(evidence):
        start, end = _clamp(ev.start, len(text)), _clamp(ev.end, len(text))
        queue.append((start, -max(start, end), order, ev, True))
    for order, brk in enumerate(breaks or [], start=len(evidence)):
        if 0 < brk.offset < len(text):
            queue.append((brk.offset, -brk.offset, order, brk, True))
    heapq.heapify(queue)
    open_ends: list[int] = []  # ends of the open elements, innermost last
    pos = 0
    while queue:
        start, neg_end, order, item, first = heapq.heappop(queue)
        end = -neg_end
        while open_ends and open_ends[-1] <= start:
            pos = _close(out, text, pos, open_ends.pop())
        out.append(escape(text[pos:start]))
        pos = start
        if isinstance(item, PageBreak):
            out.append(f'<span class="page-break" data-page="{item.page}"></span>')
            continue
        if open_ends and end > open_ends[-1]:  # crosses the innermost open element: cut it there
            cut = open_ends[-1]
            heapq.heappush(queue, (cut, -end, order, item, False))
            end = cut
        out.append(_open_tag(item, first))
        if end == start:
            out.append("</span>")
        else:
            open_ends.append(end)
    while open_ends:
        pos = _close(out, text, pos, open_ends.pop())
    out.append(escape(text[pos:]))
    return Markup("".join(out))


def _close(out: list[str], text: str, pos: int, end: int) -> int:
    out.append(escape(text[pos:end]))
    out.append("</span>")
    return end


def _open_tag(item: Evidence, first: bool) -> str:
    classes = " ".join(["ev", *(f"k-{kind}" for kind in item.kinds), *([] if first else ["cont"])])
    if item.doubtful:
        classes += " low-conf"
    anchor = f' id="{item.id}"' if first else ""
    return (f'<span class="{classes}"{anchor} data-span="{item.id}" data-start="{item.start}" '
            f'data-end="{item.end}" title="{escape(item.title)}">')


def _clamp(offset: int, length: int) -> int:
    return min(max(offset, 0), length)

