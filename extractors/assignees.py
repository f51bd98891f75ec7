"""Who is told to act: names of bodies and office-holders where a task names them.

A name starts with a head from the gazetteer (assignees.toml: a title such as "Chủ tịch",
"Giám đốc", "Thủ trưởng", or a kind of body such as "Sở", "UBND", "Văn phòng"), optionally
after "các", and runs until an action word ("tổ chức", "tăng cường", "đề xuất" ...), a
qualifier ("theo chức năng, nhiệm vụ") or a stop (":", "(", end of sentence). A run of
names is split where a new head starts: "Thủ trưởng các cơ quan, đơn vị, Chủ tịch UBND các
xã, thị trấn" is two names, while "các Sở, ban, ngành" and "các cơ quan, đơn vị thuộc và
trực thuộc Sở" stay whole, and "Văn phòng HĐND và UBND huyện" is one office.

Names are read as printed, with three things a reader does without thinking:
  - a capitalised word inside a name is part of it even when it is also a verb: "Sở Xây
    dựng", "Bộ Công Thương", "Ban Tổ chức";
  - a web copy's hard line wrap inside a name is a space ("Sở Văn hóa, Thể thao và\\nDu
    lịch"), while a line that ends a complete name ends it;
  - a title shared by a list is given to each item: "Chủ tịch UBND các tỉnh: A, B" is
    "Chủ tịch UBND tỉnh A" and "Chủ tịch UBND tỉnh B".
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, cast

from extractors.abbreviations import expand_abbreviations
from extractors.bodies import central_cities, place_level
from extractors.tables import entries, phrase_pattern


@dataclass(frozen=True)
class Name:
    text: str
    start: int
    end: int


def _words_pattern(words: str) -> str:
    """One phrase as a regex (tables.phrase_pattern, the one builder): its spaces match any white space."""
    return phrase_pattern([words])


class _Hit:
    """A phrase found by a _PhraseIndex, with the parts of re.Match the readers use."""

    __slots__ = ("_start", "_end", "lastgroup")

    def __init__(self, start: int, end: int, label: str) -> None:
        self._start, self._end, self.lastgroup = start, end, label

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, label: str) -> bool:
        return self.lastgroup == label


_WORD = re.compile(r"\w+")
_AND = re.compile(r"và\s")
_CAC = re.compile(r"[Cc]ác\s+")


class _PhraseIndex:
    """Phrases looked up by their first word, each tried with its own small regex: one alternation
    of a hundred case-insensitive phrases scans text slowly. Candidates of a word are tried in the
    order they were added (earlier labels first, longest first within a label); `after_cac` heads
    are those that match in lower case only after "các" ("các sở, ban, ngành")."""

    def __init__(self, plural: bool = False) -> None:
        self._by_word: dict[str, list[tuple[re.Pattern[str], str, bool, bool]]] = {}
        self._plural = plural  # an optional "các" before the phrase belongs to the match
        self._keys: set[str] = {"các"} if plural else set()

    @property
    def keys(self) -> frozenset[str]:
        """The first words of the phrases, in lower case."""
        return frozenset(self._keys)

    def add(self, first_words: list[str], pattern: str, label: str, *, flags: int = re.I, after_cac: bool = False,
            whole_word: bool = True, named: bool = False) -> None:
        compiled = re.compile(rf"(?:{pattern})(?!\w)" if whole_word else pattern, flags)
        for word in first_words:
            self._by_word.setdefault(word.casefold(), []).append((compiled, label, after_cac, named))
            self._keys.add(word.casefold())

    def match(self, text: str, pos: int = 0, end: int | None = None) -> _Hit | None:
        end = len(text) if end is None else end
        if self._plural and (cac := _CAC.match(text, pos, end)):
            if hit := self._at(text, cac.end(), end, plural=True):
                return _Hit(pos, hit.end(), hit.lastgroup)
        return self._at(text, pos, end, plural=False)

    def _at(self, text: str, pos: int, end: int, plural: bool) -> _Hit | None:
        word = _WORD.match(text, pos, end)
        if not word:
            return None
        for pattern, label, after_cac, named in self._by_word.get(word.group().casefold(), ()):
            if after_cac and not plural:
                continue
            if (m := pattern.match(text, pos, end)) and not (named and _common_noun_follows(text, m.end(), end)):
                return _Hit(pos, m.end(), label)
        return None

    def fullmatch(self, text: str) -> bool:
        hit = self.match(text, 0)
        return hit is not None and hit.end() == len(text)

    def finditer(self, text: str, start: int, end: int) -> Iterator[_Hit]:
        """Every phrase in text[start:end] that begins a word, left to right, without overlaps."""
        pos = start
        for w in self._candidates(text, start, end):
            if w >= pos and (hit := self.match(text, w, end)):
                yield hit
                pos = hit.end()

    def _candidates(self, text: str, start: int, end: int) -> Iterable[int]:
        """Where a word that may begin a phrase begins: by finding the few first words in the lower-case
        text, or by walking the words when there are many first words."""
        if len(self._keys) <= _FEW_KEYS and (lower := _lower(text)) is not None:
            found = set()
            for key in self._keys:
                at = lower.find(key, start, end)
                while at >= 0:
                    if (at == 0 or not lower[at - 1].isalnum()) and not lower[at + len(key) : at + len(key) + 1].isalnum():
                        found.add(at)
                    at = lower.find(key, at + 1, end)
            return sorted(found)
        keys = self._keys
        lower = _lower(text)
        if lower is None:
            return (w.start() for w in _WORD.finditer(text, start, end) if w.group().casefold() in keys)
        return (w.start() for w in _WORD.finditer(lower, start, end) if w.group() in keys)  # lazily: readers stop early

    def ends(self, text: str) -> bool:
        """A phrase that ends `text`: 'Giám đốc', 'Chánh Văn phòng'."""
        starts = [m.start() for m in _WORD.finditer(text)][-5:]
        return any((hit := self.match(text, p)) is not None and hit.end() == len(text) for p in starts)


# An index with at most this many first words finds them with str.find, not by walking the words.
_FEW_KEYS = 8


@lru_cache(maxsize=8)
def _lower(text: str) -> str | None:
    """The letter in lower case, when that keeps every offset."""
    lower = text.casefold()
    return lower if len(lower) == len(text) else None


def _common_noun_follows(text: str, pos: int, end: int) -> bool:
    """'bộ thẻ', 'Trường hợp', 'Hội nghị': a kind of body (`named`) followed by a word in lower case."""
    while pos < end and text[pos] == " ":
        pos += 1
    return pos < end and text[pos].islower() and not _AND.match(text, pos)  # "Báo và Phát thanh, Truyền hình"


def _first_words(phrase: str) -> list[str]:
    first = _WORD.match(phrase)
    assert first is not None, phrase
    return [first.group()]


def _head_index(items: list[dict]) -> _PhraseIndex:
    index = _PhraseIndex(plural=True)
    for e in sorted(items, key=lambda e: -len(e["words"])):
        pattern = _words_pattern(e["words"])
        named = bool(e.get("named"))
        if e.get("case") == "exact":
            index.add(_first_words(e["words"]), pattern, "head", flags=0, named=named)
            # after "các" a kind is often in lower case: "các sở, ban, ngành", "Các phòng, ban"
            index.add(_first_words(e["words"]), pattern, "head", after_cac=True, named=named)
        else:
            index.add(_first_words(e["words"]), pattern, "head", named=named)
    return index




@cache
def _heads() -> tuple[_PhraseIndex, _PhraseIndex]:
    """(any head, heads that start a new name inside a list), each after an optional 'các'."""
    heads = entries("assignees", "head")
    return _head_index(heads), _head_index([e for e in heads if e.get("split")])


@cache
def _bare_title() -> _PhraseIndex:
    return _head_index([e for e in entries("assignees", "head") if e.get("title")])


@cache
def _shared_title() -> _PhraseIndex:
    """A bare title that shares the body after it in a list ('Giám đốc, Thủ trưởng các Sở'); not one
    that names an office by itself ('Bộ trưởng, Thủ trưởng cơ quan ngang bộ' is two)."""
    return _head_index([e for e in entries("assignees", "head") if e.get("title") and not e.get("whole")])


@cache
def _collectives() -> _PhraseIndex:
    """Collective heads ('cơ quan', 'tổ chức, cá nhân'): after 'và' they start a new name when a
    title heads the name before ('Thủ trưởng các cơ quan, đơn vị và tổ chức, cá nhân có liên quan')."""
    return _head_index([e for e in entries("assignees", "head") if e.get("collective")])


def _alternation(items: list[dict]) -> str:
    """The heads as one regex, for the few patterns that embed them (a listed kind)."""
    parts = []
    for e in sorted(items, key=lambda e: -len(e["words"])):
        p = _words_pattern(e["words"])
        parts.append(f"(?:{p}|(?<=ác )(?i:{p}))" if e.get("case") == "exact" else f"(?i:{p})")
    return "|".join(parts)


@cache
def _noun_actions() -> frozenset[str]:
    return frozenset(w.casefold() for e in entries("assignees", "action") if e.get("noun") for w in e["words"])


@cache
def _predicates() -> _PhraseIndex:
    """Where a name stops: qualifiers (label 'qualifier'), action words ('action') and words that
    only end a name ('boundary'); nouns that hold an action word ('việc làm', 'công trình') are
    tried first ('noun') so that their verb does not end the name."""
    index = _PhraseIndex()
    for e in entries("assignees", "qualifier"):
        index.add(e["starts"], e["pattern"], "qualifier")
    phrases = [("noun", w) for e in entries("assignees", "compound") for w in e["words"]]
    phrases += [("action", w) for e in entries("assignees", "action") for w in e["words"]]
    phrases += [("finding" if e.get("finding") else "boundary", w) for e in entries("assignees", "boundary") for w in e["words"]]
    order = {"noun": 0, "action": 1, "finding": 1, "boundary": 1}  # nouns first, then the longest phrase
    for label, w in sorted(set(phrases), key=lambda p: (order[p[0]], -len(p[1]))):
        index.add(_first_words(w), _words_pattern(w), label)
    return index


@cache
def _openers() -> re.Pattern[str]:
    """Words that open a fronted phrase ('Căn cứ ...,', 'Để ...,', 'Về ...:'); never inside a name.
    Group 'condition': those whose actor comes after 'thì' ('Nếu ... thì X ...')."""
    def alternation(condition: bool) -> str:
        return phrase_pattern(e["words"] for e in entries("assignees", "opener") if bool(e.get("condition")) == condition)

    return re.compile(rf"(?:(?P<condition>{alternation(True)})|(?P<plain>{alternation(False)}))(?!\w)", re.I)


@cache
def _honorific() -> re.Pattern[str]:
    return re.compile(phrase_pattern((e["words"] for e in entries("assignees", "honorific")), ignore_case=True) + r"\s+")


@cache
def _kinds_named_by_action() -> tuple[str, ...]:
    """Body kinds whose own name may begin with an action word in lower case: "Ban chỉ đạo", "Tổ kiểm tra"."""
    return tuple(f" {e['words']}" for e in entries("assignees", "head") if e.get("action_named"))


def _ends_with_kind_named_by_action(before: str) -> bool:
    """'... Phòng' before 'quản lý đô thị' is the kind of a body named by its work, but not the end of a
    place named in capitals ('thành phố Hải Phòng' before 'hướng dẫn'): a kind follows no capitalised word."""
    for kind in _kinds_named_by_action():
        if before.endswith(kind):
            word_before = before[: -len(kind)].rsplit(None, 1)[-1:]
            return not (word_before and word_before[0].istitle())
    return False


# A list closed by its qualifier: after "các đơn vị có liên quan," a verb that is also a head is the verb
# ("..., tổ chức khảo sát"), where in "cơ quan, tổ chức có liên quan" it is a noun.
_CLOSED_LIST = re.compile(r"\bliên\s+quan\s*,\s*$")
# Where a word can only be a noun: "các tổ chức", "cơ quan, tổ chức".
_NOUN_CONTEXT = re.compile(r"(?:\b(?:các|những|và)|,)\s*$", re.I)
# Marks that end a name on its line: a label colon, a parenthesis, a footnote mark, the end of a sentence.
_STOP = re.compile(r"[:(!?\n\[]|\.(?:\s|$)")
# What a new line starts with when it is a new item: a dash, a bullet or a label ("2.", "b)", "(iii)").
_ITEM_START = re.compile(r"[-+•*]|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[ivx]{1,5}|[IVX]{1,5})[.)]|Điều\s+\d")
# Words a name can go on from over a line break: "Sở Văn hóa, Thể thao và\nDu lịch".
_CONTINUES = re.compile(r"(?:,|-|\b(?:và|các|của|thuộc|trực thuộc))$")
_OFFICE_OF = re.compile(r"^(?:Chánh\s+|Phó\s+Chánh\s+)?Văn\s+phòng\s+(?:HĐND|UBND|Hội\s+đồng\s+nhân\s+dân|Ủy\s+ban\s+nhân\s+dân|Tỉnh\s+ủy|Huyện\s+ủy)$", re.I)
_SEPARATOR = re.compile(r"\s*;\s*|\s*,\s*|\s+(?:và|cùng|hoặc)\s+")
_SPACES = re.compile(r"\s+")
# A plural 'các' before a verb or head: matched in place (a slice of the text to its end, once for
# every word tried, made a letter without line breaks quadratic).
_LEADING_CAC = re.compile(r"(?:[Cc]ác\s+)?")


def starts_with_action(text: str, pos: int, end: int) -> bool:
    """'Tổ chức kiểm tra', 'Báo cáo kết quả': a verb that begins like a head ('Tổ', 'Báo')."""
    return _starts_with(("action",), text, pos, end)


def _starts_with(groups: tuple[str, ...], text: str, pos: int, end: int) -> bool:
    m = cast(re.Match[str], _LEADING_CAC.match(text, pos, end))  # matches always, maybe empty
    a = _predicates().match(text, m.end(), end)
    return a is not None and any(a.group(g) for g in groups) and not _head_fully_covers(text, pos, end, a.end())


def _no_name_at(text: str, pos: int, end: int) -> bool:
    """A verb or a phrase like 'Trường hợp' where a head would begin ('Trường')."""
    return _starts_with(("action", "boundary", "finding"), text, pos, end)


def _head_fully_covers(text: str, pos: int, end: int, action_end: int) -> bool:
    """'Cơ quan chủ trì', 'Tổ chức chính trị - xã hội': a head longer than the verb inside it;
    'các tổ chức', 'tổ chức, cá nhân': a word that is a verb and a head is a noun after 'các' or in a list."""
    h = _heads()[0].match(text, pos, end)
    if not h or h.end() < action_end:
        return False
    return h.end() > action_end or text[pos:h.start() + 4].casefold().startswith("các ") or text.startswith(",", h.end())


def starts_name(text: str, pos: int) -> bool:
    return bool(_heads()[0].match(text, pos)) and not _no_name_at(text, pos, len(text))


def read_names(text: str, pos: int, end: int | None = None) -> list[Name]:
    """The names that start exactly at `pos`, up to where the sentence goes on to the action."""
    names, _ = read_subject(text, pos, end)
    return names


def read_subject(text: str, pos: int, end: int | None = None) -> tuple[list[Name], bool]:
    """The names that start at `pos`, and whether a predicate (an action or a qualifier) follows them."""
    end = len(text) if end is None else end
    if (m := _honorific().match(text, pos, end)) and _heads()[0].match(text, m.end(), end) \
            and _bare_title().match(text, m.end(), end):
        # "Các đồng chí Bộ trưởng" names the Bộ trưởng: the title as printed after the honorific, its span
        # the title's own (a name is always the text at its span)
        return read_subject(text, m.end(), end)
    if m := _kind_list().match(text, pos, end):
        return _kind_list_names(text, m, end)
    head = _heads()[0].match(text, pos, end)
    if not head or _no_name_at(text, pos, end):
        return [], False
    stop, how = _phrase_end(text, pos, head.end(), end)
    if how == "finding":
        return [], False  # "Ban Bí thư cơ bản nhất trí với ...": a finding, not an actor
    phrase_end = pos + len(text[pos:stop].rstrip(" ,;-\n"))
    names = split_names(text, pos, phrase_end)
    if names and (m := _kind_list().match(text, names[-1].start, end)):
        names[-1:], listed_predicate = _kind_list_names(text, m, end)  # "...; Giám đốc các Sở: Nội vụ, Tài chính"
        return names, listed_predicate
    if how == "stop" and text.startswith("(", stop) and (close := text.find(")", stop, end)) > 0:
        # "Trung tâm Dịch vụ việc làm Thành phố (Sở Nội vụ), Ủy ban nhân dân xã, ...": a list goes on after a note
        if (sep := re.compile(r"\s*,\s*|\s+và\s+").match(text, close + 1, end)) and starts_name(text, sep.end()):
            more, predicate = read_subject(text, sep.end(), end)
            return names + more, predicate
    if how == "qualifier":
        # "Sở Nội vụ, các sở, ban, ngành trong phạm vi chức năng, nhiệm vụ của mình và các cơ quan ..."
        q = _predicates().match(text, stop, end)
        assert q is not None
        if (sep := re.compile(r"\s*,\s*|\s+và\s+").match(text, q.end(), end)) and starts_name(text, sep.end()):
            more, predicate = read_subject(text, sep.end(), end)
            return names + more, predicate
    return names, how in ("action", "qualifier")


def _span(name: Name) -> tuple[int, int]:
    return name.start, name.end


@cache
def _kind_list() -> re.Pattern[str]:
    """A title or body shared by a list of fields or places after a colon: 'Các Bộ: Quốc phòng, Công
    an', 'Giám đốc các Sở: Nội vụ, Tài chính', 'Chủ tịch UBND các tỉnh: Đắk Lắk, Gia Lai'."""
    heads = entries("assignees", "head")
    titles = _alternation([e for e in heads if e.get("title")])
    places = _alternation([e for e in heads if e.get("of_place")])
    kinds = _alternation([e for e in heads if e.get("listed")])
    levels = place_level()
    return re.compile(
        rf"(?P<prefix>(?:(?:{titles})\s+)?(?:(?:{places})\s+)?)[Cc]ác\s+"
        rf"(?P<kind>{kinds}|(?:{levels})|{_PROVINCES_AND_CITIES})\s*:\s*"
    )


