"""Accounts for officials: provisioning runs and one-time activation links (only the link's
SHA-256 and the salt it is derived from with SECRET_KEY are stored; one open link per user).

Revision ID: 93e430f73bbb
Revises: 0b330bf05cb3
Create Date: 2026-12-04 21:05:39

"""

import sqlalchemy as sa
from alembic import op

revision = "93e430f73bbb"
down_revision = "0b330bf05cb3"
branch_labels = None
depends_on = None

OPEN_LINK = "used_at IS NULL AND revoked_at IS NULL"


def upgrade():
    op.create_table(
        "provisioning_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("base_url", sa.String(length=255), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("reissued", sa.Integer(), nullable=False),
        sa.Column("emailed", sa.Boolean(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_provisioning_runs_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["org_units.id"], name=op.f("fk_provisioning_runs_unit_id_org_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provisioning_runs")),
    )
    with op.batch_alter_table("provisioning_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provisioning_runs_actor_id"), ["actor_id"])

    op.create_table(
        "account_activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["provisioning_runs.id"],
            name=op.f("fk_account_activations_run_id_provisioning_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_account_activations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_activations")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_account_activations_token_sha256")),
    )
    with op.batch_alter_table("account_activations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_activations_run_id"), ["run_id"])
        batch_op.create_index(batch_op.f("ix_account_activations_user_id"), ["user_id"])
        batch_op.create_index(
            "uq_account_activations_open",
            ["user_id"],
            unique=True,
            sqlite_where=sa.text(OPEN_LINK),
            postgresql_where=sa.text(OPEN_LINK),
        )


def downgrade():
    with op.batch_alter_table("account_activations", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_account_activations_open",
            sqlite_where=sa.text(OPEN_LINK),
            postgresql_where=sa.text(OPEN_LINK),
        )
        batch_op.drop_index(batch_op.f("ix_account_activations_user_id"))
        batch_op.drop_index(batch_op.f("ix_account_activations_run_id"))
    op.drop_table("account_activations")
    with op.batch_alter_table("provisioning_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provisioning_runs_actor_id"))
    op.drop_table("provisioning_runs")
