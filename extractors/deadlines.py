"""Deadlines: when an obligation is due, as the letter writes it.

Five kinds (schemas.Deadline), read from the words in extractors/data/deadline_phrases.toml:

- recurring: "hằng tháng", "định kỳ 6 tháng", "6 tháng một lần", "trước ngày 20 hằng tháng",
  "Hằng tháng, trước ngày 20", "ngày 15 của tháng cuối quý", "02 lần/ngày", "định kỳ" alone
  (no period). A period end joined to it ("định kỳ hàng tháng, cuối năm có đánh giá") and
  the days it spans ("định kỳ trước ngày 01/6 và 15/11 hằng năm") are part of it. A recurrence inside a noun phrase headed by an attribute
  noun ("kế hoạch phát triển kinh tế - xã hội hàng năm") describes that thing: not read.
- date: a date only after a cue word ("trước ngày 15/12/2023", "chậm nhất ngày ...",
  "xong trước 30/6/2024", "Hạn chót: 15.12.2023"); a bare date is a citation or a fact.
  Without a year ("trước ngày 20/12"): the letter's year, or the next when that day is
  before the letter. Periods, at the day BLDS 146 gives (end, start, middle): "hết năm
  2023", "cuối quý", "trong tháng 12/2025", "quý I/2026", "6 tháng đầu năm 2024", "trong
  02 tháng cuối năm", "giữa năm" (30/6), "trước quý III/2024" (the day before it starts),
  and after a label ("Thời gian hoàn thành: Tháng 11 - 12/2025": the last month of the
  range). "trong năm 2023" and "trước năm 2025" only right after an action word
  ("hoàn thành trong năm 2024") or after a completion anywhere in the phrase ("thông xe
  tuyến chính (...) trong năm 2025"): the phrase is more often a fact ("cải cách hành chính
  trong năm 2023 chưa đạt kì vọng"). A date or period that ended before the letter (an old
  limit quoted from an earlier letter), followed by a finding word ("đã", "chưa"), opening
  a reporting sentence ("Trong tháng 11/2025, ... đã xảy ra"), inside a range ("từ ngày
  01/5 đến ngày 03/5", "ngày 15 đến ngày 31/12") or inside quotation marks (a title), is
  not a limit.
- relative: "trong 05 ngày làm việc kể từ ngày nhận được văn bản": days, working_days,
  counted_from (receipt / signing / event) and, when that start is known, the date on the
  working-day calendar (extractors.workdays).
- urgent ("khẩn trương", "ngay", "kịp thời", "gấp") and ongoing ("thường xuyên"): no date.

Of several in one item, the one that closes it counts (primary_deadline); a limit stated
once for a list goes to the tasks it covers (pass_down_deadlines). Nothing here reads
citations: dates of cited documents carry no cue, so they are skipped.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import cast

from schemas import Clause, Deadline, Obligation, Span

from extractors import tables, workdays
from extractors.dates import date_at, make_date

SCORED_KINDS = ("date", "recurring", "relative")
_DATA = "deadline_phrases"
_SEP = re.compile(r"[,;:()\n]|\.(?!\d)")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _entries(table: str) -> list[dict]:
    return tables.entries(_DATA, table)


def _words(table: str) -> list[str]:
    return [e["word"] for e in _entries(table)]


_alt = tables.phrase_pattern


def _key(s: str) -> str:
    return " ".join(s.casefold().split())


def _has_word(text: str, words: list[str]) -> bool:
    return bool(words) and _word_pattern(tuple(words)).search(text) is not None


@cache
def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The words as one pattern, built once per word list (the lists are the data's)."""
    return re.compile(rf"(?<!\w)(?:{_alt(words)})(?!\w)", re.I)


@dataclass(frozen=True)
class _Rules:
    period_of: dict[str, str]
    months_period: dict[int, str]
    numbers: dict[str, int]
    period_point: dict[str, str]
    half_of: dict[str, int]
    attribute_nouns: list[str]
    recurrence_nouns: list[str]
    date_exclusions: list[str]
    year_action_keys: frozenset[str]
    completions: list[str]
    findings: re.Pattern[str]
    finding_later: re.Pattern[str]
    durations: list[str]
    needs_start: frozenset[str]
    counted_from: list[tuple[str, str]]
    event_objects: list[str]
    urgent_not_followed: dict[str, list[str]]
    negations: list[str]
    recur_day: re.Pattern[str]
    recur_then_day: re.Pattern[str]
    periodic: re.Pattern[str]
    n_times: re.Pattern[str]
    per_times: re.Pattern[str]
    recur: re.Pattern[str]
    absorb: re.Pattern[str]
    period: re.Pattern[str]
    date_cue: re.Pattern[str]
    connector: re.Pattern[str]
    short_date: re.Pattern[str]
    relative: re.Pattern[str]
    from_phrase: re.Pattern[str]
    urgent: re.Pattern[str]
    ongoing: re.Pattern[str]
    urgent_literals: tuple[str, ...]  # the first word of each (casefolded): the cheap pre-filter
    ongoing_literals: tuple[str, ...]
    label_item: re.Pattern[str]
    task_item: re.Pattern[str]


