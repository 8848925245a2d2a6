"""Who heads which unit, on a day, and the relation "head of the official's unit".

A unit's heads on a day are (1) the officials whose post there (primary or concurrent) on that
day is one of the head positions of the setting `LMS_HEAD_POSITIONS` — the registry's answer,
so a new Giám đốc or Trưởng phòng needs nothing else — and (2) the officials HR named head of
it over a period that covers the day (`HeadAssignment`: an acting head, a unit whose head post
the registry does not know). Officials who retired or left head nothing.

An official's head (`heads_of`) is a head of the nearest unit up their unit's path that has a
head other than themselves (lms.teams.rules.nearest_heads); a head's team (`team_of`) is every
official placed in the subtree of a unit they head, themselves excepted — the same subtree the
role `head` covers (lms.auth.scope.Scope).
"""

from datetime import date

from flask import current_app
from sqlalchemy import and_, or_, select, union

from lms.auth.models import User
from lms.common import clock
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit, Position, PositionAssignment
from lms.teams import rules
from lms.teams.models import HeadAssignment, TeamSettings

GONE = ("retired", "left")  # officials in these statuses head nothing and are in no team


def head_positions() -> frozenset[str]:
    """The position codes whose holders head the unit of their post (LMS_HEAD_POSITIONS)."""
    return rules.head_position_codes(current_app.config.get("LMS_HEAD_POSITIONS"))


def _holds_on(model, day: date):
    return and_(model.started_on <= day, or_(model.ended_on.is_(None), model.ended_on >= day))


def heads_select(day: date, unit_ids=None):
    """SELECT (unit_id, official_id) of every head on `day` (of the units `unit_ids` only, when
    given): the registry's and HR's, deduplicated."""
    by_post = (
        select(PositionAssignment.unit_id, PositionAssignment.official_id)
        .join(Position, Position.id == PositionAssignment.position_id)
        .join(Official, Official.id == PositionAssignment.official_id)
        .where(
            Position.code.in_(sorted(head_positions()) or [""]),
            _holds_on(PositionAssignment, day),
            Official.status.not_in(GONE),
        )
    )
    by_hr = (
        select(HeadAssignment.unit_id, HeadAssignment.official_id)
        .join(Official, Official.id == HeadAssignment.official_id)
        .where(_holds_on(HeadAssignment, day), Official.status.not_in(GONE))
    )
    if unit_ids is not None:
        ids = list(unit_ids) or [0]
        by_post = by_post.where(PositionAssignment.unit_id.in_(ids))
        by_hr = by_hr.where(HeadAssignment.unit_id.in_(ids))
    return union(by_post, by_hr)


def heads_by_unit(day: date, unit_ids=None) -> dict[int, set[int]]:
    """Unit id → the official ids of its heads on `day` (one query)."""
    found: dict[int, set[int]] = {}
    for unit_id, official_id in db.session.execute(heads_select(day, unit_ids)).all():
        found.setdefault(unit_id, set()).add(official_id)
    return found


def post_on(official_id: int, day: date | None = None) -> PositionAssignment | None:
    """The official's primary post on `day` (today by default), the latest begun if two."""
    day = day or clock.today()
    return db.session.scalar(
        select(PositionAssignment)
        .where(
            PositionAssignment.official_id == official_id,
            PositionAssignment.is_primary.is_(True),
            _holds_on(PositionAssignment, day),
        )
        .order_by(PositionAssignment.started_on.desc(), PositionAssignment.id.desc())
        .limit(1)
    )


def heads_of(official: Official | int, on: date | None = None) -> list[Official]:
    """The heads of the official's unit on `on` (today by default): the heads of the nearest
    unit up the path of their primary post that has a head other than the official — a head's
    own head is the head above. Sorted by given name; [] for an official placed nowhere or
    with no head anywhere above. Three queries."""
    day = on or clock.today()
    official_id = official if isinstance(official, int) else official.id
    post = post_on(official_id, day)
    if post is None:
        return []
    path = post.unit.path
    heads = heads_by_unit(day, rules.path_ids(path))
    _unit_id, ids = rules.nearest_heads(path, heads, official_id)
    return _officials(ids)


def head_users_of(official: Official | int, on: date | None = None) -> list[User]:
    """The enabled accounts of the official's heads (`heads_of`): who is told and who decides."""
    ids = [head.id for head in heads_of(official, on)]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(User).where(User.official_id.in_(ids), User.is_enabled).order_by(User.id)
        )
    )


