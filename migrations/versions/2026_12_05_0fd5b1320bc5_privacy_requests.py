"""Personal data requests: officials ask to correct, restrict or delete their data; HR of
their unit answers by `due_on` (received, in progress, done, refused).

Revision ID: 0fd5b1320bc5
Revises: 1eeeb849d4d9
Create Date: 2026-12-05 00:22:10.368877

"""

import sqlalchemy as sa
from alembic import op

revision = "0fd5b1320bc5"
down_revision = "1eeeb849d4d9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "privacy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("handler_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handler_id"], ["users.id"], name=op.f("fk_privacy_requests_handler_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["officials.id"],
            name=op.f("fk_privacy_requests_official_id_officials"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_privacy_requests_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )
    with op.batch_alter_table("privacy_requests") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_privacy_requests_official_id"), ["official_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_privacy_requests_state"), ["state"], unique=False)


def downgrade():
    with op.batch_alter_table("privacy_requests") as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_requests_state"))
        batch_op.drop_index(batch_op.f("ix_privacy_requests_official_id"))

    op.drop_table("privacy_requests")
