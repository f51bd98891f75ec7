"""Writing the review site: an index of the letters and a page per letter, static files that open
from the file system (no server, nothing fetched from the network).

    SITE/index.html            every letter: key, type, issuer, date, subject, counts; sortable, filterable
    SITE/letters/<name>.html   one letter: its text with the evidence highlighted, the header fields,
                               the chain, the obligations table, what needs review, its page images
    SITE/pages/*.jpg           page images of scans, downscaled, named by content (reused by reruns)
    SITE/static/               the stylesheet and the index's few lines of JavaScript

Every file is written atomically; pages of letters that are no longer given are removed, so the
site always shows the letters of the last run and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from schemas import Deadline, ExtractionWarning

from pipeline.errors import CongvanError, OutputWriteError
from pipeline.output import write_atomic
from pipeline.review import chain as chains
from pipeline.review.evidence import LOW_CONFIDENCE, REGION_KINDS, LetterEvidence, collect
from pipeline.review.highlight import highlight
from pipeline.review.labels import kinds, label, reason
from pipeline.review.load import SiteLetter, json_files, load_letters
from pipeline.review.scans import PageView, Placement, attach_boxes, page_views, place_letters

_HERE = Path(__file__).parent
STATIC_FILES = ("review.css", "review.js")


@dataclass
class ReviewReport:
    index: Path
    letters: int = 0
    images: int = 0
    problems: list[CongvanError] = field(default_factory=list)  # JSON files left out, and why


def write_review_site(paths: list[str] | None, out_dir: Path, *, store_url: str | None = None,
                      use_store: bool = False) -> ReviewReport:
    """Write the review site of the output JSON at `paths` (files or folders) into `out_dir`.

    With `use_store` (or a `store_url`) the chain comes from the store, else from the letters given;
    with no `paths` (None), the letters are those of every stored file, read from the JSON its run
    wrote (a JSON gone since is reported, and the others shown).
    Raises OutputWriteError when the site cannot be written, InputNotFoundError for a missing store.
    """
    if use_store or store_url or paths is None:
        with chains.open_store(store_url) as store:
            if paths is None:
                files, missing = json_files(store.outputs(), gone_hint="is gone, though its letter is in the "
                                            "store: ingest the letter's file again to write it")
            else:
                files, missing = json_files(paths)
            letters, unreadable = load_letters(files)
            chain_of = chains.chains_from_store(letters, store)
    else:
        files, missing = json_files(paths)
        letters, unreadable = load_letters(files)
        chain_of = chains.chains_from_letters(letters)
    problems: list[CongvanError] = [*missing, *unreadable]
    try:
        images = _write_site(out_dir, letters, chain_of, problems)
    except OSError as error:
        raise OutputWriteError(out_dir.as_posix(), f"cannot write the site there ({error.strerror or error})") from None
    return ReviewReport(index=out_dir / "index.html", letters=len(letters), images=images, problems=problems)


def _write_site(out_dir: Path, letters: list[SiteLetter], chain_of: dict[str, chains.Chain],
                problems: list[CongvanError]) -> int:
    """Write every page; the number of page images the site shows."""
    renderer = Renderer()
    for folder in ("letters", "static"):
        (out_dir / folder).mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        write_atomic(out_dir / "static" / name, (_HERE / "static" / name).read_bytes())
    placements = _placements(letters)
    written: set[str] = set()
    images: set[str] = set()
    rows = []
    for letter in letters:
        views = page_views(letter.result, letter.doc.pages, out_dir)
        images.update(Path(v.image).name for v in views if v.image)
        page = renderer.letter_page(letter, placements[letter.slug], chain_of[letter.slug], views)
        write_atomic(out_dir / "letters" / f"{letter.slug}.html", page.encode("utf-8"))
        written.add(f"{letter.slug}.html")
        rows.append(index_row(letter))
    write_atomic(out_dir / "index.html", renderer.index_page(rows, problems).encode("utf-8"))
    _remove_stale(out_dir / "letters", written, "*.html")
    _remove_stale(out_dir / "pages", images, "*.jpg")
    return len(images)


def _placements(letters: list[SiteLetter]) -> dict[str, Placement | None]:
    """Each letter's place in its file's pages (one normalization per result file)."""
    by_file: dict[Path, list[Placement | None]] = {}
    out = {}
    for letter in letters:
        if letter.json_path not in by_file:
            by_file[letter.json_path] = place_letters(letter.result)
        out[letter.slug] = by_file[letter.json_path][letter.index]
    return out


def _remove_stale(folder: Path, keep: set[str], pattern: str) -> None:
    if folder.is_dir():
        for path in folder.glob(pattern):
            if path.name not in keep:
                path.unlink(missing_ok=True)


# --- what the templates show -----------------------------------------------------------------

def letter_warnings(letter: SiteLetter) -> list[ExtractionWarning]:
    """The warnings about this letter, and those about its file or its pages."""
    doc = letter.doc
    return [w for w in letter.result.warnings
            if w.document == letter.index or (w.document is None and (w.page is None or w.page in doc.pages))]


def index_row(letter: SiteLetter) -> dict:
    doc = letter.doc
    return {
        "href": f"letters/{letter.href}", "key": doc.key or "(không số)", "doc_type": doc.doc_type_label or "",
        "issuer": doc.issuer.name if doc.issuer else "", "date": doc.date or "",
        "subject": doc.subject or "", "obligations": len(doc.obligations),
        # what needs a look: each obligation flagged, and the header when it is
        "review": sum(1 for o in doc.obligations if o.needs_review) + int(doc.needs_review),
        "warnings": len(letter_warnings(letter)), "file": letter.result.source.path,
    }


def vn_date(iso: str | None) -> str:
    """'2023-11-29' -> '29/11/2023', as Vietnamese letters write dates."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def deadline_text(deadline: Deadline) -> str:
    """The deadline as a date or a period, in Vietnamese (its own words are shown beside it)."""
    if deadline.kind == "date":
        return vn_date(deadline.date)
    if deadline.kind == "recurring":
        period = label("periods", deadline.period) if deadline.period else label("deadline_kinds", "recurring")
        return f"{period}, ngày {deadline.day}" if deadline.day else period
    if deadline.kind == "relative":
        unit = "ngày làm việc" if deadline.working_days else "ngày"
        text = f"trong {deadline.days} {unit}" if deadline.days is not None else label("deadline_kinds", "relative")
        if deadline.counted_from:
            text += f" {label('counted_from', deadline.counted_from)}"
        return f"{text} (đến {vn_date(deadline.date)})" if deadline.date else text
    return label("deadline_kinds", deadline.kind)


