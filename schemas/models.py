"""The JSON contract: what `congvan extract` writes for one input file.

Every extracted value keeps its evidence as a `Span`: character offsets into the
`text` of the document it belongs to (and the page of the input it came from).
Scalar header fields keep theirs in `Document.evidence`, keyed by field name, so
that the field itself stays a plain value for the people and tools that read it.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

# The closed vocabularies of the contract, named so that the code that fills them can say so.
AuthorityPrefix = Literal["TM", "KT", "TL", "TUQ", "Q"]
CcPurpose = Literal["act", "inform", "file"]
ClauseKind = Literal["part", "chapter", "section", "article", "roman", "number", "point", "dash", "plus"]
Role = Literal["lead", "support"]
Bound = Literal["at_least", "at_most", "exactly"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(Model):
    """Half-open character range [start, end) in the document's `text`."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    page: int | None = Field(default=None, description="1-based page of the input file")
    box: list[int] | None = Field(
        default=None, description="[x0, y0, x1, y1] in the page image's pixels, for text read by OCR"
    )


class Body(Model):
    """An agency, office or office-holder, as printed and in its expanded form."""

    name: str = Field(description="Expanded, in sentence case: 'Ủy ban nhân dân huyện Cần Giờ'")
    raw: str | None = Field(default=None, description="As printed: 'UBND TỈNH TÂY NINH'")
    span: Span | None = None


class Issuer(Body):
    parent: Body | None = Field(default=None, description="The direct parent body (cơ quan chủ quản)")
    inferred_from: list[str] = Field(
        default_factory=list,
        description="Empty when read from the header block; otherwise the clues used "
        "(symbol, place, body_text, signature, report)",
    )


class Authority(Model):
    """One link of a signature's authority chain: 'KT. CHỦ TỊCH' is KT on behalf of Chủ tịch."""

    prefix: AuthorityPrefix
    meaning: str
    on_behalf_of: str | None = None
    span: Span | None = None


class Signer(Model):
    name: str | None = None
    title: str | None = Field(default=None, description="'Phó Chủ tịch'")
    authority: list[Authority] = Field(default_factory=list)
    span: Span | None = None


class CcEntry(Model):
    """One line of 'Nơi nhận'."""

    name: str
    purpose: CcPurpose = Field(
        description="act: listed to carry it out ('Như trên' = the Kính gửi list); "
        "inform: for information or oversight; file: 'Lưu'"
    )
    span: Span | None = None


class IncomingStamp(Model):
    """The 'ĐẾN' stamp a receiving office puts on paper mail."""

    number: str | None = None
    date: str | None = Field(default=None, description="ISO date")
    routing: str | None = Field(default=None, description="Handwritten 'Chuyển:' note")
    raw: str
    span: Span | None = None


RelationKind = Literal["implements", "basis", "cites"]


class Reference(Model):
    """A document cited in the letter."""

    key: str = Field(description="Normalized number/symbol: '968/CĐ-TTg', '73/2023/NĐ-CP', '68-CTr/TU'")
    raw: str = Field(description="As printed at its first mention")
    number: str
    symbol: str
    year: int | None = Field(default=None, description="Year inside the number (legal documents)")
    doc_type: str | None = Field(default=None, description="Code: 'cong_dien'")
    doc_type_label: str | None = None
    date: str | None = Field(default=None, description="ISO date given with the citation")
    issuer: str | None = None
    subject: str | None = None
    relation: RelationKind = "cites"
    span: Span
    mentions: list[Span] = Field(default_factory=list, description="Every mention, the first included")


class DocumentLink(Model):
    key: str
    span: Span | None = None


class Clause(Model):
    id: str = Field(description="Labels joined from the top: '1', '1.a', 'II.2.b', '3.-2', 'Đ2.1.a'")
    label: str = Field(description="As printed: 'a)', '1.', '-', 'Điều 2.'")
    kind: ClauseKind
    text: str = Field(description="The clause's own text, continuation paragraphs included, children excluded")
    span: Span
    children: list[Clause] = Field(default_factory=list)


class Assignee(Model):
    name: str = Field(description="As printed")
    normalized: str | None = Field(default=None, description="Abbreviations expanded, place resolved")
    role: Role
    span: Span | None = None


DeadlineKind = Literal["date", "recurring", "relative", "urgent", "ongoing"]


class Deadline(Model):
    """When an obligation is due.

    date: a day, or the last day of the month, quarter, half or year named ("hết năm 2023").
    recurring: every `period` ("hằng tháng"), on `day` of it when given ("trước ngày 20 hằng tháng").
    relative: `days` (working days when `working_days`) counted from `counted_from`; `date`
    is computed on the working-day calendar when that start is known.
    urgent: "khẩn trương", "ngay", "kịp thời"; ongoing: "thường xuyên" — no date.
    """

    kind: DeadlineKind
    date: str | None = Field(default=None, description="ISO due date, when known")
    period: Literal["day", "week", "month", "quarter", "half_year", "year"] | None = None
    day: int | None = Field(default=None, description="Day of the period a recurring deadline falls on")
    days: int | None = None
    working_days: bool | None = None
    counted_from: Literal["signing", "receipt", "event"] | None = Field(
        default=None, description="What a relative deadline counts from"
    )
    raw: str = Field(description="The deadline as written")
    span: Span | None = None


