"""Names of bodies and office-holders: from header capitals to the spelling people read.

"ỦY BAN NHÂN DÂN / HUYỆN CẦN GIỜ" is one body written on two lines; "UBND TỈNH TÂY NINH /
SỞ Y TẾ" is a parent and the body under it. A line that starts with a kind of body
(bodies.toml) starts a new body; any other line continues the one above.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache

from extractors.abbreviations import expand_abbreviations
from extractors.lines import Line, is_upper
from extractors.ocr_repair import bare
from extractors.tables import entries, phrase_pattern


@cache
def _kinds() -> list[tuple[list[str], str, str]]:
    """(words folded, canonical name, what follows) — longest first, for greedy matching."""
    out = [
        (spelling.casefold().split(), e["name"], e.get("then", "field"))
        for e in entries("bodies", "kind")
        for spelling in [e["name"], *e.get("ocr", [])]
    ]
    return sorted(out, key=lambda k: -len(k[0]))


@cache
def _localities() -> list[tuple[list[str], list[str]]]:
    """(words folded as printed, canonical words), longest first."""
    out = [
        (spelling.casefold().split(), e["name"].split())
        for e in entries("bodies", "locality")
        for spelling in [e["name"], *e.get("abbreviations", [])]
    ]
    return sorted(out, key=lambda w: -len(w[0]))


@cache
def titles() -> list[str]:
    """Canonical office-holder titles, longest first."""
    return sorted((e["name"] for e in entries("bodies", "title")), key=lambda t: -len(t))


_LOWER_ALWAYS = {"và", "các", "của", "thuộc", "trực", "về"}
_SEPARATORS = {"và", "-", ",", "&"}


def _match(words: list[str], i: int, phrase: list[str]) -> bool:
    return [w.casefold() for w in words[i : i + len(phrase)]] == phrase


def case_body_name(name: str) -> str:
    """Sentence case for a body name printed in capitals; other text only loses abbreviations."""
    expanded = expand_abbreviations(name)
    if not is_upper(name):
        return expanded
    words = re.findall(r"[-,&]|[^\s,\-&]+", expanded)
    out: list[str] = []
    mode = "field"  # field: capitalise the first word of each conjunct; place: every word
    first_of_conjunct = True
    i = 0
    kind_may_start = True  # a kind starts the name, follows another kind, or follows "và", "-"
    while i < len(words):
        kind = kind_may_start and next((k for k in _kinds() if _match(words, i, k[0])), None)
        if kind:
            out.append(kind[1])
            i += len(kind[0])
            mode, first_of_conjunct = kind[2], True
            continue
        kind_may_start = False
        loc = next((w for w in _localities() if _match(words, i, w[0])), None)
        if loc:
            out.extend(loc[1])
            i += len(loc[0])
            mode = "place"
            continue
        w = words[i]
        low = w.casefold()
        if low in _SEPARATORS:
            out.append(low)
            first_of_conjunct = mode == "field"
            kind_may_start = True
        elif low in _LOWER_ALWAYS:
            out.append(low)
            first_of_conjunct = False
        elif mode == "place" or first_of_conjunct:
            out.append(w[:1].upper() + w[1:].lower())
            first_of_conjunct = False
        else:
            out.append(low)
        i += 1
    return re.sub(r"\s+([,])", r"\1", " ".join(out))


@cache
def _spellings() -> tuple[list[tuple[list[str], list[str]]], list[tuple[list[str], list[str]]]]:
    """(bare words, printed words) of the fields and of the provinces, longest first."""
    def table(name: str) -> list[tuple[list[str], list[str]]]:
        out = [(bare(n).split(), n.split()) for e in entries("bodies", name) for n in e["names"]]
        return sorted(out, key=lambda w: -len(w[0]))
    return table("field"), table("province")


# a word with no letter or digit of a name: a speck OCR put among the words ("Bộ Giáo 2 đục")
_SPECK = re.compile(r"^(?:[^\w]|\d)$")
_PROVINCE_LEVELS = ("tỉnh", "phố")  # "tỉnh Cao Bằng", "thành phố Đà Nẵng"


def repair_body_name(name: str) -> str:
    """A body name with the marks of its known words put back (bodies.toml [[field]], [[province]]):
    'Sở Giao dục và Đao tạo' -> 'Sở Giáo dục và Đào tạo', 'tỉnh Cao Bảng' -> 'tỉnh Cao Bằng'; a
    speck among those words and a full stop after the name go ('Bộ Giáo 2 đục', 'Đào tạo.')."""
    words = name.rstrip(" .").split()
    fields, provinces = _spellings()
    out: list[str] = []
    i = 0
    while i < len(words):
        candidates = fields + (provinces if out and out[-1].casefold() in _PROVINCE_LEVELS else [])
        found = next((hit for known in candidates if (hit := _match_bare(words, i, known))), None)
        if found:
            out += found[1]
            i = found[0]
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _match_bare(words: list[str], i: int, known: tuple[list[str], list[str]]) -> tuple[int, list[str]] | None:
    """(index after the match, printed words) when words[i:] start with the known words, compared
    bare, one speck between two of them skipped; None otherwise."""
    want, printed = known
    j = i
    for k, w in enumerate(want):
        if k > 0 and j < len(words) and _SPECK.match(words[j]) and j + 1 < len(words):
            j += 1
        if j >= len(words) or bare(words[j].rstrip(",")) != w.rstrip(","):
            return None
        j += 1
    return j, printed


def is_bare_kind(name: str) -> bool:
    """A kind of body and nothing more ("VĂN PHÒNG", "Ban", "SỞ"): the start of a name, not a name."""
    words = expand_abbreviations(name).split()
    return any(_match(words, 0, k[0]) and len(words) == len(k[0]) for k in _kinds())


def starts_body(line: str) -> bool:
    words = expand_abbreviations(line).split()
    return any(_match(words, 0, k[0]) for k in _kinds())


def group_body_lines(lines: list[Line]) -> list[Line]:
    """Header lines of the issuing block, grouped into one Line per body (parent first)."""
    groups: list[list[Line]] = []
    for line in lines:
        if groups and (not starts_body(line.text) or is_bare_kind(" ".join(ln.text for ln in groups[-1]))):
            groups[-1].append(line)  # "VĂN PHÒNG" / "CHÍNH PHỦ": a kind alone names no body yet
        else:
            groups.append([line])
    return [Line(g[0].start, g[-1].end, " ".join(ln.text.strip() for ln in g)) for g in groups]


@cache
def central_cities() -> frozenset[str]:
    """The cities run by the centre (the [[province]] names of bodies.toml marked `central`): 'thành
    phố X' where a list of provinces and cities names them alone."""
    return frozenset(n for e in entries("bodies", "province") if e.get("central") for n in e["names"])


@cache
def place_level() -> str:
    """The levels of local government (tỉnh, thành phố, huyện, ..., đặc khu) as a regex, from the
    [[locality]] entries of bodies.toml: the one list every module matches them with."""
    return phrase_pattern(e["name"] for e in entries("bodies", "locality"))


@cache
def _level_mention() -> re.Pattern[str]:
    return re.compile(
        r"(?<!các )(?:Ủy ban nhân dân|UBND|Chủ tịch UBND|Chủ tịch Ủy ban nhân dân|Hội đồng nhân dân|HĐND)"
        r"\s+(" + place_level() + r")(?=[\s,.;:)]|$)(?P<next>\s+\w)?",
    )


def own_level(text: str) -> str | None:
    """The place level a letter calls its own issuer by ('UBND huyện' -> 'huyện').

    Bare mentions ("Chủ tịch UBND huyện yêu cầu") name the issuer itself; "các xã" or a
    named place ("huyện Cẩm Mỹ") name others.
    """
    counts = Counter(
        m.group(1) for m in _level_mention().finditer(text) if not (m.group("next") or "").strip().isupper()
    )
    return counts.most_common(1)[0][0] if counts else None
