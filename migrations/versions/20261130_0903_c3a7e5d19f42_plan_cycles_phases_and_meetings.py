"""plan cycles: the current plan, plan statuses, phases, and meetings of three kinds

Existing data is kept: the first plan (the one every page showed) becomes the current plan,
and every existing mesa becomes a co-creation mesa of its theme's plan.

Revision ID: c3a7e5d19f42
Revises: c4d2e8a1f6b3
Create Date: 2026-11-30 07:45:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c3a7e5d19f42'
down_revision = 'c4d2e8a1f6b3'
branch_labels = None
depends_on = None

PLAN_STATUSES = ('cocreation', 'consultation', 'adopted', 'implementation', 'closed')
MESA_KINDS = ('cocreation', 'forum', 'implementation')


def upgrade():
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_current', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_check_constraint('status', f"status IN {PLAN_STATUSES!r}")
    op.execute("UPDATE action_plans SET is_current = (id = (SELECT min(id) FROM action_plans))")
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.create_index('uq_action_plans_one_current', ['is_current'], unique=True,
                              sqlite_where=sa.text('is_current'),
                              postgresql_where=sa.text('is_current'))

    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.alter_column('max_open_proposals_per_user', existing_type=sa.Integer(),
                              nullable=True)

    op.create_table(
        'plan_phases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=150), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('ends_on', sa.Date(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_plan_phases_dates')),
        sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], ondelete='CASCADE',
                                name=op.f('fk_plan_phases_plan_id_action_plans')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_phases')),
    )
    with op.batch_alter_table('plan_phases', schema=None) as batch_op:
        batch_op.create_index('ix_plan_phases_plan_starts', ['plan_id', 'starts_on'],
                              unique=False)

    with op.batch_alter_table('mesas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False,
                                      server_default='cocreation'))
        batch_op.add_column(sa.Column('title', sa.String(length=200), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('online_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.Text(), nullable=True))
    op.execute("UPDATE mesas SET plan_id = "
               "(SELECT themes.plan_id FROM themes WHERE themes.id = mesas.theme_id)")
    with op.batch_alter_table('mesas', schema=None) as batch_op:
        batch_op.alter_column('plan_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('theme_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint('uq_mesas_theme_id', type_='unique')
        batch_op.create_foreign_key(op.f('fk_mesas_plan_id_action_plans'), 'action_plans',
                                    ['plan_id'], ['id'])
        batch_op.create_check_constraint('kind', f"kind IN {MESA_KINDS!r}")
        batch_op.create_check_constraint(
            'theme', "(kind = 'cocreation') = (theme_id IS NOT NULL)")
        batch_op.create_index('ix_mesas_plan_starts', ['plan_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_mesas_theme_starts', ['theme_id', 'starts_at'], unique=False)


def downgrade():
    # The old schema holds one mesa per theme: later rounds and other meetings go.
    op.execute("DELETE FROM mesa_registrations WHERE mesa_id IN (SELECT id FROM mesas m "
               "WHERE m.theme_id IS NULL OR m.id > (SELECT min(o.id) FROM mesas o "
               "WHERE o.theme_id = m.theme_id))")
    op.execute("DELETE FROM mesas WHERE theme_id IS NULL OR id > (SELECT min(o.id) FROM "
               "mesas o WHERE o.theme_id = mesas.theme_id)")
    with op.batch_alter_table('mesas', schema=None) as batch_op:
        batch_op.drop_index('ix_mesas_theme_starts')
        batch_op.drop_index('ix_mesas_plan_starts')
        batch_op.drop_constraint(op.f('ck_mesas_theme'), type_='check')
        batch_op.drop_constraint(op.f('ck_mesas_kind'), type_='check')
        batch_op.drop_constraint('fk_mesas_plan_id_action_plans', type_='foreignkey')
        batch_op.create_unique_constraint('uq_mesas_theme_id', ['theme_id'])
        batch_op.alter_column('theme_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('sequence')
        batch_op.drop_column('online_url')
        batch_op.drop_column('title')
        batch_op.drop_column('kind')
        batch_op.drop_column('plan_id')

    with op.batch_alter_table('plan_phases', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_phases_plan_starts')
    op.drop_table('plan_phases')

    op.execute("UPDATE themes SET max_open_proposals_per_user = 5 "
               "WHERE max_open_proposals_per_user IS NULL")
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.alter_column('max_open_proposals_per_user', existing_type=sa.Integer(),
                              nullable=False)

    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.drop_index('uq_action_plans_one_current', sqlite_where=sa.text('is_current'),
                            postgresql_where=sa.text('is_current'))
        batch_op.drop_constraint(op.f('ck_action_plans_status'), type_='check')
        batch_op.drop_column('is_current')
