"""Training evaluation (issue 26): evaluation_requests (what a user is asked, with the "has
answered" marker) and evaluation_responses (what an anonymous survey response was about).

Revision ID: e76b9646a26b
Revises: f66c3f10a4e1
Create Date: 2026-12-05 11:02:20.435703

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e76b9646a26b"
down_revision = "f66c3f10a4e1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("questionnaire", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("completion_id", sa.Integer(), nullable=True),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("about_official_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("asked_on", sa.Date(), nullable=False),
        sa.Column("is_answered", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["about_official_id"],
            ["officials.id"],
            name=op.f("fk_evaluation_requests_about_official_id_officials"),
        ),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["training_classes.id"],
            name=op.f("fk_evaluation_requests_class_id_training_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["completion_id"],
            ["completions.id"],
            name=op.f("fk_evaluation_requests_completion_id_completions"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_evaluation_requests_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["class_trainers.id"],
            name=op.f("fk_evaluation_requests_trainer_id_class_trainers"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_evaluation_requests_unit_id_org_units")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_evaluation_requests_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_requests")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_evaluation_requests_user_id_key")),
    )
    with op.batch_alter_table("evaluation_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_requests_completion_id"), ["completion_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_requests_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "evaluation_responses",
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["training_classes.id"],
            name=op.f("fk_evaluation_responses_class_id_training_classes"),
        ),
        sa.ForeignKeyConstraint(
            ["course_id"], ["courses.id"], name=op.f("fk_evaluation_responses_course_id_courses")
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["survey_responses.id"],
            name=op.f("fk_evaluation_responses_response_id_survey_responses"),
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"],
            ["class_trainers.id"],
            name=op.f("fk_evaluation_responses_trainer_id_class_trainers"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_evaluation_responses_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_evaluation_responses")),
    )
    with op.batch_alter_table("evaluation_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evaluation_responses_class_id"), ["class_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_responses_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_responses_questionnaire"), ["questionnaire"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_responses_trainer_id"), ["trainer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_evaluation_responses_unit_id"), ["unit_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("evaluation_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_responses_unit_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_responses_trainer_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_responses_questionnaire"))
        batch_op.drop_index(batch_op.f("ix_evaluation_responses_course_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_responses_class_id"))

    op.drop_table("evaluation_responses")
    with op.batch_alter_table("evaluation_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_requests_user_id"))
        batch_op.drop_index(batch_op.f("ix_evaluation_requests_completion_id"))

    op.drop_table("evaluation_requests")
