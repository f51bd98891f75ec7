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

from extractors import tables
from extractors.bodies import case_body_name, titles
from extractors.lines import LIST_ITEM, Line, is_upper, lines_of, list_item_text, looks_like_paragraph, looks_like_person_name
from extractors.ocr_repair import bare
from extractors.syllables import is_syllable
from extractors.tables import entries

# "Nơi nhận", also as OCR misreads it ("Noi nhận", "Nơi nhân").
_CC = re.compile(r"^N[ơo]i\s+nh[ậâaạ]n\b\s*:?\s*")


@cache
def authority_prefix() -> str:
    """The signing authority's prefixes (TM, KT, TL, TUQ, Q and their printed forms: T/M ...), as a
    regex, from extractors/data/signature.toml."""
    return tables.phrase_pattern(p for e in entries("signature", "authority") for p in [e["prefix"], *e.get("printed", [])])


@cache
def _authority() -> re.Pattern[str]:
    # "KT. CHỦ TỊCH", "TM ỦY BAN NHÂN DÂN", "T/M BAN THƯỜNG VỤ"
    # the prefix's dot also as OCR reads it: a comma, glued to the title ("KT,BỘ TRƯỞNG")
    return re.compile(r"^(?P<prefix>" + authority_prefix() + r")(?:\s*[.:,]\s*|\s+)(?P<rest>[^\W\d_].*)$")
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


def is_authority_line(t: str) -> bool:
    """A signature's prefixed line: "KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"."""
    return bool(_authority().match(t))


def is_signing_title(t: str) -> bool:
    """A line of the signature block's title: "KT. CHỦ TỊCH", "PHÓ GIÁM ĐỐC"."""
    return bool(_authority().match(t)) or _is_title_line(t)


def is_chrome(t: str) -> bool:
    return t.startswith(_chrome())


def body_end(text: str, body_start: int, end: int, news: bool) -> int:
    lines = lines_of(text, body_start, end)
    if news:
        stop = next((i for i, ln in enumerate(lines) if is_chrome(ln.text)), len(lines))
        while stop > 0 and looks_like_person_name(name_without_specks(lines[stop - 1].text)):
            stop -= 1  # the reporter's byline
        return lines[stop].start if stop < len(lines) else end
    for i, ln in enumerate(lines):
        t = ln.text
        if _CC.match(t) or _authority().match(t) or _is_title_line(t) or _inner_title(t) is not None:
            return ln.start
        if i == len(lines) - 1 and looks_like_person_name(name_without_specks(t)):
            return ln.start
    return end


def read_closing(text: str, start: int, end: int) -> Closing:
    c = Closing()
    lines = lines_of(text, start, end)
    in_cc = False
    names: list[int] = []  # indexes of lines that look like a person's name
    titles_seen: list[tuple[int, Line]] = []
    for i, ln in enumerate(lines):
        t = ln.text
        if m := _CC.match(t):
            in_cc = True
            rest = t[m.end():]
            if rest.strip():
                _add_cc(c, Line(ln.start + m.end(), ln.end, rest))
            continue
        if (inner := _inner_title(t)) is not None:
            # the columns read across: a Nơi nhận item, then the signing title beside it
            in_cc = in_cc and bool(LIST_ITEM.match(t))
            if in_cc:
                _add_cc(c, Line(ln.start, ln.start + inner.start(), t[: inner.start()].rstrip()))
            on_behalf, title = _split_title(inner.group("rest"))
            c.authority.append((inner.group("prefix").replace("/", ""), on_behalf, ln.start + inner.start("prefix"), ln.end))
            titles_seen.append((i, Line(ln.end - len(title or inner.group("rest")), ln.end, title or inner.group("rest"))))
            continue
        if in_cc and LIST_ITEM.match(t):
            _add_cc(c, ln)
            continue
        in_cc = False
        if m := _authority().match(t):
            on_behalf, title = _split_title(m.group("rest"))
            c.authority.append((m.group("prefix").replace("/", ""), on_behalf, ln.start, ln.end))
            titles_seen.append((i, Line(ln.end - len(title), ln.end, title) if title else ln))
        elif _is_title_line(t):
            titles_seen.append((i, ln))
        elif is_person_name(name_without_specks(t)):
            names.append(i)
    signer = _signer_after_titles(text, lines, titles_seen) if titles_seen else None
    if signer is None and names and not titles_seen:
        n = lines[names[-1]]
        name = name_without_specks(n.text)
        s = n.start + n.text.index(name)
        signer = (name.title() if is_upper(name) else name, s, s + len(name))
    c.signer_name = signer
    block = _first_title_block(titles_seen)
    if block:
        tl = block[-1][1]
        c.title = (cased_title(tl.text), tl.start, tl.end)
    if c.authority and block:
        # authorities of a later block belong to an attachment's own signature, not the letter's
        last = block[-1][1].end
        c.authority = [a for a in c.authority if a[2] < last]
    return c


# Lines between the signing title and the printed name: a seal, a signature, an e-office stamp.
_NAME_WITHIN_LINES = 4


def _first_title_block(titles_seen: list[tuple[int, Line]]) -> list[tuple[int, Line]]:
    """The signing authority's lines (TM. / KT. / the title), one after another: the first block
    of them after the body. An attached plan or regulation may carry another block later."""
    block = titles_seen[:1]
    for i, ln in titles_seen[1:]:
        if i - block[-1][0] > 2:
            break
        block.append((i, ln))
    return block


