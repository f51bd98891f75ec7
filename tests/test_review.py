"""The review site (pipeline/review): every span of the JSON highlighted once, at its offsets; the
chain, the tables, scans' boxes, the command. The browser tests are in test_review_browser.py.

"Every span of the JSON" is found here by walking the JSON itself (any object with `start` and
`end`), independently of how pipeline/review/evidence.py walks the models, and each is checked
against the page: exactly one highlight names it, its text is the span's text, and it begins at
the span's offset in the text as the page holds it.
"""
from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from schemas import ExtractionResult

from cli.main import main
from pipeline.extract import extract_file
from pipeline.output import render_json
from pipeline.review import write_review_site
from pipeline.review.chain import NOT_IN_SITE, ONLY_CITED, chains_from_letters
from pipeline.review.evidence import Evidence, collect
from pipeline.review.highlight import PageBreak, highlight
from pipeline.review.labels import kinds, labels, reason
from pipeline.review.load import load_letters
from pipeline.review.scans import attach_boxes, place_letters

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "data" / "samples").glob("*.expected.json"))
DEV2 = REPO.parent / "shared" / "eval" / "dev2"
# The dev2 letters checked: the first three in name order (any three would do: the check is general).
DEV2_LETTERS = 3


# --- reading a page back -----------------------------------------------------------------------

