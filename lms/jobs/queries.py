"""Reading job runs: the jobs list with its filters (kind, state, dates and, for
administrators, who started the run), newest first."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select

from lms.auth.models import User
from lms.common import clock
from lms.jobs.models import RUN_STATUSES, JobRun


@dataclass(frozen=True)
class RunFilters:
    """The jobs list's filters; every field optional, unknown values ignored."""

    kind: str = ""
    state: str = ""
    user: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args, kinds, date_from: date | None, date_to: date | None, by_user: bool):
        """The filters of a request; `kinds` are the registered job names; `by_user` allows the
        filter by who started the run (administrators)."""
        kind = (args.get("kind") or "").strip()
        state = (args.get("state") or "").strip()
        return cls(
            kind=kind if kind in kinds else "",
            state=state if state in RUN_STATUSES else "",
            user=(args.get("user") or "").strip()[:64] if by_user else "",
            date_from=date_from,
            date_to=date_to,
        )

    def query_args(self) -> dict:
        """The active filters as query arguments."""
        values = {k: v for k, v in self.__dict__.items() if v}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def runs_select(filters: RunFilters, owner_id: int | None) -> Select:
    """(JobRun, username, display name of who started it) newest first; `owner_id` limits the
    list to that user's runs (None: every run, for administrators)."""
    stmt = select(JobRun, User.username, User.display_name).outerjoin(
        User, User.id == JobRun.user_id
    )
    if owner_id is not None:
        stmt = stmt.where(JobRun.user_id == owner_id)
    if filters.kind:
        stmt = stmt.where(JobRun.name == filters.kind)
    if filters.state:
        stmt = stmt.where(JobRun.status == filters.state)
    if filters.user:
        stmt = stmt.where(
            or_(
                User.username.icontains(filters.user, autoescape=True),
                User.display_name.icontains(filters.user, autoescape=True),
            )
        )
    start, end = clock.day_range(filters.date_from, filters.date_to)
    if start is not None:
        stmt = stmt.where(JobRun.created_at >= start)
    if end is not None:
        stmt = stmt.where(JobRun.created_at < end)
    return stmt.order_by(JobRun.created_at.desc(), JobRun.id.desc())
