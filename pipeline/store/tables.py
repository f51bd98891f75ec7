"""The store's tables (SQLAlchemy Core). Changes go through an Alembic migration as well
(pipeline/store/migrations/versions/); tests/test_store.py checks that the two agree.

Facts, written by ingest and never changed afterwards: files, documents (the letters read),
clauses, doc_references, obligations, assignees, deadlines. Derived, recomputed by
pipeline/store/linking.py whenever a fact that they depend on changes: links (one per citation
and one per obligation that carries out a document), link_candidates (the stored documents an
ambiguous citation could mean) and placeholder documents (cited, never read).

The clerks' state, which outlives re-ingestion: obligation_marks (a task marked done), keyed by
an obligation's `track_key` (its letter's identity, clause and place among the letter's
obligations of that clause), which stays the same when the letter is read again.

The `obligation_tracker` SQL view (migration 0002) is the tracker as one readable table, one
row per obligation and assignee, for datasette, sqlite-utils or a spreadsheet's data link.
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("media_type", String(64)),
    Column("size_bytes", BigInteger),
    # ok: its letters are stored; failed: extraction failed (error, error_code);
    # replaced: a later version of the same path took its place
    Column("status", String(16), nullable=False),
    Column("error", Text),
    Column("error_code", Integer),
    Column("documents", Integer, nullable=False, default=0),
    Column("ingested_at", DateTime, nullable=False),
    Column("output", Text),  # where its JSON was last written (absolute), if it was: the review site reads it
)
Index("ix_files_path", files.c.path)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE")),
    Column("position", Integer, nullable=False, default=0),
    Column("placeholder", Boolean, nullable=False, default=False),
    # letters read: "<key_norm>|<issuer_norm>|<year>" (unique); placeholders: NULL
    Column("identity", Text, unique=True),
    Column("key", Text),
    Column("key_norm", Text),
    Column("number", Text),
    Column("symbol", Text),
    Column("year", Integer),
    Column("date", Date),
    Column("doc_type", Text),
    Column("doc_type_label", Text),
    Column("form", String(16)),
    Column("issuer", Text),
    Column("issuer_norm", Text),
    Column("issuer_parent", Text),
    Column("place", Text),
    Column("subject", Text),
    Column("urgency", String(16)),
    Column("secrecy", String(16)),
    Column("signer", Text),
    Column("signer_title", Text),
    Column("recipients", JSON),
    Column("obligation_count", Integer, nullable=False, default=0),
)
Index("ix_documents_key_norm", documents.c.key_norm)
Index("ix_documents_date", documents.c.date)

# What `congvan search` and `list --issuer` match a letter by — key, issuer and its parent, subject,
# signer, casefolded without tone marks — in a table of its own: a search for a rare word reads
# every row, and these rows are a few dozen bytes, a document's are kilobytes.
document_search = Table(
    "document_search", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("search", Text, nullable=False),
)
Index("ix_documents_file_id", documents.c.file_id)

clauses = Table(
    "clauses", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("clause", Text, nullable=False),
    Column("parent_clause", Text),
    Column("label", Text),
    Column("kind", String(16)),
    Column("text", Text, nullable=False),
)
Index("ix_clauses_document_id", clauses.c.document_id)

references = Table(
    "doc_references", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("key", Text, nullable=False),
    Column("key_norm", Text, nullable=False),
    Column("raw", Text),
    Column("year", Integer),
    Column("date", Date),
    Column("doc_type", Text),
    Column("issuer", Text),
    Column("subject", Text),
    Column("relation", String(16), nullable=False),
)
Index("ix_doc_references_document_id", references.c.document_id)

obligations = Table(
    "obligations", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("clause", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("implements_key", Text),
    Column("implements_key_norm", Text),
    Column("needs_review", Boolean, nullable=False, default=False),
    Column("review_reasons", JSON),
    Column("targets", JSON),
    # "<document identity>#<clause>#<n-th obligation of that clause>": the same when the letter is
    # read again, so a clerk's mark (obligation_marks) survives re-ingestion
    Column("track_key", Text),
)
Index("ix_obligations_document_id", obligations.c.document_id)
Index("ix_obligations_track_key", obligations.c.track_key)
Index("ix_obligations_needs_review", obligations.c.needs_review)

assignees = Table(
    "assignees", metadata,
    Column("id", Integer, primary_key=True),
    Column("obligation_id", Integer, ForeignKey("obligations.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("normalized", Text),
    Column("role", String(16), nullable=False),
    # casefolded, without tone marks: what --assignee matches against
    Column("search", Text, nullable=False),
)
Index("ix_assignees_obligation_id", assignees.c.obligation_id)
Index("ix_assignees_search", assignees.c.search)

# Every assignee name ever stored (its `search` form), once: the few thousand names an --assignee
# filter is matched against, instead of millions of assignee rows. Never shrinks (a name no longer
# used just matches no obligation).
assignee_names = Table(
    "assignee_names", metadata,
    Column("search", Text, primary_key=True),
)

deadlines = Table(
    "deadlines", metadata,
    Column("id", Integer, primary_key=True),
    Column("obligation_id", Integer, ForeignKey("obligations.id", ondelete="CASCADE"),
           nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("date", Date),
    Column("period", String(16)),
    Column("day", Integer),
    Column("days", Integer),
    Column("working_days", Boolean),
    Column("counted_from", String(16)),
    Column("raw", Text),
)
Index("ix_deadlines_date", deadlines.c.date)
# recurring tasks by (period, day), in obligation order: a page of one (period, day) stops when full
Index("ix_deadlines_kind", deadlines.c.kind, deadlines.c.period, deadlines.c.day, deadlines.c.obligation_id)

links = Table(
    "links", metadata,
    Column("id", Integer, primary_key=True),
    Column("from_document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    # set for a citation (document level); NULL for an obligation's link, which follows the
    # citation of the same key in its letter
    Column("reference_id", Integer, ForeignKey("doc_references.id", ondelete="CASCADE")),
    Column("obligation_id", Integer, ForeignKey("obligations.id", ondelete="CASCADE")),
    Column("relation", String(16), nullable=False),
    Column("to_key", Text, nullable=False),
    Column("to_key_norm", Text, nullable=False),
    # the citation as given, for matching: date, year, issuer (normalized), and the citing letter's date
    Column("cited_date", Date),
    Column("cited_year", Integer),
    Column("cited_issuer_norm", Text),
    Column("from_date", Date),
    # resolved: one stored letter fits; ambiguous: several (see link_candidates);
    # placeholder: none, the link goes to a placeholder
    Column("status", String(16), nullable=False, default="pending"),
    Column("to_document_id", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("clause_from", Text),
    Column("clause_to", Text),
    Column("score", Float),
)
Index("ix_links_from_document_id", links.c.from_document_id, links.c.to_key_norm)
Index("ix_links_to_key_norm", links.c.to_key_norm)
Index("ix_links_to_document_id", links.c.to_document_id)
Index("ix_links_obligation_id", links.c.obligation_id)


def whole_letter_link() -> ColumnElement[bool]:
    """A link of a letter as a whole (none of its obligations'). Written so that no index serves it:
    most links have no obligation, and SQLite would walk ix_links_obligation_id's NULLs instead of
    the selective index of the query's other condition (ids are never 0)."""
    return func.coalesce(links.c.obligation_id, 0) == 0

link_candidates = Table(
    "link_candidates", metadata,
    Column("link_id", Integer, ForeignKey("links.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)
Index("ix_link_candidates_document_id", link_candidates.c.document_id)

obligation_marks = Table(
    "obligation_marks", metadata,
    Column("track_key", Text, primary_key=True),
    Column("status", String(16), nullable=False),  # done
    Column("marked_at", DateTime, nullable=False),
)
