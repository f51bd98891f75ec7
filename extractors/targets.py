"""Targets: the figures an obligation must reach ("tối thiểu 96%", "100% thủ tục hành chính").

Read: every percentage, and a count of a known noun ("tối thiểu 50 hồ sơ") when a bound
word stands before it. The bound comes from the words around the figure: "tối thiểu",
"ít nhất", "trên", "không dưới", "... trở lên" -> at_least; "không quá", "tối đa",
"dưới", "... trở xuống" -> at_most; otherwise exactly. A figure joined to the one before by
"và" or a comma takes that one's bound (and subject, when it names none): "ít nhất 20% số
thủ tục hành chính và 20% chi phí tuân thủ".

The subject is the noun phrase after the figure ("100% thủ tục hành chính nội bộ giữa ..."
-> "thủ tục hành chính nội bộ"); when the figure is followed by a level or place ("30% cấp
huyện") or stands in brackets, it is what "tỷ lệ"/"chỉ tiêu" names before it, or the
phrase before the bracket ("giải quyết hồ sơ đúng hạn (tối thiểu 96%)").

Not read: figures in a sentence that reports results ("chưa đạt", "chỉ đạt", "đã đạt",
"so với" ... anywhere in the sentence), unless a bound word marks the figure as a
target; figures right after "chỉ"/"mới". This is a plain word test, not an understanding
of the sentence: a finding phrased without those words still yields its percentages.
"""
from __future__ import annotations

import re
from functools import cache

from typing import cast

from schemas import Span, Target
from schemas.models import Bound

from extractors.tables import entries, phrase_pattern

_NUM = r"\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?"
_DIGIT = re.compile(r"\d")


def _words(table: str, kind: str | None = None) -> list[str]:
    return [w for e in entries("targets", table) if kind is None or e["kind"] == kind for w in e["words"]]


@cache
def _bound_words() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(_words("bound", "at_least")), frozenset(_words("bound", "at_most"))


@cache
def _pattern(name: str) -> re.Pattern[str]:
    """The patterns of this module, built once from extractors/data/targets.toml."""
    bounds = phrase_pattern(_words("bound"))
    if name == "figure":
        return re.compile(
            rf"(?<![\w/.,])(?:(?P<bound>{bounds})\s+(?:(?:là|mức)\s+)?)?(?:đạt\s+)?(?:(?P<bound2>{bounds})\s+)?"
            rf"(?P<v>{_NUM})\s*(?:(?P<pct>%)|\s(?P<unit>{phrase_pattern(_words('unit'))})(?!\w))"
            rf"(?P<after>\s+(?:trở\s+lên|trở\s+xuống))?",
            re.I,
        )
    if name == "finding":
        return re.compile(rf"(?<!\w){phrase_pattern(_words('finding'))}(?!\w)", re.I)
    if name == "subject_stop":
        return re.compile(rf"\s{phrase_pattern(_words('subject_stop'))}(?!\w)", re.I)
    if name == "subject_stop_or_bracket":
        return re.compile(rf"\s{phrase_pattern(_words('subject_stop'))}(?!\w)|[()]", re.I)
    if name == "no_subject_start":
        return re.compile(rf"{phrase_pattern(_words('no_subject_start'))}(?!\w)", re.I)
    if name == "lead":
        return re.compile(rf"\s*\(?\s*(?:(?:{bounds}|đạt|phấn\s+đấu|là)\s*)*$", re.I)
    raise KeyError(name)


_SENTENCE = re.compile(r"\n|\.(?!\d)")
_PHRASE_SEP = re.compile(r"[,;:\n]|\.(?!\d)")
_CLAUSE_SEP = re.compile(r"[;:\n]|\.(?!\d)")
_WORD = re.compile(r"\S+")


