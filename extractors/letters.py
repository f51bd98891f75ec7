"""Compose the stages: from the pages of one input file to its letters.

normalize -> split into letters -> per letter: header (or the reporting sentence of a news
page) -> body end and closing (signature, Nơi nhận) -> clauses -> references -> implements.
Every span is made relative to the letter's own text, then given its page.
"""
from __future__ import annotations

import re

from collections.abc import Iterator
from typing import cast

from pydantic import BaseModel
from schemas import (
    Authority,
    Body,
    CcEntry,
    Document,
    DocumentLink,
    ExtractionWarning,
    IncomingStamp,
    Issuer,
    Reference,
    Signer,
    Span,
    Word,
)
from schemas.models import AuthorityPrefix, CcPurpose

from extractors.abbreviations import expand_abbreviations, issuer_name
from extractors.attachments import find_attachments
from extractors.bodies import case_body_name, group_body_lines, is_bare_kind, own_level, repair_body_name, starts_body
from extractors.clauses import parse_clauses
from extractors.closing import Closing, authority_meaning, body_end, cased_title, read_closing
from extractors.header import Found, Header, read_header
from extractors.implements import find_implements
from extractors.keys import match_key
from extractors.lines import Line, lines_of
from extractors.normalize import normalize
from extractors.ocr_repair import repair_ocr
from extractors.obligations import find_obligations
from extractors.references import find_references
from extractors.report import read_report
from extractors.split import LetterSpan, split_letters
from extractors.tables import entries
from extractors.tracked import PageMap, TrackedText
from extractors.unread import complete_header

PAGE_SEPARATOR = "\f"
_LOCAL_BODIES = ("Ủy ban nhân dân", "Hội đồng nhân dân")


def extract_documents(
    pages: list[str], words: list[list[Word]] | None = None
) -> tuple[list[Document], list[ExtractionWarning]]:
    """The letters found in the pages of one file, with warnings about what was doubtful.

    `words`, for pages read by OCR, gives each page's words with their boxes, so that every
    span also gets the box it covers on the page image. An empty list of documents means the
    text holds no letter; the caller decides what that costs.
    """
    source = PAGE_SEPARATOR.join(pages)
    page_map = PageMap.of(pages, PAGE_SEPARATOR)
    norm = normalize(source)
    if words and any(words):
        # Tesseract's misreadings of the header's anchor words ("QUYÉT ĐỊNH", "Só:"): only text this
        # pipeline OCR'd has them; typed text and PDF text layers are spared the scan
        norm = repair_ocr(norm)
    documents: list[Document] = []
    warnings: list[ExtractionWarning] = []
    for letter in split_letters(norm.text):
        doc, notes = _extract_letter(norm.text[letter.start : letter.end], letter)
        if doc is None:
            continue
        _place_on_pages(doc, norm, letter.start, page_map, words)
        index = len(documents)
        warnings += [
            ExtractionWarning(
                code=code,
                message=message,
                document=index,
                page=None if at is None else page_map.page_at(norm.source_offset(letter.start + at)),
            )
            for code, message, at in notes
        ]
        documents.append(doc)
    return documents, warnings


Note = tuple[str, str, int | None]  # code, message, offset in the letter's text


