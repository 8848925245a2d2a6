"""Head reviews and nominations: a head's decision on an official's external-training request
before HR (one per record), and the courses heads send officials to, with a reason.

Revision ID: 57b85a8f3924
Revises: 8ba6eac42380
Create Date: 2026-12-05 08:05:09.389442

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '57b85a8f3924'
down_revision = '8ba6eac42380'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('nominations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('wanted_by', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_nominations_course_id_courses')),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['users.id'], name=op.f('fk_nominations_nominated_by_id_users')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_nominations_official_id_officials')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_nominations_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nominations'))
    )
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nominations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_nominations_official_id'), ['official_id'], unique=False)

    op.create_table('head_reviews',
    sa.Column('external_record_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_head_reviews_decided_by_id_users')),
    sa.ForeignKeyConstraint(['external_record_id'], ['external_records.id'], name=op.f('fk_head_reviews_external_record_id_external_records')),
    sa.PrimaryKeyConstraint('external_record_id', name=op.f('pk_head_reviews'))
    )
    with op.batch_alter_table('head_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_head_reviews_status'), ['status'], unique=False)



def downgrade():
    with op.batch_alter_table('head_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_head_reviews_status'))

    op.drop_table('head_reviews')
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nominations_official_id'))
        batch_op.drop_index(batch_op.f('ix_nominations_course_id'))

    op.drop_table('nominations')
