"""Review snapshots (issue 21): `review_snapshots` (HR froze a unit's review statements as of a
review date inside the cycle); statements gain their kind (final | review; existing rows are
final), the day they are for, the months in post / on leave / counted, the not-rated flag and,
on a final statement, what came after the review. One current final statement per official and
cycle, one review statement per official, cycle and review date.

Revision ID: efad71b24714
Revises: f8865a8c44ac
Create Date: 2026-12-05 07:16:40

"""

import sqlalchemy as sa
from alembic import op

revision = "efad71b24714"
down_revision = "f8865a8c44ac"
branch_labels = None
depends_on = None

CURRENT_OLD = "superseded_at IS NULL"
CURRENT_NEW = "superseded_at IS NULL AND kind = 'final'"
REVIEW = "kind = 'review'"


def _current_index(where: str) -> None:
    op.create_index(
        "uq_statements_current",
        "statements",
        ["official_id", "cycle_id"],
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade():
    op.create_table(
        "review_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_review_snapshots_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycles.id"], name=op.f("fk_review_snapshots_cycle_id_cycles")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_review_snapshots_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_snapshots")),
        sa.UniqueConstraint(
            "cycle_id", "unit_id", "as_of", name=op.f("uq_review_snapshots_cycle_id_unit_id_as_of")
        ),
    )
    with op.batch_alter_table("review_snapshots") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_snapshots_cycle_id"), ["cycle_id"], unique=False
        )

    # The partial unique index is dropped around the batch (SQLite re-creates the table) and
    # comes back for final statements only.
    op.drop_index("uq_statements_current", table_name="statements")
    with op.batch_alter_table("statements") as batch_op:
        batch_op.add_column(sa.Column("review_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("kind", sa.String(length=8), server_default="final", nullable=False)
        )
        batch_op.add_column(sa.Column("as_of", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("months_in_post", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("months_on_leave", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("months_counted", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("not_rated", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("since_review", sa.JSON(), nullable=True))
        batch_op.alter_column("closure_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f("ix_statements_review_id"), ["review_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_statements_review_id_review_snapshots"),
            "review_snapshots",
            ["review_id"],
            ["id"],
        )
    _current_index(CURRENT_NEW)
    op.create_index(
        "uq_statements_review",
        "statements",
        ["official_id", "cycle_id", "as_of"],
        unique=True,
        sqlite_where=sa.text(REVIEW),
        postgresql_where=sa.text(REVIEW),
    )


def downgrade():
    op.drop_index("uq_statements_review", table_name="statements")
    op.drop_index("uq_statements_current", table_name="statements")
    op.execute("DELETE FROM statements WHERE kind = 'review'")
    with op.batch_alter_table("statements") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_statements_review_id_review_snapshots"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_statements_review_id"))
        batch_op.alter_column("closure_id", existing_type=sa.INTEGER(), nullable=False)
        for column in (
            "since_review",
            "not_rated",
            "months_counted",
            "months_on_leave",
            "months_in_post",
            "as_of",
            "kind",
            "review_id",
        ):
            batch_op.drop_column(column)
    _current_index(CURRENT_OLD)
    with op.batch_alter_table("review_snapshots") as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_snapshots_cycle_id"))
    op.drop_table("review_snapshots")
