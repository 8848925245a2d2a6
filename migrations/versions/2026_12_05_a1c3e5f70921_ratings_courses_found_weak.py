"""Annual ratings (issue 21): the courses found weak at the rating (catalog codes,
comma-separated, "" for none); each is assigned again in the next cycle.

Revision ID: a1c3e5f70921
Revises: d863cb05ecf0
Create Date: 2026-12-05 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = "a1c3e5f70921"
down_revision = "d863cb05ecf0"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("annual_ratings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("weak_courses", sa.String(length=255), server_default="", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("annual_ratings", schema=None) as batch_op:
        batch_op.drop_column("weak_courses")
