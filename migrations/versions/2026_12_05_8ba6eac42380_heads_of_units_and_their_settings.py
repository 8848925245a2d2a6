"""Heads of units: the headships HR names by hand (dated; the registry gives the others by the
post) and each unit's settings for its head (approval of external training, escalation).

Revision ID: 8ba6eac42380
Revises: 7b06cb9dc7e0
Create Date: 2026-12-05 07:16:47.616390

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8ba6eac42380'
down_revision = '7b06cb9dc7e0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('head_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('decision_no', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_head_assignments_dates_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_head_assignments_created_by_id_users')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_head_assignments_official_id_officials')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_head_assignments_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_head_assignments'))
    )
    with op.batch_alter_table('head_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_head_assignments_official_id'), ['official_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_head_assignments_unit_id'), ['unit_id'], unique=False)

    op.create_table('team_settings',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('head_approval', sa.Boolean(), nullable=False),
    sa.Column('escalation_days', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_team_settings_unit_id_org_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_team_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_team_settings'))
    )


def downgrade():
    op.drop_table('team_settings')
    with op.batch_alter_table('head_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_head_assignments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_head_assignments_official_id'))

    op.drop_table('head_assignments')
