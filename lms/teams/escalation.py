"""Escalation to the heads: an official's mandatory course still open some days after its due
date (the unit's `escalation_days`, inherited down the tree; 0 = from the day after) is told to
the heads of the official's unit (notification "team_overdue", once per obligation), and each
head gets one weekly digest listing their officials overdue or at risk (notification
"team_digest", once per ISO week). Both run in the nightly step "team_escalation"
(lms.teams.jobs); the heads' units and settings are read once per run, whatever the number of
officials."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from lms.auth.models import HEAD, RoleGrant, User
from lms.catalog.models import Course
from lms.compliance import queries as compliance
from lms.curricula.obligations.models import Obligation
from lms.curricula.obligations.queries import still_owed
from lms.extensions import db
from lms.jobs import rules as job_rules
from lms.jobs.notifications import already_sent, notify, site_path
from lms.organisation.models import Official, OrgUnit, PositionAssignment
from lms.organisation.queries import is_current_post
from lms.teams import queries, rules
from lms.teams.models import TeamSettings
from lms.teams.team import head_scope

Progress = Callable[[int, int], None]
LOOK_BACK_DAYS = 7  # a missed night is caught up: obligations escalated within the last week


@dataclass(frozen=True)
class Overdue:
    """An open mandatory course of an official past its escalation day."""

    obligation_id: int
    official_id: int
    employee_code: str
    full_name: str
    course_code: str
    course_title: str
    due_on: date


class Heads:
    """Who heads which unit on a day and each unit's escalation days, read once (two queries):
    the heads of an official placed in a unit path, and the escalation days that apply there."""

    def __init__(self, day: date):
        self.by_unit = queries.heads_by_unit(day)
        self.days = dict(
            db.session.execute(select(TeamSettings.unit_id, TeamSettings.escalation_days)).all()
        )
        official_ids = {o for heads in self.by_unit.values() for o in heads}
        self.users = dict(
            db.session.execute(
                select(User.official_id, User.id).where(
                    User.official_id.in_(official_ids or [0]), User.is_enabled
                )
            ).all()
        )

    def escalation_days(self, path: str) -> int:
        return next((self.days[u] for u in rules.path_ids(path) if u in self.days), 0)

    def head_users(self, path: str, official_id: int) -> list[int]:
        _unit, heads = rules.nearest_heads(path, self.by_unit, official_id)
        return sorted(self.users[h] for h in heads if h in self.users)


def _open_overdue(today: date, since: date | None):
    """Open obligations due before `today` (and, with `since`, on or after it), met by no
    completion, in no frozen statement, of officials placed somewhere: rows with the
    official's current unit path."""
    frozen = compliance.statement_frozen()
    stmt = (
        still_owed(
            Obligation.id,
            Obligation.official_id,
            Official.employee_code,
            Official.full_name,
            Course.code,
            Course.title,
            Obligation.due_on,
            OrgUnit.path,
        )
        .join(Official, Official.id == Obligation.official_id)
        .join(
            PositionAssignment,
            (PositionAssignment.official_id == Official.id) & is_current_post(),
        )
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(
            Obligation.due_on < today,
            Official.status == "active",
            ~frozen,
        )
        .order_by(Official.sort_name, Official.id, Obligation.due_on)
    )
    if since is not None:
        stmt = stmt.where(Obligation.due_on >= since)
    return db.session.execute(stmt).all()


def send_overdue_notices(today: date, heads: Heads | None = None) -> int:
    """Tell the heads of each official whose open mandatory course reached its escalation day
    (within the last LOOK_BACK_DAYS days), once per obligation. Returns how many were sent."""
    heads = heads or Heads(today)
    longest = max(heads.days.values(), default=0)
    since = today - timedelta(days=1 + longest + LOOK_BACK_DAYS)
    sent = 0
    for row in _open_overdue(today, since):
        obligation_id, official_id, code, name, course_code, title, due_on, path = row
        first = rules.escalates_on(due_on, heads.escalation_days(path))
        if not first <= today < first + timedelta(days=LOOK_BACK_DAYS + 1):
            continue
        for user_id in heads.head_users(path, official_id):
            key = f"obligation:{obligation_id}"
            if (user_id, "team_overdue", key) in already_sent([(user_id, "team_overdue", key)]):
                continue
            context = {
                "official": name,
                "employee_code": code,
                "course_code": course_code,
                "course_title": title,
                "due_on": due_on,
                "link": site_path("teams.member", employee_code=code),
            }
            if notify(user_id, "team_overdue", key, context):
                sent += 1
    return sent


def digest_for(user: User, today: date, heads: Heads) -> dict:
    """What a head's digest lists: their officials with an escalated overdue course (with the
    courses) and those at risk (the compliance status), by given name."""
    scope = head_scope(user)
    overdue: dict[int, dict] = {}
    for row in _open_overdue(today, None):
        obligation_id, official_id, code, name, course_code, title, due_on, path = row
        if official_id == user.official_id or not scope.covers_unit(path):
            continue
        if not rules.is_escalated(due_on, heads.escalation_days(path), today):
            continue
        entry = overdue.setdefault(official_id, {"name": name, "code": code, "courses": []})
        entry["courses"].append(f"{course_code} {title} ({due_on.strftime('%d/%m/%Y')})")
    at_risk = []
    cycle = compliance.cycle_by_year(None)
    if cycle is not None and scope.paths:
        as_of = min(today, cycle.ends_on)
        sub = compliance.standing_select(cycle, as_of, scope.path_list).subquery()
        for row in db.session.execute(
            select(sub.c.official_id, sub.c.full_name, sub.c.employee_code)
            .where(sub.c.status == "at_risk", sub.c.official_id != (user.official_id or 0))
            .order_by(sub.c.sort_name, sub.c.official_id)
        ):
            if row.official_id not in overdue:
                at_risk.append({"name": row.full_name, "code": row.employee_code})
    return {"overdue": list(overdue.values()), "at_risk": at_risk}


def send_team_digests(today: date, progress: Progress, heads: Heads | None = None) -> int:
    """One digest per head (enabled account holding the role), once per ISO week, when they
    have officials overdue or at risk. Returns how many were sent."""
    heads = heads or Heads(today)
    week, _start, _end = job_rules.digest_week(today)

    user_ids = list(
        db.session.scalars(
            select(User.id)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == HEAD, User.is_enabled)
            .distinct()
            .order_by(User.id)
        )
    )
    sent = 0
    for index, user_id in enumerate(user_ids, 1):
        wanted = (user_id, "team_digest", week)
        if wanted not in already_sent([wanted]):
            user = db.session.get(User, user_id)
            found = digest_for(user, today, heads)
            if found["overdue"] or found["at_risk"]:
                context = {
                    "overdue_officials": found["overdue"],
                    "at_risk_officials": found["at_risk"],
                    "week": week,
                    "link": site_path("teams.team_page"),
                }
                if notify(user_id, "team_digest", week, context):
                    sent += 1
        progress(index, len(user_ids))
    return sent
