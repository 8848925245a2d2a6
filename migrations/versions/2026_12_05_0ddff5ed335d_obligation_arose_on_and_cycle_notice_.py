"""Due dates a person can meet: an obligation keeps the day it arose (arose_on, backfilled
from the day the row was written, in Vietnam's time), and a cycle has notice_days (30), the
least time given to complete a course required late, even past the cycle's end.

Revision ID: 0ddff5ed335d
Revises: e45d8e868f86
Create Date: 2026-12-05 00:12:40

"""

import sqlalchemy as sa
from alembic import op

revision = "0ddff5ed335d"
down_revision = "e45d8e868f86"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notice_days", sa.Integer(), server_default="30", nullable=False)
        )
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("arose_on", sa.Date(), nullable=True))
    # created_at is naive UTC; the day an obligation arose is a day in Vietnam (UTC+7).
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE obligations SET arose_on = CAST(created_at + INTERVAL '7 hours' AS DATE)"
        )
    else:
        op.execute("UPDATE obligations SET arose_on = date(created_at, '+7 hours')")
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.alter_column("arose_on", existing_type=sa.Date(), nullable=False)


def downgrade():
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_column("arose_on")
    with op.batch_alter_table("cycles", schema=None) as batch_op:
        batch_op.drop_column("notice_days")
