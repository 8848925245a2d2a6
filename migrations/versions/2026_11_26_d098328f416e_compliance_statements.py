"""Compliance: frozen training statements (one current per official and cycle).

Revision ID: d098328f416e
Revises: 128716bb475d
Create Date: 2026-11-26 23:24:08.752089

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d098328f416e"
down_revision = "128716bb475d"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("closure_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("employee_code", sa.String(length=32), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=False),
        sa.Column("unit_code", sa.String(length=32), nullable=False),
        sa.Column("unit_name", sa.String(length=255), nullable=False),
        sa.Column("position_code", sa.String(length=32), nullable=True),
        sa.Column("position_name", sa.String(length=255), nullable=True),
        sa.Column("rank_code", sa.String(length=16), nullable=True),
        sa.Column("rank_name", sa.String(length=255), nullable=True),
        sa.Column("target_credits", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("earned_credits", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("mandatory_required", sa.Integer(), nullable=False),
        sa.Column("mandatory_completed", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("certificates", sa.JSON(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closure_id"],
            ["cycle_closures.id"],
            name=op.f("fk_statements_closure_id_cycle_closures"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_statements_cycle_id_cycles")
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_statements_official_id_officials")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_statements_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statements_closure_id"), ["closure_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statements_cycle_id"), ["cycle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statements_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(
            "uq_statements_current",
            ["official_id", "cycle_id"],
            unique=True,
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        )



def downgrade():
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_statements_current",
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_statements_unit_id"))
        batch_op.drop_index(batch_op.f("ix_statements_cycle_id"))
        batch_op.drop_index(batch_op.f("ix_statements_closure_id"))

    op.drop_table("statements")
