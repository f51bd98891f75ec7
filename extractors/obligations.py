"""Obligations: one per clause whose own text tells someone to do something.

Walking the clause tree, each clause gets its assignees from, in order: its own heading
("2. Giao Phòng Nội vụ", "1. Chủ tịch UBND các xã, thị trấn", "4. Sở Nông nghiệp và Môi
trường"), its own subject ("Giám đốc Sở Nội vụ đề xuất ...", "Phòng Nội vụ: Chịu trách
nhiệm ...", "Căn cứ ..., Thủ trưởng ... chịu trách nhiệm"), the lead-in before its list
("Đề nghị Thủ trưởng ... thực hiện các nhiệm vụ sau:"), its parent's, and last the Kính gửi
addressees (flagged for review). Actors of later sentences of the item are leads too
("... Trên cơ sở đó, Bộ Tư pháp tổng hợp"). Who takes part ("phối hợp (với) X") is support,
and a lead-in's partners ("X chủ trì, phối hợp với Y:") pass to its items as well.

A plan's task block ("a) Nhiệm vụ: ... b) Cơ quan thực hiện: - Đơn vị chủ trì: X - Đơn vị
phối hợp: Y c) Thời gian thực hiện: ...") is one task: its leads and partners come from the
agency fields and its deadline from the time field; the task sits on the "Nhiệm vụ" item
(or on its dash items), or on the block itself when the fields are dash lines.

Not obligations: lead-ins and headings that only introduce sub-items, findings under a
"tồn tại, hạn chế" lead-in, aims and background sections ("MỤC ĐÍCH, YÊU CẦU"), a decision's
own articles ("Điều 1. Phê duyệt ...") and their items unless someone is told to act, and
the closing formulas ("Đề nghị ... nghiêm túc thực hiện./.", "Văn phòng Chính phủ thông báo
để ... biết, thực hiện./.").

A letter without numbered items gets one obligation, "body", whose assignees are the actors
of its directing sentences.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache

from typing import cast

from schemas import Assignee, Clause, Document, DocumentLink, Obligation, Span
from schemas.models import Role

from extractors.assignees import (
    Name,
    cue_end,
    cues,
    find_actor,
    later_actors,
    normalized_name,
    read_names,
    read_subject,
    sentence_end,
    later_sentence_starts,
    sentence_starts,
    split_names,
    starts_name,
    starts_with_action,
)
from extractors.bodies import place_level
from extractors.deadlines import find_deadlines, is_limit_item, pass_down_deadlines, primary_deadline
from extractors.implements import named_directive
from extractors.lines import is_upper, lines_of
from extractors.tables import entries
from extractors.targets import find_targets

# "chủ động phối hợp với các xã" is the task itself, not a partner of it.
_OWN_COORDINATION = re.compile(r"chủ\s+động\s+$", re.I)
# What may follow a heading's name on its line: "Các đơn vị cấp nước ... có trách nhiệm".
_HEADING_TAIL = re.compile(r"(?:(?:có|chịu)\s+trách\s+nhiệm)?\s*:?\s*$", re.I)
# "X làm A, trong đó tập trung các nhiệm vụ sau:": a task of its own before the list it introduces.
_OWN_TASK_BEFORE_LIST = re.compile(r"[,;]\s*trong\s+đó\b", re.I)


@cache
def _patterns(table: str) -> list[re.Pattern[str]]:
    return [re.compile(e["pattern"], re.I) for e in entries("assignees", table)]


def _matches(table: str, text: str) -> bool:
    return any(p.search(text) for p in _patterns(table))


def _pattern_at(table: str, text: str, start: int, end: int) -> bool:
    return any(p.match(text, start, end) for p in _patterns(table))


@cache
def _task_fields() -> list[tuple[str, re.Pattern[str]]]:
    """(role, label pattern) of the fields of a plan's task block."""
    return [(e["role"], re.compile(rf"(?:{e['pattern']})\s*:\s*", re.I)) for e in entries("assignees", "task_field")]