@cache
def _rules() -> _Rules:
    period_of = {_key(e["word"]): e["period"] for e in _entries("period_word")}
    numbers = {_key(e["word"]): e["value"] for e in _entries("number_word")}
    per = _alt(period_of)
    rec = _alt(_words("recurrence_word"))
    periodic = _alt(_words("periodic_word"))
    num = rf"\d{{1,3}}|{_alt(numbers)}"
    times = r"(?:một|1|01)\s+lần"
    no_digit = r"(?!\s*[/.\-]?\s*\d)(?!\w)"
    point = {_key(e["word"]): e["point"] for e in _entries("period_cue")}
    half_of = {_key(e["word"]): e["half"] for e in _entries("half_year")}
    attr = _entries("attribute_noun")
    urgent = _entries("urgent")
    strong = [e["word"] for e in _entries("date_cue") if not e.get("weak")]
    weak = [e["word"] for e in _entries("date_cue") if e.get("weak")]
    flags = re.I
    return _Rules(
        period_of=period_of,
        months_period={e["months"]: e["period"] for e in _entries("months_period")},
        numbers=numbers,
        period_point=point,
        half_of=half_of,
        attribute_nouns=[e["word"] for e in attr],
        recurrence_nouns=[e["word"] for e in attr if not e.get("period_only")],
        date_exclusions=_words("date_exclusion"),
        year_action_keys=frozenset(_key(w) for w in _words("year_action")),
        completions=[e["word"] for e in _entries("year_action") if e.get("anywhere")],
        findings=re.compile(rf"\s*(?:{_alt(_words('finding_word'))})(?!\w)", flags),
        finding_later=re.compile(rf"(?<!\w)(?:{_alt(_words('finding_word'))})(?!\w)", flags),
        durations=_words("duration_word"),
        needs_start=frozenset(_key(e["word"]) for e in _entries("relative_cue") if e.get("needs_start")),
        counted_from=[(e["word"], e["start"]) for e in _entries("counted_from")],
        event_objects=_words("event_object"),
        urgent_not_followed={_key(e["word"]): e.get("not_followed_by", []) for e in urgent},
        negations=_words("negation"),
        recur_day=re.compile(
            rf"(?<!\w)(?:(?:trước|vào|chậm\s+nhất(?:\s+là)?|muộn\s+nhất(?:\s+là)?)\s+)?"
            rf"(?:ngày\s+(?:(?:{_alt(_words('day_prefix'))})\s+)?(?P<day>\d{{1,2}})|(?:ngày\s+)?(?P<dd>\d{{1,2}})\s*[/.\-]\s*(?P<dm>\d{{1,2}}))"
            # "ngày 20 hằng tháng", "ngày 15 của tháng cuối quý" (the last month of every quarter)
            rf"\s+(?:của\s+)?(?:(?:{rec})\s+|(?P<within>tháng\s+(?:cuối|đầu)\s+))(?P<per>{per})(?!\w)", flags),
        # "Hằng tháng, trước ngày 20, ...", "Hàng năm, trước ngày 25 tháng 12": the day of the recurrence
        recur_then_day=re.compile(
            rf"(?<!\w)(?:{rec})\s+(?P<per>{per})\s*,?\s+(?:(?:trước|vào|chậm\s+nhất(?:\s+là)?)\s+)?"
            rf"ngày\s+(?:(?:{_alt(_words('day_prefix'))})\s+)?(?P<day>\d{{1,2}})(?:\s+tháng\s+\d{{1,2}}|\s*[/.\-]\s*\d{{1,2}})?"
            rf"(?!\s*(?:[/.\-]\s*\d|năm\s+\d))(?![\d\w])", flags),
        periodic=re.compile(
            rf"(?<!\w)(?:{periodic})(?:\s+(?:(?:{rec})\s+)?(?P<per>{per}){no_digit}"
            rf"|\s+(?P<n>{num})\s+tháng(?:\s+{times})?(?!\w))?(?!\w)", flags),
        n_times=re.compile(rf"(?<!\w)(?P<n>{num})\s+tháng\s+{times}(?!\w)", flags),
        # "02 lần/ngày", "1 lần / tuần": so many times in every period
        per_times=re.compile(rf"(?<!\w)(?:{num})\s+lần\s*/\s*(?P<per>{per})(?!\w)", flags),
        recur=re.compile(rf"(?<!\w)(?:{rec})\s+(?P<per>{per})(?!\w)", flags),
        absorb=re.compile(
            rf"\s*(?:,\s*(?:(?:và|hoặc)\s+)?|\s+(?:và|hoặc)\s+)"
            rf"(?:(?:{rec}|cuối|đầu|giữa|hết)\s+)?(?:(?:{num})\s+tháng(?:\s+(?:đầu|cuối)\s+năm)?|{per})"
            rf"{no_digit}", flags),
        period=re.compile(
            rf"(?<!\w)(?:(?P<label>{_alt(_words('period_label'))})\s*:\s*)?"
            rf"(?:(?P<pre>chậm\s+nhất|muộn\s+nhất)(?:\s+là)?\s+(?:vào\s+)?)?"
            rf"(?:(?P<cue>{_alt(point)})\s+)?"
            # "6 tháng đầu năm 2024", "02 tháng cuối năm", "những tháng cuối năm"
            rf"(?:(?P<hn>{num}|những|các)\s+tháng\s+(?P<hw>{_alt(half_of)})\s+năm(?:\s+(?P<hy>\d{{4}}))?(?!\d)"
            rf"|quý\s+(?P<q>IV|III|II|I|[1-4])(?!\w)(?:\s*[/\-]\s*(?P<qy>\d{{4}})|\s+năm\s+(?P<qy2>\d{{4}}))?(?!\d)"
            # "tháng 12/2025", "Tháng 11 - 12/2025" (a range: its last month)
            rf"|tháng\s+(?:\d{{1,2}}\s*[-–]\s*)?(?P<m>\d{{1,2}})(?:\s*[/\-]\s*(?P<my>\d{{4}})|\s+năm\s+(?P<my2>\d{{4}}))?(?![\d/])"
            rf"|năm\s+(?P<y>\d{{4}})(?!\d)"
            rf"|(?P<bare>năm|quý|tháng)(?:\s+(?P<this>nay|này))?(?!\s*\d)(?!\w)"
            rf"(?!\s+(?:ngày|tuần|tháng|quý|năm|một|đầu|cuối|học)(?!\w)))", flags),
        date_cue=re.compile(
            rf"(?<!\w)(?P<cue>{_alt(strong + _words('period_label'))}|(?:{_alt(weak)})(?!\s+(?:{_alt(strong)})(?!\w)))(?!\w)", flags),
        connector=re.compile(
            r"\s*[:\-]?\s*(?:(?:là|vào|trong|trước|đến)\s+)?"
            r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{1,2}(?:\s*phút)?)?\s*,?\s*(?:(?:ngày|,)\s*)?(?=\d))?", flags),
        short_date=re.compile(
            r"(?:ngày\s+)?(?P<d>\d{1,2})\s*(?P<sep>[/.\-])\s*(?P<m>\d{1,2})(?!\s*(?P=sep)\s*\d)(?![\d%])"
            r"|ngày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?!\d)(?!\s+năm\s+\d)", flags),
        relative=re.compile(
            rf"(?<!\w)(?P<cue>{_alt(_words('relative_cue'))})\s+(?:là\s+)?(?P<n>{num})"
            rf"(?:\s*\([^()\d]{{1,20}}\))?\s+(?P<unit>ngày|tuần|tháng)(?P<wd>\s+làm\s+việc)?(?!\w)", flags),
        from_phrase=re.compile(
            r"\s*[,(]?\s*(?:(?:kể\s+|tính\s+)?từ\s+(?:ngày|khi|thời\s+điểm)|sau\s+khi)(?!\w)"
            r"(?P<what>[^,;.\n()]{0,80})", flags),
        urgent=re.compile(rf"(?<!\w)(?P<w>{_alt(e['word'] for e in urgent)})(?!\w)", flags),
        ongoing=re.compile(rf"(?<!\w)(?P<w>{_alt(_words('ongoing'))})(?!\w)", flags),
        urgent_literals=_first_words(e["word"] for e in urgent),
        ongoing_literals=_first_words(_words("ongoing")),
        label_item=re.compile(rf"[\s*_]*(?:{_alt(_words('period_label'))})[\s*_]*:", flags),
        task_item=re.compile(rf"[\s*_]*(?:{_alt(_words('task_label'))})[\s*_]*:", flags),
    )


