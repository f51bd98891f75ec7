"""Obligations: one per clause whose own text tells someone to do something.

Walking the clause tree, each clause gets its assignees from, in order: its own heading
("2. Giao Phòng Nội vụ", "1. Chủ tịch UBND các xã, thị trấn"), its own subject ("Giám đốc
Sở Nội vụ đề xuất ...", "Phòng Nội vụ: Chịu trách nhiệm ..."), the lead-in before its list
("Đề nghị Thủ trưởng ... thực hiện các nhiệm vụ sau:"), its parent's, and last the Kính gửi
addressees (flagged for review). Not obligations: lead-ins and headings that only introduce
sub-items, findings under a "tồn tại, hạn chế" lead-in, aims and background sections
("MỤC ĐÍCH, YÊU CẦU"), and the closing formula ("Đề nghị ... nghiêm túc thực hiện./.").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from typing import cast

from schemas import Assignee, Clause, Document, DocumentLink, Obligation, Span
from schemas.models import Role

from extractors.assignees import Name, is_specific, normalized_name, read_names, starts_name, starts_with_action
from extractors.bodies import place_level
from extractors.deadlines import find_deadlines, is_limit_item, pass_down_deadlines, primary_deadline
from extractors.implements import named_directive
from extractors.lines import is_upper, lines_of
from extractors.tables import entries
from extractors.targets import find_targets

_DIRECTIVE_PREFIX = re.compile(r"(?:Giao\s+(?:nhiệm\s+vụ\s+)?(?:cho\s+)?|Đề\s+nghị\s+|Yêu\s+cầu\s+)", re.I)
# "Đối với Sở Nội vụ:" names who the item is for only as a label; "Đối với cán bộ vi phạm thì ..." does not.
_LABEL_PREFIX = re.compile(r"(?:Đối\s+với|Về\s+phía)\s+", re.I)
_LEAD_IN_VERB = re.compile(r"\b(?:yêu\s+cầu|đề\s+nghị|giao(?:\s+cho)?|chỉ\s+đạo)\s+", re.I)
# A lead-in that asks for action, whether or not it names who.
_DIRECTIVE_INTRO = re.compile(
    r"\b(?:yêu\s+cầu|đề\s+nghị|giao|chỉ\s+đạo|nhiệm\s+vụ|triển\s+khai|thực\s+hiện\s+(?:các|một\s+số|tốt|nghiêm))\b", re.I
)
# An item that explains or quotes rather than orders ("Căn cứ tiết b khoản 3 ...", "Về việc ...").
_EXPLAINS = re.compile(r"(?:Căn\s+cứ|Theo|Tại|Về\s+việc|Về)\b")
_MODAL = re.compile(r"\b(?:phải|cần|đề\s+nghị|yêu\s+cầu|giao|chịu\s+trách\s+nhiệm|có\s+trách\s+nhiệm)\b", re.I)
_SUPPORT = re.compile(r"(?<!chủ động )\bphối\s+hợp\s+(?:chặt\s+chẽ\s+)?với\s+", re.I)
_ASSIGNEE_LABEL = re.compile(r"\s*:\s*")


@cache
def _patterns(table: str) -> list[re.Pattern[str]]:
    return [re.compile(e["pattern"], re.I) for e in entries("assignees", table)]


def _matches(table: str, text: str) -> bool:
    return any(p.search(text) for p in _patterns(table))


@dataclass
class Letter:
    """What the obligations of one letter need to know about it."""

    text: str
    doc_type: str | None
    date: dt.date | None
    received: dt.date | None
    implements: str | None
    level: str | None
    place: str | None
    references: list = field(default_factory=list)
    closing_start: int | None = None


def find_obligations(doc: Document, body_start: int, body_end: int) -> list[Obligation]:
    letter = _letter(doc, body_start, body_end)
    first = doc.clauses[0].span.start if doc.clauses else body_end
    base = Context()
    if doc.text[body_start:first].strip():
        base = _intro_context(doc.text, body_start, first, None, Context()) or Context()
    out: list[Obligation] = []
    _walk(letter, doc.clauses, base, first, out)
    if not doc.clauses:
        out += _body_obligations(letter, body_start, body_end)
    pass_down_deadlines(doc.text, doc.clauses, out, letter_date=letter.date, received=letter.received)
    if doc.recipients:
        for ob in out:
            if not ob.assignees:
                ob.assignees = [
                    Assignee(name=r.name, normalized=normalized_name(r.name, letter.level, letter.place), role="lead", span=r.span)
                    for r in doc.recipients
                ]
                ob.review_reasons.append("assignees taken from the Kính gửi list: the task names no one")
    for ob in out:
        if not ob.assignees:
            ob.review_reasons.append("no assignee found")
        ob.needs_review = bool(ob.review_reasons)
    return out


def _letter(doc: Document, body_start: int, body_end: int) -> Letter:
    level = place = None
    for body in (doc.issuer, doc.issuer.parent if doc.issuer else None):
        if body and (m := re.search(r"\b(" + place_level() + r")\s+(.+)$", body.name)):
            level, place = m.group(1), m.group(2)
            break
    stamp = doc.incoming_stamp.date if doc.incoming_stamp else None
    return Letter(
        text=doc.text,
        doc_type=doc.doc_type,
        date=dt.date.fromisoformat(doc.date) if doc.date else None,
        received=dt.date.fromisoformat(stamp) if stamp else None,
        implements=doc.implements[0].key if doc.implements else None,
        level=level,
        place=place,
        references=doc.references,
        closing_start=_closing_start(doc.text, body_start, body_end),
    )


def _closing_start(text: str, body_start: int, body_end: int) -> int | None:
    lines = lines_of(text, body_start, body_end)
    if lines and _matches("closing", lines[-1].text) and not re.match(r"^\s*(?:[-+•]|\d+\.|[a-zđ]\))", lines[-1].text):
        return lines[-1].start
    return None


def _lead_in(text: str, start: int, end: int) -> list[Name]:
    """Assignees named by the paragraph that introduces a list ('... yêu cầu X thực hiện ... sau:')."""
    lines = lines_of(text, start, end)
    if not lines:
        return []
    last = lines[-1]
    for m in _LEAD_IN_VERB.finditer(text, last.start, last.end):
        names = read_names(text, m.end(), last.end)
        if names:
            return names
    return []


def _own_region(text: str, clause: Clause, letter: Letter) -> tuple[int, int]:
    label_at = text.find(clause.label, clause.span.start)
    start = label_at + len(clause.label) if 0 <= label_at < clause.span.start + 8 else clause.span.start
    end = clause.children[0].span.start if clause.children else clause.span.end
    if letter.closing_start is not None and start <= letter.closing_start < end:
        end = letter.closing_start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _heading(text: str, start: int, end: int) -> tuple[list[Name], int]:
    """A first line that is only a name ('Giao Phòng Nội vụ'): its names and where the rest starts."""
    nl = text.find("\n", start, end)
    line_end = end if nl < 0 else nl
    pos = start
    if m := _DIRECTIVE_PREFIX.match(text, pos, line_end) or _LABEL_PREFIX.match(text, pos, line_end):
        pos = m.end()
    names = read_names(text, pos, line_end)
    if names:
        rest = text[names[-1].end : line_end].strip()
        if not rest or (rest.startswith("(") and rest.endswith(")")) or rest == ":":
            return names, line_end
    return [], start


def _subject(text: str, start: int, end: int) -> list[Name]:
    """Whoever the clause's first sentence is about: 'Giám đốc Sở Nội vụ đề xuất ...', 'Phòng Nội vụ: ...'."""
    pos = start
    if m := _DIRECTIVE_PREFIX.match(text, pos, end):
        pos = m.end()
    elif m := _LABEL_PREFIX.match(text, pos, end):
        names = read_names(text, m.end(), end)
        return names if names and text[names[-1].end : names[-1].end + 2].lstrip().startswith(":") else []
    if not starts_name(text, pos):
        return []
    return read_names(text, pos, end)


