"""Covering indexes for the compliance figures: the cycle's credits and obligations per official
read from the index alone on PostgreSQL (INCLUDE columns; a plain index on SQLite).

Revision ID: 5e1c0a7b9d21
Revises: 43505c946e64
Create Date: 2026-11-27 00:45:00

"""

from alembic import op

revision = "5e1c0a7b9d21"
down_revision = "43505c946e64"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_entries_cycle_official")
        batch_op.create_index(
            "ix_ledger_entries_cycle_official",
            ["cycle_id", "official_id"],
            unique=False,
            postgresql_include=["credits"],
        )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_obligations_cycle_official",
            ["cycle_id", "official_id"],
            unique=False,
            postgresql_include=["status", "due_on"],
        )


def downgrade():
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_obligations_cycle_official")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_entries_cycle_official")
        batch_op.create_index(
            "ix_ledger_entries_cycle_official", ["cycle_id", "official_id"], unique=False
        )