def _extract_letter(text: str, letter: LetterSpan) -> tuple[Document | None, list[Note]]:
    notes: list[Note] = []
    news = letter.form == "news_report"
    h = read_report(text, 0, len(text)) if news else read_header(text, 0, len(text))
    if h is None:
        return None, notes
    end = body_end(text, h.body_start, len(text), news)
    if not _has_body(text, h.body_start, end):
        return None, notes  # a header alone (or a number line, a hundred thousand times) is no letter
    closing = None if news else read_closing(text, end, len(text))
    clauses = parse_clauses(text, h.body_start, end)
    if not news:
        for attached in find_attachments(text, end):
            # its items are the letter's clauses after its articles; its own closing, if any, is not
            clauses += parse_clauses(text, attached.body_start, body_end(text, attached.body_start, attached.end, False))
    own_key = h.key.value.key if h.key else None
    # Every document the letter cites, wherever: body, footnotes and appendices after the signature
    # (an appendix's "Căn cứ pháp lý" column). What comes before the header is no part of the letter.
    scope = " " * h.start + text[h.start :]  # blanked, not cut, so offsets hold
    refs = [r for r in find_references(scope) if not _same_key(r.key, own_key) and not _in_stamp(r, h)]
    first_clause = clauses[0].span.start if clauses else end
    opening = [ln for ln in lines_of(text, h.body_start, first_clause)]
    if news and h.key:
        opening.insert(0, _line_around(text, h.key.start))
    subject = (h.subject.start, h.subject.end) if h.subject else None
    implemented = find_implements(text, opening, subject, refs)
    refs = [_with_relation(r, implemented) for r in refs]

    unread = [] if news else complete_header(h, text, refs)  # handwritten numbers and days
    doc = Document(text=text, form=letter.form, clauses=clauses, references=refs)
    notes += [(code, message, None) for code, message in unread]
    doc.implements = [DocumentLink(key=r.key, span=r.span) for r in implemented]
    _fill_header(doc, h, text, end, closing, notes)
    if closing:
        _fill_closing(doc, closing)
    doc.obligations = find_obligations(doc, h.body_start, end)
    for ln in h.stray:
        notes.append(("stray_line", f"ignored a line that belongs to no part of the letter: {ln.text!r}", ln.start))
    if doc.key is None:
        notes.append(("no_number", "no 'Số:' number/symbol found", None))
    if doc.date is None:
        notes.append(("no_date", "no date of issue found", None))
    if doc.doc_type is None:
        notes.append(("no_doc_type", "no type of document found in the header", None))
    doc.review_reasons = [code for code, _, _ in notes if code in _REVIEW_CODES]
    doc.needs_review = bool(doc.review_reasons)
    return doc, notes


# A letter says something: its body has at least this many different words (a number line repeated,
# or a header with nothing after it, has one or none).
MIN_BODY_WORDS = 5
_WORD = re.compile(r"[^\W\d_]{2,}")


def _has_body(text: str, start: int, end: int) -> bool:
    words: set[str] = set()
    for m in _WORD.finditer(text, start, end):
        words.add(m.group().casefold())
        if len(words) >= MIN_BODY_WORDS:
            return True
    return False


# Notes that leave a header field guessed or empty: a reviewer checks the letter against the paper.
_REVIEW_CODES = frozenset({"issuer_inferred", "doc_type_inferred", "no_number", "no_date", "no_doc_type",
                           "unread_number", "unread_day", "implausible_date"})  # the last three: extractors/unread.py


def _fill_header(doc: Document, h: Header, text: str, end: int, closing: Closing | None, notes: list[Note]) -> None:
    ev = doc.evidence
    if h.key:
        k = h.key.value
        doc.key, doc.number, doc.symbol, doc.year = k.key, k.number or None, k.symbol, k.year
        ev["key"] = _span(h.key)
    if h.doc_type:
        doc.doc_type, doc.doc_type_label = h.doc_type.value
        ev["doc_type"] = _span(h.doc_type)
    elif h.key and h.key.value.doc_type:
        doc.doc_type = h.key.value.doc_type
        doc.doc_type_label = _type_label(doc.doc_type)
        ev["doc_type"] = _span(h.key)
    elif h.recipients:
        # No title and no type in the symbol, but a "Kính gửi": Decree 30 gives every type a title
        # except the công văn, which is addressed this way.
        doc.doc_type, doc.doc_type_label = "cong_van", _type_label("cong_van")
        ev["doc_type"] = _span(h.recipients[0])
        notes.append(("doc_type_inferred", "no type title; a letter addressed 'Kính gửi' without one is a công văn", None))
    if h.date:
        doc.date = h.date.value
        ev["date"] = _span(h.date)
        if doc.year is None:
            doc.year = int(doc.date[:4])
    if h.place:
        doc.place = h.place.value
        ev["place"] = _span(h.place)
    if h.subject:
        doc.subject = h.subject.value
        ev["subject"] = _span(h.subject)
    for fld, found in h.marks.items():
        setattr(doc, fld, found.value)
        ev[fld] = _span(found)
    if h.stamp:
        s = h.stamp
        doc.incoming_stamp = IncomingStamp(
            number=s.number, date=s.date, routing=s.routing, raw=text[s.start : s.end], span=Span(start=s.start, end=s.end)
        )
    doc.recipients = [Body(name=r.value, span=_span(r)) for r in h.recipients]
    doc.issuer = _issuer(h, text, end, closing)
    if doc.issuer and doc.issuer.inferred_from:
        clues = ", ".join(doc.issuer.inferred_from)
        notes.append(("issuer_inferred", f"the issuing body is not named in full in the header; inferred from {clues}", None))


