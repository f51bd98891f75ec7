"""the tracker: obligations.track_key and obligation_marks (a clerk's done mark, kept across
re-ingestion), document_search, assignee_names, indexes for the tracker's queries, the
obligation_tracker view

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# One row per obligation and assignee (one with no assignee when it names none), as a clerk reads
# the tracker; status as `congvan obligations` gives it (recurring tasks are never overdue).
TRACKER_VIEW = """
CREATE VIEW obligation_tracker AS
SELECT o.id AS obligation_id,
       d.key AS letter,
       d.date AS letter_date,
       d.issuer AS issuer,
       d.subject AS subject,
       o.clause AS clause,
       COALESCE(a.normalized, a.name) AS assignee,
       a.name AS assignee_as_written,
       a.role AS role,
       dl.kind AS deadline_kind,
       dl.date AS due_date,
       dl.period AS recurs_every,
       dl.day AS recurs_on_day,
       dl.raw AS deadline_words,
       CASE WHEN m.track_key IS NOT NULL THEN 'done'
            WHEN dl.date IS NOT NULL AND dl.date < CURRENT_DATE THEN 'overdue'
            ELSE 'open' END AS status,
       m.marked_at AS done_at,
       o.needs_review AS needs_review,
       o.implements_key AS carries_out,
       o.text AS task,
       o.track_key AS track_key
FROM obligations o
JOIN documents d ON d.id = o.document_id
LEFT JOIN assignees a ON a.obligation_id = o.id
LEFT JOIN deadlines dl ON dl.obligation_id = o.id
LEFT JOIN obligation_marks m ON m.track_key = o.track_key
"""


def upgrade() -> None:
    from pipeline.store.norm import search_text, track_key

    with op.batch_alter_table("obligations") as batch:
        batch.add_column(sa.Column("track_key", sa.Text(), nullable=True))
        batch.create_index("ix_obligations_track_key", ["track_key"])
        batch.create_index("ix_obligations_needs_review", ["needs_review"])
    op.create_index("ix_documents_date", "documents", ["date"])
    op.create_table(
        "document_search",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("search", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_document_search_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_search")),
    )
    op.create_index("ix_assignees_search", "assignees", ["search"])
    op.create_index("ix_deadlines_kind", "deadlines", ["kind", "period", "day", "obligation_id"])
    op.create_table("assignee_names", sa.Column("search", sa.Text(), nullable=False),
                    sa.PrimaryKeyConstraint("search", name=op.f("pk_assignee_names")))
    op.execute("INSERT INTO assignee_names (search) SELECT DISTINCT search FROM assignees")
    op.create_table(
        "obligation_marks",
        sa.Column("track_key", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("track_key", name=op.f("pk_obligation_marks")),
    )

    conn = op.get_bind()
    docs = conn.execute(sa.text("SELECT id, identity, key, issuer, issuer_parent, subject, signer, placeholder "
                                "FROM documents")).all()
    for d in docs:
        if not d.placeholder:
            conn.execute(sa.text("INSERT INTO document_search (document_id, search) VALUES (:id, :s)"),
                         {"s": search_text(d.key, d.issuer, d.issuer_parent, d.subject, d.signer), "id": d.id})
    identity = {d.id: d.identity for d in docs}
    seen: dict[tuple[int, str], int] = {}
    for o in conn.execute(sa.text("SELECT id, document_id, clause FROM obligations ORDER BY document_id, position")):
        n = seen.get((o.document_id, o.clause), 0)
        seen[(o.document_id, o.clause)] = n + 1
        conn.execute(sa.text("UPDATE obligations SET track_key = :k WHERE id = :id"),
                     {"k": track_key(identity.get(o.document_id) or str(o.document_id), o.clause, n), "id": o.id})
    op.execute(TRACKER_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW obligation_tracker")
    op.drop_table("obligation_marks")
    op.drop_table("assignee_names")
    op.drop_index("ix_deadlines_kind", table_name="deadlines")
    op.drop_index("ix_assignees_search", table_name="assignees")
    op.drop_table("document_search")
    op.drop_index("ix_documents_date", table_name="documents")
    with op.batch_alter_table("obligations") as batch:
        batch.drop_index("ix_obligations_track_key")
        batch.drop_index("ix_obligations_needs_review")
        batch.drop_column("track_key")