# --- helpers -------------------------------------------------------------------------


def _first_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The first word of each phrase, casefolded: a text without any of them holds none of the phrases."""
    return tuple(sorted({phrase.split()[0].casefold() for phrase in phrases}))


# How far back a phrase is looked for: no deadline's context is longer, and a bound keeps the reader
# linear in the letter's length (a letter without separators would be scanned from its start for
# every match).
_PHRASE_WINDOW = 400


def _phrase_before(sub: str, pos: int) -> str:
    """sub[...:pos] back to the last separator (at most _PHRASE_WINDOW back): the phrase a match sits in."""
    cut = max(0, pos - _PHRASE_WINDOW)
    for m in _SEP.finditer(sub, cut, pos):
        cut = m.end()
    return sub[cut:pos]


class _Spans:
    """Spans that do not overlap, kept in order: whether a new one overlaps any, in log time."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        return (i > 0 and self._ends[i - 1] > start) or (i < len(self._starts) and self._starts[i] < end)

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def inside(self, pos: int) -> bool:
        """Whether `pos` is strictly inside one of the spans."""
        i = bisect.bisect_left(self._starts, pos)  # spans starting before pos
        return i > 0 and self._ends[i - 1] > pos


def _number(rules: _Rules, s: str) -> int:
    return int(s) if s.isdigit() else rules.numbers[_key(s)]


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