def header_rows(letter: SiteLetter, ev: LetterEvidence) -> list[dict]:
    """The header fields in reading order: label, value, and the anchor of its evidence."""
    doc = letter.doc
    rows = []

    def row(name: str, value: str | None, anchor: str = "", note: str = "") -> None:
        if value:
            rows.append({"label": label("fields", name), "value": value, "anchor": anchor, "note": note})

    evidence = doc.evidence
    row("key", doc.key, ev.anchor(evidence.get("key")))
    row("doc_type", doc.doc_type_label or doc.doc_type, ev.anchor(evidence.get("doc_type")))
    if doc.form != "letter":
        row("form", label("forms", doc.form))
    if doc.issuer:
        inferred = ", ".join(doc.issuer.inferred_from)
        row("issuer", doc.issuer.name, ev.anchor(doc.issuer.span), f"suy ra từ: {inferred}" if inferred else "")
        if doc.issuer.parent:
            row("parent", doc.issuer.parent.name, ev.anchor(doc.issuer.parent.span))
    row("place", doc.place, ev.anchor(evidence.get("place")))
    row("date", vn_date(doc.date), ev.anchor(evidence.get("date")))
    row("subject", doc.subject, ev.anchor(evidence.get("subject")))
    row("urgency", label("urgency", doc.urgency) if doc.urgency else None, ev.anchor(evidence.get("urgency")))
    row("secrecy", label("secrecy", doc.secrecy) if doc.secrecy else None, ev.anchor(evidence.get("secrecy")))
    if doc.incoming_stamp:
        stamp = doc.incoming_stamp
        parts = [f"số {stamp.number}" if stamp.number else "", vn_date(stamp.date), stamp.routing or ""]
        row("incoming_stamp", " · ".join(p for p in parts if p) or stamp.raw, ev.anchor(stamp.span))
    for body in doc.recipients:
        row("recipients", body.name, ev.anchor(body.span))
    if doc.signer:
        title = f" ({doc.signer.title})" if doc.signer.title else ""
        row("signer", f"{doc.signer.name or ''}{title}".strip(), ev.anchor(doc.signer.span))
        for authority in doc.signer.authority:
            row("authority", f"{authority.prefix}. {authority.on_behalf_of or ''} — {authority.meaning}",
                ev.anchor(authority.span))
    for entry in doc.cc:
        row("cc", f"{entry.name} ({label('cc_purposes', entry.purpose)})", ev.anchor(entry.span))
    return rows


