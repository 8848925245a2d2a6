"""Annual ratings (issue 21): one per official and cycle, the level and the content areas found
weak; the courses they assign next cycle are obligations of kind "rating" (no schema change).

Revision ID: d07045f72ae4
Revises: 57b85a8f3924
Create Date: 2026-12-05 08:59:08.109712

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd07045f72ae4'
down_revision = '57b85a8f3924'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('weak_areas', sa.String(length=32), server_default='', nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_annual_ratings_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_annual_ratings_official_id_officials')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_annual_ratings_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_ratings')),
    sa.UniqueConstraint('official_id', 'cycle_id', name=op.f('uq_annual_ratings_official_id_cycle_id'))
    )
    with op.batch_alter_table('annual_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_ratings_cycle_id'), ['cycle_id'], unique=False)



def downgrade():
    with op.batch_alter_table('annual_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_ratings_cycle_id'))

    op.drop_table('annual_ratings')