_SENTENCE_END = re.compile(r"\.(?:\s|$)|;|\n")
# A range's first day right before "đến": "từ 01/5 đến ...", "trong tuần ngày 15 đến ngày 31/12".
_RANGE_START = re.compile(r"(?<!\w)từ\s+\d|(?<!\w)ngày\s+\d{1,2}(?:\s*[/.\-]\s*\d{1,2}){0,2}\s+đến$", re.I)
# A parenthesis inside a phrase: "(Dự án thành phần 2 thuộc Dự án cao tốc ...)".
_BRACKETED = re.compile(r"\([^()\n]*\)")


def _excluded(rules: _Rules, before: str) -> bool:
    return _has_word(before, rules.date_exclusions) or _RANGE_START.search(before) is not None


@dataclass
class _Found:
    start: int
    end: int
    deadline: dict


# --- recurring -----------------------------------------------------------------------


def _recurring(rules: _Rules, sub: str) -> list[_Found]:
    out: list[_Found] = []

    def period_from(m: re.Match[str]) -> str | None:
        if m.groupdict().get("per"):
            return rules.period_of[_key(m.group("per"))]
        if m.groupdict().get("n"):
            return rules.months_period.get(_number(rules, m.group("n")))
        return None

    def add(start: int, end: int, period: str | None, day: int | None = None) -> None:
        while a := rules.absorb.match(sub, end):
            end = a.end()
        out.append(_Found(start, end, {"kind": "recurring", "period": period, "day": day}))

    for m in rules.recur_day.finditer(sub):
        day = int(m.group("day")) if m.group("day") and not m.group("within") else None
        add(m.start(), m.end(), period_from(m), day)
    for m in rules.recur_then_day.finditer(sub):
        period = period_from(m)
        add(m.start(), m.end(), period, int(m.group("day")) if period == "month" else None)
    for m in rules.periodic.finditer(sub):
        period, end = period_from(m), m.end()
        if not m.group("per") and not m.group("n"):
            # "định kỳ báo cáo ... hằng tháng": the period named later in the phrase
            stop = _SEP.search(sub, end)
            limit = min(stop.start() if stop else len(sub), end + 60)
            later = rules.recur.search(sub, end, limit) or rules.n_times.search(sub, end, limit)
            if later:
                period, end = period_from(later), later.end()
        add(m.start(), end, period)
    for m in rules.n_times.finditer(sub):
        add(m.start(), m.end(), period_from(m))
    for m in rules.per_times.finditer(sub):
        add(m.start(), m.end(), period_from(m))
    for m in rules.recur.finditer(sub):
        if _has_word(_phrase_before(sub, m.start()), rules.recurrence_nouns):
            continue
        add(m.start(), m.end(), period_from(m))
    # "định kỳ trước ngày 01/6 và 15/11 hằng năm": the whole phrase over its parts
    kept: list[_Found] = []
    spans = _Spans()
    for f in sorted(out, key=lambda f: (f.start, f.start - f.end)):
        if not spans.overlaps(f.start, f.end):
            kept.append(f)
            spans.add(f.start, f.end)
    return kept