def obligation_rows(letter: SiteLetter, ev: LetterEvidence) -> list[dict]:
    rows = []
    for number, ob in enumerate(letter.doc.obligations, start=1):
        people = {"lead": [], "support": []}  # type: dict[str, list[dict]]
        for a in ob.assignees:
            people[a.role].append({"name": a.name, "normalized": a.normalized if a.normalized != a.name else "",
                                   "anchor": ev.anchor(a.span)})
        deadline = None
        if ob.deadline:
            deadline = {"text": deadline_text(ob.deadline), "raw": ob.deadline.raw,
                        "anchor": ev.anchor(ob.deadline.span)}
        implements = None
        if ob.implements:
            implements = {"key": ob.implements.key, "anchor": ev.anchor(ob.implements.span)}
        rows.append({
            "number": number, "clause": ob.clause, "anchor": ev.anchor(ob.span),
            "text": _snippet(ob.text),
            "lead": people["lead"], "support": people["support"], "deadline": deadline,
            "implements": implements,
            "targets": [{"raw": t.raw, "anchor": ev.anchor(t.span)} for t in ob.targets],
            "reasons": [reason(r) for r in ob.review_reasons], "raw_reasons": ob.review_reasons,
        })
    return rows


# Characters of an obligation's text the table shows; the whole text is a click away.
_SNIPPET = 110


def _snippet(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[:_SNIPPET - 1].rstrip() + "…"


def page_figures(views: list[PageView], ev: LetterEvidence, low_words: dict[int, list]) -> list[dict]:
    """Per OCR page: its image, and the SVG shapes over it: the doubtful words (dashed), then the
    box of every word of every value, each linked to the value's highlight in the text.

    The shapes are written here rather than in the template: a scan page has hundreds of them,
    and building them in Python keeps a letter page within its time budget (benchmarks/review.py)."""
    shapes: dict[int, list[str]] = {view.number: [] for view in views}
    for number, words in low_words.items():
        for word in words:
            shapes[number].append(f'<rect class="low-word" {_geometry(word["box"])}>'
                                  f'<title>Độ tin cậy OCR {word["confidence"]}</title></rect>')
    for item in ev.items:
        if item.region or not item.boxes:
            continue
        kind = next(k for k in item.kinds if k not in REGION_KINDS)
        title = escape(item.title)
        for box in item.boxes:
            if box.page in shapes:
                low = " low" if box.confidence < LOW_CONFIDENCE else ""
                shapes[box.page].append(f'<a href="#{item.id}"><rect class="box k-{kind}{low}" {_geometry(box.box)}>'
                                        f"<title>{title}</title></rect></a>")
    return [{"view": view, "shapes": Markup("\n".join(shapes[view.number]))} for view in views]


def _geometry(box: tuple[int, ...] | list[int]) -> str:
    x0, y0, x1, y1 = box
    return f'x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}"'


class Renderer:
    """The Jinja2 templates beside this module, with the site's filters."""

    def __init__(self) -> None:
        self.env = Environment(loader=FileSystemLoader(_HERE / "templates"), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["vn_date"] = vn_date
        self.env.globals["kinds"] = kinds()
        self.env.globals["label"] = label
        self._letter = self.env.get_template("letter.html")
        self._index = self.env.get_template("index.html")

    def letter_page(self, letter: SiteLetter, placement: Placement | None, chain: chains.Chain,
                    views: list[PageView]) -> str:
        doc = letter.doc
        ev = collect(doc)
        attach_boxes(letter.result, doc, placement, ev.items)
        breaks = placement.page_breaks(len(doc.text)) if placement else []
        low = _low_words(letter, views)
        present = {k for item in ev.items for k in item.kinds}
        obligations = obligation_rows(letter, ev)
        return self._letter.render(
            letter=letter, doc=doc, text=highlight(doc.text, ev.items, breaks),
            header=header_rows(letter, ev), obligations=obligations, chain=chain,
            review=[row for row in obligations if row["reasons"]],
            warnings=letter_warnings(letter), figures=page_figures(views, ev, low),
            legend=[k for k in kinds() if k in present and k != "clause"],
            implements=[{"key": link.key, "anchor": ev.anchor(link.span)} for link in doc.implements],
            methods=sorted({label("page_methods", p.method) for p in letter.result.pages if p.number in doc.pages}),
            doubtful=sum(1 for item in ev.items if item.doubtful),
        )

    def index_page(self, rows: list[dict], problems: list[CongvanError]) -> str:
        return self._index.render(rows=rows, problems=problems,
                                  totals={"letters": len(rows), "obligations": sum(r["obligations"] for r in rows),
                                          "review": sum(r["review"] for r in rows)})


def _low_words(letter: SiteLetter, views: list[PageView]) -> dict[int, list]:
    """Words OCR read with low confidence on the letter's pages: drawn so doubt shows where it is."""
    shown = {v.number for v in views}
    return {page.number: [{"box": w.box, "confidence": round(w.confidence)} for w in page.words
                          if w.confidence < LOW_CONFIDENCE]
            for page in letter.result.pages if page.number in shown}