def task_field(text: str, start: int, end: int) -> tuple[str, int] | None:
    """The role of the field label at `start` ('Đơn vị chủ trì:' -> 'lead') and where its value starts."""
    for role, pattern in _task_fields():
        if m := pattern.match(text, start, end):
            return role, m.end()
    return None


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
    issuer: str | None = None
    body_end: int = 0

    def is_issuer(self, name: Name) -> bool:
        """'UBND tỉnh', 'Chủ tịch UBND tỉnh' in a letter of the UBND tỉnh: the letter's own voice."""
        if not self.issuer:
            return False
        own = normalized_name(re.sub(r"^Chủ\s+tịch\s+", "", name.text), None, None).casefold()
        issuer = self.issuer.casefold()
        return own == issuer or (self.place is not None and bool(self.place) and f"{own} {self.place.casefold()}" == issuer)


@dataclass(frozen=True)
class Context:
    """What the lines above a clause say about it: who is named, who takes part, and whether
    anyone was asked to act."""

    names: tuple[Name, ...] = ()
    supports: tuple[Name, ...] = ()
    directed: bool = False


def find_obligations(doc: Document, body_start: int, body_end: int) -> list[Obligation]:
    letter = _letter(doc, body_start, body_end)
    first = doc.clauses[0].span.start if doc.clauses else body_end
    base = Context()
    if doc.text[body_start:first].strip():
        base = _intro_context(letter, body_start, first, None, Context()) or Context()
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
        date=dt.date.fromisoformat(doc.date) if doc.date and len(doc.date) == 10 else None,  # not a bare month
        received=dt.date.fromisoformat(stamp) if stamp else None,
        implements=doc.implements[0].key if doc.implements else None,
        level=level,
        place=place,
        references=doc.references,
        closing_start=_closing_start(doc.text, body_start, body_end),
        issuer=doc.issuer.name if doc.issuer else None,
        body_end=body_end,
    )


_LIST_LINE = re.compile(r"\s*(?:[-+•]|\d+\.|[a-zđ]\))")


def _closing_start(text: str, body_start: int, body_end: int) -> int | None:
    """Where the closing formulas at the end of the body begin: "Đề nghị ... nghiêm túc thực hiện./.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc ... phản ánh về ...", "Văn phòng Chính phủ
    thông báo để ... biết, thực hiện./."."""
    start = None
    for ps, pe in reversed(_paragraphs(text, body_start, body_end)):
        if _LIST_LINE.match(text[ps:pe]) or not _matches("closing", text[ps:pe]):
            break
        start = ps
    return start


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The paragraphs of text[start:end]: its lines, a line wrapped after running text joined to the
    line before ("... trân trọng cảm ơn và\nQuốc hội ...")."""
    out: list[tuple[int, int]] = []
    for ln in lines_of(text, start, end):
        if out and _continues(text, out[-1][1], ln.start):
            out[-1] = (out[-1][0], ln.end)
        else:
            out.append((ln.start, ln.end))
    return out


def _continues(text: str, prev_end: int, line_start: int) -> bool:
    """A line that goes on with the sentence of the line before: no blank line, no closing mark, no label."""
    return (
        text.count("\n", prev_end, line_start) == 1
        and not text[:prev_end].rstrip().endswith((".", ";", ":", "!", "?", ")"))
        and not _LIST_LINE.match(text, line_start)
    )


def _last_paragraph(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The last paragraph of text[start:end], its wrapped lines joined back ('... Sở\nGiáo dục ...')."""
    paragraphs = _paragraphs(text, start, end)
    return paragraphs[-1] if paragraphs else None


def _lead_in(letter: Letter, start: int, end: int) -> tuple[list[Name], list[Name]]:
    """Whom the paragraph that introduces a list asks to act ('... yêu cầu X thực hiện ... sau:',
    'Để ..., các Sở, ngành ... triển khai những nội dung sau:'), and the partners it names; not the
    issuer speaking ('UBND tỉnh ban hành Kế hoạch ... như sau:')."""
    text = letter.text
    para = _last_paragraph(text, start, end)
    if not para:
        return [], []
    ps, pe = para
    names: list[Name] = []
    for pos in sorted(cues("ask", text, ps, pe) + cues("lead_in", text, ps, pe)):
        if names := read_names(text, pos, pe):
            break
    if not names and text[ps:pe].rstrip().endswith(":"):
        names = [n for n in find_actor(text, _last_sentence_start(text, ps, pe), pe) if not letter.is_issuer(n)]
    return names, (_supports(text, ps, pe) if names else [])


def _last_sentence_start(text: str, start: int, end: int) -> int:
    pos = start
    for m in re.finditer(r"\.\s+(?=[^\W\d_])", text[start:end]):
        pos = start + m.end()
    return pos


