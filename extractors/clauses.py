"""Clauses: the labelled outline of a letter's body ("1.", "a)", "-", "+", "Điều 2.", "Phần I").

Input is a letter's normalized text and the range of its body (header, Kính gửi,
signature and Nơi nhận already cut off by the caller). Every non-empty line is a
paragraph. A paragraph that starts with a label opens an item; the items nest by rank
(part > chapter > section > article > roman > number > sub-number > letter > dash > plus):
a new label closes every open item of its own rank or below. A label must fit the
sequence of its level under the same parent ("3." after "2.", "k)" after "h)"), so a
sentence that happens to start with a number or a letter stays a sentence.

Unlabelled paragraphs belong to the deepest open item, except:
  - before the first label (the preamble): no clause;
  - a paragraph ending with ":" right before a label of higher rank than the open item
    is the lead-in of what follows (after a dash list of findings, "... yêu cầu ...
    thực hiện tốt một số nội dung sau:" before "1."): it belongs to no clause;
  - a paragraph ending with "./." closes the letter: no clause, and reading stops;
  - footnotes and table residue belong to no clause;
  - a "Nơi nhận" line ends the body even if the range given runs on.

Ids join the labels from the top (shared/eval/README.md): "1.a", "II.2.b", "Đ2.1.a",
"3.-2" (dash items counted per parent), "2.-1.+3"; a dash carrying a letter ("- a.")
takes the letter; "1.1." under "1." is "1.1", under "II.1." it is "II.1.1".

The label forms, the letter order and the sequence rules are data:
extractors/data/clause_labels.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import cast

from extractors import tables
from extractors.bodies import starts_body
from schemas.models import Clause, ClauseKind, Span

_LINE = re.compile(r"[^\n]+")
# Capitals a label can start with: Roman numerals, Phần, Chương, Mục, Tiểu mục, Điều.
_STARTS = frozenset("IVXPCMTĐ")


@dataclass(frozen=True, slots=True)
class _Form:
    name: str
    kind: str
    rank: int  # position in `ranks`: smaller is higher
    level: str  # the rank's name: siblings of one level share a sequence
    sequence: str  # number | roman | letter | subnumber | none
    regex: re.Pattern[str]
    id_format: str


@dataclass(frozen=True, slots=True)
class _Rules:
    forms: tuple[_Form, ...]
    roman: dict[str, int]
    letters: dict[str, float]
    sequence: dict[str, dict]
    closing: re.Pattern[str]
    footnote: re.Pattern[str]
    residue: re.Pattern[str]
    stop: re.Pattern[str]


@cache
def _rules() -> _Rules:
    data = tables.load("clause_labels")
    ranks = data["ranks"]
    forms = tuple(
        _Form(
            name=e["name"],
            kind=e["kind"],
            rank=ranks.index(e["rank"]),
            level=e["rank"],
            sequence=e["sequence"],
            regex=re.compile(e["pattern"]),
            id_format=e["id"],
        )
        for e in data["label"]
    )
    order = data["letters"]["order"]
    letters: dict[str, float] = {c: float(i) for i, c in enumerate(order)}
    for c, after in data["letters"].get("tolerated", {}).items():
        letters[c] = letters[after] + 0.5
    skip = data["skip"]
    return _Rules(
        forms=forms,
        roman={r: i + 1 for i, r in enumerate(data["roman"])},
        letters=letters,
        sequence=data["sequence"],
        closing=re.compile(skip["closing"]),
        footnote=re.compile(skip["footnote"]),
        residue=re.compile(skip["residue"]),
        stop=re.compile(skip["stop"]),
    )


@dataclass(slots=True)
class _Node:
    form: _Form | None  # None: the root
    label: str = ""
    id: str = ""
    value: object = None  # int, float (letters) or tuple of ints (numbers, sub-numbers)
    start: int = 0
    end: int = 0
    pieces: list[tuple[int, int]] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    last: dict[str, object] = field(default_factory=dict)  # level -> value of the last child
    counts: dict[str, int] = field(default_factory=dict)  # form -> children of that form


@dataclass(frozen=True, slots=True)
class _Label:
    form: _Form
    match: re.Match[str]
    value: object
    depth: int  # index in the stack of the parent


def _value(rules: _Rules, form: _Form, v: str | None) -> object:
    seq = form.sequence
    if seq == "none" or v is None:
        return None
    if seq == "letter":
        return rules.letters.get(v)
    if seq == "roman":
        return rules.roman.get(v.upper())
    return tuple(int(p) for p in v.split("."))  # number, subnumber


def _numbers(node: _Node) -> tuple[int, ...] | None:
    """The number chain an item stands for: (1,) for "1.", (1, 2) for "1.2."."""
    if node.form is not None and node.form.sequence in ("number", "subnumber") and node.form.kind == "number":
        return node.value  # type: ignore[return-value]
    return None


def _fits(rules: _Rules, form: _Form, value: object, parent: _Node, seen: dict[str, object]) -> bool:
    seq = form.sequence
    if seq == "none":
        return True
    if value is None:
        return False
    rule = rules.sequence[seq]
    step, start_max = rule["max_step"], rule["start_max"]
    if seq == "subnumber":
        prefix, own = value[:-1], value[-1]  # type: ignore[index]
        chain = _numbers(parent)
        if chain is not None and chain != prefix:
            return False
        prev = parent.last.get(form.level)
        if prev is not None and prev[:-1] == prefix:  # type: ignore[index]
            return 0 < own - prev[-1] <= step  # type: ignore[index]
        return 1 <= own <= start_max
    if seq == "letter":
        prev = parent.last.get(form.level)
        if prev is not None:
            return 0 < value - prev <= step  # type: ignore[operator]
        return value <= start_max - 1  # type: ignore[operator]
    # number, roman: ints (numbers come as 1-tuples)
    v = value[0] if isinstance(value, tuple) else value
    prev = parent.last.get(form.level)
    if prev is not None:
        p = prev[0] if isinstance(prev, tuple) else prev
        return 0 < v - p <= step  # type: ignore[operator]
    if 1 <= v <= start_max:  # type: ignore[operator]
        return True
    if rule.get("continues"):
        g = seen.get(form.level)
        if g is not None:
            g = g[0] if isinstance(g, tuple) else g
            return 0 < v - g <= step  # type: ignore[operator]
    return False


def _label(rules: _Rules, line: str, stack: list[_Node], seen: dict[str, object]) -> _Label | None:
    """The label `line` starts with, if it fits where it would go in the outline."""
    first = line[0]
    if first.isalpha() and (first not in _STARTS if first.isupper() else first not in rules.letters):
        return None
    for form in rules.forms:
        m = form.regex.match(line)
        if m is None:
            continue
        depth = len(stack) - 1
        while depth > 0 and stack[depth].form.rank >= form.rank:  # type: ignore[union-attr]
            depth -= 1
        value = _value(rules, form, m.groupdict().get("v"))
        if _fits(rules, form, value, stack[depth], seen):
            return _Label(form, m, value, depth)
    return None


def _own_id(form: _Form, value: object, v: str | None, parent: _Node, n: int) -> str:
    if form.sequence in ("number", "subnumber"):
        parts: tuple[int, ...] = value  # type: ignore[assignment]
        chain = _numbers(parent) if form.sequence == "subnumber" else None
        if chain is not None and chain == parts[:-1]:
            parts = parts[-1:]  # "1.1." under "1." is "1.1", under "II.1." "II.1.1"
        v = ".".join(map(str, parts))  # "01." is "1"
    return form.id_format.format(v=v, n=n)


def _joined(text: str, pieces: list[tuple[int, int]]) -> str:
    """The pieces with the whitespace between them as printed ("\n" across a skipped line)."""
    if not pieces:
        return ""
    out = [text[pieces[0][0] : pieces[0][1]]]
    for (_, e0), (s1, e1) in zip(pieces, pieces[1:]):
        gap = text[e0:s1]
        out.append(gap if not gap.strip() else "\n")
        out.append(text[s1:e1])
    return "".join(out)


def _build(text: str, node: _Node) -> Clause:
    children = [_build(text, c) for c in node.children]
    end = node.end
    if children:
        end = max(end, children[-1].span.end)
    return Clause(
        id=node.id,
        label=node.label,
        kind=cast(ClauseKind, node.form.kind),  # type: ignore[union-attr]
        text=_joined(text, node.pieces),
        span=Span(start=node.start, end=end),
        children=children,
    )


def parse_clauses(text: str, start: int = 0, end: int | None = None) -> list[Clause]:
    """The clause tree of the body text[start:end]; spans are offsets into `text`."""
    rules = _rules()
    if end is None:
        end = len(text)
    lines: list[tuple[int, int]] = []
    for m in _LINE.finditer(text, start, end):
        s, e = m.span()
        while s < e and text[s] == " ":
            s += 1
        while e > s and text[e - 1] == " ":
            e -= 1
        if s < e:
            lines.append((s, e))

    root = _Node(form=None)
    stack: list[_Node] = [root]
    seen: dict[str, object] = {}  # level -> value of the last label of that level anywhere

    def skipped(line: str) -> bool:
        return rules.footnote.match(line) is not None or rules.residue.fullmatch(line) is not None

    def sibling_follows(i: int) -> bool:
        """Whether an item of the same form as the last one comes after line i, before the closing: a
        paragraph between two items is the first one's text, whoever it names."""
        item = stack[-1]
        for s2, e2 in lines[i + 1 : i + 1 + _LOOKAHEAD_LINES]:
            ahead_line = text[s2:e2]
            if rules.closing.search(ahead_line) or rules.stop.match(ahead_line):
                return False
            ahead = _label(rules, ahead_line, stack, seen)
            if ahead is not None and ahead.depth == 0 and ahead.form is item.form:
                return True
        return False

    quote_lines = 0  # > 0 while inside a quotation: lines of it still allowed
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if rules.stop.match(line):
            break
        if quote_lines or _opens_quotation(line):
            # quoted text ("“Điều 1. Giảm thuế ... a) ...”"): its labels are the quoted document's, not
            # this letter's; it belongs to the item that quotes it
            quote_lines = 0 if _QUOTE_CLOSE in line[1:] else (quote_lines or _QUOTATION_MAX_LINES) - 1
            if len(stack) > 1:
                stack[-1].pieces.append((s, e))
                stack[-1].end = e
            continue
        lab = _label(rules, line, stack, seen)
        if lab is not None:
            form, m = lab.form, lab.match
            del stack[lab.depth + 1 :]
            parent = stack[-1]
            n = parent.counts.get(form.name, 0) + 1
            parent.counts[form.name] = n
            v = m.groupdict().get("v")
            own = _own_id(form, lab.value, v, parent, n)
            node = _Node(
                form=form,
                label=m.group(0).strip(),
                id=f"{parent.id}.{own}" if parent.id else own,
                value=lab.value,
                start=s,
                end=e,
            )
            t = s + m.end()
            while t < e and text[t] == " ":
                t += 1
            if t < e:
                node.pieces.append((t, e))
            if lab.value is not None:
                parent.last[form.level] = lab.value
                seen[form.level] = lab.value
            parent.children.append(node)
            stack.append(node)
            if rules.closing.search(line):
                break
            continue
        if rules.closing.search(line):
            break
        if len(stack) == 1 or skipped(line):
            continue  # preamble, footnote, table residue
        if line.endswith(":"):
            j = i + 1
            while j < len(lines) and skipped(text[lines[j][0] : lines[j][1]]):
                j += 1
            if j < len(lines):
                ahead = _label(rules, text[lines[j][0] : lines[j][1]], stack, seen)
                if ahead is not None and ahead.form.rank < stack[-1].form.rank:  # type: ignore[union-attr]
                    continue  # lead-in of what follows
        top = stack[-1]
        if len(stack) >= 2 and _closes_parent(text, stack[-2], line) \
                and (len(stack) > 2 or (_ended(text, stack[-1]) and not sibling_follows(i))):
            del stack[-1]  # the list is over: this paragraph is its parent's
            top = stack[-1]
        top.pieces.append((s, e))
        top.end = e

    return [_build(text, c) for c in root.children]


