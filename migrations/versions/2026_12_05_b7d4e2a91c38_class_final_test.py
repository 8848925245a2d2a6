"""An in-person class may name its final test, an online test of the assessments engine
(`training_classes.final_quiz_id`, issue 24). Existing classes keep NULL: no final test.
Downgrade drops the column.

Revision ID: b7d4e2a91c38
Revises: 4cbbafae4ce7
Create Date: 2026-12-05 15:25:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d4e2a91c38'
down_revision = '4cbbafae4ce7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_quiz_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_training_classes_final_quiz_id'), ['final_quiz_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_training_classes_final_quiz_id_quizzes'),
            'quizzes',
            ['final_quiz_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('training_classes', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_training_classes_final_quiz_id_quizzes'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_training_classes_final_quiz_id'))
        batch_op.drop_column('final_quiz_id')
