"""Taking a course's test again: the windows of an official's online test (Totara's
recertification). The first window is open from the beginning; each completion of the course
(any source, not revoked) opens a new one on `rules.retake_opens_on` — in the renewal window
before its certificate expires, or on the first day of the next cycle for a repeatable course.
Attempts are counted, and the online completion is looked for, in the current window only;
earlier attempts and completions stay as they were (history), and the old certificate stays
valid until its own expiry. Credits follow `rules.earns_credits` in `record_completion`: a
renewal earns nothing, a repeatable course once in each cycle. Read-only; no new table."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from lms.assessments import rules
from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.completions.models import Completion
from lms.curricula.cycles.models import Cycle
from lms.extensions import db
from lms.i18n import _

DEFAULT_WINDOW_DAYS = 60  # Cycle.renewal_window_days's default, when no cycle covers the day


@dataclass(frozen=True)
class Window:
    """The official's current window on a course's test.

    `opened_on`: the day it opened (None: the first window, open since the beginning);
    `again`: a completion came before it — the test is taken again (to renew the certificate,
    or for a repeatable course's credits in a new cycle); `expires_on`: the expiry of the latest
    completion, if it expires; `next_on`: the day the next window opens after the latest
    completion, when that is still to come; `expired`: the latest completion's expiry is past."""

    opened_on: date | None
    again: bool
    expires_on: date | None
    next_on: date | None
    expired: bool = False  # the latest completion expired before today

    @property
    def since(self) -> datetime | None:
        """The first moment of the window as a stored timestamp (naive UTC), or None."""
        return clock.start_of_day(self.opened_on) if self.opened_on else None

    @property
    def renewal(self) -> bool:
        """The test is taken again to renew a certificate (rather than for a new cycle)."""
        return self.again and self.expires_on is not None


def _cycle_on(day: date) -> Cycle | None:
    return db.session.scalar(select(Cycle).where(Cycle.starts_on <= day, Cycle.ends_on >= day))


def _opens_on(course: Course, completion: Completion) -> date | None:
    """rules.retake_opens_on for one completion, with the settings of its cycles: the renewal
    window of the cycle its certificate expires in (else today's), the end of its own cycle
    (else of its calendar year)."""
    expires_on = completion.expires_on
    window_days = DEFAULT_WINDOW_DAYS
    if expires_on is not None:
        cycle = _cycle_on(expires_on) or _cycle_on(clock.today())
        window_days = cycle.renewal_window_days if cycle is not None else DEFAULT_WINDOW_DAYS
    own = _cycle_on(completion.completed_on)
    ends_on = own.ends_on if own is not None else date(completion.completed_on.year, 12, 31)
    return rules.retake_opens_on(
        completion.completed_on, expires_on, bool(course.repeatable), window_days, ends_on
    )


def window(official_id: int, course: Course, today: date | None = None) -> Window:
    """The official's current window on the course's test, as of `today` (default: today)."""
    today = today or clock.today()
    done = list(
        db.session.scalars(
            select(Completion)
            .where(
                Completion.official_id == official_id,
                Completion.course_id == course.id,
                Completion.revoked_at.is_(None),
            )
            .order_by(Completion.completed_on, Completion.id)
        )
    )
    openings = [_opens_on(course, c) for c in done]
    opened_on = rules.window_opened_on(openings, today)
    if not done:
        return Window(None, False, None, None)
    latest, latest_opens = done[-1], openings[-1]
    again = latest_opens is not None and latest_opens <= today
    next_on = latest_opens if latest_opens is not None and latest_opens > today else None
    expired = latest.expires_on is not None and latest.expires_on < today
    return Window(opened_on, again, latest.expires_on, next_on, expired)


def label(current: Window | None) -> str | None:
    """The label of the button or link that takes the test again when a new window is open
    ("Retake to renew", "Retake for this cycle"); None when none is."""
    if current is None or not current.again:
        return None
    return _("Retake to renew") if current.renewal else _("Retake for this cycle")
