"""Programme rules with no Flask and no database: which course sets an official has done from
their course completions, what is next, when the programme was completed, which path applies
(first certification or renewal) and the status of a programme requirement on a day.

The validity rule: a course completion counts when it was completed on or before the day judged
and is still valid that day (not expired: a completion expiring on day D is valid on D); on the
renewal path only completions from the opening of the renewal window count (RENEWAL_WINDOW_MONTHS
before the chứng chỉ's expiry, Totara's "recertification window"). With `ordered`, a set counts
only courses completed on or after the day the set before it was done."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lms.curricula.rules.dates import add_months

ALL, ANY, CREDITS = "all", "any", "credits"
CERTIFICATION, RECERTIFICATION = "certification", "recertification"
RENEWAL_WINDOW_MONTHS = 6
# The status of a programme requirement on a day.
HELD, RENEW, MISSING = "held", "renew", "missing"


@dataclass(frozen=True)
class CourseDone:
    """One valid (not revoked) course completion of the official."""

    code: str
    completed_on: date
    expires_on: date | None
    credits: Decimal = Decimal(0)


@dataclass(frozen=True)
class SetSpec:
    """A course set of a programme: done with all its courses, `count` of them (rule "any") or
    `min_credits` from them (rule "credits"). The rules judge it; programme.toml holds it
    (lms.programmes.files.SetBundle)."""

    title: str
    rule: str
    courses: tuple[str, ...]
    count: int | None = None
    min_credits: Decimal | None = None


@dataclass(frozen=True)
class SetProgress:
    title: str
    rule: str
    done_on: date | None  # None: not done
    counted: tuple[str, ...]  # the course codes that count towards it
    remaining: tuple[str, ...]  # the set's courses not done yet

    @property
    def done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class Progress:
    path: str
    sets: tuple[SetProgress, ...]

    @property
    def completed_on(self) -> date | None:
        """The day the last set was done, when every set is done."""
        if not self.sets or not all(s.done for s in self.sets):
            return None
        return max(s.done_on for s in self.sets)

    @property
    def next_set(self) -> SetProgress | None:
        return next((s for s in self.sets if not s.done), None)

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.sets if s.done)


@dataclass(frozen=True)
class Held:
    """A chứng chỉ of the official's history (not revoked), as the rules see it."""

    completed_on: date
    expires_on: date | None


def counts(done: CourseDone, as_of: date, since: date | None) -> bool:
    """Whether a course completion counts on `as_of` (see the module's validity rule)."""
    if done.completed_on > as_of or (since is not None and done.completed_on < since):
        return False
    return done.expires_on is None or done.expires_on >= as_of


def _set_progress(spec: SetSpec, usable: dict[str, CourseDone], after: date | None) -> SetProgress:
    first = {}
    for code in spec.courses:
        item = usable.get(code)
        if item is not None and (after is None or item.completed_on >= after):
            first[code] = item
    ordered = sorted(first.values(), key=lambda d: (d.completed_on, d.code))
    done_on = None
    if spec.rule == ALL and len(first) == len(spec.courses):
        done_on = ordered[-1].completed_on if ordered else None
    elif spec.rule == ANY and len(ordered) >= (spec.count or 1):
        done_on = ordered[(spec.count or 1) - 1].completed_on
    elif spec.rule == CREDITS:
        total = Decimal(0)
        for item in ordered:
            total += item.credits
            if total >= (spec.min_credits or Decimal(0)):
                done_on = item.completed_on
                break
    counted = tuple(code for code in spec.courses if code in first)
    remaining = tuple(code for code in spec.courses if code not in first)
    return SetProgress(spec.title, spec.rule, done_on, counted, remaining)


def progress(
    path: str,
    sets: list[SetSpec],
    completions: list[CourseDone],
    as_of: date,
    since: date | None = None,
    ordered: bool = False,
) -> Progress:
    """The official's progress through a path's sets on `as_of`.

    Each course counts by its earliest completion that counts (`counts`); a set is done on the
    day its rule was first met; with `ordered`, a set waits for the one before it.
    """
    usable: dict[str, CourseDone] = {}
    for item in sorted(completions, key=lambda d: d.completed_on):
        if counts(item, as_of, since) and item.code not in usable:
            usable[item.code] = item
    result, after, blocked = [], None, False
    for spec in sets:
        if blocked:
            result.append(SetProgress(spec.title, spec.rule, None, (), tuple(spec.courses)))
            continue
        item = _set_progress(spec, usable, after if ordered else None)
        result.append(item)
        if ordered:
            blocked = not item.done
            after = item.done_on
    return Progress(path, tuple(result))


def expiry(completed_on: date, validity_months: int | None) -> date | None:
    """When a chứng chỉ completed on that day expires (None: never)."""
    return add_months(completed_on, validity_months) if validity_months else None


def current(history: list[Held]) -> Held | None:
    """The latest chứng chỉ of a history (by completion day)."""
    return max(history, key=lambda h: h.completed_on) if history else None


def next_path(history: list[Held]) -> tuple[str, date | None] | None:
    """Which path the official is on, and from which day completions count: the certification
    path (None: any day) before any chứng chỉ; the renewal path from the window's opening once
    one is held; None when the one held never expires (nothing to do)."""
    latest = current(history)
    if latest is None:
        return CERTIFICATION, None
    if latest.expires_on is None:
        return None
    return RECERTIFICATION, add_months(latest.expires_on, -RENEWAL_WINDOW_MONTHS)


def status(history: list[Held], as_of: date) -> tuple[str, date | None]:
    """A programme requirement on `as_of`: (HELD, expiry) while a chứng chỉ is valid — an
    expiry on D is valid on D; (RENEW, the expiry it renews) once the last one has expired;
    (MISSING, None) when none was ever held by that day."""
    held = [h for h in history if h.completed_on <= as_of]
    latest = current(held)
    if latest is None:
        return MISSING, None
    if latest.expires_on is None or latest.expires_on >= as_of:
        return HELD, latest.expires_on
    return RENEW, latest.expires_on