class Target(Model):
    """A figure the obligation must reach: 'tối thiểu 96%', '100% thủ tục hành chính'."""

    value: float
    unit: str = Field(description="'%', or the counted noun ('hồ sơ', 'lượt')")
    bound: Bound = "exactly"
    subject: str | None = Field(default=None, description="What is measured, when the text says")
    raw: str
    span: Span | None = None


class Obligation(Model):
    clause: str = Field(description="Clause id, or 'body' for unlabelled text")
    text: str
    span: Span
    assignees: list[Assignee] = Field(default_factory=list)
    deadline: Deadline | None = None
    targets: list[Target] = Field(default_factory=list)
    implements: DocumentLink | None = None
    needs_review: bool = False
    review_reasons: list[str] = Field(default_factory=list)


class Document(Model):
    """One letter. `text` is its normalized text; every span points into it."""

    key: str | None = Field(
        default=None, description="Number/symbol from the 'Số:' line, spaces removed; '/TB-UBND' when the number "
        "could not be read (number null, needs_review says why)"
    )
    number: str | None = None
    symbol: str | None = None
    year: int | None = Field(default=None, description="Year of issue: from the number, else from the date")
    doc_type: str | None = Field(default=None, description="Code: 'cong_van', 'chi_thi', ...")
    doc_type_label: str | None = Field(default=None, description="'Công văn', 'Chỉ thị', ...")
    form: Literal["letter", "news_report"] = Field(
        default="letter", description="news_report: rebuilt from a web page that reports the letter"
    )
    issuer: Issuer | None = None
    place: str | None = None
    date: str | None = Field(
        default=None, description="ISO date of issue; 'YYYY-MM' when the day could not be read (needs_review says why)"
    )
    subject: str | None = Field(default=None, description="Trích yếu, without 'V/v'")
    urgency: Literal["khan", "thuong_khan", "hoa_toc"] | None = None
    secrecy: Literal["mat", "toi_mat", "tuyet_mat"] | None = None
    incoming_stamp: IncomingStamp | None = None
    recipients: list[Body] = Field(default_factory=list, description="Kính gửi")
    signer: Signer | None = None
    cc: list[CcEntry] = Field(default_factory=list, description="Nơi nhận")
    clauses: list[Clause] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    implements: list[DocumentLink] = Field(default_factory=list)
    obligations: list[Obligation] = Field(default_factory=list)
    evidence: dict[str, Span] = Field(
        default_factory=dict, description="Spans of the scalar fields above, by field name"
    )
    pages: list[int] = Field(default_factory=list, description="Pages of the input the letter is on")
    needs_review: bool = Field(default=False, description="A header field was inferred or could not be read")
    review_reasons: list[str] = Field(
        default_factory=list, description="Why, as warning codes: 'issuer_inferred', 'no_number', ..."
    )
    text: str


class Source(Model):
    path: str
    sha256: str
    media_type: str
    size_bytes: int


class Word(Model):
    """One word Tesseract read: where it is in the page's text and on the page image."""

    start: int = Field(ge=0, description="Offset in the page's `text`")
    end: int = Field(ge=0)
    box: list[int] = Field(description="[x0, y0, x1, y1] in pixels")
    confidence: float = Field(description="Tesseract's word confidence, 0-100")


class Page(Model):
    number: int = Field(ge=1)
    method: Literal["text", "text_layer", "ocr"] = Field(
        description="text: a plain-text file; text_layer: a PDF's own text; ocr: Tesseract"
    )
    text: str
    confidence: float | None = Field(default=None, description="Mean word confidence (OCR pages)")
    rotation: int = Field(default=0, description="Degrees the page image was turned before OCR")
    skew: float | None = Field(default=None, description="Degrees of skew corrected before OCR")
    size: list[int] | None = Field(default=None, description="[width, height] of the OCR'd image, in pixels")
    dpi: int | None = None
    words: list[Word] = Field(default_factory=list, description="Words read by OCR, with boxes")
    file: str | None = Field(
        default=None, description="The input file this page is, when the page images of one letter came as "
        "separate files and were joined (null: the file of `source`)"
    )


class DigitalSignature(Model):
    """The digital-signature stamp of an e-office PDF ("Ký bởi: …", "Thời gian ký: …"): evidence of who
    signed and when, kept when the page itself was read by OCR."""

    signer: str | None = Field(default=None, description="'Ký bởi' as stamped")
    organisation: str | None = Field(default=None, description="'Cơ quan'")
    email: str | None = None
    signed_at: str | None = Field(default=None, description="ISO date and time of signing, as stamped")
    page: int
    raw: str


class ExtractionWarning(Model):
    code: str
    message: str
    page: int | None = None
    document: int | None = Field(default=None, description="Index into `documents`")


class ExtractionResult(Model):
    schema_version: str = SCHEMA_VERSION
    source: Source
    pages: list[Page]
    documents: list[Document]
    signatures: list[DigitalSignature] = Field(
        default_factory=list, description="Digital-signature stamps found on the pages (e-office PDFs)"
    )
    warnings: list[ExtractionWarning] = Field(default_factory=list)