@dataclass(frozen=True)
class Context:
    """What the lines above a clause say about it: who is named, and whether anyone was asked to act."""

    names: tuple[Name, ...] = ()
    directed: bool = False


def _intro_context(text: str, start: int, end: int, current: Context | None, inherited: Context) -> Context | None:
    """The context set by the paragraph before a list; None when it introduces findings."""
    last = text[start:end].strip().splitlines()[-1]
    if names := _lead_in(text, start, end):
        return Context(tuple(names), True)
    if _matches("findings", last):
        return None
    if _DIRECTIVE_INTRO.search(last):
        return Context(inherited.names, True)
    return current if current is not None else inherited


def _directs_by_itself(text: str, start: int, end: int) -> bool:
    """An item that gives an order in its own words: it opens with an action or says who must."""
    if _EXPLAINS.match(text, start, end):
        return False
    sentence_end = min((i for i in (text.find(". ", start, end), text.find(";", start, end)) if i >= 0), default=end)
    return starts_with_action(text, start, end) or bool(_MODAL.search(text, start, sentence_end))


def _is_heading_line(text: str, start: int, end: int) -> bool:
    """One line with no closing punctuation that is no order: a section title ('Mục tiêu và định hướng')."""
    body = text[start:end].strip()
    return "\n" not in body and not body.endswith((".", ";", ":")) and not starts_with_action(text, start, end)