# "các tỉnh, thành phố (trực thuộc Trung ương): A, B, C": each place is a province, or one of the cities
# run by the centre (bodies.central_cities), named on the same line (before a line break the colon
# opens the items of a lead-in: "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:\na) ...")
_PROVINCES_AND_CITIES = (r"(?P<provinces>tỉnh\s*,\s*thành\s+phố(?:\s+trực\s+thuộc\s+Trung\s+ương)?"
                         r"(?=\s*:[ ]*[^\W\d_a-zđ]))")


_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+và\s+")


@cache
def _compound_fields() -> re.Pattern[str]:
    """Field names that hold a comma or 'và' themselves ('Văn hóa, Thể thao và Du lịch')."""
    return re.compile(phrase_pattern((e["name"] for e in entries("assignees", "field")), ignore_case=True))


def _kind_list_names(text: str, m: re.Match[str], end: int) -> tuple[list[Name], bool]:
    """The names of a listed kind, and whether a predicate follows the list."""
    stop, how = _phrase_end(text, m.end(), m.end(), end)
    predicate = how in ("action", "qualifier")
    rest: list[Name] = []
    sep: re.Match[str] | None
    # "...: Nội vụ, Tài chính; Thủ trưởng các cơ quan ...": the list ends where a new name starts
    for sep in _LIST_SEPARATOR.finditer(text, m.end(), stop):
        new_name = sep.group().strip() == ";" or _bare_title().match(text, sep.end(), stop)
        if new_name and _heads()[0].match(text, sep.end(), stop) and not _no_name_at(text, sep.end(), stop):
            rest, predicate = read_subject(text, sep.end(), end)
            stop = sep.start()
            break
    stop = m.end() + len(text[m.end() : stop].rstrip(" ,;.-\n"))

    def kind_of(item: str) -> str:
        if not m.group("provinces"):
            return m.group("kind")
        if re.match(place_level(), item, re.I):
            return ""  # "Thành phố Hồ Chí Minh" in the list names its own level
        return "thành phố" if item in central_cities() else "tỉnh"

    def prefix_for(item: str) -> str:
        prefix = " ".join(f"{m.group('prefix')} {kind_of(item)}".split())
        if prefix[:1].islower():
            prefix = prefix[0].upper() + prefix[1:]  # "các Bộ: Quốc phòng" -> "Bộ Quốc phòng"
        return prefix

    protected = [c.span() for c in _compound_fields().finditer(text, m.end(), stop)]
    names, cur = [], m.end()
    seps = [s for s in _LIST_SEPARATOR.finditer(text, m.end(), stop) if not any(a < s.start() < b for a, b in protected)]
    for sep in [*seps, None]:
        item_end = sep.start() if sep else stop
        if item := _SPACES.sub(" ", text[cur:item_end].strip()):
            names.append(Name(f"{prefix_for(item)} {item}".strip(), cur, item_end))
        if sep:
            cur = sep.end()
    return names + rest, predicate


