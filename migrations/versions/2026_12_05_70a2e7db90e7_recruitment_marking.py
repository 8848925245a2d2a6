"""Anonymous marking of recruitment exams (issue 28): marking rounds, markers, papers under their
codes, marks by turn, appeals. Downgrade drops them (the results log lines they wrote stay).

Revision ID: 70a2e7db90e7
Revises: 73d72c830198
Create Date: 2026-12-05 10:49:54.794150

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "70a2e7db90e7"
down_revision = "73d72c830198"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recruitment_marking_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("maximum", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("margin_percent", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("revealed_at", sa.DateTime(), nullable=True),
        sa.Column("revealed_by_id", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("publication_number", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_recruitment_marking_rounds_recruitment_id_recruitments"),
        ),
        sa.ForeignKeyConstraint(
            ["revealed_by_id"],
            ["users.id"],
            name=op.f("fk_recruitment_marking_rounds_revealed_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_marking_rounds")),
        sa.UniqueConstraint(
            "recruitment_id", name=op.f("uq_recruitment_marking_rounds_recruitment_id")
        ),
    )
    op.create_table(
        "recruitment_markers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["recruitment_marking_rounds.id"],
            name=op.f("fk_recruitment_markers_round_id_recruitment_marking_rounds"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recruitment_markers_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_markers")),
        sa.UniqueConstraint(
            "round_id", "user_id", name=op.f("uq_recruitment_markers_round_id_user_id")
        ),
    )
    with op.batch_alter_table("recruitment_markers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_markers_round_id"), ["round_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recruitment_markers_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "recruitment_papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("mark", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_recruitment_papers_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["recruitment_marking_rounds.id"],
            name=op.f("fk_recruitment_papers_round_id_recruitment_marking_rounds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_papers")),
        sa.UniqueConstraint("code", name=op.f("uq_recruitment_papers_code")),
        sa.UniqueConstraint(
            "round_id", "candidate_id", name=op.f("uq_recruitment_papers_round_id_candidate_id")
        ),
    )
    with op.batch_alter_table("recruitment_papers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_papers_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recruitment_papers_round_id"), ["round_id"], unique=False
        )

    op.create_table(
        "recruitment_appeals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("mark_before", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("mark_after", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["users.id"], name=op.f("fk_recruitment_appeals_filed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["recruitment_papers.id"],
            name=op.f("fk_recruitment_appeals_paper_id_recruitment_papers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_appeals")),
        sa.UniqueConstraint("paper_id", name=op.f("uq_recruitment_appeals_paper_id")),
    )
    op.create_table(
        "recruitment_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("marker_id", sa.Integer(), nullable=False),
        sa.Column("turn", sa.String(length=16), nullable=False),
        sa.Column("mark", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["marker_id"], ["users.id"], name=op.f("fk_recruitment_marks_marker_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["recruitment_papers.id"],
            name=op.f("fk_recruitment_marks_paper_id_recruitment_papers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_marks")),
        sa.UniqueConstraint(
            "paper_id", "marker_id", name=op.f("uq_recruitment_marks_paper_id_marker_id")
        ),
        sa.UniqueConstraint("paper_id", "turn", name=op.f("uq_recruitment_marks_paper_id_turn")),
    )
    with op.batch_alter_table("recruitment_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_marks_marker_id"), ["marker_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_recruitment_marks_paper_id"), ["paper_id"], unique=False
        )


def downgrade():
    for table in (
        "recruitment_marks",
        "recruitment_appeals",
        "recruitment_papers",
        "recruitment_markers",
        "recruitment_marking_rounds",
    ):
        op.drop_table(table)
