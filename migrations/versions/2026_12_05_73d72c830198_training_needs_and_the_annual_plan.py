"""Training needs and the annual plan (issue 23): units' need lines under one submission per
unit and year; the plan of a year, its lines per unit, course (or area) and quarter, and the
classes planned per course and quarter.

Revision ID: 73d72c830198
Revises: a1c3e5f70921
Create Date: 2026-12-05 11:17:20.263836

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '73d72c830198'
down_revision = 'a1c3e5f70921'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('need_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_need_submissions_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_need_submissions_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_submissions')),
    sa.UniqueConstraint('unit_id', 'year', name=op.f('uq_need_submissions_unit_id_year'))
    )
    with op.batch_alter_table('need_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_submissions_year'), ['year'], unique=False)

    op.create_table('training_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('consolidated_at', sa.DateTime(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_no', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_training_plans_approved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_plans')),
    sa.UniqueConstraint('year', name=op.f('uq_training_plans_year'))
    )
    op.create_table('need_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('content_area', sa.String(length=8), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('positions', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('count >= 1', name=op.f('ck_need_lines_count_positive')),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_need_lines_quarter_known')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_need_lines_course_id_courses')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_need_lines_created_by_id_users')),
    sa.ForeignKeyConstraint(['submission_id'], ['need_submissions.id'], name=op.f('fk_need_lines_submission_id_need_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_lines'))
    )
    with op.batch_alter_table('need_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_lines_submission_id'), ['submission_id'], unique=False)

    op.create_table('plan_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('classes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_plan_classes_course_id_courses')),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plans.id'], name=op.f('fk_plan_classes_plan_id_training_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_classes')),
    sa.UniqueConstraint('plan_id', 'course_id', 'quarter', name=op.f('uq_plan_classes_plan_id_course_id_quarter'))
    )
    op.create_table('plan_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('content_area', sa.String(length=8), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_plan_lines_course_id_courses')),
    sa.ForeignKeyConstraint(['plan_id'], ['training_plans.id'], name=op.f('fk_plan_lines_plan_id_training_plans')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_plan_lines_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_lines'))
    )
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_lines_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_lines_plan_id'))

    op.drop_table('plan_lines')
    op.drop_table('plan_classes')
    with op.batch_alter_table('need_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_lines_submission_id'))

    op.drop_table('need_lines')
    op.drop_table('training_plans')
    with op.batch_alter_table('need_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_submissions_year'))

    op.drop_table('need_submissions')
