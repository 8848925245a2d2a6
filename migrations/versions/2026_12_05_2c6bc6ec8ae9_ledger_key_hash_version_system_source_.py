"""The ledger key: every ledger entry says which hash scheme it was written under
(`hash_version` 1 = plain SHA-256, the entries already there; 2 = HMAC under the ledger key,
lms/common/integrity.py), names its system source when no person wrote it, and carries the
number of seals written before it (`seal_seq`); seals are numbered and chained (`seq`,
`prev_mac`, `version` 1 = the SECRET_KEY MAC they were written with). The existing seals are
numbered in the order they were written. Re-hashing the existing entries under the key needs the
key, which migrations do not handle: `flask --app lms ledger rekey` does it, once, after this
upgrade (docs/operations.md); until then `ledger verify` reports them.

Revision ID: 2c6bc6ec8ae9
Revises: 0ddff5ed335d
Create Date: 2026-12-05 00:26:05

"""

import sqlalchemy as sa
from alembic import op

revision = "2c6bc6ec8ae9"
down_revision = "0ddff5ed335d"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hash_version", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(sa.Column("system_source", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("seal_seq", sa.Integer(), server_default="0", nullable=False))

    with op.batch_alter_table("ledger_seals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("prev_mac", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch_op.create_index(batch_op.f("ix_ledger_seals_seq"), ["seq"], unique=False)
    # The seals already written, numbered 1, 2, 3… in the order of their ids.
    op.execute(
        "UPDATE ledger_seals SET seq = "
        "(SELECT COUNT(*) FROM ledger_seals AS earlier WHERE earlier.id <= ledger_seals.id)"
    )


def downgrade():
    with op.batch_alter_table("ledger_seals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_seals_seq"))
        batch_op.drop_column("version")
        batch_op.drop_column("prev_mac")
        batch_op.drop_column("seq")

    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_column("seal_seq")
        batch_op.drop_column("system_source")
        batch_op.drop_column("hash_version")
