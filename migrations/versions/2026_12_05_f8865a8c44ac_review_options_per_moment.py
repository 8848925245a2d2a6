"""Review options per moment: a test's `review` becomes {moment: [parts]} (immediately after
the attempt, later while open, after close or the last attempt), as Moodle's quiz review
options. A saved list (one set for every moment) keeps its score, responses and feedback at
every moment; its right answers move to "after close" only, the fair default

Revision ID: f8865a8c44ac
Revises: 5baa81baa4c1
Create Date: 2026-12-05 07:15:43.520127

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f8865a8c44ac'
down_revision = '5baa81baa4c1'
branch_labels = None
depends_on = None


_PARTS = ("responses", "marks", "score", "answers", "feedback")
_LEGACY = {"score": ("score",), "responses": ("responses", "marks", "feedback"), "answers": ("answers",)}
_MOMENTS = ("immediately", "open", "closed")

quizzes = sa.table("quizzes", sa.column("id", sa.Integer), sa.column("review", sa.JSON))


def _per_moment(old) -> dict:
    chosen = {part for name in (old or ()) for part in _LEGACY.get(name, ())}
    review = {m: [p for p in _PARTS if p in chosen and p != "answers"] for m in _MOMENTS}
    review["closed"] = [p for p in _PARTS if p in chosen]
    return review


def upgrade():
    bind = op.get_bind()
    for quiz_id, review in bind.execute(sa.select(quizzes.c.id, quizzes.c.review)).all():
        if isinstance(review, list) or review is None:
            bind.execute(
                quizzes.update().where(quizzes.c.id == quiz_id).values(review=_per_moment(review))
            )


def downgrade():
    bind = op.get_bind()
    for quiz_id, review in bind.execute(sa.select(quizzes.c.id, quizzes.c.review)).all():
        if isinstance(review, dict):
            shown = set(review.get("immediately") or ()) | set(review.get("closed") or ())
            old = [name for name in ("score", "responses", "answers") if name in shown]
            bind.execute(quizzes.update().where(quizzes.c.id == quiz_id).values(review=old))
