"""The team page's figures: each of a head's officials with their target, credits earned,
mandatory courses owed and due dates, compliance status (lms.compliance.queries' SQL, the same
figures as the dashboard) and what awaits the head's decision. A fixed number of queries,
whatever the size of the team (tests/web/test_teams_page.py counts them)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_login import current_user
from sqlalchemy import select

from lms.auth.models import HEAD
from lms.auth.scope import Scope
from lms.common import clock, vntext
from lms.compliance import queries as compliance
from lms.compliance.programme_counts import open_programmes
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations.models import OPEN
from lms.curricula.obligations.queries import mandatory_courses
from lms.extensions import db
from lms.organisation.models import Official, Position

# Who waits for the head: providers registered by the parts of teams that create such work
# (external training awaiting the head, …), each official_ids → {official id: count}.
AWAITING: dict[str, Callable[[list[int]], dict[int, int]]] = {}


@dataclass(frozen=True)
class TeamFilters:
    """The team page's filters (empty = all): status, job position, name or code."""

    status: str = ""
    position_code: str = ""
    q: str = ""

    @classmethod
    def from_args(cls, args) -> "TeamFilters":
        def one(name: str, most: int = 32) -> str:
            return (args.get(name, "", type=str) or "").strip()[:most]

        return cls(one("status"), one("position"), one("q", 100))

    def args(self, cycle: Cycle | None) -> dict:
        """The query-string arguments that reproduce these filters."""
        values = {"status": self.status, "position": self.position_code, "q": self.q}
        found = {name: value for name, value in values.items() if value}
        return ({"cycle": cycle.year} if cycle else {}) | found


def head_scope(user=None) -> Scope:
    """The units a head covers (their `head` grants), without their own record."""
    return Scope.of(user or current_user, HEAD)


def as_of_for(cycle: Cycle) -> date:
    """The day a cycle's figures are read on: today, or its last day once it is over."""
    today = clock.today()
    return min(today, cycle.ends_on) if today >= cycle.starts_on else today


def team_subquery(cycle: Cycle, as_of: date, scope: Scope, own_id: int | None, filters):
    """The standing rows of the officials in the head's units, the head excepted, narrowed by
    the filters, as a subquery."""
    stmt = compliance.standing_select(cycle, as_of, scope.path_list)
    if own_id is not None:
        stmt = stmt.where(Official.id != own_id)
    if filters.position_code:
        stmt = stmt.where(Position.code == filters.position_code)
    q = vntext.normalize(filters.q) or ""
    if q:
        key = vntext.search_key(q)
        stmt = stmt.where(
            Official.search_name.contains(key, autoescape=True)
            | (Official.employee_code == q.upper())
        )
    sub = stmt.where(Official.status.not_in(("retired", "left"))).subquery("team")
    if filters.status:
        return select(sub).where(sub.c.status == filters.status).subquery("team_f")
    return sub


def team_rows(cycle: Cycle, as_of: date, scope: Scope, own_id: int | None, filters) -> list:
    """The team's rows sorted by given name (the stored Vietnamese sort key), each with its
    open mandatory courses (`owed`), the programmes whose certificate it still owes
    (`owed_programmes`) and the count of what awaits the head (`awaiting`)."""
    sub = team_subquery(cycle, as_of, scope, own_id, filters)
    rows = db.session.execute(select(sub).order_by(sub.c.sort_name, sub.c.official_id)).all()
    ids = [row.official_id for row in rows]
    courses = mandatory_courses(ids, cycle.id) if ids else {}
    programmes = open_programmes(ids, cycle, as_of)
    awaiting: dict[int, int] = {}
    for provider in AWAITING.values():
        for official_id, count in (provider(ids) if ids else {}).items():
            awaiting[official_id] = awaiting.get(official_id, 0) + count
    return [
        TeamRow(
            row,
            [c for c in courses.get(row.official_id, []) if c.status == OPEN],
            programmes.get(row.official_id, []),
            awaiting.get(row.official_id, 0),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class TeamRow:
    """One official of the team: the standing row, the open mandatory courses, the programmes
    owed, the count of what awaits the head."""

    row: object
    owed: list
    owed_programmes: list
    awaiting: int

    def __getattr__(self, name):
        return getattr(self.row, name)


def positions() -> list[Position]:
    """Every job position, by code (the position filter's choices)."""
    return list(db.session.scalars(select(Position).order_by(Position.code)))
