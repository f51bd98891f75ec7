"""A letter reported by a web page rather than reproduced.

News items on provincial portals say "ngày 04/5/2023, Ủy ban nhân dân thành phố Hải Phòng
ban hành Công văn số 966/UBND-KSTTHC về ..." and then give the letter's content. That
sentence gives the header; the content after it is the body; the page title, dates of
posting, menus and contact lines around it are not the letter's.
"""
from __future__ import annotations

import re

from functools import cache

from extractors.dates import find_date
from extractors.header import Found, Header
from extractors.keys import parse_key
from extractors.lines import Line
from extractors.tables import entries

_KEYISH = r"\d[\w./\-]*(?:\s*/\s*[\wĐđ\-]+)+"
_DATE = r"(?:ngày\s+)?(?:\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})"


@cache
def _report_sentence() -> re.Pattern[str]:
    labels = sorted((e["label"] for e in entries("doc_types", "type")), key=len, reverse=True)
    types = "|".join(re.escape(label).replace(r"\ ", r"\s+") for label in labels)
    return re.compile(
        rf"(?:(?P<date1>{_DATE})\s*,\s*)?"
        r"(?P<issuer>[^,.;:\n]{3,120}?)\s+(?:đã\s+)?ban\s+hành\s+"
        rf"(?P<type>{types}|Văn\s+bản)\s+số\s+(?P<key>{_KEYISH})"
        rf"(?:\s+(?P<date2>{_DATE}))?"
        r"(?:\s+(?:về\s+việc|về|V/v)\s+(?P<subject>[^\n]+?))?\s*(?:\.(?:\s|$)|\n|$)",
        re.IGNORECASE,
    )


def read_report(text: str, start: int, end: int) -> Header | None:
    """Header fields from the sentence that reports the letter; the body follows it."""
    m = _report_sentence().search(text, start, end)
    if not m or not (key := parse_key(m.group("key"))):
        return None
    h = Header()
    h.key = Found(key, m.start("key"), m.end("key"))
    label = re.sub(r"\s+", " ", m.group("type")).casefold()
    known = next((e for e in entries("doc_types", "type") if e["label"].casefold() == label), None)
    if known:
        h.doc_type = Found((known["code"], known["label"]), m.start("type"), m.end("type"))
    for group in ("date1", "date2"):
        if m.group(group) and (found := find_date(m.group(group))):
            h.date = Found(found.iso, m.start(group), m.end(group))
            break
    if m.group("subject"):
        h.subject = Found(m.group("subject").strip(), m.start("subject"), m.end("subject"))
    issuer = m.group("issuer").strip()
    h.issuer_lines = [Line(m.end("issuer") - len(issuer), m.end("issuer"), issuer)]
    h.block_start = text.rfind("\n", start, m.start()) + 1 or start
    para_end = text.find("\n", m.end(), end)
    h.body_start = end if para_end < 0 else para_end + 1
    return h
