"""Scans of handwritten recruitment papers (issue 28): a clerk uploads each candidate's scanned
written paper; the paper keeps a generated file name, its kind by content, SHA-256 and size.

Revision ID: 4cbbafae4ce7
Revises: a1c3e5f7b9d2
Create Date: 2026-12-05 15:11:44.248273

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4cbbafae4ce7'
down_revision = 'a1c3e5f7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('recruitment_papers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_path', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('scan_kind', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('scan_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('scan_bytes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scan_uploaded_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('recruitment_papers', schema=None) as batch_op:
        batch_op.drop_column('scan_uploaded_at')
        batch_op.drop_column('scan_bytes')
        batch_op.drop_column('scan_sha256')
        batch_op.drop_column('scan_kind')
        batch_op.drop_column('scan_path')
