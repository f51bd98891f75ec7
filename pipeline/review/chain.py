"""The directive chain around each letter of the site: the letters it carries out (parents) and
the letters that carry it out (children), as links to their pages.

From the store (pipeline/store) the chain is the one linking built over everything ever
ingested, whatever order the letters arrived in: a parent or child that has no page in the site
is still named, with what the store knows of it (a placeholder is a letter only cited so far).
Without a store the chain is read from the letters of the site alone: a letter's parents are the
directives it carries out as a whole (Document.implements), else those its obligations name, and
a key matches a letter of the site by number and symbol (spelled loosely, as the scorer does).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extractors.keys import match_key
from sqlalchemy import Connection, select
from sqlalchemy.engine import make_url

from pipeline.errors import InputNotFoundError
from pipeline.review.load import SiteLetter
from pipeline.store import Store
from pipeline.store.db import database_url
from pipeline.store.queries import parents_and_children
from pipeline.store.tables import documents, files


@dataclass(frozen=True)
class ChainEntry:
    """A parent or child: its page in the site when it has one, else what is known of it."""

    key: str | None
    date: str | None = None
    issuer: str | None = None
    href: str | None = None
    note: str = ""


@dataclass
class Chain:
    parents: list[ChainEntry] = field(default_factory=list)
    children: list[ChainEntry] = field(default_factory=list)


NOT_IN_SITE = "chưa có trang trong bộ này"
ONLY_CITED = "chưa nhận được văn bản: mới chỉ được viện dẫn"
SAME_KEY = "nhiều văn bản cùng số, ký hiệu: kiểm tra"


def _entry(letter: SiteLetter, note: str = "") -> ChainEntry:
    doc = letter.doc
    return ChainEntry(doc.key, doc.date, doc.issuer.name if doc.issuer else None, letter.href, note)


def _parent_keys(letter: SiteLetter) -> list[str]:
    doc = letter.doc
    keys = [link.key for link in doc.implements] or [o.implements.key for o in doc.obligations if o.implements]
    return list(dict.fromkeys(keys))


def chains_from_letters(letters: list[SiteLetter]) -> dict[str, Chain]:
    """Each letter's chain among the letters of the site, by slug."""
    by_key: dict[str, list[SiteLetter]] = defaultdict(list)
    for letter in letters:
        if letter.doc.key:
            by_key[match_key(letter.doc.key)].append(letter)
    chains = {letter.slug: Chain() for letter in letters}
    for letter in letters:
        for key in _parent_keys(letter):
            found = [p for p in by_key.get(match_key(key), []) if p is not letter]
            if not found:
                chains[letter.slug].parents.append(ChainEntry(key, note=NOT_IN_SITE))
            note = SAME_KEY if len(found) > 1 else ""
            for parent in found:
                chains[letter.slug].parents.append(_entry(parent, note))
                chains[parent.slug].children.append(_entry(letter, note))
    return chains


def open_store(url: str | None) -> Store:
    """The store at `url` (as `congvan ingest` picks it), never creating one where none is."""
    resolved = database_url(url)
    parsed = make_url(resolved)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:" \
            and not Path(parsed.database).is_file():
        raise InputNotFoundError(parsed.database, "no store here: ingest letters first, or name the store with --db")
    return Store(resolved)  # brought up to date, as the tracker's read commands do


def chains_from_store(letters: list[SiteLetter], store: Store) -> dict[str, Chain]:
    """Each letter's chain as the store links it; letters the store does not hold get none."""
    with store.connect() as conn:
        ids = _store_ids(conn, letters)
        parents, children = parents_and_children(conn, sorted(set(ids.values())))
        related = sorted({i for group in (parents, children) for kids in group.values() for i in kids})
        rows = _rows(conn, related)
    page_of = {doc_id: letter for letter in letters if (doc_id := ids.get(letter.slug)) is not None}
    chains = {}
    for letter in letters:
        doc_id = ids.get(letter.slug)
        chain = Chain()
        if doc_id is not None:
            chain.parents = [_store_entry(rows[i], page_of.get(i)) for i in parents.get(doc_id, []) if i in rows]
            chain.children = [_store_entry(rows[i], page_of.get(i)) for i in children.get(doc_id, []) if i in rows]
        chains[letter.slug] = chain
    return chains


def _store_ids(conn: Connection, letters: list[SiteLetter]) -> dict[str, int]:
    """The store's id of each letter of the site: same file content, same place in the file."""
    wanted = {(letter.result.source.sha256, letter.index): letter.slug for letter in letters}
    shas = sorted({sha for sha, _ in wanted})
    ids: dict[str, int] = {}
    for start in range(0, len(shas), 500):
        for row in conn.execute(select(documents.c.id, documents.c.position, files.c.sha256)
                                .join(files, files.c.id == documents.c.file_id)
                                .where(files.c.sha256.in_(shas[start:start + 500]))):
            slug = wanted.get((row.sha256, row.position))
            if slug is not None:
                ids[slug] = row.id
    return ids


def _rows(conn: Connection, ids: list[int]) -> dict:
    rows = {}
    for start in range(0, len(ids), 500):
        for row in conn.execute(select(documents.c.id, documents.c.key, documents.c.date, documents.c.issuer,
                                       documents.c.placeholder).where(documents.c.id.in_(ids[start:start + 500]))):
            rows[row.id] = row
    return rows


def _store_entry(row, letter: SiteLetter | None) -> ChainEntry:  # noqa: ANN001 - a documents row
    if letter is not None:
        return _entry(letter)
    note = ONLY_CITED if row.placeholder else NOT_IN_SITE
    return ChainEntry(row.key, row.date.isoformat() if row.date else None, row.issuer, None, note)
