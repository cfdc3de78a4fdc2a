"""documents repository and attendance consent

`documents`: the public repository of the process (agendas, minutes, attendance lists,
plans, self-assessments, IRM reports, evidence); files live in the storage under
`stored_name`, never in the database. `users.list_in_attendance`: consent to appear by name
on the attendance lists (off for every existing account: nobody is listed without asking).

Revision ID: 6d04760fcc23
Revises: c3a7e5d19f42
Create Date: 2026-11-30 08:27:34.769686

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '6d04760fcc23'
down_revision = 'c3a7e5d19f42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('mesa_id', sa.Integer(), nullable=True),
    sa.Column('commitment_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('document_date', sa.Date(), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("type IN ('agenda', 'minutes', 'attendance', 'plan', 'self_assessment', 'irm_report', 'evidence', 'other')", name=op.f('ck_documents_type')),
    sa.CheckConstraint('size > 0', name=op.f('ck_documents_size')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_documents_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['mesa_id'], ['mesas.id'], name=op.f('fk_documents_mesa_id_mesas')),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], name=op.f('fk_documents_plan_id_action_plans')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_documents_uploaded_by_id_users')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_documents_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_documents_stored_name'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index('ix_documents_listing', ['withdrawn_at', 'document_date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_mesa_id'), ['mesa_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_plan_id'), ['plan_id'], unique=False)

    # A plain ADD COLUMN: a batch copy of `users` would drop a referenced table (see below).
    op.add_column('users', sa.Column('list_in_attendance', sa.Boolean(),
                                     server_default=sa.false(), nullable=False))



def downgrade():
    # Plain ALTER (SQLite 3.35+ and PostgreSQL): a batch copy of `users` would have to drop
    # a table other tables reference, which SQLite refuses once they hold rows.
    op.execute("ALTER TABLE users DROP COLUMN list_in_attendance")

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_plan_id'))
        batch_op.drop_index(batch_op.f('ix_documents_mesa_id'))
        batch_op.drop_index('ix_documents_listing')
        batch_op.drop_index(batch_op.f('ix_documents_commitment_id'))

    op.drop_table('documents')