def _walk(letter: Letter, clauses: list[Clause], inherited: Context, region_start: int, out: list[Obligation]) -> None:
    text = letter.text
    context: Context | None = inherited
    prev_end = region_start
    for clause in clauses:
        if text[prev_end : clause.span.start].strip():
            context = _intro_context(text, prev_end, clause.span.start, context, inherited)
        prev_end = clause.span.end
        if context is None:
            continue  # items below a findings lead-in
        start, end = _own_region(text, clause, letter)
        if _matches("background_heading", text[start:end].split("\n", 1)[0]) or is_limit_item(clause.text):
            continue  # background, or only the time limit of the tasks beside it
        names, rest = _heading(text, start, end)
        while rest < end and text[rest].isspace():
            rest += 1
        own = names or _subject(text, rest, end)
        here = Context(tuple(own), True) if own else context
        body = text[rest:end].strip()
        # Only introduces its sub-items: nothing of its own, a title ("II. TỔ CHỨC THỰC HIỆN"),
        # or a single sentence ending in ":".
        is_lead_in = bool(clause.children) and (
            not body or ("\n" not in body and (body.endswith(":") or _is_title(body)))
        )
        # A decision's own articles ("Điều 1. Phê duyệt ...", "Điều 2. ... có hiệu lực") decide;
        # only those that name who carries them out are tasks.
        disposes = letter.doc_type == "quyet_dinh" and clause.kind == "article" and not own
        if (
            body
            and not is_lead_in
            and not disposes
            and (own or not _is_heading_line(text, rest, end))
            and (here.directed or _directs_by_itself(text, rest, end))
        ):
            out.append(_obligation(letter, clause, rest, end, list(here.names)))
        if clause.children:
            _walk(letter, clause.children, here, end, out)


def _is_title(line: str) -> bool:
    return is_upper(line) or (len(line.split()) <= 6 and not line.endswith((".", ";")))


def _body_obligations(letter: Letter, start: int, end: int) -> list[Obligation]:
    """Instructions in a letter without numbered items: one obligation per directing paragraph."""
    out = []
    for ln in lines_of(letter.text, start, end):
        if letter.closing_start is not None and ln.start >= letter.closing_start:
            break
        for m in _LEAD_IN_VERB.finditer(ln.text):
            names = read_names(letter.text, ln.start + m.end(), ln.end)
            if names and not ln.text.rstrip().endswith(":"):
                out.append(_obligation(letter, None, ln.start, ln.end, names))
                break
    return out


def _obligation(letter: Letter, clause: Clause | None, start: int, end: int, leads: list[Name]) -> Obligation:
    text = letter.text
    ob = Obligation(clause=clause.id if clause else "body", text=text[start:end], span=Span(start=start, end=end))
    seen: set[str] = set()
    for name in leads:
        _add(ob, letter, name, "lead", seen)
    for m in _SUPPORT.finditer(text, start, end):
        names = read_names(text, m.end(), end)
        if any(is_specific(n.text) for n in names):
            for name in names:
                _add(ob, letter, name, "support", seen)
    deadline, doubt = primary_deadline(
        find_deadlines(text, start, end, letter_date=letter.date, received=letter.received)
    )
    ob.deadline = deadline
    if doubt:
        ob.review_reasons.append(doubt)
    ob.targets = find_targets(text, start, end)
    named = named_directive(text, start, end, letter.references)
    if named:
        ob.implements = DocumentLink(key=named[0].key, span=Span(start=named[1], end=named[2]))
    elif letter.implements:
        ob.implements = DocumentLink(key=letter.implements)
    return ob


def _add(ob: Obligation, letter: Letter, name: Name, role: str, seen: set[str]) -> None:
    printed = name.text.strip()
    if printed.casefold() in seen:
        return
    seen.add(printed.casefold())
    ob.assignees.append(
        Assignee(
            name=printed,
            normalized=normalized_name(printed, letter.level, letter.place),
            role=cast(Role, role),
            span=Span(start=name.start, end=name.end),
        )
    )
