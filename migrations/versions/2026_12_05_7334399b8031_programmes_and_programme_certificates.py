"""Programmes (course sets on a certification and a recertification path), the positions and
ranks requiring them, and programme certificates (chứng chỉ), one row per certification period.

Revision ID: 7334399b8031
Revises: 0fd5b1320bc5
Create Date: 2026-12-05 07:16:00.012770

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7334399b8031'
down_revision = '0fd5b1320bc5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('title_en', sa.String(length=255), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('content_area', sa.String(length=8), nullable=False),
    sa.Column('periods', sa.Integer(), nullable=False),
    sa.Column('credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('validity_months', sa.Integer(), nullable=True),
    sa.Column('ordered', sa.Boolean(), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['org_units.id'], name=op.f('fk_programmes_owner_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('code', name=op.f('uq_programmes_code'))
    )
    op.create_table('programme_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('serial', sa.String(length=64), nullable=True),
    sa.Column('verification_code', sa.String(length=64), nullable=True),
    sa.Column('original_number', sa.String(length=64), nullable=True),
    sa.Column('issuer_code', sa.String(length=32), nullable=False),
    sa.Column('holder_name', sa.String(length=255), nullable=False),
    sa.Column('holder_birth_date', sa.Date(), nullable=True),
    sa.Column('holder_unit', sa.String(length=255), nullable=False),
    sa.Column('programme_code', sa.String(length=32), nullable=False),
    sa.Column('programme_title', sa.String(length=255), nullable=False),
    sa.Column('periods', sa.Integer(), nullable=False),
    sa.Column('credits', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('courses', sa.JSON(), nullable=False),
    sa.Column('issuer_name', sa.String(length=255), nullable=False),
    sa.Column('issuer_parent', sa.String(length=255), nullable=False),
    sa.Column('place', sa.String(length=64), nullable=False),
    sa.Column('signer_title', sa.String(length=255), nullable=False),
    sa.Column('signer_name', sa.String(length=255), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=32), nullable=True),
    sa.Column('revoked_note', sa.Text(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_programme_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_programme_certificates_official_id_officials')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_certificates_programme_id_programmes')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_programme_certificates_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_certificates')),
    sa.UniqueConstraint('serial', name=op.f('uq_programme_certificates_serial')),
    sa.UniqueConstraint('verification_code', name=op.f('uq_programme_certificates_verification_code'))
    )
    with op.batch_alter_table('programme_certificates', schema=None) as batch_op:
        batch_op.create_index('ix_programme_certificates_holder', ['official_id', 'programme_id', 'completed_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_certificates_official_id'), ['official_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_certificates_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_requirements',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_requirements_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'kind', 'code', name=op.f('pk_programme_requirements'))
    )
    with op.batch_alter_table('programme_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_requirements_code'), ['code'], unique=False)

    op.create_table('programme_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('min_credits', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('course_codes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_sets_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_sets'))
    )
    with op.batch_alter_table('programme_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_sets_programme_id'), ['programme_id'], unique=False)



def downgrade():
    with op.batch_alter_table('programme_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_sets_programme_id'))

    op.drop_table('programme_sets')
    with op.batch_alter_table('programme_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_requirements_code'))

    op.drop_table('programme_requirements')
    with op.batch_alter_table('programme_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_certificates_programme_id'))
        batch_op.drop_index(batch_op.f('ix_programme_certificates_official_id'))
        batch_op.drop_index('ix_programme_certificates_holder')

    op.drop_table('programme_certificates')
    op.drop_table('programmes')
