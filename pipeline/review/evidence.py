"""The evidence of one letter: every span of its JSON, once, with every value it is the evidence of.

A span of a Document (schemas/models.py) is found wherever it sits in the model: header
fields keep theirs in `evidence`, bodies, clauses, references and obligations on themselves.
The walk below visits every one of them, whatever field holds it, so a span added to the
contract later still gets highlighted (as "other") before anyone names its kind here. Values
that share a span (a reference and the directive the letter carries out; an assignee that
several sub-items inherit) share one highlight that names them all. Clause labels ("a)",
"2.") are highlighted too: they are the first characters of their clause's span.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from extractors.clauses import flatten
from pydantic import BaseModel
from schemas import Assignee, Authority, Clause, Deadline, Document, DocumentLink, Obligation, Reference, Span, Target

from pipeline.ocr import OcrOptions
from pipeline.review.labels import kinds, label

# OCR word confidence under which a value is doubtful: the threshold pipeline/ocr.py grades
# pages by, applied to the words of each value.
LOW_CONFIDENCE = OcrOptions.low_confidence
# Kinds that cover whole passages: marked in the text, drawn on no page image, never "doubtful"
# (a paragraph always holds some word OCR was unsure of).
REGION_KINDS = frozenset({"clause", "obligation"})
# How many obligations a highlight's tooltip names before "…" (an inherited assignee has dozens).
_TITLE_CLAUSES = 8
# Document fields whose spans are header evidence, by the field that holds them.
_HEADER_FIELDS = ("issuer", "recipients", "signer", "cc", "incoming_stamp")


@dataclass(frozen=True)
class Role:
    """One value a span is the evidence of: its kind (labels.toml [kinds]), the name it goes by
    (a header field's label; the kind's label when empty), the value, and the obligation it
    belongs to (its clause id) when it belongs to one."""

    kind: str
    value: str
    name: str = ""
    obligation: str = ""


@dataclass(frozen=True)
class WordBox:
    """The box of one OCR word of a value on its page image, in that image's pixels."""

    page: int
    box: tuple[int, int, int, int]
    confidence: float


@dataclass
class Evidence:
    id: str  # the HTML id of its highlight: "s12"
    start: int
    end: int
    page: int | None
    roles: list[Role] = field(default_factory=list)
    boxes: list[WordBox] = field(default_factory=list)  # filled for scans (pipeline/review/scans.py)

    @property
    def region(self) -> bool:
        return all(role.kind in REGION_KINDS for role in self.roles)

    @property
    def doubtful(self) -> bool:
        """A value (not a passage) read by OCR with a word under LOW_CONFIDENCE."""
        return not self.region and any(box.confidence < LOW_CONFIDENCE for box in self.boxes)

    @property
    def kinds(self) -> list[str]:
        """Its kinds, in legend order."""
        own = {role.kind for role in self.roles}
        return [kind for kind in kinds() if kind in own]

    @property
    def title(self) -> str:
        """What a reader sees on hovering: each value once, with the places it applies to."""
        grouped: dict[tuple[str, str], list[str]] = {}
        for role in self.roles:
            clauses = grouped.setdefault((role.name or label("kinds", role.kind), role.value), [])
            if role.obligation and role.obligation not in clauses:
                clauses.append(role.obligation)
        lines = []
        for (name, value), clauses in grouped.items():
            shown = ", ".join(clauses[:_TITLE_CLAUSES]) + (", …" if len(clauses) > _TITLE_CLAUSES else "")
            where = f" (nhiệm vụ {shown})" if clauses else ""
            lines.append(f"{name}: {value}{where}")
        return "\n".join(lines)


@dataclass
class LetterEvidence:
    """Every highlight of one letter, ordered by start (outer before inner), and the lookup of a
    span's highlight."""

    items: list[Evidence]
    by_span: dict[tuple[int, int], Evidence]

    def of(self, span: Span | None) -> Evidence | None:
        return None if span is None else self.by_span.get((span.start, span.end))

    def anchor(self, span: Span | None) -> str:
        """'#s12' for a span's highlight, '' for none (a value without evidence)."""
        found = self.of(span)
        return f"#{found.id}" if found else ""


def collect(doc: Document) -> LetterEvidence:
    by_span: dict[tuple[int, int], Evidence] = {}

    def add(span: Span, role: Role) -> None:
        key = (span.start, span.end)
        if key not in by_span:
            by_span[key] = Evidence("", span.start, span.end, span.page)
        if role not in by_span[key].roles:
            by_span[key].roles.append(role)

    for path, owners, span in walk_spans(doc):
        add(span, _role(path, owners, doc))
    for clause in flatten(doc.clauses):
        end = clause.span.start + len(clause.label)
        if doc.text[clause.span.start:end] == clause.label:
            add(Span(start=clause.span.start, end=end, page=clause.span.page), Role("label", clause.id))
    items = sorted(by_span.values(), key=lambda e: (e.start, -e.end))
    for number, item in enumerate(items):
        item.id = f"s{number}"
    return LetterEvidence(items, by_span)


Path = tuple[str, ...]


def walk_spans(model: BaseModel, path: Path = (), owners: tuple[BaseModel, ...] = ()
               ) -> Iterator[tuple[Path, tuple[BaseModel, ...], Span]]:
    """Every Span inside `model`, with the field names that lead to it and the models along the way."""
    owners = (*owners, model)
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, dict):  # Document.evidence: the key names the field
            items = [((*path, name, key), item) for key, item in value.items()]
        else:
            items = [((*path, name), item) for item in (value if isinstance(value, list) else [value])]
        for where, item in items:
            if isinstance(item, Span):
                yield where, owners, item
            elif isinstance(item, BaseModel):
                yield from walk_spans(item, where, owners)


def _role(path: Path, owners: tuple[BaseModel, ...], doc: Document) -> Role:
    """What the span at `path` is the evidence of."""
    owner = owners[-1]
    top = path[0]
    obligation = next((o for o in owners if isinstance(o, Obligation)), None)
    clause = obligation.clause if obligation else ""
    if top == "evidence":
        return Role("header", _header_value(doc, path[1]), label("fields", path[1]))
    if top in _HEADER_FIELDS:
        name = "parent" if "parent" in path else "authority" if "authority" in path else top
        value = getattr(owner, "name", None) or getattr(owner, "raw", None) or ""
        if isinstance(owner, Authority):
            value = f"{owner.prefix}. {owner.on_behalf_of or ''} ({owner.meaning})"
        return Role("header", value, label("fields", name))
    if isinstance(owner, Clause):
        return Role("clause", owner.id)
    if isinstance(owner, Reference):
        return Role("reference", f"{owner.key} ({label('relations', owner.relation)})")
    if isinstance(owner, Assignee):
        return Role(owner.role, owner.name, obligation=clause)
    if isinstance(owner, Deadline):
        return Role("deadline", owner.raw, obligation=clause)
    if isinstance(owner, Target):
        return Role("target", owner.raw, obligation=clause)
    if isinstance(owner, Obligation):
        return Role("obligation", owner.clause)
    if isinstance(owner, DocumentLink):
        return Role("implements", owner.key, obligation=clause)
    return Role("other", ".".join(path), obligation=clause)


def _header_value(doc: Document, field_name: str) -> str:
    if field_name == "doc_type":
        return doc.doc_type_label or doc.doc_type or ""
    value = getattr(doc, field_name, None)
    if field_name in ("urgency", "secrecy"):
        return label(field_name, value)
    return "" if value is None else str(value)
