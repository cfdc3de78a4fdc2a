"""used sign-up form stamps and account notices (single-use stamps, notices per recipient)

Revision ID: c4d2e8a1f6b3
Revises: c4d81e2f6a93
Create Date: 2026-11-30 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'c4d2e8a1f6b3'
down_revision = 'c4d81e2f6a93'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'used_form_stamps',
        sa.Column('nonce', sa.String(length=64), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('nonce', name=op.f('pk_used_form_stamps')),
    )
    with op.batch_alter_table('used_form_stamps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_form_stamps_used_at'), ['used_at'],
                              unique=False)

    op.create_table(
        'account_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_account_notices_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_notices')),
    )
    with op.batch_alter_table('account_notices', schema=None) as batch_op:
        batch_op.create_index('ix_account_notices_recent', ['user_id', 'kind', 'sent_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('account_notices', schema=None) as batch_op:
        batch_op.drop_index('ix_account_notices_recent')
    op.drop_table('account_notices')
    with op.batch_alter_table('used_form_stamps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_form_stamps_used_at'))
    op.drop_table('used_form_stamps')
