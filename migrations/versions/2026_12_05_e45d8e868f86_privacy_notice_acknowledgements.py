"""Privacy notice acknowledgements: one row per user and version of the notice (Law
91/2025/QH15), append-only.

Revision ID: e45d8e868f86
Revises: 7c2e5d1a9f04
Create Date: 2026-12-05 00:12:10

"""

import sqlalchemy as sa
from alembic import op

revision = "e45d8e868f86"
down_revision = "7c2e5d1a9f04"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "privacy_notice_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_privacy_notice_acknowledgements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notice_acknowledgements")),
        sa.UniqueConstraint(
            "user_id", "version", name=op.f("uq_privacy_notice_acknowledgements_user_id_version")
        ),
    )
    with op.batch_alter_table("privacy_notice_acknowledgements") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_privacy_notice_acknowledgements_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("privacy_notice_acknowledgements") as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_notice_acknowledgements_user_id"))
    op.drop_table("privacy_notice_acknowledgements")