def _issuer(h: Header, text: str, end: int, closing: Closing | None) -> Issuer | None:
    groups = group_body_lines(h.issuer_lines)
    if groups and not starts_body(groups[-1].text):
        # Not a body's name: a stamp or seal smudged the block ("AN NHÂN DÂN HỪA THIÊN HUẾ").
        # Infer as for a missing block, and keep what was printed for the reviewer.
        inferred = _inferred_issuer(h, text, end, closing)
        if inferred:
            inferred.raw = " ".join(g.text for g in groups)
            inferred.inferred_from.append("damaged_header")
            return inferred
    if groups:
        own = groups[-1]
        issuer = Issuer(name=repair_body_name(case_body_name(own.text)), raw=own.text, span=Span(start=own.start, end=own.end))
        if issuer.name in _LOCAL_BODIES and len(groups) == 1:
            # "ỦY BAN NHÂN DÂN" with its place lost from the block: complete it as below
            issuer.name, issuer.inferred_from = _with_place(issuer.name, h, text, end)
        if len(groups) > 1:
            parent = groups[-2]
            issuer.parent = Body(name=repair_body_name(case_body_name(parent.text)), raw=parent.text, span=Span(start=parent.start, end=parent.end))
        if is_bare_kind(issuer.name):
            _complete_bare_kind(issuer, h)
        return issuer
    return _inferred_issuer(h, text, end, closing)


def _complete_bare_kind(issuer: Issuer, h: Header) -> None:
    """"VĂN PHÒNG" under "BAN CHẤP HÀNH TRUNG ƯƠNG": the block names the body by its kind only, its
    parent saying whose it is. The body code of the symbol (432-TB/VPTW) gives the full name when it
    names a body of that kind; else the kind is the parent's ("Văn phòng Tỉnh ủy")."""
    code = h.key.value.issuer_abbr if h.key else None
    full = issuer_name(code) if code else None
    if full and full.casefold().startswith(issuer.name.casefold() + " "):
        issuer.name = full
        issuer.inferred_from.append("symbol")
    elif issuer.parent is not None:
        issuer.name = f"{issuer.name} {issuer.parent.name}"
        issuer.inferred_from.append("parent")


def _inferred_issuer(h: Header, text: str, end: int, closing: Closing | None) -> Issuer | None:
    """The issuer from the symbol's body code, the signature's TM. line, the text and the place."""
    clues: list[str] = []
    kind = None
    if h.key and h.key.value.issuer_abbr:
        kind = issuer_name(h.key.value.issuer_abbr) or expand_abbreviations(h.key.value.issuer_abbr)
        if kind != h.key.value.issuer_abbr:
            clues.append("symbol")
        else:
            kind = None
    if kind is None and closing:
        tm = next((a for a in closing.authority if a[0] == "TM"), None)
        if tm:
            kind = case_body_name(tm[1])
            clues.append("signature")
    if kind is None:
        return None
    name = kind
    if kind in _LOCAL_BODIES:
        name, more = _with_place(kind, h, text, end)
        clues += more
    return Issuer(name=name, inferred_from=clues)