_QUOTE_OPEN = "“"
_QUOTE_CLOSE = "”"
# How far on a top-level list is looked for its next item, in lines.
_LOOKAHEAD_LINES = 200
# A quotation left open (a lost closing mark) ends after this many lines.
_QUOTATION_MAX_LINES = 40


def _opens_quotation(line: str) -> bool:
    """A paragraph that starts a quotation running over more lines: "“Điều 1. Giảm thuế ..." with
    no closing mark on the same line."""
    return line.startswith(_QUOTE_OPEN) and _QUOTE_CLOSE not in line


def _ended(text: str, item: _Node) -> bool:
    """A top-level item (no article: an article is closed only by the next) whose last paragraph ended
    its sentence: a paragraph after it may be the letter's own text again."""
    if item.form is None or item.form.kind == "article" or not item.pieces:
        return False
    return text[item.pieces[-1][0] : item.pieces[-1][1]].rstrip().endswith((".", ";", "!", "?"))


def _closes_parent(text: str, parent: _Node, line: str) -> bool:
    """An unlabelled paragraph after a list that its parent introduced ("... một số nội dung sau:")
    and that names its own actor ("Ủy ban nhân dân các tỉnh ... khẩn trương gửi Báo cáo ...") closes
    the parent item: the list's last item does not run on into it."""
    if parent.form is None:
        # a list at the top: its lead-in is the paragraph before its first item ("... đề nghị UBND các
        # tỉnh quan tâm chỉ đạo:"), and what closes it is the letter's own body text again
        if not parent.children:
            return False
        lead_in_end = parent.children[0].start
    elif parent.pieces:
        lead_in_end = parent.pieces[-1][1]
    else:
        return False
    while lead_in_end > 0 and text[lead_in_end - 1].isspace():  # no slice: this runs for every paragraph
        lead_in_end -= 1
    return lead_in_end > 0 and text[lead_in_end - 1] == ":" and starts_body(line)


def flatten(clauses: list[Clause]) -> list[Clause]:
    """Every clause of the tree, in document order."""
    out: list[Clause] = []
    todo = list(reversed(clauses))
    while todo:
        c = todo.pop()
        out.append(c)
        todo.extend(reversed(c.children))
    return out
