"""Recruitment exams (issue 28): recruitments, positions, candidates, exam rooms, sessions,
invigilators, seats, computer papers and their answers, incidents, and the hash-chained results
log. Downgrade drops them all (the candidates' accounts stay in users).

Revision ID: d863cb05ecf0
Revises: d07045f72ae4
Create Date: 2026-12-05 10:46:47.122585

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d863cb05ecf0"
down_revision = "d07045f72ae4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recruitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("applications_open_on", sa.Date(), nullable=True),
        sa.Column("applications_close_on", sa.Date(), nullable=True),
        sa.Column("appeal_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_recruitments_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitments")),
        sa.UniqueConstraint("code", name=op.f("uq_recruitments_code")),
    )
    with op.batch_alter_table("recruitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recruitments_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "exam_rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=255), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_exam_rooms_recruitment_id_recruitments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_rooms")),
        sa.UniqueConstraint(
            "recruitment_id", "name", name=op.f("uq_exam_rooms_recruitment_id_name")
        ),
    )
    with op.batch_alter_table("exam_rooms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_rooms_recruitment_id"), ["recruitment_id"], unique=False
        )

    op.create_table(
        "recruitment_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_recruitment_positions_recruitment_id_recruitments"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_recruitment_positions_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_positions")),
        sa.UniqueConstraint(
            "recruitment_id", "code", name=op.f("uq_recruitment_positions_recruitment_id_code")
        ),
    )
    with op.batch_alter_table("recruitment_positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_positions_recruitment_id"), ["recruitment_id"], unique=False
        )

    op.create_table(
        "candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("full_name", sa.String(length=255), nullable=False),
        sa.Column("sort_key", sa.String(length=255), nullable=False),
        sa.Column("born_on", sa.Date(), nullable=False),
        sa.Column("id_number", sa.String(length=12), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=False),
        sa.Column("priority_code", sa.String(length=16), nullable=False),
        sa.Column("priority_points", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("access_code", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["recruitment_positions.id"],
            name=op.f("fk_candidates_position_id_recruitment_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_candidates_recruitment_id_recruitments"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_candidates_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_candidates")),
        sa.UniqueConstraint(
            "recruitment_id", "id_number", name=op.f("uq_candidates_recruitment_id_id_number")
        ),
        sa.UniqueConstraint(
            "recruitment_id", "number", name=op.f("uq_candidates_recruitment_id_number")
        ),
        sa.UniqueConstraint("user_id", name=op.f("uq_candidates_user_id")),
    )
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_candidates_position_id"), ["position_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_candidates_recruitment_id"), ["recruitment_id"], unique=False
        )

    op.create_table(
        "exam_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("allowed_networks", sa.Text(), nullable=False),
        sa.Column("bank_course_id", sa.Integer(), nullable=True),
        sa.Column("blueprint", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_course_id"], ["courses.id"], name=op.f("fk_exam_sessions_bank_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_exam_sessions_recruitment_id_recruitments"),
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["exam_rooms.id"], name=op.f("fk_exam_sessions_room_id_exam_rooms")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_sessions")),
    )
    with op.batch_alter_table("exam_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_sessions_recruitment_id"), ["recruitment_id"], unique=False
        )

    op.create_table(
        "exam_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("deadline_at", sa.DateTime(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("auto_submitted", sa.Boolean(), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("max_score", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_exam_attempts_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_attempts_session_id_exam_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_attempts")),
        sa.UniqueConstraint(
            "session_id", "candidate_id", name=op.f("uq_exam_attempts_session_id_candidate_id")
        ),
    )
    with op.batch_alter_table("exam_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_attempts_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exam_attempts_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "exam_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("minutes_added", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_exam_incidents_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_exam_incidents_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_incidents_session_id_exam_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_incidents")),
    )
    with op.batch_alter_table("exam_incidents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_incidents_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "exam_invigilators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_invigilators_session_id_exam_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_exam_invigilators_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_invigilators")),
        sa.UniqueConstraint(
            "session_id", "user_id", name=op.f("uq_exam_invigilators_session_id_user_id")
        ),
    )
    with op.batch_alter_table("exam_invigilators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_invigilators_session_id"), ["session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exam_invigilators_user_id"), ["user_id"], unique=False)

    op.create_table(
        "exam_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("extra_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["candidate_id"], ["candidates.id"], name=op.f("fk_exam_seats_candidate_id_candidates")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["exam_sessions.id"],
            name=op.f("fk_exam_seats_session_id_exam_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_seats")),
        sa.UniqueConstraint(
            "session_id", "candidate_id", name=op.f("uq_exam_seats_session_id_candidate_id")
        ),
        sa.UniqueConstraint("session_id", "seat", name=op.f("uq_exam_seats_session_id_seat")),
    )
    with op.batch_alter_table("exam_seats", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exam_seats_candidate_id"), ["candidate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exam_seats_session_id"), ["session_id"], unique=False)

    op.create_table(
        "recruitment_results_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recruitment_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("system_source", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_recruitment_results_log_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["candidates.id"],
            name=op.f("fk_recruitment_results_log_candidate_id_candidates"),
        ),
        sa.ForeignKeyConstraint(
            ["recruitment_id"],
            ["recruitments.id"],
            name=op.f("fk_recruitment_results_log_recruitment_id_recruitments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recruitment_results_log")),
        sa.UniqueConstraint(
            "candidate_id", "seq", name=op.f("uq_recruitment_results_log_candidate_id_seq")
        ),
    )
    with op.batch_alter_table("recruitment_results_log", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recruitment_results_log_recruitment_id"),
            ["recruitment_id"],
            unique=False,
        )

    op.create_table(
        "exam_slots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("shown", sa.JSON(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("mark", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("fraction", sa.Numeric(precision=9, scale=7), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["exam_attempts.id"],
            name=op.f("fk_exam_slots_attempt_id_exam_attempts"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["bank_questions.id"],
            name=op.f("fk_exam_slots_question_id_bank_questions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exam_slots")),
    )
    with op.batch_alter_table("exam_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exam_slots_attempt_id"), ["attempt_id"], unique=False)


def downgrade():
    with op.batch_alter_table("exam_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_slots_attempt_id"))

    op.drop_table("exam_slots")
    with op.batch_alter_table("recruitment_results_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_results_log_recruitment_id"))

    op.drop_table("recruitment_results_log")
    with op.batch_alter_table("exam_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_seats_session_id"))
        batch_op.drop_index(batch_op.f("ix_exam_seats_candidate_id"))

    op.drop_table("exam_seats")
    with op.batch_alter_table("exam_invigilators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_invigilators_user_id"))
        batch_op.drop_index(batch_op.f("ix_exam_invigilators_session_id"))

    op.drop_table("exam_invigilators")
    with op.batch_alter_table("exam_incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_incidents_session_id"))

    op.drop_table("exam_incidents")
    with op.batch_alter_table("exam_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_attempts_session_id"))
        batch_op.drop_index(batch_op.f("ix_exam_attempts_candidate_id"))

    op.drop_table("exam_attempts")
    with op.batch_alter_table("exam_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_sessions_recruitment_id"))

    op.drop_table("exam_sessions")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_candidates_recruitment_id"))
        batch_op.drop_index(batch_op.f("ix_candidates_position_id"))

    op.drop_table("candidates")
    with op.batch_alter_table("recruitment_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitment_positions_recruitment_id"))

    op.drop_table("recruitment_positions")
    with op.batch_alter_table("exam_rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exam_rooms_recruitment_id"))

    op.drop_table("exam_rooms")
    with op.batch_alter_table("recruitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recruitments_unit_id"))

    op.drop_table("recruitments")
