"""Curricula: cycles, curricula, obligations, targets, completions, the credit ledger, in-person
classes, external training and cycle closures.

Revision ID: 128716bb475d
Revises: 0b8d07777bce
Create Date: 2026-11-26 23:17:24.477309

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '128716bb475d'
down_revision = '0b8d07777bce'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('due_days', sa.Integer(), nullable=False),
    sa.Column('renewal_window_days', sa.Integer(), nullable=False),
    sa.Column('at_risk_days', sa.Integer(), nullable=False),
    sa.Column('pace_slack', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycles')),
    sa.UniqueConstraint('year', name=op.f('uq_cycles_year'))
    )
    op.create_table('curricula',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('rank_id', sa.Integer(), nullable=True),
    sa.Column('target_credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_curricula_position_id_positions')),
    sa.ForeignKeyConstraint(['rank_id'], ['ranks.id'], name=op.f('fk_curricula_rank_id_ranks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curricula')),
    sa.UniqueConstraint('position_id', 'rank_id', name=op.f('uq_curricula_position_id_rank_id'))
    )
    with op.batch_alter_table('curricula', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curricula_position_id'), ['position_id'], unique=False)

    op.create_table('official_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('target_credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_official_targets_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_official_targets_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_targets')),
    sa.UniqueConstraint('official_id', 'cycle_id', name=op.f('uq_official_targets_official_id_cycle_id'))
    )
    with op.batch_alter_table('official_targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_targets_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('source_ref', sa.String(length=64), nullable=False),
    sa.Column('original_certificate_number', sa.String(length=64), nullable=True),
    sa.Column('certificate_state', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_completions_actor_id_users')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_completions_course_id_courses')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_completions_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_completions')),
    sa.UniqueConstraint('source', 'source_ref', name=op.f('uq_completions_source_source_ref'))
    )
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_completions_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_completions_official_course', ['official_id', 'course_id'], unique=False)

    op.create_table('curriculum_courses',
    sa.Column('curriculum_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_curriculum_courses_course_id_courses')),
    sa.ForeignKeyConstraint(['curriculum_id'], ['curricula.id'], name=op.f('fk_curriculum_courses_curriculum_id_curricula'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('curriculum_id', 'course_id', name=op.f('pk_curriculum_courses'))
    )
    with op.batch_alter_table('curriculum_courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curriculum_courses_course_id'), ['course_id'], unique=False)

    op.create_table('cycle_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_cycle_closures_actor_id_users')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_cycle_closures_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_cycle_closures_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_closures'))
    )
    with op.batch_alter_table('cycle_closures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cycle_closures_cycle_id'), ['cycle_id'], unique=False)

    op.create_table('external_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('organiser', sa.String(length=255), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('periods', sa.Integer(), nullable=False),
    sa.Column('evidence_name', sa.String(length=255), nullable=True),
    sa.Column('evidence_path', sa.String(length=255), nullable=True),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('credits_granted', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_external_records_decided_by_id_users')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_external_records_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_records'))
    )
    with op.batch_alter_table('external_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_records_official_id'), ['official_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_records_status'), ['status'], unique=False)

    op.create_table('training_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('location', sa.String(length=255), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('sessions', sa.Integer(), nullable=False),
    sa.Column('min_attendance_percent', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_training_classes_course_id_courses')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_classes_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_training_classes_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_classes'))
    )
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_classes_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_training_classes_unit_id'), ['unit_id'], unique=False)

    op.create_table('class_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('class_id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('sessions_attended', sa.Integer(), nullable=True),
    sa.Column('score', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('result', sa.String(length=16), nullable=True),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['class_id'], ['training_classes.id'], name=op.f('fk_class_members_class_id_training_classes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['completion_id'], ['completions.id'], name=op.f('fk_class_members_completion_id_completions')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_class_members_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_class_members')),
    sa.UniqueConstraint('class_id', 'official_id', name=op.f('uq_class_members_class_id_official_id'))
    )
    with op.batch_alter_table('class_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_class_members_class_id'), ['class_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_class_members_official_id'), ['official_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('earned_on', sa.Date(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('periods', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('source_ref', sa.String(length=64), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_ledger_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['completion_id'], ['completions.id'], name=op.f('fk_ledger_entries_completion_id_completions')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_ledger_entries_course_id_courses')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_ledger_entries_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_ledger_entries_official_id_officials')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_entries.id'], name=op.f('fk_ledger_entries_reverses_id_ledger_entries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('official_id', 'seq', name=op.f('uq_ledger_entries_official_id_seq'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_ledger_entries_cycle_official', ['cycle_id', 'official_id'], unique=False)

    op.create_table('obligations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_reason', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['completion_id'], ['completions.id'], name=op.f('fk_obligations_completion_id_completions')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_obligations_course_id_courses')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_obligations_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_obligations_official_id_officials')),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_obligations_position_id_positions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_obligations')),
    sa.UniqueConstraint('official_id', 'cycle_id', 'course_id', 'kind', name=op.f('uq_obligations_official_id_cycle_id_course_id_kind'))
    )
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_obligations_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_obligations_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index('ix_obligations_official_cycle_status', ['official_id', 'cycle_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('obligations', schema=None) as batch_op:
        batch_op.drop_index('ix_obligations_official_cycle_status')
        batch_op.drop_index(batch_op.f('ix_obligations_cycle_id'))
        batch_op.drop_index(batch_op.f('ix_obligations_course_id'))

    op.drop_table('obligations')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_cycle_official')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_course_id'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('class_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_class_members_official_id'))
        batch_op.drop_index(batch_op.f('ix_class_members_class_id'))

    op.drop_table('class_members')
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_classes_unit_id'))
        batch_op.drop_index(batch_op.f('ix_training_classes_course_id'))

    op.drop_table('training_classes')
    with op.batch_alter_table('external_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_records_status'))
        batch_op.drop_index(batch_op.f('ix_external_records_official_id'))

    op.drop_table('external_records')
    with op.batch_alter_table('cycle_closures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cycle_closures_cycle_id'))

    op.drop_table('cycle_closures')
    with op.batch_alter_table('curriculum_courses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curriculum_courses_course_id'))

    op.drop_table('curriculum_courses')
    with op.batch_alter_table('completions', schema=None) as batch_op:
        batch_op.drop_index('ix_completions_official_course')
        batch_op.drop_index(batch_op.f('ix_completions_course_id'))

    op.drop_table('completions')
    with op.batch_alter_table('official_targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_targets_cycle_id'))

    op.drop_table('official_targets')
    with op.batch_alter_table('curricula', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curricula_position_id'))

    op.drop_table('curricula')
    op.drop_table('cycles')