class LetterText(HTMLParser):
    """The text of the page's #letter-text block, and every highlight in it: its data-span, where
    its text begins (offset in the block's text), its text, and whether it carries the id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.depth = 0  # inside #letter-text: its element depth, 0 outside
        self.open: list[dict | None] = []
        self.pieces: list[dict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.depth == 0:
            if attributes.get("id") == "letter-text":
                self.depth = 1
            return
        self.depth += 1
        piece = None
        if "data-span" in attributes:
            piece = {"span": attributes["data-span"], "at": len(self.text), "text_start": len(self.text),
                     "id": attributes.get("id"), "classes": (attributes.get("class") or "").split(),
                     "start": int(attributes["data-start"] or 0), "end": int(attributes["data-end"] or 0)}
            self.pieces.append(piece)
        self.open.append(piece)

    def handle_endtag(self, tag: str) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0:
            return
        piece = self.open.pop()
        if piece is not None:
            piece["text"] = self.text[piece["text_start"]:]

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def read_letter_text(html: str) -> LetterText:
    parser = LetterText()
    parser.feed(html)
    parser.close()
    return parser


def json_spans(document: dict) -> set[tuple[int, int]]:
    """Every span in a document's JSON: any object that has `start` and `end` (OCR words are not
    in documents)."""
    found: set[tuple[int, int]] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                found.add((value["start"], value["end"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk({k: v for k, v in document.items() if k != "text"})
    return found


def assert_every_span_highlighted_once(html: str, document: dict) -> None:
    page = read_letter_text(html)
    text = document["text"]
    assert page.text == text, "the page's letter text differs from the JSON's"
    groups: dict[str, list[dict]] = {}
    for piece in page.pieces:
        groups.setdefault(piece["span"], []).append(piece)
    by_offsets: dict[tuple[int, int], list[str]] = {}
    for name, pieces in groups.items():
        first = pieces[0]
        by_offsets.setdefault((first["start"], first["end"]), []).append(name)
        assert [p["id"] for p in pieces].count(name) == 1, f"highlight {name} needs one anchor"
    for start, end in sorted(json_spans(document)):
        names = by_offsets.get((start, end), [])
        assert len(names) == 1, f"span {start}-{end} ({text[start:end]!r}) highlighted {len(names)} times"
        pieces = groups[names[0]]
        assert pieces[0]["at"] == start, f"span {start}-{end} begins at {pieces[0]['at']} on the page"
        assert "".join(p["text"] for p in pieces) == text[start:end]


def render(site: Path, *json_paths: Path, **options) -> dict[str, str]:
    """Write the site of these JSON files and return its letter pages by name."""
    report = write_review_site([p.as_posix() for p in json_paths], site, **options)
    assert not report.problems
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((site / "letters").glob("*.html"))}


def _documents(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["documents"]


# --- every span, once, at its offsets ------------------------------------------------------------

@pytest.mark.parametrize("expected", SAMPLES, ids=lambda p: p.name.split(".")[0])
def test_every_span_of_a_sample_is_highlighted_once_at_its_offsets(expected: Path, tmp_path: Path) -> None:
    result = tmp_path / f"{expected.name.split('.')[0]}.json"
    shutil.copy(expected, result)
    pages = render(tmp_path / "site", result)
    documents = _documents(result)
    assert len(pages) == len(documents)
    for html, document in zip(pages.values(), documents, strict=True):
        assert_every_span_highlighted_once(html, document)


@pytest.mark.skipif(not DEV2.is_dir(), reason="../shared/eval/dev2 is not here (read in place, never copied)")
def test_every_span_of_dev2_letters_is_highlighted_once_at_its_offsets(tmp_path: Path) -> None:
    inputs = sorted(DEV2.glob("*.txt"))[:DEV2_LETTERS]
    results = []
    for path in inputs:
        out = tmp_path / f"{path.stem}.json"
        out.write_bytes(render_json(extract_file(path)))
        results.append(out)
    pages = render(tmp_path / "site", *results)
    checked = 0
    for out in results:
        documents = _documents(out)
        names = [out.stem] if len(documents) == 1 else [f"{out.stem}-{i + 1}" for i in range(len(documents))]
        for name, document in zip(names, documents, strict=True):
            assert_every_span_highlighted_once(pages[name], document)
            checked += 1
    assert checked >= DEV2_LETTERS


# --- the highlighter on its own ------------------------------------------------------------------

def _ev(name: str, start: int, end: int, kind: str = "lead") -> Evidence:
    from pipeline.review.evidence import Role

    return Evidence(name, start, end, None, [Role(kind, "x")])


def test_crossing_spans_are_cut_into_pieces_of_one_highlight() -> None:
    text = "abcdefghij"
    html = highlight(text, [_ev("s0", 1, 6), _ev("s1", 4, 9, "deadline")])
    page = read_letter_text(f'<div id="letter-text">{html}</div>')
    assert page.text == text
    s1 = [p for p in page.pieces if p["span"] == "s1"]
    assert [p["text"] for p in s1] == ["ef", "ghi"]
    assert [p["id"] for p in s1] == ["s1", None]
    assert "cont" in s1[1]["classes"]


def test_empty_and_out_of_range_spans_and_page_breaks_keep_the_text() -> None:
    text = "một <hai> & ba"
    html = highlight(text, [_ev("s0", 3, 3), _ev("s1", 10, 99), _ev("s2", 0, 3, "header")],
                     [PageBreak(5, 2), PageBreak(0, 1)])
    page = read_letter_text(f'<div id="letter-text">{html}</div>')
    assert page.text == text  # escaped, not lost; page breaks add no text
    assert html.count('class="page-break"') == 1  # a break at offset 0 is no break
    assert {p["span"]: p["text"] for p in page.pieces} == {"s0": "", "s1": text[10:], "s2": "một"}


def test_values_sharing_a_span_share_one_highlight_that_names_them_all() -> None:
    doc = ExtractionResult.model_validate_json(SAMPLES[2].read_bytes()).documents[0]  # 8731: implements 5611
    ev = collect(doc)
    implemented = ev.of(doc.implements[0].span)
    assert implemented is not None
    assert implemented.kinds == ["implements", "reference"]  # legend order: implements first
    assert "5611/UBND-VX" in implemented.title
    inherited = ev.of(doc.obligations[0].assignees[0].span)  # the lead-in's assignee, for every sub-item
    assert inherited is not None and "nhiệm vụ 1.a, 1.b" in inherited.title


def test_clause_labels_are_highlighted_at_the_start_of_their_clause() -> None:
    doc = ExtractionResult.model_validate_json(SAMPLES[2].read_bytes()).documents[0]
    labels_found = [e for e in collect(doc).items if "label" in e.kinds]
    assert [doc.text[e.start:e.end] for e in labels_found][:3] == ["1.", "a)", "b)"]


# --- the page ----------------------------------------------------------------------------------

def test_a_letter_page_has_the_tables_the_chain_and_vietnamese_labels(tmp_path: Path) -> None:
    result = tmp_path / "cong-van-3852.json"
    shutil.copy(REPO / "data/samples/cong-van-3852-syt-tay-ninh-kem-3328-ubnd.expected.json", result)
    pages = render(tmp_path / "site", result)
    forwarding, forwarded = pages["cong-van-3852-1"], pages["cong-van-3852-2"]
    assert '<html lang="vi">' in forwarding
    assert "Thông tin văn bản" in forwarding and "Nhiệm vụ (" in forwarding
    # 3852 carries out 3328, both in the same file: links both ways
    assert 'href="cong-van-3852-2.html">3328/UBND-NC</a>' in forwarding
    assert 'href="cong-van-3852-1.html">3852/SYT-VP</a>' in forwarded
    # every obligation row links to the highlight of its text
    doc = _documents(result)[1]
    rows = re.findall(r'<tr id="ob-\d+" data-evidence="#(s\d+)"', forwarded)
    assert len(rows) == len(doc["obligations"])
    assert all(f'id="{anchor}"' in forwarded for anchor in rows)
    # nothing loaded from the network: only relative links to the site's own files
    assert not re.search(r'(?:src|href)="(?:https?:)?//', forwarding)


def test_the_chain_names_directives_that_have_no_page(tmp_path: Path) -> None:
    result = tmp_path / "cv.json"
    shutil.copy(SAMPLES[2], result)  # 8731 carries out 5611, which is not in the site
    letters, _ = load_letters([result])
    chain = chains_from_letters(letters)[letters[0].slug]
    assert [(e.key, e.href, e.note) for e in chain.parents] == [("5611/UBND-VX", None, NOT_IN_SITE)]


def test_the_chain_from_the_store_knows_placeholders(tmp_path: Path) -> None:
    from pipeline.store import Store

    db = f"sqlite:///{tmp_path / 'store.db'}"
    results = []
    with Store(db) as store:
        for sample in SAMPLES:
            result = ExtractionResult.model_validate_json(sample.read_bytes())
            store.ingest_result(result)
            out = tmp_path / "json" / f"{sample.name.split('.')[0]}.json"
            out.parent.mkdir(exist_ok=True)
            shutil.copy(sample, out)
            results.append(out)
    pages = render(tmp_path / "site", tmp_path / "json", store_url=db)
    assert "5611/UBND-VX</span> ngày 11/11/2023" in pages["cong-van-8731-ubnd-can-gio"]
    assert ONLY_CITED in pages["cong-van-8731-ubnd-can-gio"]
    assert 'href="cong-van-3852-syt-tay-ninh-kem-3328-ubnd-2.html">3328/UBND-NC</a>' in \
        pages["cong-van-3852-syt-tay-ninh-kem-3328-ubnd-1"]


def test_the_site_of_every_stored_letter_comes_from_the_store_alone(tmp_path: Path, capsys) -> None:
    """`congvan ingest --out` records where each file's JSON went; `congvan review --store` with no
    JSON named shows every stored letter, and names a JSON deleted since instead of failing."""
    texts = sorted((REPO / "data" / "samples").glob("*.txt"))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["ingest", *map(str, texts), "--db", db, "--out", str(tmp_path / "json"), "--quiet"]) == 0
    site = tmp_path / "site"
    assert main(["review", "--store", "--db", db, "--out", str(site)]) == 0
    expected = [d for j in sorted((tmp_path / "json").glob("*.json")) for d in _documents(j)]
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr data-review="') == len(expected) >= len(texts)
    gone = sorted((tmp_path / "json").glob("*.json"))[0]
    shown_without_it = len(expected) - len(_documents(gone))
    gone.unlink()
    capsys.readouterr()
    assert main(["review", "--store", "--db", db, "--out", str(site)]) != 0
    assert f"{gone.resolve().as_posix()}: is gone, though its letter is in the store" in capsys.readouterr().err
    assert (site / "index.html").read_text(encoding="utf-8").count('<tr data-review="') == shown_without_it


def test_review_without_json_or_store_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["review", "--out", str(tmp_path / "site")]) == 2
    assert "--store" in capsys.readouterr().err


def test_the_index_lists_every_letter_with_its_counts(tmp_path: Path) -> None:
    copies = []
    for sample in SAMPLES:
        copies.append(tmp_path / "json" / f"{sample.name.split('.')[0]}.json")
        copies[-1].parent.mkdir(exist_ok=True)
        shutil.copy(sample, copies[-1])
    render(tmp_path / "site", tmp_path / "json")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    documents = [d for c in copies for d in _documents(c)]
    assert index.count('<tr data-review="') == len(documents)
    for document in documents:
        assert f">{document['key']}</a>" in index
    assert '<script src="static/review.js"></script>' in index
    assert (tmp_path / "site" / "static" / "review.css").is_file()


def test_rewriting_the_site_is_idempotent_and_drops_letters_no_longer_given(tmp_path: Path) -> None:
    for sample in SAMPLES[:2]:
        shutil.copy(sample, tmp_path / f"{sample.name.split('.')[0]}.json")
    site = tmp_path / "site"
    first = render(site, tmp_path)
    assert render(site, tmp_path) == first
    (tmp_path / f"{SAMPLES[0].name.split('.')[0]}.json").unlink()
    assert set(render(site, tmp_path)) == set(first) - {SAMPLES[0].name.split(".")[0]}


def test_labels_cover_every_warning_code_and_review_reason() -> None:
    emitted: set[str] = set()
    patterns = [r'code="([a-z_]+)"', r'_warn\("([a-z_]+)"', r'notes\.append\(\("([a-z_]+)"', r'code = "([a-z_]+)"']
    for path in [*(REPO / "pipeline").glob("*.py"), *(REPO / "extractors").glob("*.py")]:
        for pattern in patterns:
            emitted.update(re.findall(pattern, path.read_text(encoding="utf-8")))
    assert emitted, "no warning codes found: the patterns above no longer match the code"
    assert emitted <= set(labels()["warnings"]), f"no Vietnamese label for {emitted - set(labels()['warnings'])}"
    assert reason("no assignee found") == "Không tìm thấy đơn vị thực hiện"
    assert reason("two candidate deadlines: 15/12 / 31/12").endswith("15/12 / 31/12")
    assert {"lead", "support", "deadline", "reference", "implements", "label"} <= set(kinds())


# --- the command -----------------------------------------------------------------------------------

def test_congvan_review_reports_bad_json_and_writes_the_rest(tmp_path: Path, capsys) -> None:
    shutil.copy(SAMPLES[0], tmp_path / "good.json")
    (tmp_path / "other.json").write_text('{"name": "not a result"}', encoding="utf-8")
    code = main(["review", tmp_path.as_posix(), "--out", (tmp_path / "site").as_posix()])
    out, err = capsys.readouterr()
    assert code == 17
    assert "other.json: is not congvan's output JSON" in err
    assert (tmp_path / "site" / "letters" / "good.html").is_file()
    assert f"{(tmp_path / 'site' / 'index.html').resolve().as_uri()}" in out
    assert "other.json" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_congvan_review_never_creates_a_store(tmp_path: Path, capsys) -> None:
    shutil.copy(SAMPLES[0], tmp_path / "good.json")
    missing = tmp_path / "nowhere" / "congvan.db"
    code = main(["review", (tmp_path / "good.json").as_posix(), "--out", (tmp_path / "site").as_posix(),
                 "--db", missing.as_posix()])
    assert code == 3
    assert "no store here" in capsys.readouterr().err
    assert not missing.parent.exists()


# --- scans: page images and the boxes of each value's words ----------------------------------------

@pytest.mark.tesseract
def test_a_scan_shows_its_pages_with_the_boxes_of_every_value(review_scan: Path, tmp_path: Path) -> None:
    pages = render(tmp_path / "site", review_scan)
    html = pages[review_scan.stem]
    result = ExtractionResult.model_validate_json(review_scan.read_bytes())
    doc = result.documents[0]
    assert_every_span_highlighted_once(html, json.loads(review_scan.read_text(encoding="utf-8"))["documents"][0])
    assert len(doc.pages) == 2 and 'class="page-break" data-page="2"' in html
    images = sorted((tmp_path / "site" / "pages").glob("*.jpg"))
    assert len(images) == 2
    from PIL import Image

    with Image.open(images[0]) as image:
        assert image.width == 1000
    # each value with a box in the JSON has its words' boxes drawn, on its page, and together
    # they cover exactly the JSON's box; the words were found through the text, not guessed
    ev = collect(doc)
    assert attach_boxes(result, doc, place_letters(result)[0], collect(doc).items)
    figures = {int(n): body for n, body in re.findall(r'<figure class="page-figure" id="page-(\d+)">(.*?)</figure>',
                                                       html, re.S)}
    assert set(figures) == {1, 2}
    boxed = [e for e in ev.items if not e.region and (span := _json_span(doc, e)) is not None and span.box]
    assert len(boxed) > 20
    for item in boxed:
        span = _json_span(doc, item)
        rects = re.findall(rf'<a href="#{item.id}"><rect class="box[^"]*" x="(\d+)" y="(\d+)" width="(\d+)" '
                           r'height="(\d+)"', figures[span.page])
        assert rects, f"no box drawn for {doc.text[item.start:item.end]!r}"
        x0 = min(int(r[0]) for r in rects)
        y0 = min(int(r[1]) for r in rects)
        x1 = max(int(r[0]) + int(r[2]) for r in rects)
        y1 = max(int(r[1]) + int(r[3]) for r in rects)
        assert [x0, y0, x1, y1] == span.box
    assert "low-word" in html  # words read with low confidence are drawn too


def _json_span(doc, item: Evidence):  # noqa: ANN001, ANN202
    from pipeline.review.evidence import walk_spans

    return next((s for _, _, s in walk_spans(doc) if (s.start, s.end) == (item.start, item.end)), None)


def test_a_scan_whose_source_file_is_gone_still_shows_its_boxes(tmp_path: Path) -> None:
    result = ExtractionResult.model_validate_json(SAMPLES[2].read_bytes())
    # a result as OCR gives it, without its image: the page keeps its size and a word with a box
    page = result.pages[0]
    page.method, page.size, page.dpi = "ocr", [2480, 3508], 300
    from schemas import Word

    key = result.documents[0].evidence["key"]
    page.words = [Word(start=key.start, end=key.end, box=[600, 400, 900, 450], confidence=40.0)]
    key.box = [600, 400, 900, 450]
    result.source.path = (tmp_path / "gone.png").as_posix()
    out = tmp_path / "scan.json"
    out.write_bytes(render_json(result))
    html = render(tmp_path / "site", out)["scan"]
    assert "không tìm thấy tệp gốc" in html
    assert '<rect class="box k-header low" x="600" y="400" width="300" height="50">' in html
    assert "low-conf" in html


def test_congvan_review_says_when_it_cannot_write_or_finds_no_letter(tmp_path: Path, capsys) -> None:
    shutil.copy(SAMPLES[0], tmp_path / "good.json")
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    assert main(["review", tmp_path.as_posix(), "--out", blocked.as_posix()]) == 13
    assert "cannot write the site there" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["review", (tmp_path / "empty").as_posix(), "--out", (tmp_path / "site").as_posix()]) == 2
    assert "no letters in the JSON given" in capsys.readouterr().err
