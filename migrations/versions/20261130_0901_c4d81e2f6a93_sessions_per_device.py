"""sessions per device

Each sign-in gets its own row in `user_sessions` (device, truncated address, created, last
seen, the SHA-256 of the token its cookie carries) instead of one `users.session_token`
shared by every device, so signing in on a phone no longer signs the laptop out.

Existing sign-ins survive the upgrade: each account's current token becomes one session row
(device unknown, remembered, last seen now), so the cookies already out there keep working
until they are signed out, revoked or left unused for the remember-me lifetime. Deleted and
deactivated accounts get none. Downgrading gives every account a new token (only hashes
were kept), which signs everybody out once.

Revision ID: c4d81e2f6a93
Revises: 5e8d3c1a7b90
Create Date: 2026-11-30 07:45:00

"""
import hashlib
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4d81e2f6a93'
down_revision = '5e8d3c1a7b90'
branch_labels = None
depends_on = None

users = sa.table(
    "users", sa.column("id", sa.Integer), sa.column("session_token", sa.String),
    sa.column("active", sa.Boolean), sa.column("deleted_at", sa.DateTime(timezone=True)))
user_sessions = sa.table(
    "user_sessions", sa.column("user_id", sa.Integer), sa.column("token_hash", sa.String),
    sa.column("device", sa.String), sa.column("ip_network", sa.String),
    sa.column("remember", sa.Boolean), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("last_seen_at", sa.DateTime(timezone=True)))


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('device', sa.String(length=120), nullable=False),
    sa.Column('ip_network', sa.String(length=50), nullable=True),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    bind = op.get_bind()
    now = datetime.now(UTC)
    rows = [
        {"user_id": user_id, "token_hash": hashlib.sha256(token.encode()).hexdigest(),
         "device": "", "ip_network": None, "remember": True, "created_at": now,
         "last_seen_at": now}
        for user_id, token in bind.execute(
            sa.select(users.c.id, users.c.session_token)
            .where(users.c.active.is_(True), users.c.deleted_at.is_(None)))
        if token
    ]
    if rows:
        op.bulk_insert(user_sessions, rows)

    # A plain ALTER TABLE (SQLite 3.35+ has DROP COLUMN), never batch mode's copy of the
    # table: dropping the old `users` with foreign keys on would fail on every referring row.
    op.drop_column('users', 'session_token')


def downgrade():
    # Added in place (no copy of `users`, see upgrade): NOT NULL needs a default on SQLite.
    op.add_column('users', sa.Column('session_token', sa.String(length=40), nullable=False,
                                     server_default=''))
    bind = op.get_bind()
    for (user_id,) in bind.execute(sa.select(users.c.id)).all():
        bind.execute(users.update().where(users.c.id == user_id)
                     .values(session_token=secrets.token_urlsafe(16)))
    if bind.dialect.name != "sqlite":
        op.alter_column('users', 'session_token', server_default=None)

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))
    op.drop_table('user_sessions')
