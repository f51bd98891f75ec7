"""The review site in a real browser: Debian's headless Chromium (tests/chromium.py), opened on the
files as a clerk would open them (file://, no server).

Checked on the page as the browser lays it out: every span of the JSON has one highlight, at its
offset in the text the page shows, with the span's text, visible and coloured; the obligations
table is there and visible, each row pointing at a highlight; a screenshot is not blank; the
index sorts and filters with its own script; print layout hides the navigation; a scan's page
images load and carry their boxes. Skipped, with the reason, where Chromium is not installed
(scripts/setup.sh installs it when run as root).
"""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from chromium import Chromium, find_chromium
from test_review import SAMPLES, json_spans

from pipeline.review import write_review_site

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh installs "
                                "Debian's chromium when run as root; or: apt-get install chromium)")

# Every highlight of the page as laid out: its pieces' text, the offset of its first piece in the
# text of #letter-text (a Range from the block's start), and whether each piece is drawn.
_READ_HIGHLIGHTS = """(() => {
  const block = document.getElementById("letter-text");
  const groups = {};
  for (const el of block.querySelectorAll("[data-span]")) {
    const name = el.dataset.span;
    const range = document.createRange();
    range.setStart(block, 0);
    range.setEndBefore(el);
    const style = getComputedStyle(el);
    const rects = Array.from(el.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    const g = groups[name] || (groups[name] = {start: +el.dataset.start, end: +el.dataset.end, at: null,
                                                text: "", drawn: true, colour: style.backgroundColor,
                                                classes: el.className, ids: 0});
    if (g.at === null) g.at = range.toString().length;
    g.text += el.textContent;
    if (el.id) g.ids += 1;
    if (el.textContent.trim() && (!rects.length || style.visibility !== "visible")) g.drawn = false;
  }
  const table = document.getElementById("obligations");
  const rows = table ? Array.from(table.tBodies[0].rows) : [];
  const box = table ? table.getBoundingClientRect() : {width: 0, height: 0};
  return {
    lang: document.documentElement.lang,
    text: block.textContent,
    groups,
    table: {rows: rows.length, width: box.width, height: box.height,
            targets: rows.filter(r => document.querySelector(r.dataset.evidence)).length},
  };
})()"""

_REGION_CLASSES = {"k-clause", "k-obligation"}


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM is not None
    with Chromium(CHROMIUM) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("review-browser")
    for sample in SAMPLES:
        shutil.copy(sample, folder / f"{sample.name.split('.')[0]}.json")
    report = write_review_site([folder.as_posix()], folder / "site")
    assert not report.problems
    return folder