# --- dates and periods ---------------------------------------------------------------


def _periods(rules: _Rules, sub: str, letter_date: dt.date | None) -> list[_Found]:
    out: list[_Found] = []
    unbracketed = None
    for m in rules.period.finditer(sub):
        cue = _key(m.group("cue")) if m.group("cue") else None
        point = rules.period_point[cue] if cue else ("end" if m.group("pre") or m.group("label") else None)
        before = _phrase_before(sub, m.start())
        kind = next(k for k in ("hn", "q", "m", "y", "bare") if m.group(k))
        if kind in ("m", "y", "bare") and point is None or kind == "bare" and m.group("label"):
            continue  # "năm 2023", "tháng 12/2025" alone are facts or names
        if kind == "hn" and not m.group("hn")[0].isdigit() and _key(m.group("hn")) not in rules.numbers and not cue:
            continue  # "những tháng cuối năm 2025": a season, unless "trong" or "đến hết" makes it a limit
        is_year = kind == "y" or (kind == "bare" and _key(m.group("bare")) == "năm")
        if cue in ("trong", "trước") and is_year:
            words = before.split()
            tail = [" ".join(words[-i:]) for i in (1, 2, 3, 4) if len(words) >= i]
            if unbracketed is None:  # "thông xe tuyến chính (Dự án thành phần 2) trong năm 2025"
                unbracketed = _BRACKETED.sub(lambda b: " " * len(b.group()), sub)
            if not any(_key(t) in rules.year_action_keys for t in tail) and not _has_word(
                _phrase_before(unbracketed, m.start()), rules.completions
            ):
                continue
        if kind == "bare" and cue in ("trong", "trước") and not m.group("this") and not is_year:
            continue
        if (point is None or cue == "trong") and _has_word(before, rules.attribute_nouns):
            continue
        if _excluded(rules, before + m.group(0)) or rules.findings.match(sub, m.end()) or _sets_the_scene(rules, sub, m):
            continue
        explicit_year = any(m.group(g) for g in ("hy", "qy", "qy2", "my", "my2", "y"))
        year = next((int(m.group(g)) for g in ("hy", "qy", "qy2", "my", "my2", "y") if m.group(g)), None)
        if year is None and letter_date:
            year = letter_date.year
        due = None
        if year is not None:
            due = _period_day(rules, m, kind, point or "end", year, letter_date)
            if due is False:
                continue
        if explicit_year and letter_date and due and due < letter_date:
            continue  # a period already over when the letter was signed
        out.append(_Found(m.start(), m.end(), {"kind": "date", "date": due.isoformat() if due else None}))
    return out


def _sets_the_scene(rules: _Rules, sub: str, m: re.Match[str]) -> bool:
    """A period that opens its sentence before a comma, in a sentence that reports ("Trong tháng
    11 năm 2025, do mưa, lũ lớn ... đã xảy ra ..."): when something happened, not a limit."""
    if _phrase_before(sub, m.start()).strip(" *_-") or not sub.startswith(",", m.end()):
        return False
    stop = _SENTENCE_END.search(sub, m.end())
    return rules.finding_later.search(sub, m.end(), stop.start() if stop else len(sub)) is not None


