"""Requests for a place in a class (issue 23): an official asks their head for a place in a
class filled by nomination; the head approves (the official is nominated) or declines.

Revision ID: f66c3f10a4e1
Revises: 70a2e7db90e7
Create Date: 2026-12-05 11:42:07.193193

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f66c3f10a4e1'
down_revision = '70a2e7db90e7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('place_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_place_requests_class_id_training_classes')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_place_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_place_requests_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_requests'))
    )
    with op.batch_alter_table('place_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_requests_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_requests_official_id'), ['official_id'], unique=False)



def downgrade():
    with op.batch_alter_table('place_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_requests_official_id'))
        batch_op.drop_index(batch_op.f('ix_place_requests_class_id'))

    op.drop_table('place_requests')
