"""Job run leases: the token of the claim that runs a job now (cleared when the run is queued
again), so a run taken over by another worker cannot record its result.

Revision ID: 83b5533f90dc
Revises: 2c6bc6ec8ae9
Create Date: 2026-12-05 00:12:24

"""

import sqlalchemy as sa
from alembic import op

revision = "83b5533f90dc"
down_revision = "2c6bc6ec8ae9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_token", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_column("lease_token")
