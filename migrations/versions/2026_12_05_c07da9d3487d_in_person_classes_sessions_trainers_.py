"""In-person classes (issue 24): sessions with venue and trainer, the trainers' and venues'
lists, capacity, who may join (positions, units; nominated only or open sign-up), the enrolment
and cancellation windows, a member's status (enrolled, waitlisted, cancelled) and source, and
per-session attendance. Existing members stay enrolled (added by HR).

Revision ID: c07da9d3487d
Revises: 0fd5b1320bc5
Create Date: 2026-12-05 07:17:19.304414

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c07da9d3487d"
down_revision = "0fd5b1320bc5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "class_venues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("address", sa.String(length=255), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_venues")),
    )
    op.create_table(
        "class_trainers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"], ["officials.id"], name=op.f("fk_class_trainers_official_id_officials")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_trainers")),
    )
    op.create_table(
        "class_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=True),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["training_classes.id"],
            name=op.f("fk_class_sessions_class_id_training_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["class_trainers.id"],
            name=op.f("fk_class_sessions_trainer_id_class_trainers"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["class_venues.id"], name=op.f("fk_class_sessions_venue_id_class_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_sessions")),
    )
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_class_sessions_class_id"), ["class_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_class_sessions_starts_at"), ["starts_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_class_sessions_trainer_id"), ["trainer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_class_sessions_venue_id"), ["venue_id"], unique=False)

    op.create_table(
        "training_class_positions",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["training_classes.id"],
            name=op.f("fk_training_class_positions_class_id_training_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["position_id"],
            ["positions.id"],
            name=op.f("fk_training_class_positions_position_id_positions"),
        ),
        sa.PrimaryKeyConstraint(
            "class_id", "position_id", name=op.f("pk_training_class_positions")
        ),
    )
    op.create_table(
        "training_class_units",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["training_classes.id"],
            name=op.f("fk_training_class_units_class_id_training_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_training_class_units_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("class_id", "unit_id", name=op.f("pk_training_class_units")),
    )
    op.create_table(
        "class_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("mark", sa.String(length=16), nullable=False),
        sa.Column("by_qr", sa.Boolean(), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["class_members.id"],
            name=op.f("fk_class_attendance_member_id_class_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_class_attendance_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["class_sessions.id"],
            name=op.f("fk_class_attendance_session_id_class_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_class_attendance")),
        sa.UniqueConstraint(
            "session_id", "member_id", name=op.f("uq_class_attendance_session_id_member_id")
        ),
    )
    with op.batch_alter_table("class_attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_class_attendance_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_class_attendance_session_id"), ["session_id"], unique=False
        )

    with op.batch_alter_table("class_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), nullable=False, server_default="enrolled")
        )
        batch_op.add_column(
            sa.Column("source", sa.String(length=16), nullable=False, server_default="hr")
        )
        batch_op.add_column(
            sa.Column(
                "queued_at",
                sa.DateTime(),
                nullable=False,
                server_default=sa.text("CURRENT_TIMESTAMP"),
            )
        )
        batch_op.add_column(sa.Column("added_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("reason", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_class_members_added_by_id_users"), "users", ["added_by_id"], ["id"]
        )

    with op.batch_alter_table("training_classes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("join_mode", sa.String(length=16), nullable=False, server_default="nominated")
        )
        batch_op.add_column(sa.Column("enrol_opens_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("enrol_closes_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("cancel_closes_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("schedule_version", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("training_classes", schema=None) as batch_op:
        batch_op.drop_column("schedule_version")
        batch_op.drop_column("cancel_closes_on")
        batch_op.drop_column("enrol_closes_on")
        batch_op.drop_column("enrol_opens_on")
        batch_op.drop_column("join_mode")
        batch_op.drop_column("capacity")

    with op.batch_alter_table("class_members", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_class_members_added_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("cancelled_at")
        batch_op.drop_column("reason")
        batch_op.drop_column("added_by_id")
        batch_op.drop_column("queued_at")
        batch_op.drop_column("source")
        batch_op.drop_column("status")

    with op.batch_alter_table("class_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_attendance_session_id"))
        batch_op.drop_index(batch_op.f("ix_class_attendance_member_id"))

    op.drop_table("class_attendance")
    op.drop_table("training_class_units")
    op.drop_table("training_class_positions")
    with op.batch_alter_table("class_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_class_sessions_venue_id"))
        batch_op.drop_index(batch_op.f("ix_class_sessions_trainer_id"))
        batch_op.drop_index(batch_op.f("ix_class_sessions_starts_at"))
        batch_op.drop_index(batch_op.f("ix_class_sessions_class_id"))

    op.drop_table("class_sessions")
    op.drop_table("class_trainers")
    op.drop_table("class_venues")
