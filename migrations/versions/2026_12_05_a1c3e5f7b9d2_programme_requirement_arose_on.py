"""Programme requirements keep the day they were created (`arose_on`), so a first
certification has a due date computed as a mandatory course's is (issue 25). Existing rows keep
NULL: required since the post began. Downgrade drops the column.

Revision ID: a1c3e5f7b9d2
Revises: 5ee2cba206f9
Create Date: 2026-12-05 15:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1c3e5f7b9d2'
down_revision = '5ee2cba206f9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programme_requirements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arose_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('programme_requirements', schema=None) as batch_op:
        batch_op.drop_column('arose_on')
