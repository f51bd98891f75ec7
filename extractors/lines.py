"""Lines of a normalized letter and what a line looks like.

After normalization one line is one paragraph of the body, or one line of the header
block. The predicates here are the vocabulary the layout stages share.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str

    def __len__(self) -> int:
        return self.end - self.start


def lines_of(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """The non-blank lines of text[start:end], with their offsets."""
    end = len(text) if end is None else end
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            out.append(Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return out


# Header lines and signature titles are short; a longer line is running text.
_LONGEST_UPPER_LINE = 160


def is_upper(s: str) -> bool:
    """Mostly capital letters, as the header's body names and signature titles are."""
    if len(s) > _LONGEST_UPPER_LINE:
        return False
    upper = sum(map(str.isupper, s))
    if upper < 2:
        return False  # fewer than two capitals: the common case, settled without counting letters
    letters = sum(map(str.isalpha, s))
    return letters >= 2 and upper >= 0.85 * letters


_WORD = re.compile(r"\w+")


def word_count(s: str) -> int:
    return len(_WORD.findall(s))


def looks_like_person_name(s: str) -> bool:
    """'Nguyễn Ngọc Xuân': 2 to 5 capitalized words and nothing else."""
    words = s.strip().split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


LIST_ITEM = re.compile(r"^[-+•]\s*")  # "- Như trên;", "+ ...", "• ..." in Kính gửi and Nơi nhận


def list_item_text(s: str) -> str:
    """An item of a Kính gửi or Nơi nhận list without its dash and closing ';' or '.'."""
    return LIST_ITEM.sub("", s).strip().rstrip(";.,").strip()


_TERMINAL = (".", ";", ":", "!", "?", "./.")


def looks_like_paragraph(s: str) -> bool:
    """A line of running text, as opposed to a stray note, a stamp field or a name."""
    n = word_count(s)
    return n >= 8 or (n >= 5 and s.rstrip().endswith(_TERMINAL))
