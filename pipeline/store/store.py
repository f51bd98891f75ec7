"""The store: ingest extraction results, each file in one transaction.

A letter's identity is its normalized key, its issuer and its year ("23/ct-ttg|thủ tướng chính
phủ|2021"), because keys repeat from year to year and between bodies. A file is known by the
SHA-256 of its bytes: one already stored is skipped, so ingesting twice changes nothing (one that
failed is recorded as failed, and stored once it reads). A file whose letters are extracted again — the same content with `force`, a new
version of the same path, or a letter whose identity is already stored — replaces the old
records of those letters, all in the transaction that writes the new ones.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from pipeline.errors import BadDatabaseUrlError, CongvanError, NoStoreError, ServiceUnavailableError
from pipeline.store import linking
from pipeline.store.db import create_engine_for, database_url, display_url, sqlite_path, upgrade
from pipeline.store.norm import issuer_norm, key_norm, search_text, strip_marks, track_key
from pipeline.store.tables import (
    assignee_names,
    assignees,
    clauses,
    deadlines,
    document_search,
    documents,
    files,
    links,
    obligations,
    references,
)
from schemas import Clause, Document, ExtractionResult


@dataclass(frozen=True)
class StoreOutcome:
    """What storing one file's letters did: "stored", or "unchanged" (the file was known)."""

    status: str
    documents: int = 0
    replaced: int = 0


class Store:
    """The store at `url` (default: $CONGVAN_DATABASE_URL, else var/congvan.db).

    `create=False` (the read commands): an SQLite file that does not exist is NoStoreError, not a new
    empty store at a mistyped path. A URL that names no usable database is BadDatabaseUrlError; a
    server that cannot be reached, ServiceUnavailableError: one line each for the command line.
    """

    def __init__(self, url: str | None = None, *, migrate: bool = True, create: bool = True) -> None:
        self.url = database_url(url)
        shown = display_url(self.url)
        path = sqlite_path(self.url)
        if not create and path is not None and not path.is_file():
            raise NoStoreError(f"no store at {shown}: check --db or $CONGVAN_DATABASE_URL, or ingest letters first")
        try:
            self.engine: Engine = create_engine_for(self.url)
            if migrate:
                upgrade(self.engine)
        except (ArgumentError, NoSuchModuleError, ValueError) as error:
            raise BadDatabaseUrlError(f"{shown} is not a database URL congvan can use ({error}); "
                                      "give an SQLite file or postgresql://user:password@host/db") from None
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise ServiceUnavailableError(f"cannot open the store {shown}: {reason}") from None
        except OSError as error:  # the SQLite file's folder cannot be made
            raise NoStoreError(f"cannot create the store {shown}: {error.strerror}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def display_url(self) -> str:
        return display_url(self.url)

    # --- ingest (files are run by pipeline/runner.py, which hands the results here) ------------

    def ingest_result(self, result: ExtractionResult, *, force: bool = False, output: str | None = None,
                      ) -> StoreOutcome:
        """Store a file's letters; `output` is where its JSON was written (kept for the review site)."""
        source = result.source
        output = str(Path(output).resolve()) if output is not None else None
        with self.engine.begin() as conn:
            existing = conn.execute(select(files.c.id, files.c.status, files.c.output)
                                    .where(files.c.sha256 == source.sha256)).first()
            if existing is not None and existing.status == "ok" and not force:
                if output is not None and output != existing.output:  # its JSON written again, elsewhere
                    conn.execute(update(files).where(files.c.id == existing.id).values(output=output))
                return StoreOutcome("unchanged")
            changes = linking.Changes()
            replaced = 0
            values = {"path": source.path, "media_type": source.media_type, "size_bytes": source.size_bytes,
                      "status": "ok", "error": None, "error_code": None, "documents": len(result.documents),
                      "ingested_at": _now(), "output": output}
            if existing is not None:
                file_id = existing.id
                replaced += _remove_documents(conn, documents.c.file_id == file_id, changes)
                conn.execute(update(files).where(files.c.id == file_id).values(**values))
            else:
                file_id = conn.execute(insert(files).values(sha256=source.sha256, **values)
                                       .returning(files.c.id)).scalar_one()
            # an older version of the same path: its letters give way to this one's
            older = [row.id for row in conn.execute(
                select(files.c.id).where(files.c.path == source.path, files.c.id != file_id,
                                         files.c.status == "ok"))]
            if older:
                replaced += _remove_documents(conn, documents.c.file_id.in_(older), changes)
                conn.execute(update(files).where(files.c.id.in_(older)).values(status="replaced", documents=0))
            seen: set[str] = set()
            for position, document in enumerate(result.documents):
                identity = _identity(document, source.sha256, position)
                if identity in seen:
                    continue  # the same letter twice in one file: the first one counts
                seen.add(identity)
                replaced += _remove_documents(conn, documents.c.identity == identity, changes)
                _insert_document(conn, file_id, position, identity, document, changes)
            linking.relink(conn, changes)
        return StoreOutcome("stored", documents=len(seen), replaced=replaced)

    def record_output(self, sha: str, output: str) -> None:
        """Note where a stored file's JSON is now (a rerun that found it there, or wrote it elsewhere)."""
        output = str(Path(output).resolve())
        with self.engine.begin() as conn:
            conn.execute(update(files).where(files.c.sha256 == sha, files.c.status == "ok",
                                             (files.c.output.is_(None)) | (files.c.output != output))
                         .values(output=output))

    def outputs(self) -> list[str]:
        """Where the JSON of every stored file (with letters) was written, in the order they were stored."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(files.c.output).where(files.c.status == "ok", files.c.output.is_not(None))
                                     .order_by(files.c.ingested_at, files.c.id)).scalars())

    def file_status(self, sha: str) -> str | None:
        """What the store holds for a file of this SHA-256: "ok", "failed", "replaced", or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(files.c.status).where(files.c.sha256 == sha)).scalar()

    def record_failure(self, sha: str, name: str, error: CongvanError) -> None:
        """Note that the file of this SHA-256 failed (it is then skipped, like a stored one)."""
        with self.engine.begin() as conn:
            values = {"path": name, "status": "failed", "error": f"{error.status}: {error.reason}",
                      "error_code": int(error.exit_code),
                      "documents": 0, "ingested_at": _now()}
            if conn.execute(select(files.c.id).where(files.c.sha256 == sha)).first():
                conn.execute(update(files).where(files.c.sha256 == sha).values(**values))
            else:
                conn.execute(insert(files).values(sha256=sha, **values))

    def connect(self) -> Connection:
        return self.engine.connect()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _identity(document: Document, sha: str, position: int) -> str:
    if not document.key or not document.number:  # no number read ("/TB-UBND"): the file is all it has
        return f"file:{sha}:{position}"
    issued = _date(document.date)
    year = document.year or (issued.year if issued else "")
    issuer = issuer_norm(document.issuer.name if document.issuer else None) or ""
    return f"{key_norm(document.key)}|{issuer}|{year}"


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _remove_documents(conn: Connection, where, changes: linking.Changes) -> int:  # noqa: ANN001
    """Delete stored letters (cascading to their clauses, references, obligations and links),
    noting the keys whose links must be evaluated again."""
    rows = conn.execute(select(documents.c.id, documents.c.key_norm)
                        .where(where, documents.c.placeholder.is_(False))).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    changes.letter_keys.update(row.key_norm for row in rows if row.key_norm)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        changes.regroup_keys.update(
            conn.execute(select(links.c.to_key_norm).where(links.c.from_document_id.in_(chunk),
                                                           links.c.status == "placeholder")).scalars())
        conn.execute(delete(documents).where(documents.c.id.in_(chunk)))
    return len(ids)