def _own_region(text: str, clause: Clause, letter: Letter) -> tuple[int, int]:
    label_at = text.find(clause.label, clause.span.start)
    start = label_at + len(clause.label) if 0 <= label_at < clause.span.start + 8 else clause.span.start
    end = clause.children[0].span.start if clause.children else clause.span.end
    if not clause.children:
        end = _wrapped_on(text, end, letter.body_end)
    return _trimmed(text, start, end, letter)


def _trimmed(text: str, start: int, end: int, letter: Letter) -> tuple[int, int]:
    """text[start:end] without its outer white space and without the closing formulas."""
    if letter.closing_start is not None and start <= letter.closing_start < end:
        end = letter.closing_start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _heading(text: str, start: int, end: int, has_children: bool) -> tuple[list[Name], int]:
    """A first line that is only a name ('Giao Phòng Nội vụ', '4. Sở Nông nghiệp và Môi trường'):
    its names and where the rest starts."""
    line_end = sentence_end(text, start, end)
    pos = start
    after = cue_end("ask", text, pos, line_end)
    if after is None:
        after = cue_end("label", text, pos, line_end)
    if after is not None:
        pos = after
    if not starts_name(text, pos):
        return [], start
    line = text[pos:line_end].rstrip()
    # A heading over its items is a name as a whole, its words read as such ("3. Cơ quan chủ trì
    # giải quyết thủ tục đầu tư dự án"); a line with a sentence's punctuation is read up to its verb.
    if (has_children and not line.endswith((".", ";", ",", ":")) and read_names(text, pos, pos + len(line))
            and not _has_verb_phrase(text, pos, pos + len(line))):
        line = line.split("(", 1)[0].rstrip()  # "2. Các cơ quan, đơn vị thuộc huyện (các cơ quan là thành viên ...)"
        tail = _HEADING_TAIL.search(line)
        name_end = pos + (tail.start() if tail else len(line))
        if names := split_names(text, pos, name_end):
            return names, line_end
    names = read_names(text, pos, line_end)
    if names:
        rest = text[names[-1].end : line_end].strip().rstrip(":").strip()
        if not rest or (rest.startswith("(") and rest.endswith(")")) or _HEADING_TAIL.fullmatch(rest):
            return names, line_end
    return [], start


def _has_verb_phrase(text: str, start: int, end: int) -> bool:
    """'Sở Tài chính chủ trì, phối hợp với ...': a heading that is a sentence, not a name."""
    names, predicate = read_subject(text, start, end)
    return predicate and bool(names) and names[-1].end < end and bool(re.search(r",|\bvới\b", text[names[-1].end : end]))


def _subject(text: str, start: int, end: int) -> list[Name]:
    """Whoever the clause's first sentence is about: 'Giám đốc Sở Nội vụ đề xuất ...', 'Phòng Nội vụ: ...',
    'Căn cứ ..., Thủ trưởng ... chịu trách nhiệm ...'."""
    if (after := cue_end("label", text, start, end)) is not None:
        names = read_names(text, after, end)
        if names and text[names[-1].end : names[-1].end + 2].lstrip().startswith(":"):
            return names
    return find_actor(text, start, end)


def _intro_context(letter: Letter, start: int, end: int, current: Context | None, inherited: Context) -> Context | None:
    """The context set by the paragraph before a list; None when it introduces findings or quoted rules."""
    text = letter.text
    para = _last_paragraph(text, start, end)
    if para is None:
        return current if current is not None else inherited
    last = text[_last_sentence_start(text, *para) : para[1]].strip()
    if _matches("opinion", last):
        return Context()  # "Bộ Nội vụ có ý kiến như sau:": opinions; an item that asks by name still asks
    names, supports = _lead_in(letter, start, end)
    if names:
        return Context(tuple(names), tuple(supports), True)
    if _matches("findings", last) or _matches("quoted_list", last):
        return None
    if _matches("directive_intro", last):
        return Context(inherited.names, inherited.supports, True)
    if last.endswith(":"):
        return Context()  # "Bộ Tài chính gửi kèm bộ Cẩm nang gồm:", "... có ý kiến như sau:": no task list
    return current if current is not None else inherited


def _directs_by_itself(text: str, start: int, end: int) -> bool:
    """An item that gives an order in its own words: it opens with an action or says who must."""
    if _pattern_at("explains", text, start, end):
        return False
    sentence_end = min((i for i in (text.find(". ", start, end), text.find(";", start, end)) if i >= 0), default=end)
    return starts_with_action(text, start, end) or _matches("modal", text[start:sentence_end])