def _not_blank(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert ImageStat.Stat(image.convert("L")).stddev[0] > 20, "the screenshot is (nearly) one colour"
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 100, "the screenshot has too few colours to hold a page"
    return image


def _check_letter(browser: Chromium, page: Path, document: dict) -> dict:
    browser.open(page.as_uri())
    seen = browser.evaluate(_READ_HIGHLIGHTS)
    assert seen["lang"] == "vi"
    assert seen["text"] == document["text"]
    by_offsets: dict[tuple[int, int], list[dict]] = {}
    for group in seen["groups"].values():
        by_offsets.setdefault((group["start"], group["end"]), []).append(group)
    for start, end in json_spans(document):
        groups = by_offsets.get((start, end), [])
        assert len(groups) == 1, f"span {start}-{end} has {len(groups)} highlights"
        group = groups[0]
        assert group["ids"] == 1
        assert group["at"] == start and group["text"] == document["text"][start:end]
        assert group["drawn"], f"span {start}-{end} ({group['text'][:40]!r}) is not visible"
        if not set(group["classes"].split()) & _REGION_CLASSES:
            assert group["colour"] not in ("rgba(0, 0, 0, 0)", "transparent"), f"span {start}-{end} has no colour"
    table = seen["table"]
    assert table["rows"] == len(document["obligations"]) == table["targets"]
    if document["obligations"]:
        assert table["width"] > 100 and table["height"] > 50
    return seen


def test_a_letter_page_shows_every_span_and_the_obligations_table(browser: Chromium, site: Path) -> None:
    name = "cong-van-8731-ubnd-can-gio"
    document = json.loads((site / f"{name}.json").read_text(encoding="utf-8"))["documents"][0]
    _check_letter(browser, site / "site" / "letters" / f"{name}.html", document)
    image = _not_blank(browser.screenshot())
    # the highlight colours are painted: the lead's background (#ffe8cc) among them
    assert any(colour == (255, 232, 204) for _, colour in image.getcolors(maxcolors=1 << 20))


def test_every_sample_letter_page_in_the_browser(browser: Chromium, site: Path) -> None:
    for json_path in sorted(site.glob("*.json")):
        documents = json.loads(json_path.read_text(encoding="utf-8"))["documents"]
        for index, document in enumerate(documents):
            name = json_path.stem if len(documents) == 1 else f"{json_path.stem}-{index + 1}"
            _check_letter(browser, site / "site" / "letters" / f"{name}.html", document)


def test_the_index_sorts_and_filters_with_its_script(browser: Chromium, site: Path) -> None:
    browser.open((site / "site" / "index.html").as_uri())
    visible = "Array.from(document.querySelectorAll('#letters tbody tr')).filter(r => !r.hidden).length"
    assert browser.evaluate(visible) == 6
    browser.evaluate("""(() => { const f = document.getElementById('filter');
                                  f.value = 'tay ninh'; f.dispatchEvent(new Event('input')); })()""")
    assert browser.evaluate(visible) == 2  # tone marks ignored: "tay ninh" finds Tây Ninh
    assert browser.evaluate("document.getElementById('shown').textContent") == "2"
    browser.evaluate("""(() => { const f = document.getElementById('filter');
                                  f.value = ''; f.dispatchEvent(new Event('input')); })()""")
    browser.evaluate("document.querySelectorAll('#letters th')[3].click()")  # Ngày
    dates = browser.evaluate("Array.from(document.querySelectorAll('#letters tbody tr td:nth-child(4)'))"
                             ".map(td => td.dataset.sort)")
    assert dates == sorted(dates)
    _not_blank(browser.screenshot())


def test_the_print_layout_hides_navigation_and_keeps_the_colours(browser: Chromium, site: Path) -> None:
    browser.open((site / "site" / "letters" / "cong-van-8731-ubnd-can-gio.html").as_uri())
    browser.call("Emulation.setEmulatedMedia", session=True, media="print")
    try:
        assert browser.evaluate("getComputedStyle(document.querySelector('nav')).display") == "none"
        assert browser.evaluate("getComputedStyle(document.querySelector('.layout')).display") == "block"
        assert browser.evaluate("getComputedStyle(document.querySelector('.k-lead')).printColorAdjust") == "exact"
        pdf = browser.call("Page.printToPDF", session=True, printBackground=True)["data"]
        assert len(pdf) > 10_000
    finally:
        browser.call("Emulation.setEmulatedMedia", session=True, media="")


@pytest.mark.tesseract
def test_a_scan_page_shows_its_page_images_with_boxes(browser: Chromium, review_scan: Path, tmp_path: Path) -> None:
    report = write_review_site([review_scan.as_posix()], tmp_path / "site")
    assert not report.problems and report.images == 2
    document = json.loads(review_scan.read_text(encoding="utf-8"))["documents"][0]
    page = tmp_path / "site" / "letters" / f"{review_scan.stem}.html"
    _check_letter(browser, page, document)
    figures = browser.evaluate("""Array.from(document.querySelectorAll('.page-figure')).map(f => {
        const img = f.querySelector('img');
        const boxes = Array.from(f.querySelectorAll('rect.box')).filter(r => {
            const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
        return {loaded: img.complete && img.naturalWidth, boxes: boxes.length}; })""")
    assert len(figures) == 2
    assert all(f["loaded"] == 1000 and f["boxes"] > 0 for f in figures)
    browser.evaluate("document.getElementById('page-1').scrollIntoView()")
    _not_blank(browser.screenshot())