def _flatten(items: list[Clause], parent: str | None = None) -> Iterator[tuple[Clause, str | None]]:
    for clause in items:
        yield clause, parent
        yield from _flatten(clause.children, clause.id)


def _insert_document(conn: Connection, file_id: int, position: int, identity: str, doc: Document,
                     changes: linking.Changes) -> None:
    doc_date = _date(doc.date)
    own_key = key_norm(doc.key) if doc.key else None
    document_id = conn.execute(insert(documents).values(
        file_id=file_id, position=position, placeholder=False, identity=identity, key=doc.key,
        key_norm=own_key, number=doc.number, symbol=doc.symbol,
        year=doc.year or (doc_date.year if doc_date else None), date=doc_date, doc_type=doc.doc_type,
        doc_type_label=doc.doc_type_label, form=doc.form,
        issuer=doc.issuer.name if doc.issuer else None,
        issuer_norm=issuer_norm(doc.issuer.name if doc.issuer else None),
        issuer_parent=doc.issuer.parent.name if doc.issuer and doc.issuer.parent else None,
        place=doc.place, subject=doc.subject, urgency=doc.urgency, secrecy=doc.secrecy,
        signer=doc.signer.name if doc.signer else None, signer_title=doc.signer.title if doc.signer else None,
        recipients=[r.name for r in doc.recipients], obligation_count=len(doc.obligations),
    ).returning(documents.c.id)).scalar_one()
    conn.execute(insert(document_search).values(document_id=document_id, search=search_text(
        doc.key, doc.issuer.name if doc.issuer else None,
        doc.issuer.parent.name if doc.issuer and doc.issuer.parent else None, doc.subject,
        doc.signer.name if doc.signer else None)))
    if own_key:
        changes.letter_keys.add(own_key)

    clause_rows = [{"document_id": document_id, "position": i, "clause": c.id, "parent_clause": parent,
                    "label": c.label, "kind": c.kind, "text": c.text}
                   for i, (c, parent) in enumerate(_flatten(doc.clauses))]
    if clause_rows:
        conn.execute(insert(clauses), clause_rows)

    # every key the letter carries out, wholly or in one obligation, has a citation
    cited = list(doc.references)
    cited_keys = {key_norm(r.key) for r in cited}
    extra = [(link.key, "implements") for link in doc.implements]
    extra += [(o.implements.key, "cites") for o in doc.obligations if o.implements]
    ref_rows = [{"document_id": document_id, "position": i, "key": r.key, "key_norm": key_norm(r.key),
                 "raw": r.raw, "year": r.year, "date": _date(r.date), "doc_type": r.doc_type,
                 "issuer": r.issuer, "subject": r.subject, "relation": r.relation}
                for i, r in enumerate(cited)]
    for key, relation in extra:
        if key_norm(key) not in cited_keys:
            cited_keys.add(key_norm(key))
            ref_rows.append({"document_id": document_id, "position": len(ref_rows), "key": key,
                             "key_norm": key_norm(key), "raw": None, "year": None, "date": None,
                             "doc_type": None, "issuer": None, "subject": None, "relation": relation})
    ref_rows = [row for row in ref_rows if row["key_norm"] != own_key]  # a letter naming itself
    if not ref_rows and not doc.obligations:
        return
    ref_ids = list(conn.execute(insert(references).returning(references.c.id, sort_by_parameter_order=True),
                                ref_rows).scalars()) if ref_rows else []
    by_key: dict[str, dict] = {}
    link_rows = []
    for ref_id, row in zip(ref_ids, ref_rows):
        if row["key_norm"] in by_key:
            continue  # one citation per key and letter
        cited_date = row["date"]
        citation = {"from_document_id": document_id, "reference_id": ref_id, "obligation_id": None,
                    "relation": row["relation"], "to_key": row["key"], "to_key_norm": row["key_norm"],
                    "cited_date": cited_date, "cited_year": row["year"] or (cited_date.year if cited_date else None),
                    "cited_issuer_norm": issuer_norm(row["issuer"]), "from_date": doc_date,
                    "status": "pending", "to_document_id": None, "clause_from": None, "clause_to": None,
                    "score": None}
        by_key[row["key_norm"]] = citation
        link_rows.append(citation)
    link_ids = list(conn.execute(insert(links).returning(links.c.id, sort_by_parameter_order=True),
                                 link_rows).scalars()) if link_rows else []
    for link_id, row in zip(link_ids, link_rows):
        changes.new_links[row["to_key_norm"]].append(link_id)

    if not doc.obligations:
        return
    of_clause: dict[str, int] = {}
    ob_rows = []
    for i, o in enumerate(doc.obligations):
        n = of_clause.get(o.clause, 0)
        of_clause[o.clause] = n + 1
        ob_rows.append({"document_id": document_id, "position": i, "clause": o.clause, "text": o.text,
                        "implements_key": o.implements.key if o.implements else None,
                        "implements_key_norm": key_norm(o.implements.key) if o.implements else None,
                        "needs_review": o.needs_review, "review_reasons": list(o.review_reasons),
                        "targets": [t.model_dump(exclude={"span"}) for t in o.targets],
                        "track_key": track_key(identity, o.clause, n)})
    ob_ids = list(conn.execute(insert(obligations).returning(obligations.c.id, sort_by_parameter_order=True),
                               ob_rows).scalars())
    assignee_rows, deadline_rows, ob_links = [], [], []
    for ob_id, ob in zip(ob_ids, doc.obligations):
        for i, a in enumerate(ob.assignees):
            assignee_rows.append({"obligation_id": ob_id, "position": i, "name": a.name, "normalized": a.normalized,
                                  "role": a.role, "search": strip_marks(f"{a.name} {a.normalized or ''}")})
        if ob.deadline:
            d = ob.deadline
            deadline_rows.append({"obligation_id": ob_id, "kind": d.kind, "date": _date(d.date), "period": d.period,
                                  "day": d.day, "days": d.days, "working_days": d.working_days,
                                  "counted_from": d.counted_from, "raw": d.raw})
        if ob.implements and key_norm(ob.implements.key) in by_key:
            citation = by_key[key_norm(ob.implements.key)]
            ob_links.append({**citation, "obligation_id": ob_id, "relation": "implements",
                             "to_key": ob.implements.key, "clause_from": ob.clause})
    if assignee_rows:
        conn.execute(insert(assignees), assignee_rows)
        _add_names(conn, {row["search"] for row in assignee_rows})
    if deadline_rows:
        conn.execute(insert(deadlines), deadline_rows)
    if ob_links:
        conn.execute(insert(links), ob_links)


def _add_names(conn: Connection, names: set[str]) -> None:
    """Add assignee names the store has not seen (assignee_names), leaving the known ones."""
    table = assignee_names
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    conn.execute(upsert(table).on_conflict_do_nothing(), [{"search": n} for n in sorted(names)])
