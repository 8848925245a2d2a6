"""Repeatable courses: `courses.repeatable`, a course whose credits are earned once in each
cycle rather than once (issue 20; DESIGN.md §3). Existing courses are not repeatable.

Revision ID: 4d50ebd0fd5e
Revises: c07da9d3487d, efad71b24714
Create Date: 2026-12-05 07:15:20

"""

import sqlalchemy as sa
from alembic import op

revision = "4d50ebd0fd5e"
down_revision = ("c07da9d3487d", "efad71b24714")  # also joins the two heads main had
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("repeatable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_column("repeatable")
