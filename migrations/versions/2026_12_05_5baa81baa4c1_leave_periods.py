"""Leave periods: dated long leave or absence of an official (maternity, sick, study,
secondment, unpaid, suspension) with its decision number; exempting kinds take months out of
the target and move due dates (issue 21).

Revision ID: 5baa81baa4c1
Revises: 1422e8526c39
Create Date: 2026-12-05 07:14:46

"""

import sqlalchemy as sa
from alembic import op

revision = "5baa81baa4c1"
down_revision = "1422e8526c39"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "leave_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(length=64), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_leave_periods_dates_in_order")),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_leave_periods_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_leave_periods_official_id_officials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_periods")),
    )
    with op.batch_alter_table("leave_periods", schema=None) as batch_op:
        batch_op.create_index(
            "ix_leave_periods_official_dates", ["official_id", "starts_on"], unique=False
        )


def downgrade():
    with op.batch_alter_table("leave_periods", schema=None) as batch_op:
        batch_op.drop_index("ix_leave_periods_official_dates")
    op.drop_table("leave_periods")
