"""Who is told to act: names of bodies and office-holders where a task names them.

A name starts with a head from the gazetteer (assignees.toml: a title such as "Chủ tịch",
"Giám đốc", "Thủ trưởng", or a kind of body such as "Sở", "UBND", "Văn phòng"), optionally
after "các", and runs until an action word ("tổ chức", "tăng cường", "đề xuất" ...) or a
stop (":", "(", end of sentence). A run of names is split where a new head starts:
"Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các xã, thị trấn" is two names, while
"các Sở, ban, ngành" and "các cơ quan, đơn vị thuộc và trực thuộc Sở" stay whole, and
"Văn phòng HĐND và UBND huyện" is one office.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import cast

from extractors.abbreviations import expand_abbreviations
from extractors.bodies import place_level
from extractors.tables import entries


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int


def _words_pattern(words: str) -> str:
    return r"\s+".join(re.escape(w) for w in words.split())


@cache
def _heads() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(any head, heads that start a new name inside a list), each after an optional 'các'."""
    def alternation(items: list[dict]) -> str:
        parts = []
        for e in sorted(items, key=lambda e: -len(e["words"])):
            p = _words_pattern(e["words"])
            # after "các" a kind is often in lower case: "các sở, ban, ngành", "Các phòng, ban"
            parts.append(f"(?:{p}|(?<=ác )(?i:{p}))" if e.get("case") == "exact" else f"(?i:{p})")
        return "|".join(parts)

    heads = entries("assignees", "head")
    prefix = r"(?:[Cc]ác\s+)?"
    any_head = re.compile(rf"{prefix}(?:{alternation(heads)})(?!\w)")
    split_head = re.compile(rf"{prefix}(?:{alternation([e for e in heads if e.get('split')])})(?!\w)")
    return any_head, split_head


@cache
def _bare_title() -> re.Pattern[str]:
    titles = [e for e in entries("assignees", "head") if e.get("title")]
    return re.compile("|".join(f"(?i:{_words_pattern(e['words'])})" for e in titles))


@cache
def _actions() -> re.Pattern[str]:
    words = sorted({w for e in entries("assignees", "action") for w in e["words"]}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?i:" + "|".join(_words_pattern(w) for w in words) + r")(?!\w)")


# Body kinds whose own name may begin with an action word: "Ban Chỉ đạo", "Tổ kiểm tra".
_KINDS_NAMED_BY_ACTION = (" Ban", " Tổ", " Đoàn", " Đội", "Hội đồng", "Ủy ban", "Trung tâm", "Phòng", " Cục", " Vụ")
# Where a word can only be a noun: "các tổ chức", "cơ quan, tổ chức".
_NOUN_CONTEXT = re.compile(r"(?:\b(?:các|những|và)|,)\s*$", re.I)
_STOP = re.compile(r"[:(\n!?]|\.(?:\s|$)")
_OFFICE_OF = re.compile(r"^(?:Chánh\s+|Phó\s+Chánh\s+)?Văn\s+phòng\s+(?:HĐND|UBND|Hội\s+đồng\s+nhân\s+dân|Ủy\s+ban\s+nhân\s+dân|Tỉnh\s+ủy|Huyện\s+ủy)$", re.I)
_SEPARATOR = re.compile(r"\s*;\s*|\s*,\s*|\s+và\s+")


def starts_with_action(text: str, pos: int, end: int) -> bool:
    """'Tổ chức kiểm tra', 'Báo cáo kết quả': a verb that begins like a head ('Tổ', 'Báo')."""
    m = cast(re.Match[str], re.match(r"(?:[Cc]ác\s+)?", text[pos:end]))  # matches always, maybe empty
    return bool(_actions().match(text, pos + m.end(), end))


def starts_name(text: str, pos: int) -> bool:
    return bool(_heads()[0].match(text, pos)) and not starts_with_action(text, pos, len(text))


def read_names(text: str, pos: int, end: int | None = None) -> list[Name]:
    """The names that start exactly at `pos`, up to where the sentence goes on to the action."""
    end = len(text) if end is None else end
    if m := _KIND_LIST.match(text, pos, end):
        return _kind_list(text, m, end)
    head = _heads()[0].match(text, pos, end)
    if not head or starts_with_action(text, pos, end):
        return []
    stop = _phrase_end(text, pos, head.end(), end)
    phrase_end = pos + len(text[pos:stop].rstrip(" ,;-"))
    names = split_names(text, pos, phrase_end)
    if names and (m := _KIND_LIST.match(text, names[-1].start, end)):
        names[-1:] = _kind_list(text, m, end)  # "...; Giám đốc các Sở: Nội vụ, Tài chính"
    return names