def _with_place(kind: str, h: Header, text: str, end: int) -> tuple[str, list[str]]:
    """'Ủy ban nhân dân' + the level the letter calls itself by + the place of its date line."""
    clues = []
    level = own_level(text[h.body_start : end])
    if level:
        kind += f" {level}"
        clues.append("body_text")
    if h.place:
        kind += f" {h.place.value}"
        clues.append("place")
    return kind, clues


def _fill_closing(doc: Document, c: Closing) -> None:
    if not (c.signer_name or c.title or c.authority):
        doc.cc = [CcEntry(name=n, purpose=cast(CcPurpose, p), span=Span(start=s, end=e)) for n, p, s, e in c.cc]
        return
    signer = Signer()
    if c.signer_name:
        signer.name = c.signer_name[0]
        signer.span = Span(start=c.signer_name[1], end=c.signer_name[2])
    if c.title:
        signer.title = c.title[0]
    signer.authority = [
        Authority(prefix=cast(AuthorityPrefix, p), meaning=authority_meaning(p), on_behalf_of=cased_title(who), span=Span(start=s, end=e))
        for p, who, s, e in c.authority
    ]
    doc.signer = signer
    doc.cc = [CcEntry(name=n, purpose=cast(CcPurpose, p), span=Span(start=s, end=e)) for n, p, s, e in c.cc]


def _with_relation(ref: Reference, implemented: list[Reference]) -> Reference:
    if any(ref is r for r in implemented):
        ref.relation = "implements"
    return ref


def _same_key(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and bool(a and b) and match_key(a) == match_key(b)


def _in_stamp(ref: Reference, h: Header) -> bool:
    return h.stamp is not None and bool(h.stamp) and h.stamp.start <= ref.span.start < h.stamp.end


def _line_around(text: str, pos: int) -> Line:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return Line(start, end, text[start:end])


def _type_label(code: str) -> str | None:
    return next((e["label"] for e in entries("doc_types", "type") if e["code"] == code), None)


def _span(found: Found) -> Span:
    return Span(start=found.start, end=found.end)


def _box(words: list[Word], start: int, end: int) -> list[int] | None:
    """The box around the OCR words that the page-text range [start, end) touches."""
    hit = [w.box for w in words if w.start < end and start < w.end]
    if not hit:
        return None
    return [min(b[0] for b in hit), min(b[1] for b in hit), max(b[2] for b in hit), max(b[3] for b in hit)]


def _spans(model: BaseModel) -> Iterator[Span]:
    """Every Span inside a model, at any depth (reads the fields' values directly: this walks every
    clause, obligation and name of a letter)."""
    if isinstance(model, Span):
        yield model
        return
    for value in model.__dict__.values():
        if isinstance(value, BaseModel):
            yield from _spans(value)
        elif isinstance(value, list | dict):
            for item in value.values() if isinstance(value, dict) else value:
                if isinstance(item, BaseModel):
                    yield from _spans(item)


def _place_on_pages(
    doc: Document, norm: TrackedText, offset: int, page_map: PageMap, words: list[list[Word]] | None
) -> None:
    if len(page_map.starts) == 1 and not words:
        for span in _spans(doc):  # one page of text: every span is on it, and there are no boxes
            span.page = 1
        doc.pages = [1]
        return
    for span in _spans(doc):
        start, end = norm.source_span(offset + span.start, offset + span.end)
        span.page = page_map.page_at(start)
        if words and span.page <= len(words) and words[span.page - 1]:
            page_start = page_map.starts[span.page - 1]
            span.box = _box(words[span.page - 1], start - page_start, end - page_start)
    first = page_map.page_at(norm.source_offset(offset))
    last = page_map.page_at(norm.source_offset(offset + max(len(doc.text) - 1, 0)))
    doc.pages = list(range(first, last + 1))
