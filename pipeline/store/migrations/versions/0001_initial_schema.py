"""initial schema: files, documents, clauses, doc_references, obligations, assignees,
deadlines, links, link_candidates

Revision ID: 0001
Revises:
Create Date: 2026-11-22 17:36:21.059258
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_files')),
    sa.UniqueConstraint('sha256', name=op.f('uq_files_sha256'))
    )
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.create_index('ix_files_path', ['path'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('placeholder', sa.Boolean(), nullable=False),
    sa.Column('identity', sa.Text(), nullable=True),
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('key_norm', sa.Text(), nullable=True),
    sa.Column('number', sa.Text(), nullable=True),
    sa.Column('symbol', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('doc_type', sa.Text(), nullable=True),
    sa.Column('doc_type_label', sa.Text(), nullable=True),
    sa.Column('form', sa.String(length=16), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('issuer_norm', sa.Text(), nullable=True),
    sa.Column('issuer_parent', sa.Text(), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('urgency', sa.String(length=16), nullable=True),
    sa.Column('secrecy', sa.String(length=16), nullable=True),
    sa.Column('signer', sa.Text(), nullable=True),
    sa.Column('signer_title', sa.Text(), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=True),
    sa.Column('obligation_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], name=op.f('fk_documents_file_id_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('identity', name=op.f('uq_documents_identity'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_file_id', ['file_id'], unique=False)
        batch_op.create_index('ix_documents_key_norm', ['key_norm'], unique=False)

    op.create_table('clauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('clause', sa.Text(), nullable=False),
    sa.Column('parent_clause', sa.Text(), nullable=True),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_clauses_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clauses'))
    )
    with op.batch_alter_table('clauses', schema=None) as batch_op:
        batch_op.create_index('ix_clauses_document_id', ['document_id'], unique=False)

    op.create_table('doc_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('key_norm', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('doc_type', sa.Text(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_doc_references_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_doc_references'))
    )
    with op.batch_alter_table('doc_references', schema=None) as batch_op:
        batch_op.create_index('ix_doc_references_document_id', ['document_id'], unique=False)

    op.create_table('obligations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('clause', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('implements_key', sa.Text(), nullable=True),
    sa.Column('implements_key_norm', sa.Text(), nullable=True),
    sa.Column('needs_review', sa.Boolean(), nullable=False),
    sa.Column('review_reasons', sa.JSON(), nullable=True),
    sa.Column('targets', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_obligations_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_obligations'))
    )
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.create_index('ix_obligations_document_id', ['document_id'], unique=False)

    op.create_table('assignees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('normalized', sa.Text(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('search', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['obligation_id'], ['obligations.id'], name=op.f('fk_assignees_obligation_id_obligations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignees'))
    )
    with op.batch_alter_table('assignees', schema=None) as batch_op:
        batch_op.create_index('ix_assignees_obligation_id', ['obligation_id'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('obligation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('day', sa.Integer(), nullable=True),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('working_days', sa.Boolean(), nullable=True),
    sa.Column('counted_from', sa.String(length=16), nullable=True),
    sa.Column('raw', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['obligation_id'], ['obligations.id'], name=op.f('fk_deadlines_obligation_id_obligations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadlines')),
    sa.UniqueConstraint('obligation_id', name=op.f('uq_deadlines_obligation_id'))
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_date', ['date'], unique=False)

    op.create_table('links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('from_document_id', sa.Integer(), nullable=False),
    sa.Column('reference_id', sa.Integer(), nullable=True),
    sa.Column('obligation_id', sa.Integer(), nullable=True),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('to_key', sa.Text(), nullable=False),
    sa.Column('to_key_norm', sa.Text(), nullable=False),
    sa.Column('cited_date', sa.Date(), nullable=True),
    sa.Column('cited_year', sa.Integer(), nullable=True),
    sa.Column('cited_issuer_norm', sa.Text(), nullable=True),
    sa.Column('from_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('to_document_id', sa.Integer(), nullable=True),
    sa.Column('clause_from', sa.Text(), nullable=True),
    sa.Column('clause_to', sa.Text(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['from_document_id'], ['documents.id'], name=op.f('fk_links_from_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['obligation_id'], ['obligations.id'], name=op.f('fk_links_obligation_id_obligations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference_id'], ['doc_references.id'], name=op.f('fk_links_reference_id_doc_references'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_document_id'], ['documents.id'], name=op.f('fk_links_to_document_id_documents'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_links'))
    )
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.create_index('ix_links_from_document_id', ['from_document_id', 'to_key_norm'], unique=False)
        batch_op.create_index('ix_links_obligation_id', ['obligation_id'], unique=False)
        batch_op.create_index('ix_links_to_document_id', ['to_document_id'], unique=False)
        batch_op.create_index('ix_links_to_key_norm', ['to_key_norm'], unique=False)

    op.create_table('link_candidates',
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_link_candidates_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['links.id'], name=op.f('fk_link_candidates_link_id_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('link_id', 'document_id', name=op.f('pk_link_candidates'))
    )
    with op.batch_alter_table('link_candidates', schema=None) as batch_op:
        batch_op.create_index('ix_link_candidates_document_id', ['document_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('link_candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_link_candidates_document_id')

    op.drop_table('link_candidates')
    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_index('ix_links_to_key_norm')
        batch_op.drop_index('ix_links_to_document_id')
        batch_op.drop_index('ix_links_obligation_id')
        batch_op.drop_index('ix_links_from_document_id')

    op.drop_table('links')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_date')

    op.drop_table('deadlines')
    with op.batch_alter_table('assignees', schema=None) as batch_op:
        batch_op.drop_index('ix_assignees_obligation_id')

    op.drop_table('assignees')
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_index('ix_obligations_document_id')

    op.drop_table('obligations')
    with op.batch_alter_table('doc_references', schema=None) as batch_op:
        batch_op.drop_index('ix_doc_references_document_id')

    op.drop_table('doc_references')
    with op.batch_alter_table('clauses', schema=None) as batch_op:
        batch_op.drop_index('ix_clauses_document_id')

    op.drop_table('clauses')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_key_norm')
        batch_op.drop_index('ix_documents_file_id')

    op.drop_table('documents')
    with op.batch_alter_table('files', schema=None) as batch_op:
        batch_op.drop_index('ix_files_path')

    op.drop_table('files')
