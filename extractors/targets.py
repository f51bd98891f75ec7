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

from typing import cast

from schemas import Span, Target
from schemas.models import Bound

_NUM = r"\d{1,3}(?:\.\d{3})+|\d+(?:[.,]\d+)?"
_AT_LEAST = ["tối thiểu", "ít nhất", "không dưới", "không thấp hơn", "không ít hơn", "trên", "từ", "hơn"]
_AT_MOST = ["không quá", "không vượt quá", "tối đa", "không lớn hơn", "không cao hơn", "dưới"]
_DIGIT = re.compile(r"\d")
_UNITS = ["hồ sơ", "thủ tục", "thủ tục hành chính", "văn bản", "lượt", "người", "lớp", "cuộc", "buổi",
          "đợt", "sáng kiến", "giải pháp", "doanh nghiệp", "đơn vị", "tin", "bài"]
_FINDING = ["chưa đạt", "chỉ đạt", "mới đạt", "đã đạt", "đạt được", "so với", "chậm tiến độ", "còn thấp",
            "tăng", "giảm so"]
_SUBJECT_STOP = ["và", "tại", "trên", "giữa", "thuộc", "của", "trong", "đối với", "theo", "so với", "được",
                 "đạt", "trở lên", "trở xuống", "cấp", "ở", "năm", "với", "cho", "để", "khi", "so"]
_NO_SUBJECT_START = ["cấp", "tại", "ở", "trở lên", "trở xuống", "trên tổng", "so với", "năm"]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_BOUND = rf"(?P<bound>{_alt(_AT_LEAST + _AT_MOST)})\s+(?:(?:là|mức)\s+)?"
_FIGURE = re.compile(
    rf"(?<![\w/.,])(?:{_BOUND})?(?:đạt\s+)?(?:(?P<bound2>{_alt(_AT_LEAST + _AT_MOST)})\s+)?"
    rf"(?P<v>{_NUM})\s*(?:(?P<pct>%)|\s(?P<unit>{_alt(_UNITS)})(?!\w))(?P<after>\s+(?:trở\s+lên|trở\s+xuống))?",
    re.I,
)
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
    return "at_least" if w in _AT_LEAST else "at_most"


def _subject_after(text: str, pos: int, end: int) -> str | None:
    rest = text[pos:end]
    stop = re.search(r"[,;:()\n]|\.(?!\d)", rest)
    rest = rest[: stop.start()] if stop else rest
    rest = re.sub(r"^\s*(?:số\s+)?", "", rest, flags=re.I)
    if not rest or re.match(rf"(?:{_alt(_NO_SUBJECT_START)})(?!\w)", rest, re.I):
        return None
    m = re.search(rf"\s(?:{_alt(_SUBJECT_STOP)})(?!\w)", rest, re.I)
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
    lead = rf"\s*\(?\s*(?:(?:{_alt(_AT_LEAST + _AT_MOST)}|đạt|phấn\s+đấu|là)\s*)*$"
    named = None
    for named in re.finditer(r"(?<!\w)(?:tỷ\s+lệ|tỉ\s+lệ|chỉ\s+tiêu)(?:\s+về)?\s+", clause, re.I):  # noqa: B007 - the last one is wanted
        pass
    if named:
        what = re.sub(lead, "", clause[named.end():], flags=re.I)
        stop = re.search(rf"\s(?:{_alt(_SUBJECT_STOP)})(?!\w)|[()]", what, re.I)
        words = _trim((what[: stop.start()] if stop else what).split()[:16])
        if words:
            return " ".join(words).rstrip(",")
    phrase = clause
    for m in _PHRASE_SEP.finditer(clause):
        phrase = clause[m.end():]
    phrase = re.sub(lead, "", phrase, flags=re.I)
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
    for m in _FIGURE.finditer(text, start, end):
        word = m.group("bound") or m.group("bound2")
        if m.group("unit") and not word:
            continue  # a bare count is a fact, not a target
        sent_start = start
        for s in _SENTENCE.finditer(text, start, m.start()):
            sent_start = s.end()
        s_end = _SENTENCE.search(text, m.end(), end)
        sentence = text[sent_start:s_end.start() if s_end else end]
        if not word and not m.group("after"):
            if re.search(rf"(?<!\w)(?:{_alt(_FINDING)})(?!\w)", sentence, re.I):
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