def _is_heading_line(text: str, start: int, end: int) -> bool:
    """One line with no closing punctuation that is no order: a section title ('Mục tiêu và định hướng')."""
    body = text[start:end].strip()
    return "\n" not in body and not body.endswith((".", ";", ":")) and not starts_with_action(text, start, end)


def _introduces_only(text: str, start: int, end: int) -> bool:
    """Own text that only introduces the items below: nothing, a title ("II. TỔ CHỨC THỰC HIỆN"),
    or a last sentence ending in ":" with no task before it ("Trách nhiệm cụ thể\\nNgoài các trách
    nhiệm chung ..., một số đơn vị còn có trách nhiệm ... sau:")."""
    body = text[start:end].strip()
    if not body:
        return True
    if "\n" not in body and _is_title(body):
        return True
    if not body.endswith(":"):
        return False
    last = _last_sentence_start(text, start, end)
    para = _last_paragraph(text, start, end)
    intro_start = min(last, para[0]) if para else last
    if _OWN_TASK_BEFORE_LIST.search(text, intro_start, end):
        return False  # "X tiếp tục phân công ..., trong đó tập trung một số nhiệm vụ sau:"
    before = text[start:intro_start].strip()
    return not before or not any(
        _directs_by_itself(text, ln.start, ln.end) or find_actor(text, ln.start, ln.end) for ln in lines_of(text, start, intro_start)
    )


def _walk(letter: Letter, clauses: list[Clause], inherited: Context, region_start: int, out: list[Obligation],
          disposing: bool = False) -> None:
    text = letter.text
    context: Context | None = inherited
    prev_end = region_start
    for clause in clauses:
        if text[prev_end : clause.span.start].strip():
            context = _intro_context(letter, prev_end, clause.span.start, context, inherited)
        prev_end = clause.span.end
        if context is None:
            continue  # items below a findings lead-in
        start, end = _own_region(text, clause, letter)
        if _matches("background_heading", text[start:end].split("\n", 1)[0]) or is_limit_item(clause.text):
            continue  # background, or only the time limit of the tasks beside it
        names, rest = _heading(text, start, end, bool(clause.children))
        while rest < end and text[rest].isspace():
            rest += 1
        own = names or _subject(text, rest, end)
        if names and rest < end and (first := _subject(text, rest, end)):
            own = names + first  # "h) Các đơn vị khác\nCơ quan đăng ký đầu tư có trách nhiệm ..."
        own_supports = _supports(text, start, end) if own else []
        here = Context(tuple(own), tuple(own_supports), True) if own else context
        if clause.children and (block := _task_block(letter, clause)):
            _emit_task_block(letter, clause, block, here, out)
            continue
        body = text[rest:end].strip()
        is_lead_in = bool(clause.children) and (not body or _introduces_only(text, rest, end))
        later: list[Name] = []
        if body and not is_lead_in:
            known = {o.text.casefold() for o in own}
            later = [n for n in _enumerated(text, rest, end) + later_actors(text, rest, end)
                     if n.text.casefold() not in known and not letter.is_issuer(n)]
        # A decision's own articles ("Điều 1. Phê duyệt ...", "Điều 2. ... có hiệu lực") decide, and so do
        # their items ("1. Ban Quản lý ... là cơ quan ..."); only those that tell someone to act are tasks.
        decides = (letter.doc_type == "quyet_dinh" and clause.kind == "article") or disposing
        disposes = decides and not (later or (own and _acts(text, rest, end, own)))
        if (
            body
            and not is_lead_in
            and not disposes
            and (own or later or not _is_heading_line(text, rest, end))
            and (here.directed or own or later or _directs_by_itself(text, rest, end))
        ):
            leads = list(here.names) + later
            supports = list(here.supports if not own else []) + _supports(text, rest, end)
            out.append(_obligation(letter, clause.id, rest, end, leads, supports))
        elif is_lead_in and (tail := _tail_region(text, clause, letter)):
            # "1. X chỉ đạo ... báo cáo về một số nội dung sau: (1) ... (3) ...\nX khẩn trương gửi Báo cáo
            # ... trước ngày ...": the paragraph after the list finishes the item's own task
            ts, te = tail
            tail_actors = find_actor(text, ts, te)
            if tail_actors or _directs_by_itself(text, ts, te):
                leads = list(here.names) + [n for n in tail_actors if n.text.casefold() not in {o.text.casefold() for o in here.names}]
                out.append(_obligation(letter, clause.id, ts, te, leads, list(here.supports) + _supports(text, ts, te)))
        if clause.children and not _introduces_no_tasks(text, rest, end):
            _walk(letter, clause.children, here, end, out, disposing=decides and not own)