def _signer_after_titles(text: str, lines: list[Line], titles_seen: list[tuple[int, Line]]) -> tuple[str, int, int] | None:
    """The signer's printed name: the first name within a few lines under the signing title.

    What comes after it (footnotes, an appendix headed "PHỤ LỤC", a form) is no part of the
    signature, so no later line is a candidate. A name wrapped over two lines ("Vũ" / "Chiến
    Thắng") is joined.
    """
    after = _first_title_block(titles_seen)[-1][0] + 1
    looked = 0
    for i in range(after, len(lines)):
        ln = lines[i]
        if _CC.match(ln.text) or LIST_ITEM.match(ln.text):
            continue  # the Nơi nhận column, flattened between the title and the name
        looked += 1
        if looked > _NAME_WITHIN_LINES:
            return None
        # a lone word on the next line finishes a wrapped name ("Nguyễn Quỳnh" / "Thiện")
        for candidate in (_joined(text, lines, i), ln):
            if candidate is None:
                continue
            name = name_without_specks(candidate.text)
            if name and is_person_name(name):
                s = candidate.start + candidate.text.index(name)
                return " ".join((name.title() if is_upper(name) else name).split()), s, s + len(name)
        if not is_upper(ln.text) and looks_like_paragraph(ln.text) and not _ends_in_title(ln.text):
            return None  # running text, no name: the name is missing (a signature image)
    return None


@cache
def _inner_authority() -> re.Pattern[str]:
    # a prefixed title after other words: the columns of an OCR'd page read across, the Nơi nhận
    # column's line first ("- Như Điều 3; KT. BỘ TRƯỞNG", "- Lưu: VT. KT CHỦ TỊCH")
    return re.compile(r"\s(?P<prefix>" + authority_prefix() + r")(?:(?P<dot>\s*[.:,])\s*|\s+)(?P<rest>[^\W\d_].*)$")


def _inner_title(t: str) -> re.Match[str] | None:
    """A signing title that ends a line after other words: with its prefix's dot and in capitals,
    or a title of bodies.toml after the prefix ("KT CHỦ TỊCH")."""
    if _authority().match(t):
        return None
    m = _inner_authority().search(t)
    if m is None or not is_upper(m.group("rest")):
        return None
    return m if m.group("dot") or _is_title_line(m.group("rest")) else None


def _ends_in_title(t: str) -> bool:
    return _inner_title(t) is not None


@cache
def _family_names() -> frozenset[str]:
    return frozenset(e["name"] for e in entries("person_names", "surname"))


def is_person_name(name: str) -> bool:
    """'Nguyễn Ngọc Xuân', or in capitals 'NGUYỄN NGỌC XUÂN' when it starts with a family name (in
    capitals a name looks like any heading: 'PHỤ LỤC'); every word a Vietnamese syllable
    (extractors/syllables.py: OCR of a seal or a title gives 'Phó Chủ Tịc N', no name), and no
    signing title ('PHÓ CHỦ TỊCH': Phó is a family name too), but for the
    names of the Central Highlands' peoples ('Y Ngông Niê Kdăm', 'H'Hen Niê'), spelt otherwise."""
    name = " ".join(name.split())
    shaped = name.title() if is_upper(name) else name
    if not looks_like_person_name(shaped) or (shaped != name and shaped.split()[0] not in _family_names()):
        return False
    if _is_title_line(shaped.upper()):
        return False  # "PHÓ CHỦ TỊCH": a title, whose first word is also a family name
    return _highlands_name(shaped) or all(is_syllable(w) for w in shaped.split())


def is_known_surname(name: str) -> bool:
    """The name starts with a family name of extractors/data/person_names.toml."""
    return bool(name.split()) and name.split()[0].title() in _family_names()


@cache
def _surnames_by_bare() -> dict[str, str | None]:
    """Each family name by its bare form (marks dropped); None where two share one."""
    out: dict[str, str | None] = {}
    for name in _family_names():
        key = bare(name)
        out[key] = None if key in out else name
    return out


# A misread family name this long or longer may differ from its bare form by one letter
# ("Nguyễu"); a shorter one only by its marks ("Le" for "Lê"): one letter off, "Lê" is also "Lý".
_SURNAME_LETTER_OFF = 5


def surname_as_printed(word: str) -> str | None:
    """The family name an OCR'd first word of a name stands for: the one family name of
    person_names.toml with its bare form ('Le' -> 'Lê'), or, for a long word, one letter off it
    ('Nguyễu' -> 'Nguyễn'); None when none or several fit."""
    key = bare(word)
    if (found := _surnames_by_bare().get(key)) is not None:
        return found
    if len(key) < _SURNAME_LETTER_OFF:
        return None
    near = {name for k, name in _surnames_by_bare().items() if name and len(k) == len(key)
            and sum(a != b for a, b in zip(k, key)) == 1}
    return near.pop() if len(near) == 1 else None


def _highlands_name(name: str) -> bool:
    first = name.split()[0]
    return first == "Y" or first.startswith("H'")


def _joined(text: str, lines: list[Line], i: int) -> Line | None:
    """Line i with the next one, when one of them is a single word (a name wrapped by a layout table)."""
    if i + 1 >= len(lines) or 1 not in (len(lines[i].text.split()), len(lines[i + 1].text.split())):
        return None
    return Line(lines[i].start, lines[i + 1].end, text[lines[i].start : lines[i + 1].end])


_NAME_EDGE = " .,:;_-'\"`~|"


def name_without_specks(line: str) -> str:
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