def _value(s: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        return float(s.replace(".", ""))
    return float(s.replace(",", "."))


def _bound(word: str | None, after: str | None) -> str:
    if after:
        return "at_least" if "lên" in after else "at_most"
    if not word:
        return "exactly"
    w = " ".join(word.casefold().split())
    return "at_least" if w in _bound_words()[0] else "at_most"


def _subject_after(text: str, pos: int, end: int) -> str | None:
    rest = text[pos:end]
    stop = re.search(r"[,;:()\n]|\.(?!\d)", rest)
    rest = rest[: stop.start()] if stop else rest
    rest = re.sub(r"^\s*(?:số\s+)?", "", rest, flags=re.I)
    if not rest or _pattern("no_subject_start").match(rest):
        return None
    m = _pattern("subject_stop").search(rest)
    words = (rest[: m.start()] if m else rest).split()[:8]
    return " ".join(words) or None


def _trim(words: list[str]) -> list[str]:
    while words and words[-1].casefold() in {"đạt", "là", "mức", "(", "phấn", "đấu"}:
        words.pop()
    return words


def _subject_before(text: str, lo: int, fig_start: int) -> str | None:
    """What the figure measures when the words after it do not say: what "tỷ lệ"/"chỉ tiêu"
    names earlier in the clause, else the words before the bracket it stands in."""
    cut = lo
    for m in _CLAUSE_SEP.finditer(text, lo, fig_start):
        cut = m.end()
    clause = text[cut:fig_start]
    lead = _pattern("lead")
    named = None
    for named in re.finditer(r"(?<!\w)(?:tỷ\s+lệ|tỉ\s+lệ|chỉ\s+tiêu)(?:\s+về)?\s+", clause, re.I):  # noqa: B007 - the last one is wanted
        pass
    if named:
        what = lead.sub("", clause[named.end():])
        stop = _pattern("subject_stop_or_bracket").search(what)
        words = _trim((what[: stop.start()] if stop else what).split()[:16])
        if words:
            return " ".join(words).rstrip(",")
    phrase = clause
    for m in _PHRASE_SEP.finditer(clause):
        phrase = clause[m.end():]
    phrase = lead.sub("", phrase)
    if "(" in phrase:
        before, inside = phrase.rsplit("(", 1)
        phrase = inside if inside.strip() else before
    words = _trim(phrase.split())
    return " ".join(words[-8:]) or None


def find_targets(text: str, start: int = 0, end: int | None = None) -> list[Target]:
    """The figures in text[start:end] an obligation must reach, in order."""
    end = len(text) if end is None else end
    out: list[Target] = []
    if not _DIGIT.search(text, start, end):
        return out  # every figure is written in digits
    prev_end = -1
    for m in _pattern("figure").finditer(text, start, end):
        word = m.group("bound") or m.group("bound2")
        if m.group("unit") and not word:
            continue  # a bare count is a fact, not a target
        sent_start = start
        for s in _SENTENCE.finditer(text, start, m.start()):
            sent_start = s.end()
        s_end = _SENTENCE.search(text, m.end(), end)
        sentence = text[sent_start:s_end.start() if s_end else end]
        if not word and not m.group("after"):
            if _pattern("finding").search(sentence):
                continue
            if re.search(r"(?<!\w)(?:chỉ|mới)\s*$", text[max(start, m.start() - 8):m.start()], re.I):
                continue
        bound = _bound(word, m.group("after"))
        fig_end = m.end()
        joined = out and prev_end >= 0 and re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", text[prev_end:m.start()] or "x")
        subject = None
        if m.group("pct"):
            subject = _subject_after(text, fig_end, end)
            if subject is None and not joined:
                subject = _subject_before(text, sent_start, m.start())
        if joined and bound == "exactly" and not word:
            bound = out[-1].bound
        if joined and subject is None:
            subject = out[-1].subject
        unit = "%" if m.group("pct") else " ".join(m.group("unit").split()).casefold()
        raw = text[m.start():fig_end].rstrip()
        out.append(Target(value=_value(m.group("v")), unit=unit, bound=cast(Bound, bound), subject=subject, raw=raw,
                          span=Span(start=m.start(), end=m.start() + len(raw))))
        prev_end = _subject_end(text, fig_end, end) if m.group("pct") else fig_end
    return out


def _subject_end(text: str, pos: int, end: int) -> int:
    """Where the words after a figure stop being its subject: the next 'và' or separator."""
    rest = text[pos:end]
    m = re.search(r"[,;:()\n]|\.(?!\d)|\s(?=và(?!\w))", rest)
    return pos + (m.start() if m else len(rest))