def _introduces_no_tasks(text: str, start: int, end: int) -> bool:
    """An item whose own text ends with a lead-in to findings, quoted rules or attachments ("... Bộ Tài
    chính gửi kèm bộ Cẩm nang gồm:"): the items below it are no tasks."""
    para = _last_paragraph(text, start, end)
    return para is not None and _matches("quoted_list", text[para[0] : para[1]])


def _wrapped_on(text: str, end: int, limit: int) -> int:
    """The end of a clause whose last line was wrapped and whose rest the outline left out ("Điều 3.
    Chánh\nVăn phòng Bộ, ... chịu trách nhiệm thi hành Quyết định này./.")."""
    own_end = end
    while own_end > 0 and text[own_end - 1] in " \t":
        own_end -= 1
    if own_end >= limit or text[own_end : own_end + 1] != "\n" or not _continues(text, own_end, own_end + 1):
        return end
    line_end = text.find("\n", own_end + 1, limit)
    return limit if line_end < 0 else line_end


def _tail_region(text: str, clause: Clause, letter: Letter) -> tuple[int, int] | None:
    """The clause's own text after its items, if any: a paragraph that closes the list."""
    start, end = _trimmed(text, clause.children[-1].span.end, clause.span.end, letter)
    return (start, end) if start < end else None


def _enumerated(text: str, start: int, end: int) -> list[Name]:
    """Names listed as the members of a collective: "Phân công các đồng chí Phó Thủ tướng ..., cụ thể:
    Phó Thủ tướng Nguyễn Hòa Bình tỉnh Đắk Lắk, Phó Thủ tướng ..."."""
    return [n for pos in cues("enumerate", text, start, end) for n in read_names(text, pos, end)]


def _acts(text: str, start: int, end: int, own: list[Name]) -> bool:
    """The item's own subject is followed by an action ('Trưởng ban Ban Quản lý trình ...'), not by
    'là', 'có' or a parenthesis ('Ban Quản lý ... (sau đây gọi tắt là Ban Quản lý) là cơ quan ...')."""
    if cue_end("ask", text, start, end) is not None:
        return True
    _, predicate = read_subject(text, own[0].start, end)
    return predicate


def _is_title(line: str) -> bool:
    return is_upper(line) or (len(line.split()) <= 6 and not line.endswith((".", ";")))


def _supports(text: str, start: int, end: int) -> list[Name]:
    """Who takes part: the names after 'phối hợp (chặt chẽ) (với)' in text[start:end]."""
    out: list[Name] = []
    for pos in cues("support", text, start, end):
        cue_start = text.rfind("phối", start, pos)
        if cue_start > start and _OWN_COORDINATION.search(text, max(start, cue_start - 12), cue_start):
            continue
        out += read_names(text, pos, end)
    return out


@dataclass
class _TaskBlock:
    """A plan's task whose parts are field items: the task, its agencies, its time."""

    task: Clause | None = None
    leads: list[Name] = field(default_factory=list)
    supports: list[Name] = field(default_factory=list)
    time: tuple[int, int] | None = None
    fields: list[Clause] = field(default_factory=list)


def _task_block(letter: Letter, clause: Clause) -> _TaskBlock | None:
    """The children of `clause` as the fields of one task ('Nhiệm vụ:', 'Cơ quan chủ trì:',
    'Thời gian thực hiện:'), when they are such fields."""
    text = letter.text
    block = _TaskBlock()
    for child in clause.children:
        start, end = _own_region(text, child, letter)
        found = task_field(text, start, end)
        if not found:
            continue
        role, value = found
        block.fields.append(child)
        if role == "task":
            block.task = child
        elif role == "time":
            block.time = (value, end)
        elif role in ("lead", "support", "agency"):
            _read_agencies(text, role, value, end, block)
            for grandchild in child.children:  # "b) Cơ quan thực hiện:" over "- Đơn vị chủ trì: ..."
                gs, ge = _own_region(text, grandchild, letter)
                if sub := task_field(text, gs, ge):
                    _read_agencies(text, sub[0], sub[1], ge, block)
    if not block.leads or not (block.task or block.time):
        return None
    return block