def is_head_of(user, official: Official | int, on: date | None = None) -> bool:
    """Whether `user` is one of the official's heads (`heads_of`)."""
    own = getattr(user, "official_id", None)
    return own is not None and any(head.id == own for head in heads_of(official, on))


def headed_units(official: Official | int | None, on: date | None = None) -> list[OrgUnit]:
    """The units the official heads on `on` (today by default), by path."""
    if official is None:
        return []
    official_id = official if isinstance(official, int) else official.id
    day = on or clock.today()
    pairs = heads_select(day).subquery()
    return list(
        db.session.scalars(
            select(OrgUnit)
            .join(pairs, pairs.c.unit_id == OrgUnit.id)
            .where(pairs.c.official_id == official_id)
            .order_by(OrgUnit.path)
        )
    )


def _placed_under(paths: list[str], held, *more):
    """Officials (retired and gone left out) whose primary post, `held` as the caller means
    it, lies in the subtrees of `paths`; sorted by given name."""
    in_subtree = or_(*[OrgUnit.path.startswith(path, autoescape=True) for path in paths])
    return (
        select(Official)
        .join(PositionAssignment, PositionAssignment.official_id == Official.id)
        .join(OrgUnit, OrgUnit.id == PositionAssignment.unit_id)
        .where(
            PositionAssignment.is_primary.is_(True),
            held,
            in_subtree,
            *more,
            Official.status.not_in(GONE),
        )
        .order_by(Official.sort_name, Official.id)
    )


def team_of(head, on: date | None = None) -> list[Official]:
    """The officials of a head (a User or an Official) on `on` (today by default): those whose
    primary post on that day lies in the subtree of a unit the head heads, the head excepted
    and those retired or gone left out; sorted by given name (lms.common.vntext)."""
    official_id = getattr(head, "official_id", None) if isinstance(head, User) else head.id
    day = on or clock.today()
    units = headed_units(official_id, day)
    if not units:
        return []
    paths = [unit.path for unit in units]
    stmt = _placed_under(paths, _holds_on(PositionAssignment, day), Official.id != official_id)
    return list(db.session.scalars(stmt.distinct()))


def head_grants_wanted(day: date) -> set[tuple[int, int]]:
    """(user id, unit id) of the `head` grants the registry and HR call for on `day`: one per
    unit the official of an account heads (a disabled account keeps its grant, unusable)."""
    pairs = heads_select(day).subquery()
    return {
        (user_id, unit_id)
        for user_id, unit_id in db.session.execute(
            select(User.id, pairs.c.unit_id).join(pairs, pairs.c.official_id == User.official_id)
        ).all()
    }


def settings_of(unit_id: int) -> TeamSettings:
    """The unit's settings for its head (an unsaved row with the defaults if it has none)."""
    found = db.session.get(TeamSettings, unit_id)
    return found or TeamSettings(unit_id=unit_id, head_approval=False, escalation_days=0)


def settings_for_official(official_id: int, day: date | None = None) -> TeamSettings | None:
    """The settings of the nearest unit up the official's path that has a row (a division
    inherits its department's); None when no unit on the path has one."""
    post = post_on(official_id, day)
    if post is None:
        return None
    ids = rules.path_ids(post.unit.path)
    rows = {
        row.unit_id: row
        for row in db.session.scalars(select(TeamSettings).where(TeamSettings.unit_id.in_(ids)))
    }
    return next((rows[unit_id] for unit_id in ids if unit_id in rows), None)


def _officials(ids) -> list[Official]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Official).where(Official.id.in_(ids)).order_by(Official.sort_name, Official.id)
        )
    )


def officials_in(paths: list[str]) -> list[Official]:
    """The officials whose current primary post lies in the subtrees of `paths`, retired and
    gone left out, sorted by given name (one query): the choices of a nomination."""
    if not paths:
        return []
    return list(db.session.scalars(_placed_under(paths, PositionAssignment.ended_on.is_(None))))


def named_heads(unit_id: int, today: date) -> list[HeadAssignment]:
    """The headships of the unit HR named that are not over before `today` (current and
    future), by start date."""
    return list(
        db.session.scalars(
            select(HeadAssignment)
            .where(
                HeadAssignment.unit_id == unit_id,
                or_(HeadAssignment.ended_on.is_(None), HeadAssignment.ended_on >= today),
            )
            .order_by(HeadAssignment.started_on, HeadAssignment.id)
        )
    )
