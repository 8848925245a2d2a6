"""Pure rules of a test (no Flask, no database): what a learner's review shows at which moment
(Moodle's quiz review options), and when a learner may start again (the delay between
attempts, the test window, per-official overrides). Times are naive UTC, as the columns."""

from datetime import datetime, timedelta

# The parts of a review (Moodle: the attempt, whether correct, marks, right answer, feedback).
RESPONSES, MARKS, SCORE, ANSWERS, FEEDBACK = "responses", "marks", "score", "answers", "feedback"
REVIEW_PARTS = (RESPONSES, MARKS, SCORE, ANSWERS, FEEDBACK)
# The moments of a review (Moodle: immediately after, later while open, after close). "After
# close" also begins when the learner has no attempt left: nothing they see can help them then.
IMMEDIATELY, LATER_OPEN, AFTER_CLOSE = "immediately", "open", "closed"
REVIEW_MOMENTS = (IMMEDIATELY, LATER_OPEN, AFTER_CLOSE)
IMMEDIATE_WINDOW = timedelta(minutes=2)  # Moodle's "immediately after the attempt"
# Fair defaults: the right answers and the feedback (which often gives them away) only once
# the learner cannot try again, so a retry measures competence, not memory of the review.
DEFAULT_REVIEW = {
    IMMEDIATELY: [RESPONSES, MARKS, SCORE],
    LATER_OPEN: [RESPONSES, MARKS, SCORE],
    AFTER_CLOSE: list(REVIEW_PARTS),
}
# Review settings saved before the moments existed: one list, "after submitting".
_LEGACY = {SCORE: (SCORE,), RESPONSES: (RESPONSES, MARKS, FEEDBACK), ANSWERS: (ANSWERS,)}


def default_review() -> dict[str, list[str]]:
    """A fresh copy of the fair defaults."""
    return {moment: list(parts) for moment, parts in DEFAULT_REVIEW.items()}


def normalise_review(review) -> dict[str, list[str]]:
    """The review settings as {moment: [parts]}, in the canonical order; unknown names are
    dropped. A legacy list (one set for every moment) keeps its score, responses and feedback
    at every moment and shows the right answers only after close."""
    if isinstance(review, list | tuple):
        parts = [p for name in review for p in _LEGACY.get(name, ())]
        shown = {
            m: [p for p in REVIEW_PARTS if p in parts and p != ANSWERS] for m in REVIEW_MOMENTS
        }
        shown[AFTER_CLOSE] = [p for p in REVIEW_PARTS if p in parts]
        return shown
    if not isinstance(review, dict):
        return default_review()
    return {m: [p for p in REVIEW_PARTS if p in (review.get(m) or ())] for m in REVIEW_MOMENTS}


def review_moment(
    submitted_at: datetime | None,
    now: datetime,
    closes_at: datetime | None,
    finished: bool,
) -> str:
    """Which review moment `now` is for an attempt submitted at `submitted_at`.

    After close when the test (for this learner) has closed or the learner is `finished` (no
    attempt left and none running); else immediately after for two minutes from the
    submission, then later while open."""
    if finished or (closes_at is not None and now >= closes_at):
        return AFTER_CLOSE
    if submitted_at is not None and now < submitted_at + IMMEDIATE_WINDOW:
        return IMMEDIATELY
    return LATER_OPEN


def review_parts(review, moment: str) -> frozenset[str]:
    """The parts a learner sees at `moment` under the test's settings."""
    return frozenset(normalise_review(review)[moment])