def _period_day(rules: _Rules, m: re.Match[str], kind: str, point: str, year: int,
                letter_date: dt.date | None):
    """The day a period expression names (None when unknown, False when it names none).

    Without a year of its own the period is the letter's, moved on (by a year, or to the
    next month or quarter for a bare "cuối tháng") until it is not before the letter."""
    one = dt.timedelta(days=1)
    bare = _key(m.group("bare")) if kind == "bare" else None
    if kind == "hn":
        half = rules.half_of[_key(m.group("hw"))]
        word = _key(m.group("hn"))
        months = _number(rules, word) if word[0].isdigit() or word in rules.numbers else None
        if point == "middle" or (months is None and (half == 1 or point != "end")) or not 1 <= (months or 12) <= 12:
            return False  # "những tháng đầu năm": no day to name

        def at(i: int) -> dt.date:
            y = year + i
            n = months or 12
            first, last = (dt.date(y, 1, 1), _month_end(y, n)) if half == 1 else (dt.date(y, 13 - n, 1), dt.date(y, 12, 31))
            return first - one if point == "before" else (first if point == "start" else last)
        explicit = bool(m.group("hy"))
    elif kind == "q" or bare == "quý":
        if point == "middle":
            return False
        if kind == "q":
            q, per_step = _ROMAN[m.group("q").upper()], 4
        elif letter_date:
            q, per_step = (letter_date.month - 1) // 3 + 1, 1
        else:
            return None

        def at(i: int) -> dt.date:
            y, qq = divmod(q - 1 + i * per_step, 4)
            first = dt.date(year + y, 3 * qq + 1, 1)
            return {"end": _month_end(first.year, 3 * qq + 3), "start": first, "before": first - one}[point]
        explicit = bool(m.group("qy") or m.group("qy2"))
    elif kind == "m" or bare == "tháng":
        if kind == "m":
            month, per_step = int(m.group("m")), 12
            if not 1 <= month <= 12:
                return False
        elif letter_date:
            month, per_step = letter_date.month, 1
        else:
            return None

        def at(i: int) -> dt.date:
            y, mm = divmod(month - 1 + i * per_step, 12)
            return _month_point(year + y, mm + 1, point)
        explicit = bool(m.group("my") or m.group("my2"))
    else:
        def at(i: int) -> dt.date:
            y = year + i
            return {"end": dt.date(y, 12, 31), "start": dt.date(y, 1, 1), "middle": dt.date(y, 6, 30),
                    "before": dt.date(y - 1, 12, 31)}[point]
        explicit = kind == "y"
    due, i = at(0), 0
    while not explicit and letter_date and due < letter_date:
        i += 1
        due = at(i)
    return due


def _month_point(year: int, month: int, point: str) -> dt.date:
    if point == "end":
        return _month_end(year, month)
    if point == "start":
        return dt.date(year, month, 1)
    if point == "middle":
        return dt.date(year, month, 15)
    return dt.date(year, month, 1) - dt.timedelta(days=1)


def _dates(rules: _Rules, sub: str, letter_date: dt.date | None) -> list[_Found]:
    out: list[_Found] = []
    for m in rules.date_cue.finditer(sub):
        pos = cast(re.Match[str], rules.connector.match(sub, m.end())).end()
        found = date_at(sub, pos)
        if found and found.start == pos:
            iso, end = found.iso, found.end
            if letter_date and iso < letter_date.isoformat():
                continue  # a limit already past at signing: quoted from an earlier letter
        else:
            s = rules.short_date.match(sub, pos)
            if not s:
                continue
            d, mo = (s.group("d"), s.group("m")) if s.group("d") else (s.group("d2"), s.group("m2"))
            if letter_date is None:
                if make_date(int(d), int(mo), 2000) is None:  # 2000: a leap year, 29/2 allowed
                    continue
                iso = None
            else:
                year = letter_date.year
                day = make_date(int(d), int(mo), year) or make_date(int(d), int(mo), year + 1)
                if day is None:
                    continue
                if day < letter_date.isoformat():
                    day = make_date(int(d), int(mo), year + 1)
                    if day is None:
                        continue
                iso = day
            end = s.end()
        if _excluded(rules, _phrase_before(sub, m.start()) + m.group("cue")):
            continue
        out.append(_Found(m.start(), end, {"kind": "date", "date": iso}))
    return out


# --- relative ------------------------------------------------------------------------


def _counted_from(rules: _Rules, what: str) -> str:
    if re.search(r"\d+\s*/", what) or _has_word(what, rules.event_objects):
        return "event"
    for word, start in rules.counted_from:
        if _has_word(what, [word]):
            return start
    return "event"


def _relative(rules: _Rules, sub: str, letter_date: dt.date | None, received: dt.date | None) -> list[_Found]:
    out: list[_Found] = []
    for m in rules.relative.finditer(sub):
        cue = _key(m.group("cue"))
        n = _number(rules, m.group("n"))
        unit = m.group("unit").casefold()
        working = bool(m.group("wd"))
        end = m.end()
        if re.match(r"\s*\(?\s*(?:(?:từ\s+)?ngày\s+\d|\d{1,2}\s*[/.]\s*\d)", sub[end:]):
            continue  # "trong 02 ngày (từ ngày 14 đến 15/12)": how long, not by when
        counted = None
        f = rules.from_phrase.match(sub, end)
        if f:
            what = f.group("what")
            this = re.search(r"(?<!\w)này(?!\w)", what)
            words = what[: this.end()] if this else what
            # keep at most ten words of the start event in the raw text
            cut = re.match(r"(?:\s*\S+){1,10}", words)
            end = f.start("what") + (cut.end() if cut else 0)
            counted = _counted_from(rules, sub[f.start("what"):end])
        elif cue in rules.needs_start and not working:
            continue  # "diễn ra trong thời gian 02 ngày": how long; "trong thời gian 05 ngày làm việc": a limit
        words_before = " ".join(_phrase_before(sub, m.start()).split()[-3:])
        if _has_word(words_before, rules.durations):
            continue
        start_day = {"signing": letter_date, "receipt": received}.get(counted or "")
        days = n * 7 if unit == "tuần" else (n if unit == "ngày" else None)
        due = None
        if start_day:
            if unit == "tháng":
                due = workdays.next_working_day(_add_months(start_day, n))
            elif working:
                due = workdays.add_working_days(start_day, cast(int, days))
            else:
                due = workdays.due_after_days(start_day, cast(int, days))
        out.append(_Found(m.start(), end, {
            "kind": "relative", "days": days, "working_days": working, "counted_from": counted,
            "date": due.isoformat() if due else None,
        }))
    return out