def _read_agencies(text: str, role: str, start: int, end: int, block: _TaskBlock) -> None:
    """'Sở Khoa học và Công nghệ.', 'Sở Nội vụ chủ trì tham mưu ...; Sở Tư pháp và ... chủ động ...'."""
    if role == "support":
        block.supports += read_names(text, start, end)
        return
    names = find_actor(text, start, end)
    for m in re.finditer(r";\s*", text[start:end]):
        names += find_actor(text, start + m.end(), end)
    block.leads += names
    if role == "agency":
        block.supports += _supports(text, start, end)


def _emit_task_block(letter: Letter, clause: Clause, block: _TaskBlock, here: Context, out: list[Obligation]) -> None:
    """The task on its 'Nhiệm vụ' item (or that item's dash items), or on the block when the fields are dashes."""
    text = letter.text
    time = block.time
    if block.task is not None and block.task.kind != "dash":
        targets = block.task.children or [block.task]
        for target in targets:
            start, end = _own_region(text, target, letter)
            if found := task_field(text, start, end):
                start = found[1]
            if text[start:end].strip():
                supports = block.supports + _supports(text, start, end)
                out.append(_obligation(letter, target.id, start, end, block.leads, supports, time))
        return
    start, end = _own_region(text, clause, letter)
    if block.task is not None:
        ts, te = _own_region(text, block.task, letter)
        end = max(end, te)
    supports = block.supports + (_supports(text, *_own_region(text, block.task, letter)) if block.task else [])
    out.append(_obligation(letter, clause.id, start, end, block.leads, supports, time))


def _body_obligations(letter: Letter, start: int, end: int) -> list[Obligation]:
    """Instructions in a letter without numbered items: one obligation whose leads are the actors of
    its directing sentences ("Bộ X chủ trì, phối hợp với Bộ Y nghiên cứu ...", "Đề nghị Công ty ...")."""
    text = letter.text
    stop = letter.closing_start if letter.closing_start is not None else end
    leads: list[Name] = []
    supports: list[Name] = []
    first = last = None
    for s in sentence_starts(text, start, stop):
        se = _sentence_stop(text, s, stop)
        if text[s:se].rstrip().endswith(":"):
            continue  # "... có ý kiến chỉ đạo như sau:": it introduces the instructions
        names = _directing_actor(text, s, se)
        if not names:
            continue
        leads += names
        supports += _supports(text, s, se)
        first = s if first is None else first
        last = se
    if first is None or last is None:
        return []
    return [_obligation(letter, None, first, last, leads, supports)]


def _sentence_stop(text: str, start: int, end: int) -> int:
    """The end of the sentence that begins at `start`: the next sentence start, less its spaces."""
    stop = next(later_sentence_starts(text, start, end), end)
    return start + len(text[start:stop].rstrip())


def _directing_actor(text: str, start: int, end: int) -> list[Name]:
    """The actor of a sentence that gives an order: asked by name ('Đề nghị Công ty ...') or followed
    by an action ('Bộ X chủ trì ...'), after a fronted phrase or not."""
    if cue_end("ask", text, start, end) is not None:
        return find_actor(text, start, end)
    if starts_name(text, start):
        names, predicate = read_subject(text, start, end)
        if not predicate:
            return []
        asked = find_actor(text, start, end)
        return asked or names
    return find_actor(text, start, end) if not starts_with_action(text, start, end) else []


def _obligation(letter: Letter, clause_id: str | None, start: int, end: int, leads: list[Name],
                supports: list[Name], time: tuple[int, int] | None = None) -> Obligation:
    text = letter.text
    ob = Obligation(clause=clause_id or "body", text=text[start:end], span=Span(start=start, end=end))
    seen: set[str] = set()
    for name in leads:
        _add(ob, letter, name, "lead", seen)
    for name in supports:
        _add(ob, letter, name, "support", seen)
    found = find_deadlines(text, start, end, letter_date=letter.date, received=letter.received)
    if not found and time is not None:
        found = find_deadlines(text, time[0], time[1], letter_date=letter.date, received=letter.received)
    deadline, doubt = primary_deadline(found)
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
