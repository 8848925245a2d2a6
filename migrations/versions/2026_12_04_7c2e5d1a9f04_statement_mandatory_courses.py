"""The reviewer's statement: a frozen statement keeps its list of mandatory courses (one per
course, with due date and state on the closing day); the obligations' covering index also
carries the course, so the compliance figures count courses (a course and its recertification
are one) from the index alone on PostgreSQL.

Revision ID: 7c2e5d1a9f04
Revises: 93e430f73bbb
Create Date: 2026-12-04 21:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "7c2e5d1a9f04"
down_revision = "93e430f73bbb"
branch_labels = None
depends_on = None


def _obligations_index(include: list[str]) -> None:
    with op.batch_alter_table("obligations", schema=None) as batch_op:
        batch_op.drop_index("ix_obligations_cycle_official")
        batch_op.create_index(
            "ix_obligations_cycle_official",
            ["cycle_id", "official_id"],
            unique=False,
            postgresql_include=include,
        )


def upgrade():
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mandatory", sa.JSON(), nullable=True))
    _obligations_index(["status", "due_on", "course_id"])


def downgrade():
    _obligations_index(["status", "due_on"])
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_column("mandatory")