# --- urgent and ongoing --------------------------------------------------------------


def _plain(rules: _Rules, sub: str, pattern: re.Pattern[str], kind: str) -> list[_Found]:
    out = []
    for m in pattern.finditer(sub):
        after = sub[m.end():m.end() + 20]
        blocked = rules.urgent_not_followed.get(_key(m.group("w")), [])
        if blocked and re.match(rf"\s+(?:{_alt(blocked)})(?!\w)", after, re.I):
            continue
        prev = _phrase_before(sub, m.start()).split()[-1:]
        if prev and _has_word(prev[0], rules.negations):
            continue
        out.append(_Found(m.start(), m.end(), {"kind": kind}))
    return out


# --- API -----------------------------------------------------------------------------

_DIGIT = re.compile(r"\d")
_QUOTED = re.compile(r"“[^”\n]{0,300}”|\"[^\"\n]{0,300}\"")
_RECURRENCE_WORDS = ("hằng", "hàng", "định kỳ", "mỗi", "lần", "tháng cuối", "tháng đầu")
_PERIOD_WORDS = ("năm", "quý", "tháng", "tuần")


def find_deadlines(text: str, start: int = 0, end: int | None = None, *,
                   letter_date: dt.date | None = None, received: dt.date | None = None) -> list[Deadline]:
    """Every deadline expression in text[start:end], in order, spans into `text`."""
    rules = _rules()
    end = len(text) if end is None else end
    sub = text[start:end]
    folded = sub.casefold()
    # Cheap literal checks first (as eyecite does): most clauses hold no deadline at all, and
    # every phrase in deadline_phrases.toml contains one of these (its examples test that).
    has_digit = bool(_DIGIT.search(sub))
    timed = has_digit or any(w in folded for w in _PERIOD_WORDS)
    candidates = (
        (_recurring(rules, sub) if any(w in folded for w in _RECURRENCE_WORDS) else [])
        + (_periods(rules, sub, letter_date) if timed else [])
        + (_dates(rules, sub, letter_date) if has_digit else [])
        + (_relative(rules, sub, letter_date, received) if timed or "ngày" in folded else [])
        + (_plain(rules, sub, rules.urgent, "urgent") if any(w in folded for w in rules.urgent_literals) else [])
        + (_plain(rules, sub, rules.ongoing, "ongoing") if any(w in folded for w in rules.ongoing_literals) else [])
    )
    quoted = _Spans()
    for q in _QUOTED.finditer(sub) if "“" in sub or '"' in sub else ():
        quoted.add(q.start(), q.end())
    taken: list[_Found] = []
    spans = _Spans()
    for c in candidates:  # earlier kinds win overlaps
        if quoted.inside(c.start):
            continue  # inside a quotation: a title or a slogan ("“mỗi ngày làm một việc tốt”")
        if not spans.overlaps(c.start, c.end):
            taken.append(c)
            spans.add(c.start, c.end)
    out = []
    for c in sorted(taken, key=lambda c: c.start):
        raw = sub[c.start:c.end].rstrip()
        out.append(Deadline(raw=raw, span=Span(start=start + c.start, end=start + c.start + len(raw)),
                            **{k: v for k, v in c.deadline.items() if v is not None}))
    return out


def describe(d: Deadline) -> str:
    """A short form for tests, data examples and review reasons."""
    if d.kind == "date":
        return f"date:{d.date or '?'}"
    if d.kind == "recurring":
        return f"recurring:{d.period or '-'}" + (f"@{d.day}" if d.day else "")
    if d.kind == "relative":
        n = "?" if d.days is None else f"{d.days}{'wd' if d.working_days else 'd'}"
        return f"relative:{n}:{d.counted_from or '-'}:{d.date or '-'}"
    return d.kind


