"""Ledger seals: the ledger's extent, signed nightly, so that removing an official's last
entries is noticed by `ledger verify`.

Revision ID: fda0c69faba5
Revises: 5e1c0a7b9d21
Create Date: 2026-11-27 03:16:25.872229

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'fda0c69faba5'
down_revision = '5e1c0a7b9d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ledger_seals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=False),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('officials', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_seals'))
    )


def downgrade():
    op.drop_table('ledger_seals')
