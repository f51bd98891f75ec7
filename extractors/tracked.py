"""Text that remembers where each character came from.

Normalization rewrites the input (drops markdown, joins broken paragraphs, ...), but
every extracted value must point back at the input. A TrackedText carries, for each of
its characters, the offset of the source character it came from, so a span found in the
clean text maps back onto the original (the way eyecite maps annotations back after
cleaning).
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Replacement = str | Callable[[re.Match[str]], str]


_IDENTITY = array("q")


def _identity(n: int) -> array:
    """0, 1, ..., n-1, sliced from one shared table (building it anew costs a millisecond a letter)."""
    global _IDENTITY
    if len(_IDENTITY) < n:
        _IDENTITY = array("q", range(max(n, 2 * len(_IDENTITY))))
    return _IDENTITY[:n]


# A pattern that starts at a line's start ("^..." under re.MULTILINE) is tried by the regex engine at
# every character; one that starts with a literal is looked for at the speed of a string search. So
# the lines such a pattern can match are found from their "\n" (a lookahead holding the rest of the
# pattern), and the pattern itself is matched there: the same matches, ten times faster.
_LINE_STARTS: dict[re.Pattern[str], re.Pattern[str] | None] = {}


def _line_start_finder(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    if pattern not in _LINE_STARTS:
        line_start = pattern.flags & re.MULTILINE and pattern.pattern.startswith("^")
        _LINE_STARTS[pattern] = re.compile(r"\n(?=(?:" + pattern.pattern[1:] + "))", pattern.flags) if line_start else None
    return _LINE_STARTS[pattern]


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """pattern.finditer(text), line-start patterns found from their line breaks (see above)."""
    finder = _line_start_finder(pattern)
    if finder is None:
        yield from pattern.finditer(text)
        return
    last = 0
    first = pattern.match(text, 0)
    if first is not None:
        yield first
        last = max(first.end(), 1)
    for hit in finder.finditer(text):
        start = hit.start() + 1
        if start < last:
            continue  # inside the match before
        m = pattern.match(text, start)
        if m is not None:
            yield m
            last = max(m.end(), start + 1)


@dataclass(frozen=True)
class TrackedText:
    text: str
    origin: array  # origin[i]: source offset of text[i]; one extra entry for the end

    @classmethod
    def of(cls, source: str) -> TrackedText:
        return cls(source, _identity(len(source) + 1))

    def sub(self, pattern: re.Pattern[str], repl: Replacement) -> TrackedText:
        """re.sub that keeps the origin of every character (see `replace`)."""
        edits = []
        for m in finditer(pattern, self.text):
            new = repl(m) if callable(repl) else m.expand(repl)
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.replace(edits)

    def replace(self, edits: list[tuple[int, int, str]]) -> TrackedText:
        """Each [start, end) of `edits` (in order, not overlapping) replaced by its new text.

        Replaced characters map position by position onto the range; a replacement longer
        than its range maps its surplus onto the range's last character.
        """
        if not edits:
            return self
        pieces: list[str] = []
        origin = array("q")
        last = 0
        for start, end, new in edits:
            pieces.append(self.text[last:start])
            origin.extend(self.origin[last:start])
            pieces.append(new)
            width, n = end - start, len(new)
            if n <= width:
                origin.extend(self.origin[start : start + n])
            else:
                origin.extend(self.origin[start:end])
                origin.extend(array("q", [self.origin[max(end - 1, start)]]) * (n - width))
            last = end
        pieces.append(self.text[last:])
        origin.extend(self.origin[last:])
        return TrackedText("".join(pieces), origin)

    def translate(self, table: dict[int, str]) -> TrackedText:
        """str.translate for one-character-to-one-character tables (keeps every offset)."""
        return TrackedText(self.text.translate(table), self.origin)

    def source_offset(self, i: int) -> int:
        return self.origin[min(max(i, 0), len(self.text))]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source range a clean range came from (combining marks after its end included)."""
        return self.source_offset(start), self.source_offset(end)


@dataclass(frozen=True)
class PageMap:
    """Where each page starts in the source text the pages were joined into."""

    starts: tuple[int, ...]

    @classmethod
    def of(cls, pages: list[str], separator: str) -> PageMap:
        starts, pos = [], 0
        for text in pages:
            starts.append(pos)
            pos += len(text) + len(separator)
        return cls(tuple(starts))

    def page_at(self, source_offset: int) -> int:
        """1-based page number holding a source offset."""
        return max(1, bisect_right(self.starts, source_offset))