def _same(a: Deadline, b: Deadline) -> bool:
    fields = ("kind", "date", "period", "day", "days", "working_days")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def primary_deadline(found: list[Deadline]) -> tuple[Deadline | None, str | None]:
    """The deadline an obligation carries, and a review reason when the text offers two.

    Scored kinds (date, recurring, relative) before urgent, urgent before ongoing; among
    several, the one that closes the item, the last ("gửi Bộ Tư pháp trước ngày 05/12 ...
    để Bộ Tư pháp báo cáo Thủ tướng trước ngày 10/12": 10/12). Two scored ones that disagree
    give a reason to review."""
    scored = [d for d in found if d.kind in SCORED_KINDS]
    if scored:
        closing = scored[-1]
        other = next((d for d in scored[:-1] if not _same(closing, d)), None)
        reason = f"two candidate deadlines: {closing.raw} / {other.raw}" if other else None
        return closing, reason
    for kind in ("urgent", "ongoing"):
        d = next((d for d in found if d.kind == kind), None)
        if d:
            return d, None
    return None, None


def is_limit_item(clause_text: str) -> bool:
    """An item that only states when the tasks beside it are due ("c) Thời gian thực hiện: ...")."""
    return _rules().label_item.match(clause_text) is not None


def pass_down_deadlines(text: str, clauses: list[Clause], obligations: list[Obligation], *,
                        letter_date: dt.date | None = None, received: dt.date | None = None) -> None:
    """A limit stated once for a list applies to each of its tasks that states none of its own.

    Two places state it once: an item that only labels the limit ("c) Thời gian thực hiện: Hoàn
    thành trong năm 2025"), for the task it belongs to: the item labelled as the task in a task
    table ("a) Nhiệm vụ: ...", beside "b) Cơ quan thực hiện: ..."), and what is under it; else the
    task whose item it is ("1. Tổ chức tập huấn ...: a) Đối tượng ... b) Thời gian thực hiện:
    Quý I/2026"); else the tasks beside it; and a lead-in that is no
    task itself ("1. Các sở hoàn thành trước ngày 30/11/2025 các nội dung sau:"), for its items.
    A task's own limit is its own: its sub-items do not take it (they list what it covers); a
    paragraph of its own after them ("... báo cáo về một số nội dung sau: (1) ... (3) ...", then
    "... gửi Báo cáo trước 17 giờ ngày 27/11/2025") is its text too."""
    by_clause: dict[str, Obligation] = {}
    for ob in obligations:
        by_clause.setdefault(ob.clause, ob)

    def stated(clause: Clause) -> Deadline | None:
        end = clause.children[0].span.start if clause.children else clause.span.end
        found = find_deadlines(text, clause.span.start, end, letter_date=letter_date, received=received)
        return primary_deadline(found)[0]

    def walk(items: list[Clause], given: Deadline | None, parent: Obligation | None) -> None:
        labels = [c for c in items if is_limit_item(c.text)]
        label = next((d for c in labels if (d := stated(c)) is not None), None)
        tasks = [c for c in items if _rules().task_item.match(c.text)]
        beside = None  # the label's limit for the items beside it, when no task holds them
        if label is not None and not tasks:
            if parent is not None:
                _take(parent, label)  # "1. Tổ chức tập huấn ...", "b) Thời gian thực hiện: Quý I/2026"
            else:
                beside = label
        for clause in items:
            if clause in labels:
                continue
            here = (label if clause in tasks else None) or given
            ob = by_clause.get(clause.id)
            if ob is None:
                if clause.children:
                    walk(clause.children, stated(clause) or here, None)
                continue
            if clause.children and clause.children[-1].span.end < clause.span.end and not _scored(ob.deadline):
                after = find_deadlines(text, clause.children[-1].span.end, clause.span.end,
                                       letter_date=letter_date, received=received)
                _take(ob, primary_deadline(after)[0])
            _take(ob, beside)
            _take(ob, here)
            walk(clause.children, here, ob)

    walk(clauses, None, None)


def _scored(deadline: Deadline | None) -> bool:
    return deadline is not None and deadline.kind in SCORED_KINDS


def _take(ob: Obligation, deadline: Deadline | None) -> None:
    """Give an obligation a deadline where it has none, or none that is scored."""
    if deadline is not None and (ob.deadline is None or (not _scored(ob.deadline) and _scored(deadline))):
        ob.deadline = deadline
