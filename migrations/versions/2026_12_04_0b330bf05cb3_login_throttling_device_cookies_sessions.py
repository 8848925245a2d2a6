"""Login throttling by device cookie and step, sessions ended by logout, TOTP replay guard,
password change time (API tokens made before it stop working).

Revision ID: 0b330bf05cb3
Revises: fda0c69faba5
Create Date: 2026-12-04 20:50:57.381693

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b330bf05cb3'
down_revision = 'fda0c69faba5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ended_sessions',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ended_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_ended_sessions'))
    )
    with op.batch_alter_table('ended_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ended_sessions_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ended_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='password', nullable=False))
        batch_op.create_index(batch_op.f('ix_login_failures_device'), ['device'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('password_changed_at')

    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_failures_device'))
        batch_op.drop_column('kind')
        batch_op.drop_column('device')

    with op.batch_alter_table('ended_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ended_sessions_user_id'))
        batch_op.drop_index(batch_op.f('ix_ended_sessions_expires_at'))

    op.drop_table('ended_sessions')
