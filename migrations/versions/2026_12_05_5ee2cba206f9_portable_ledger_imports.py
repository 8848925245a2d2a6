"""Portable training records (issue 27): `ledger_imports`, one row per signed ledger file
imported (issuer, official, the file's digest and the file), and `ledger_imported_origins`, the
original issuer, reference, source kind, course code and recording moment of each imported
entry (ledger source "imported"). Downgrade drops both tables; the imported entries stay in the
append-only ledger (their hash chain must not change) and show their source code "imported".

Revision ID: 5ee2cba206f9
Revises: e76b9646a26b
Create Date: 2026-12-05 11:04:56.307210

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5ee2cba206f9'
down_revision = 'e76b9646a26b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ledger_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('official_id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.String(length=255), nullable=False),
    sa.Column('issuer_name', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('exported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_ledger_imports_actor_id_users')),
    sa.ForeignKeyConstraint(['official_id'], ['officials.id'], name=op.f('fk_ledger_imports_official_id_officials')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_imports')),
    sa.UniqueConstraint('file_sha256', name=op.f('uq_ledger_imports_file_sha256'))
    )
    with op.batch_alter_table('ledger_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_imports_official_id'), ['official_id'], unique=False)

    op.create_table('ledger_imported_origins',
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=False),
    sa.Column('issuer_id', sa.String(length=255), nullable=False),
    sa.Column('issuer_name', sa.String(length=255), nullable=False),
    sa.Column('origin_ref', sa.String(length=64), nullable=False),
    sa.Column('origin_source', sa.String(length=16), nullable=False),
    sa.Column('course_code', sa.String(length=32), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['ledger_entries.id'], name=op.f('fk_ledger_imported_origins_entry_id_ledger_entries')),
    sa.ForeignKeyConstraint(['import_id'], ['ledger_imports.id'], name=op.f('fk_ledger_imported_origins_import_id_ledger_imports')),
    sa.PrimaryKeyConstraint('entry_id', name=op.f('pk_ledger_imported_origins')),
    sa.UniqueConstraint('issuer_id', 'origin_ref', name=op.f('uq_ledger_imported_origins_issuer_id_origin_ref'))
    )
    with op.batch_alter_table('ledger_imported_origins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_imported_origins_import_id'), ['import_id'], unique=False)



def downgrade():
    with op.batch_alter_table('ledger_imported_origins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_imported_origins_import_id'))

    op.drop_table('ledger_imported_origins')
    with op.batch_alter_table('ledger_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_imports_official_id'))

    op.drop_table('ledger_imports')