def _soft_break(text: str, pos: int, nl: int, end: int) -> bool:
    """A line break inside a name, as web copies wrap lines: the name so far cannot end there."""
    nxt = nl + 1
    if nxt >= end or text[nxt] in "\n " or text[nl - 1] in ".;:!?)":
        return False
    if _ITEM_START.match(text, nxt) or _openers().match(text, nxt):
        return False
    so_far = text[pos:nl].rstrip()
    last_word = so_far.rsplit(None, 1)[-1] if so_far else ""
    return bool(_CONTINUES.search(so_far) or last_word[:1].isupper() or _heads()[0].ends(so_far))


def _phrase_end(text: str, pos: int, after: int, end: int) -> tuple[int, str]:
    """Where a name begun at `pos` stops, and why: at an 'action', a 'qualifier' or a 'stop' mark."""
    stop = end
    search_from = after
    m: Any  # a stop's match, then a predicate's hit
    while m := _STOP.search(text, search_from, end):
        if m.group() == "\n" and _soft_break(text, pos, m.start(), end):
            search_from = m.end()
            continue
        stop = m.start()
        break
    skip_to = after
    for m in _predicates().finditer(text, after, stop):
        if m.start() < skip_to or m.group("noun"):
            continue
        if m.group("qualifier"):
            return m.start(), "qualifier"
        if (r := _relative().match(text, m.start(), stop)) and (p := _relative_end(text, r.end(), stop)):
            skip_to = p  # "Thủ trưởng các đơn vị được giao nhiệm vụ ... | chịu trách nhiệm"
            continue
        before = " " + text[pos : m.start()]
        if m.group("action") and _ends_with_kind_named_by_action(before.rstrip()):
            continue
        if _SPACES.sub(" ", text[m.start() : m.end()].casefold()) in _noun_actions() and (noun := _NOUN_CONTEXT.search(before)):
            # after "các", "những", "và" a verb of the kind is a noun ("các báo cáo"); after a comma only a
            # head is ("cơ quan, tổ chức có liên quan", not "Sở Tài chính, báo cáo UBND")
            if noun.group().strip() != "," or (_heads()[0].match(text, m.start(), stop) and not _CLOSED_LIST.search(before)):
                continue
        if text[m.start()].isupper() and text[m.start() - 1] == " " and not _after_break(text, m.start()):
            continue  # "Sở Xây dựng", "Bộ Công Thương": a capitalised word inside the name
        return m.start(), m.lastgroup
    return stop, "stop"


