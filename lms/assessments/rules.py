"""Pure rules of a test (no Flask, no database): what a learner's review shows at which moment
(Moodle's quiz review options), and when a learner may start again (the delay between
attempts, the test window, per-official overrides), and when a course's test may be taken
again after a completion (renewal, repeatable courses). Times are naive UTC, as the columns."""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

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


# --- Starting an attempt ----------------------------------------------------------------------
NOT_YET, OPEN, CLOSED = "not_yet", "open", "closed"


def window_state(now: datetime, opens_at: datetime | None, closes_at: datetime | None) -> str:
    """Whether the test's window is not open yet, open, or closed at `now`: open from
    `opens_at` (included) until `closes_at` (excluded); a missing bound does not limit."""
    if opens_at is not None and now < opens_at:
        return NOT_YET
    if closes_at is not None and now >= closes_at:
        return CLOSED
    return OPEN


def reopens_at(
    last_submitted_at: datetime | None, last_passed: bool | None, delay_minutes: int
) -> datetime | None:
    """When a learner may start again after their last attempt (None: no wait). The delay
    follows an attempt that did not pass (failed, or still waiting for a grader)."""
    if not delay_minutes or last_submitted_at is None or last_passed:
        return None
    return last_submitted_at + timedelta(minutes=delay_minutes)


def allowed_attempts(max_attempts: int, extra_attempts: int) -> int:
    """Attempts an official may make (0: unlimited): the test's, plus their extra ones."""
    return max_attempts + max(extra_attempts, 0) if max_attempts else 0


def retake_opens_on(
    completed_on: date,
    expires_on: date | None,
    repeatable: bool,
    window_days: int,
    cycle_ends_on: date,
) -> date | None:
    """The day a new window to take a course's test again opens after a completion (Totara's
    recertification window), or None when it never does (a course done once is done).

    A completion that expires opens it `window_days` before its expiry (the renewal window of
    DESIGN.md §3, when the recertification obligation arises); one of a repeatable course opens
    it on the first day of the next cycle (its credits can be earned again there). The earlier
    of the two; never before the day after the completion itself."""
    days = []
    if expires_on is not None:
        days.append(expires_on - timedelta(days=window_days))
    if repeatable:
        days.append(cycle_ends_on + timedelta(days=1))
    if not days:
        return None
    return max(min(days), completed_on + timedelta(days=1))


def window_opened_on(openings: Iterable[date | None], today: date) -> date | None:
    """The day the official's current window opened: the latest opening (retake_opens_on of
    each of their completions) on or before today; None for the first window, which has
    been open since the beginning. Attempts and the online completion count per window."""
    return max((day for day in openings if day is not None and day <= today), default=None)


def later_close(closes_at: datetime | None, override: datetime | None) -> datetime | None:
    """The close for an official: their own later close, if any, else the test's. An override
    never closes the test earlier, and a test without a close stays without one."""
    if closes_at is None or override is None:
        return closes_at
    return max(closes_at, override)


# --- The bank behind a test -------------------------------------------------------------------
DRAWS_MOST, BANK_TOO_SMALL = "draws_most", "bank_too_small"


def bank_warnings(bank_size: int, per_attempt: int, max_attempts: int) -> list[str]:
    """What a manager should know about a test's bank: an attempt draws more than half of it
    (DRAWS_MOST), or it is smaller than questions × attempts (BANK_TOO_SMALL: retries must
    repeat questions). `per_attempt` is what one attempt draws (capped by the bank)."""
    if bank_size <= 0:
        return []
    warnings = []
    if per_attempt * 2 > bank_size:
        warnings.append(DRAWS_MOST)
    if max_attempts > 1 and bank_size < per_attempt * max_attempts:
        warnings.append(BANK_TOO_SMALL)
    return warnings


# --- Item quality (the statistics page) ---------------------------------------------------------
NEGATIVE_DISCRIMINATION, TOO_EASY, TOO_HARD = "negative_discrimination", "too_easy", "too_hard"
FACILITY_LOW, FACILITY_HIGH = 5.0, 95.0  # Moodle's guidance: outside 5–95 % a question tells little


def item_flags(facility: float | None, discrimination: float | None) -> list[str]:
    """What deserves a look in a question's statistics: a negative discrimination (stronger
    learners do worse on it: often a wrong key) and an extreme facility (almost everyone right,
    or almost everyone wrong)."""
    flags = []
    if discrimination is not None and discrimination < 0:
        flags.append(NEGATIVE_DISCRIMINATION)
    if facility is not None and facility > FACILITY_HIGH:
        flags.append(TOO_EASY)
    if facility is not None and facility < FACILITY_LOW:
        flags.append(TOO_HARD)
    return flags
