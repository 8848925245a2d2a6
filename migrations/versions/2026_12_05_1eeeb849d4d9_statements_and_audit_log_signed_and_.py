"""Frozen statements and the audit log signed and sealed like the ledger: each row gets
`row_mac` (an HMAC under the ledger key, written by the application; NULL on the rows already
there, which `flask --app lms integrity rekey` signs once after this upgrade) and `seal_seq`
(the seals of its kind written before it); `integrity_seals` holds the numbered, chained seals
of both kinds (lms/common/sealing.py).

Revision ID: 1eeeb849d4d9
Revises: 83b5533f90dc
Create Date: 2026-12-05 00:45:00

"""

import sqlalchemy as sa
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1eeeb849d4d9'
down_revision = '83b5533f90dc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('integrity_seals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('sealed_at', sa.DateTime(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('prev_mac', sa.String(length=64), nullable=False),
    sa.Column('mac', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_seals')),
    sa.UniqueConstraint('kind', 'seq', name=op.f('uq_integrity_seals_kind_seq'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_mac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seal_seq', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_mac', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('seal_seq', sa.Integer(), server_default='0', nullable=False))



def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_column('seal_seq')
        batch_op.drop_column('row_mac')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('seal_seq')
        batch_op.drop_column('row_mac')

    op.drop_table('integrity_seals')