@cache
def _relative() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{e['pattern']})" for e in entries("assignees", "relative_clause")), re.I)


@cache
def _relative_predicates() -> re.Pattern[str]:
    words = phrase_pattern((w for e in entries("assignees", "relative_clause") for w in e["until"]), ignore_case=True)
    return re.compile(rf"(?<!\w){words}(?!\w)")


def _relative_end(text: str, pos: int, stop: int) -> int | None:
    """Where the predicate after a relative clause begins ('được giao chủ trì | có trách nhiệm')."""
    m = _relative_predicates().search(text, pos, stop)
    return m.start() if m else None


def _after_break(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    return i < 0 or text[i] == "\n"


def split_names(text: str, start: int, end: int) -> list[Name]:
    names: list[Name] = []
    split_head = _heads()[1]
    cur = start
    for sep in _SEPARATOR.finditer(text, start, end):
        right = sep.end()
        left_text = text[cur : sep.start()]
        is_and = sep.group(0).strip() in ("và", "cùng", "hoặc")
        if sep.group(0).strip() == ";":
            ok = bool(_heads()[0].match(text, right, end))
        elif is_and:
            ok = (split_head.match(text, right, end) or text.startswith(("các ", "Các "), right)) and not _OFFICE_OF.match(left_text)
            # "Sở Xây dựng và đơn vị có liên quan", "Thủ trưởng các cơ quan, đơn vị và tổ chức, cá nhân có
            # liên quan": collectives after a body or a title are a name of their own
            ok = ok or bool(_collectives().match(text, right, end) and not _collectives().match(text, cur, end))
        else:
            ok = bool(split_head.match(text, right, end))
            # "Đài Phát thanh và Truyền hình Thành phố, cơ quan thông tấn báo chí": collectives after a named body
            ok = ok or bool(_collectives().match(text, right, end) and _names_a_body(text, cur, end))
        if ok and _shared_title().fullmatch(_SPACES.sub(" ", left_text.strip())) and not is_and:
            ok = False  # "Giám đốc, Thủ trưởng các Sở, ban, ngành": a bare title shares what follows
        if ok and left_text.strip():
            names.append(Name(_SPACES.sub(" ", left_text.strip()), cur, sep.start()))
            cur = right
    if text[cur:end].strip():
        names.append(Name(_SPACES.sub(" ", text[cur:end].strip()), cur, end))
    return names


@cache
def _cue(role: str) -> _PhraseIndex:
    """The [[cue]] patterns of one role, each followed by a space or a colon: 'ask' ('Giao', 'Đề nghị:'),
    'label' ('Đối với X:'), 'support' ('phối hợp với')."""
    index = _PhraseIndex()
    for e in entries("assignees", "cue"):
        if e["role"] == role:
            index.add(e["starts"], rf"(?:{e['pattern']})(?:\s*:\s*|\s+)", role, whole_word=False)
    return index


def cue_end(role: str, text: str, pos: int, end: int) -> int | None:
    """Where the cue of that role that starts at `pos` ends, if one does."""
    m = _cue(role).match(text, pos, end)
    return m.end() if m else None


def cues(role: str, text: str, start: int, end: int) -> list[int]:
    """The ends of every cue of that role in text[start:end]."""
    return [m.end() for m in _cue(role).finditer(text, start, end)]


# Where a clause of a sentence ends, for reading its subject.
_SENTENCE_END = re.compile(r"\.(?=\s)|\n|$")
# Where the actor may come after a fronted phrase: "Về ...: giao X", "Căn cứ ..., X ...",
# "Đối với ... thì X ...", "Về ...: A ...; giao X ...".
_AFTER_FRONT = re.compile(r"[,:;]\s+|\s+thì\s+")


def sentence_end(text: str, start: int, end: int) -> int:
    pos = start
    while m := _SENTENCE_END.search(text, pos, end):
        if m.group() == "\n" and _soft_break(text, start, m.start(), end):
            pos = m.end()
            continue
        return min(m.start(), end)
    return end


def find_actor(text: str, start: int, end: int) -> list[Name]:
    """Who the sentence that starts at `start` tells to act: its subject ("Sở Nội vụ chủ trì"),
    whom it asks ("Đề nghị Sở Nội vụ ..."), or the actor after a fronted topic or adverbial
    ("Về ...: giao X ...", "Căn cứ ..., X thực hiện ...")."""
    word = _WORD.match(text, start, end)
    if not word or word.group().casefold() not in _actor_first_words():
        return []
    stop = sentence_end(text, start, end)
    if names := _actor_at(text, start, stop, need_predicate=False):
        return names
    if opener := _opener_at(text, start, stop):
        boundaries = list(_AFTER_FRONT.finditer(text, opener.end(), stop))
        if opener.lastgroup == "condition" and (then := [b for b in boundaries if b.group().strip() == "thì"]):
            boundaries = then  # "Khi trình UBND thành phố, Chủ tịch ... xem xét, nếu ... thì | X có trách nhiệm"
        spans = _NameSpans(text, opener.end(), stop)
        for b in boundaries:
            if spans.cover(b.start()):
                continue  # "Trên cơ sở đề nghị của các Bộ, | cơ quan liên quan, ...": a comma inside a name
            if b.group().strip() == ":" and cue_end("ask", text, b.end(), stop) is None and starts_with_action(text, b.end(), stop):
                break  # "Về thi công: | chỉ đạo Ban Quản lý dự án, các nhà thầu ...": the clause has begun
            if names := _actor_at(text, b.end(), stop, need_predicate=True):
                return names
    return []


class _NameSpans:
    """The names that begin in a fronted phrase, read as far as they are asked about."""

    def __init__(self, text: str, start: int, stop: int) -> None:
        self._text, self._stop = text, stop
        self._heads = _heads()[0].finditer(text, start, stop)
        self._spans: list[tuple[int, int]] = []
        self._next: _Hit | None = next(self._heads, None)

    def cover(self, pos: int) -> bool:
        """A name begun before `pos` runs over it."""
        while self._next is not None and self._next.start() < pos:
            h, self._next = self._next, next(self._heads, None)
            if not (self._spans and h.start() < self._spans[-1][1]):
                self._spans += [(n.start, n.end) for n in read_names(self._text, h.start(), self._stop)]
        return any(a < pos < z for a, z in self._spans)


@cache
def _actor_first_words() -> frozenset[str]:
    """The words a sentence that names its actor can begin with: a head, a cue that asks, an opener."""
    words = set(_heads()[0].keys) | set(_cue("ask").keys)
    words |= {w.casefold() for e in entries("assignees", "opener") for w in _first_words(e["words"])}
    return frozenset(words)


def _opener_at(text: str, pos: int, stop: int) -> re.Match[str] | None:
    """A fronted phrase's first words, unless they begin a longer verb ('Theo' in 'Theo dõi')."""
    m = _openers().match(text, pos, stop)
    if not m:
        return None
    verb = _predicates().match(text, pos, stop)
    return None if verb and verb.group("action") and verb.end() > m.end() else m


def _actor_at(text: str, pos: int, stop: int, need_predicate: bool) -> list[Name]:
    if (after := cue_end("ask", text, pos, stop)) is not None:
        return read_names(text, after, stop)
    if not starts_name(text, pos):
        return []
    names, predicate = read_subject(text, pos, stop)
    if names and (after := cue_end("ask", text, _skip_spaces(text, names[-1].end), stop)) is not None:
        return read_names(text, after, stop)  # "Sở Giáo dục và Đào tạo đề nghị | UBND các xã, phường ..."
    return names if predicate or not need_predicate else []


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


# A new sentence: after a full stop, or on a new line.
_NEXT_SENTENCE = re.compile(r"\.\s+(?=[^\W\d_])|\n+")


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Where the sentences of text[start:end] begin. A line break is a new sentence after closing
    punctuation, at a blank line or before an item; after running text it is a web copy's wrap
    ("Bộ Nội vụ đã hướng dẫn\nSở Nội vụ các tỉnh ...")."""
    return [start, *later_sentence_starts(text, start, end)]


def later_sentence_starts(text: str, start: int, end: int) -> Iterator[int]:
    """sentence_starts after the first, one at a time: the next one costs only the text up to it."""
    for m in _NEXT_SENTENCE.finditer(text, start, end):
        if m.end() >= end:
            break
        if m.group().startswith("\n"):
            last = m.start() - 1
            while last >= start and text[last] == " ":
                last -= 1
            closed = last >= start and text[last] in ".;:!?)"
            if not (m.group().count("\n") > 1 or closed or _ITEM_START.match(text, m.end())):
                continue
        yield m.end()


def later_actors(text: str, start: int, end: int) -> list[Name]:
    """The bodies named as actors of the sentences after the first one: "... Trên cơ sở đó, Bộ Tư
    pháp tổng hợp"; not a role the item describes ("Đơn vị được lấy ý kiến có trách nhiệm trả lời")."""
    out: list[Name] = []
    for pos in sentence_starts(text, start, end)[1:]:
        out += [n for n in find_actor(text, pos, end) if is_specific(n.text) and not _titled_collective(n.text)]
    return out


def _titled_collective(name: str) -> bool:
    """'thủ trưởng cơ quan, đơn vị trình văn bản': a title over a collective, no body named."""
    title = _bare_title().match(name)
    return title is not None and bool(_collectives().match(name, _skip_spaces(name, title.end())))


def _names_a_body(text: str, pos: int, end: int) -> bool:
    """The name at `pos` begins with a kind of body ('Sở', 'Đài', 'Bộ'), not with a title, a collective or 'các'."""
    if text.startswith(("các ", "Các "), pos):
        return False
    h = _heads()[0].match(text, pos, end)
    return bool(h) and not _bare_title().match(text, pos, end) and not _collectives().match(text, pos, end)


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
