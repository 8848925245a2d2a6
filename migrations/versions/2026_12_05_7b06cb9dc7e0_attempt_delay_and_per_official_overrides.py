"""Attempt rules: a test's delay after an attempt that did not pass (`quizzes.delay_minutes`),
and per-official overrides beside extra time (`quiz_extra_times.extra_attempts`, `closes_at`)

Revision ID: 7b06cb9dc7e0
Revises: 4d50ebd0fd5e
Create Date: 2026-12-05 07:33:44.701579

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b06cb9dc7e0'
down_revision = '4d50ebd0fd5e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_extra_times', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extra_attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('closes_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delay_minutes', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('delay_minutes')

    with op.batch_alter_table('quiz_extra_times', schema=None) as batch_op:
        batch_op.drop_column('closes_at')
        batch_op.drop_column('extra_attempts')

