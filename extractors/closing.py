"""Where the body ends, and what follows it: signature block and "Nơi nhận".

The body ends at the first of "Nơi nhận", a signature's authority prefix (TM., KT., TL.,
TUQ., Q.), a signature title standing alone on its line, or the signer's name closing the
text. On a web page it ends at the page's chrome (visit counters, contact lines), with the
reporter's byline cut off. Appendices come after the signature, so they are never body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from extractors.bodies import case_body_name, titles
from extractors.lines import LIST_ITEM, Line, is_upper, lines_of, list_item_text, looks_like_person_name
from extractors.tables import entries

# "Nơi nhận", also as OCR misreads it ("Noi nhận", "Nơi nhân").
_CC = re.compile(r"^N[ơo]i\s+nh[ậâaạ]n\b\s*:?\s*")
# Prefixes as ND 30 writes them, and the older slashed forms (T/M, K/T, T/L) of party documents.
_AUTHORITY = re.compile(r"^(?P<prefix>TM|T/M|KT|K/T|TL|T/L|TUQ|Q)\s*[.:]?\s+(?P<rest>[^\W\d_].*)$")
_FILE = re.compile(r"^Lưu\b", re.I)
_AS_ABOVE = re.compile(r"^Như\s+trên\b", re.I)
_TO_ACT = re.compile(r"\b(?:thực\s+hiện|t/h)\b", re.I)
_TO_INFORM = re.compile(
    r"\b(?:báo\s+cáo|b/c|để\s+biết|Thường\s+trực|Thường\s+vụ|TT|Cổng\s+thông\s+tin|Trang\s+thông\s+tin|"
    r"Lãnh\s+đạo|LĐVP|BLĐ|các\s+PCT|CT,|Chánh,\s+Phó|Website|Báo|Đài)\b"
)


@cache
def _chrome() -> tuple[str, ...]:
    return tuple(e["starts"] for e in entries("web_chrome", "marker"))


@cache
def _upper_titles() -> dict[str, str]:
    return {t.upper(): t for t in titles()}


@dataclass
class Closing:
    signer_name: tuple[str, int, int] | None = None
    title: tuple[str, int, int] | None = None
    authority: list[tuple[str, str, int, int]] = field(default_factory=list)  # prefix, on behalf of, span
    cc: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, purpose, span


def _is_title_line(t: str) -> bool:
    s = t.strip().rstrip(":").upper()
    return is_upper(t) and any(s == u or s.startswith(u + " ") for u in _upper_titles())


def is_chrome(t: str) -> bool:
    return t.startswith(_chrome())


def body_end(text: str, body_start: int, end: int, news: bool) -> int:
    lines = lines_of(text, body_start, end)
    if news:
        stop = next((i for i, ln in enumerate(lines) if is_chrome(ln.text)), len(lines))
        while stop > 0 and looks_like_person_name(_bare(lines[stop - 1].text)):
            stop -= 1  # the reporter's byline
        return lines[stop].start if stop < len(lines) else end
    for i, ln in enumerate(lines):
        t = ln.text
        if _CC.match(t) or _AUTHORITY.match(t) or _is_title_line(t):
            return ln.start
        if i == len(lines) - 1 and looks_like_person_name(_bare(t)):
            return ln.start
    return end


def read_closing(text: str, start: int, end: int) -> Closing:
    c = Closing()
    lines = lines_of(text, start, end)
    in_cc = False
    names: list[Line] = []
    titles_seen: list[Line] = []
    for ln in lines:
        t = ln.text
        if m := _CC.match(t):
            in_cc = True
            rest = t[m.end():]
            if rest.strip():
                _add_cc(c, Line(ln.start + m.end(), ln.end, rest))
            continue
        if in_cc and LIST_ITEM.match(t):
            _add_cc(c, ln)
            continue
        in_cc = False
        if m := _AUTHORITY.match(t):
            on_behalf, title = _split_title(m.group("rest"))
            c.authority.append((m.group("prefix").replace("/", ""), on_behalf, ln.start, ln.end))
            if title:
                titles_seen.append(Line(ln.end - len(title), ln.end, title))
        elif _is_title_line(t):
            titles_seen.append(ln)
        elif looks_like_person_name(_bare(t)) or (
            titles_seen and is_upper(t) and looks_like_person_name(_bare(t).title())
        ):
            names.append(ln)
    if names:
        n = names[-1]
        name = _bare(n.text)
        start = n.start + n.text.index(name)
        c.signer_name = (name.title() if is_upper(name) else name, start, start + len(name))
    if titles_seen:
        tl = titles_seen[-1]
        c.title = (cased_title(tl.text), tl.start, tl.end)
    return c


_NAME_EDGE = " .,:;_-'\"`~|"


def _bare(line: str) -> str:
    """A name line without the specks a seal leaves around it ('Nguyễn Ngọc Xuân:')."""
    return line.strip(_NAME_EDGE)


def _split_title(rest: str) -> tuple[str, str | None]:
    """'CHỦ TỊCH PHÓ CHỦ TỊCH' (two lines joined) -> ('CHỦ TỊCH', 'PHÓ CHỦ TỊCH')."""
    rest = rest.strip()
    for u in sorted(_upper_titles(), key=len, reverse=True):
        if rest.upper().startswith(u) and rest[len(u):].strip():
            tail = rest[len(u):].strip()
            if _is_title_line(tail):
                return rest[: len(u)], tail
    return rest, None


def cased_title(t: str) -> str:
    s = t.strip().rstrip(":")
    if not is_upper(s):
        return s
    for u, canonical in sorted(_upper_titles().items(), key=lambda kv: -len(kv[0])):
        if s.upper() == u:
            return canonical
        if s.upper().startswith(u + " "):
            return canonical + " " + case_body_name(s[len(u) + 1 :])
    return case_body_name(s)


def _add_cc(c: Closing, ln: Line) -> None:
    name = list_item_text(ln.text)
    if not name:
        return
    if _FILE.match(name):
        purpose = "file"
    elif _AS_ABOVE.match(name) or _TO_ACT.search(name):
        purpose = "act"
    elif _TO_INFORM.search(name):
        purpose = "inform"
    else:
        purpose = "act"
    s = ln.start + ln.text.index(name)
    c.cc.append((name, purpose, s, s + len(name)))


def authority_meaning(prefix: str) -> str:
    return next(e["meaning"] for e in entries("signature", "authority") if e["prefix"] == prefix)