# "Các Bộ: Quốc phòng, Công an và Ngoại giao", "Giám đốc các Sở: Nội vụ, Tài chính": one kind,
# several bodies.
_KIND_LIST = re.compile(
    r"(?:(?P<title>Giám\s+đốc|Thủ\s+trưởng|Bộ\s+trưởng)\s+)?[Cc]ác\s+"
    r"(?P<kind>Bộ|Sở|Phòng|Ban|Cục|Vụ|Tổng\s+cục|Trung\s+tâm)\s*:\s*"
)
_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+và\s+")


@cache
def _compound_fields() -> re.Pattern[str]:
    """Field names that hold a comma or 'và' themselves ('Văn hóa, Thể thao và Du lịch')."""
    fields = sorted((e["name"] for e in entries("assignees", "field")), key=len, reverse=True)
    return re.compile("|".join(_words_pattern(f) for f in fields), re.I)


def _kind_list(text: str, m: re.Match[str], end: int) -> list[Name]:
    stop = _phrase_end(text, m.end(), m.end(), end)
    rest: list[Name] = []
    sep: re.Match[str] | None
    # "...: Nội vụ, Tài chính; Thủ trưởng các cơ quan ...": the list ends where a new name starts
    for sep in _LIST_SEPARATOR.finditer(text, m.end(), stop):
        new_name = sep.group().strip() == ";" or _bare_title().match(text, sep.end(), stop)
        if new_name and _heads()[0].match(text, sep.end(), stop) and not starts_with_action(text, sep.end(), stop):
            rest = read_names(text, sep.end(), end)
            stop = sep.start()
            break
    stop = m.end() + len(text[m.end() : stop].rstrip(" ,;.-"))
    prefix = " ".join(f"{m.group('title') or ''} {m.group('kind')}".split())
    protected = [c.span() for c in _compound_fields().finditer(text, m.end(), stop)]
    names, cur = [], m.end()
    seps = [s for s in _LIST_SEPARATOR.finditer(text, m.end(), stop) if not any(a < s.start() < b for a, b in protected)]
    for sep in [*seps, None]:
        item_end = sep.start() if sep else stop
        if text[cur:item_end].strip():
            names.append(Name(f"{prefix} {text[cur:item_end].strip()}", cur, item_end))
        if sep:
            cur = sep.end()
    return names + rest


def _phrase_end(text: str, pos: int, after: int, end: int) -> int:
    """Where a name begun at `pos` stops: at a stop mark or the first action word after `after`."""
    stop = end
    if m := _STOP.search(text, after, end):
        stop = m.start()
    for m in _actions().finditer(text, after, stop):
        before = " " + text[pos : m.start()]
        if before.rstrip().endswith(_KINDS_NAMED_BY_ACTION):
            continue
        if _NOUN_CONTEXT.search(before):
            continue
        return m.start()
    return stop


def split_names(text: str, start: int, end: int) -> list[Name]:
    names: list[Name] = []
    split_head = _heads()[1]
    cur = start
    for sep in _SEPARATOR.finditer(text, start, end):
        right = sep.end()
        left_text = text[cur : sep.start()]
        is_and = sep.group(0).strip() == "và"
        if sep.group(0).strip() == ";":
            ok = bool(_heads()[0].match(text, right, end))
        elif is_and:
            ok = (split_head.match(text, right, end) or text.startswith(("các ", "Các "), right)) and not _OFFICE_OF.match(left_text)
        else:
            ok = bool(split_head.match(text, right, end))
        if ok and _bare_title().fullmatch(left_text.strip()) and not is_and:
            ok = False  # "Giám đốc, Thủ trưởng các Sở, ban, ngành": a bare title shares what follows
        if ok and left_text.strip():
            names.append(Name(left_text, cur, sep.start()))
            cur = right
    if text[cur:end].strip():
        names.append(Name(text[cur:end], cur, end))
    return names


_GENERIC = re.compile(r"^(?:các\s+)?(?:cơ\s+quan|đơn\s+vị|tổ\s+chức|địa\s+phương|ngành|cá\s+nhân)\b.*?(?:liên\s+quan)?$", re.I)


def is_specific(name: str) -> bool:
    """A named body ('Văn phòng UBND tỉnh'), not a generic collective ('các cơ quan có liên quan')."""
    return not _GENERIC.match(name.strip())


@cache
def _level_at_end() -> re.Pattern[str]:
    return re.compile(r"(?<!\bcác\s)\b(" + place_level() + r")$")


def normalized_name(name: str, level: str | None, place: str | None) -> str:
    """Abbreviations expanded; a bare 'huyện'/'tỉnh' that means the issuer's own resolved to its place."""
    out = expand_abbreviations(name.strip())
    m = _level_at_end().search(out)
    if m and level and place and m.group(1) == level and " các " not in f" {out} ":
        out = f"{out} {place}"
    return out
