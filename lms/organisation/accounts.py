"""Accounts for every official: find the active officials of a selection who have none, create
their accounts (username = the lower-case employee code) with one-time activation links in the
caller's transaction, re-issue the links of accounts never activated, and list the links still
valid for letters and the CSV. Every query is scoped in SQL; services flush, never commit."""

from dataclasses import dataclass, field
from datetime import date

from flask import current_app, has_request_context, request
from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from lms.audit.services import record, record_many
from lms.auth import activation
from lms.auth import activation_rules as rules
from lms.auth.models import UNUSABLE_PASSWORD, AccountActivation, ProvisioningRun, User
from lms.auth.scope import Scope
from lms.common import clock
from lms.common.tabular import iter_chunks
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official, OrgUnit
from lms.organisation.queries import CurrentUnit, registry_select

USERNAME_TAKEN = "username_taken"


@dataclass(frozen=True)
class Selection:
    """Which officials a run or a list covers: the viewer's scope (unit paths; None = all),
    optionally one unit's subtree and optionally only some officials (an import's rows)."""

    scope: Scope | list[str] | None
    unit: OrgUnit | None = None
    official_ids: list[int] | None = field(default=None, hash=False)

    def statements(self, stmt: Select) -> list[Select]:
        """`stmt` (built on registry_select) narrowed to the selection: one statement, or one
        per chunk of official ids."""
        if self.unit is not None:
            stmt = stmt.where(CurrentUnit.path.startswith(self.unit.path, autoescape=True))
        if self.official_ids is None:
            return [stmt]
        return [stmt.where(Official.id.in_(c)) for c in iter_chunks(self.official_ids, 900)]


@dataclass(frozen=True)
class Letter:
    """One official's activation letter (and CSV line)."""

    employee_code: str
    full_name: str
    gender: str
    unit_name: str
    username: str
    url: str
    valid_until: date


def site_address() -> str:
    """Where officials reach the site, for the links of a run: LMS_PUBLIC_BASE_URL, else the
    address of the current request, else LMS_BASE_URL (the address used in mail)."""
    from lms.jobs.notifications import absolute_url

    configured = current_app.config.get("LMS_PUBLIC_BASE_URL") or ""
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return absolute_url("").rstrip("/")


def _has_account():
    return exists().where(User.official_id == Official.id)


def _without_account(selection: Selection) -> list[Select]:
    stmt = (
        registry_select(selection.scope)
        .with_only_columns(Official.id, Official.employee_code, Official.full_name)
        .where(Official.status == "active", ~_has_account())
        .order_by(Official.employee_code)
    )
    return selection.statements(stmt)


def _awaiting(selection: Selection) -> list[Select]:
    """User ids of the accounts in the selection never activated (and not disabled)."""
    stmt = (
        registry_select(selection.scope)
        .join(User, User.official_id == Official.id)
        .with_only_columns(User.id)
        .where(
            Official.status == "active",
            User.is_enabled.is_(True),
            User.password_hash == UNUSABLE_PASSWORD,
        )
    )
    return selection.statements(stmt)


def provision(
    selection: Selection,
    actor,
    source: str,
    base_url: str,
    create: bool = True,
    reissue: bool = False,
) -> ProvisioningRun:
    """One run: create the accounts the selection's active officials lack (`create`) and give
    the accounts never activated new links, the old ones becoming invalid (`reissue`). An
    official whose username someone else holds is reported in `run.problems` and skipped.
    Audited (`accounts.provisioned`, one `user.created` or `user.activation_reissued` each).
    Raises RuleViolation when another run created the same accounts at the same moment (the
    caller rolls back: nothing is written)."""
    unit_id = selection.unit.id if selection.unit is not None else None
    run = activation.start_run(actor, source, base_url, unit_id)
    problems: list[dict] = []
    try:
        if create:
            new_ids = _create(selection, run, actor, problems)
            run.created = activation.issue(new_ids, run)
        if reissue:
            awaiting = [uid for stmt in _awaiting(selection) for uid in db.session.scalars(stmt)]
            awaiting = sorted(set(awaiting) - set(new_ids if create else []))
            run.reissued = activation.issue(awaiting, run)
            record_many(
                actor, "user.activation_reissued", "user", [(u, {"run": run.id}) for u in awaiting]
            )
        run.problems = problems
        db.session.flush()
    except IntegrityError:
        raise RuleViolation(
            _(
                "Accounts for the same officials were being created at the same moment; "
                "nothing was written. Try again."
            ),
            "concurrent_provisioning",
        ) from None
    summary = {"unit": selection.unit.code if selection.unit else None, "source": source}
    summary |= {"created": run.created, "reissued": run.reissued, "problems": len(problems)}
    record(actor, "accounts.provisioned", "provisioning_run", run.id, after=summary)
    return run


def _create(selection: Selection, run: ProvisioningRun, actor, problems: list) -> list[int]:
    """Create the missing accounts; the officials whose username is taken go to `problems`."""
    officials = [row for stmt in _without_account(selection) for row in db.session.execute(stmt)]
    wanted = {rules.username_for(code) for _id, code, _name in officials}
    taken = set()
    for chunk in iter_chunks(sorted(wanted), 900):
        taken |= set(db.session.scalars(select(User.username).where(User.username.in_(chunk))))
    accounts = []
    for official_id, code, name in officials:
        username = rules.username_for(code)
        if username in taken or not username:
            problem = {"employee_code": code, "full_name": name, "username": username}
            problems.append({**problem, "reason": USERNAME_TAKEN})
            continue
        taken.add(username)
        accounts.append(activation.AwaitingAccount(username, name, official_id, code))
    return activation.create_awaiting(accounts, run, actor)


def counts(selection: Selection) -> dict[str, int]:
    """What the accounts screen shows for a selection: active officials without an account,
    accounts waiting for activation with a valid link, with an expired (or no) link, and
    active accounts. Three queries whatever the number of officials."""
    without = sum(
        db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        for stmt in _without_account(selection)
    )
    today = clock.today()
    open_link = and_(
        AccountActivation.user_id == User.id,
        AccountActivation.used_at.is_(None),
        AccountActivation.revoked_at.is_(None),
    )
    awaiting = User.password_hash == UNUSABLE_PASSWORD
    valid = and_(awaiting, AccountActivation.valid_until >= today)
    lapsed = or_(AccountActivation.id.is_(None), AccountActivation.valid_until < today)
    stmt = (
        registry_select(selection.scope)
        .join(User, User.official_id == Official.id)
        .outerjoin(AccountActivation, open_link)
        .where(Official.status == "active", User.is_enabled.is_(True))
        .with_only_columns(
            func.count(case((valid, 1))),
            func.count(case((and_(awaiting, lapsed), 1))),
            func.count(case((~awaiting, 1))),
        )
    )
    totals = [0, 0, 0]
    for part in selection.statements(stmt):
        totals = [a + (b or 0) for a, b in zip(totals, db.session.execute(part).one(), strict=True)]
    return {"without": without, "valid": totals[0], "expired": totals[1], "active": totals[2]}


def _letters_select(selection: Selection, run_id: int | None) -> list[Select]:
    stmt = (
        registry_select(selection.scope)
        .join(User, User.official_id == Official.id)
        .join(
            AccountActivation,
            and_(
                AccountActivation.user_id == User.id,
                AccountActivation.used_at.is_(None),
                AccountActivation.revoked_at.is_(None),
            ),
        )
        .join(ProvisioningRun, ProvisioningRun.id == AccountActivation.run_id)
        .where(
            Official.status == "active",
            User.is_enabled.is_(True),
            User.password_hash == UNUSABLE_PASSWORD,
            AccountActivation.valid_until >= clock.today(),
        )
    )
    if run_id is not None:
        stmt = stmt.where(AccountActivation.run_id == run_id)
    return selection.statements(stmt)


def letter_count(selection: Selection, run_id: int | None = None) -> int:
    """How many letters (valid links of accounts never activated) the selection has."""
    return sum(
        db.session.scalar(select(func.count()).select_from(s.order_by(None).subquery()))
        for s in _letters_select(selection, run_id)
    )


def letters_by_unit(selection: Selection, run_id: int | None = None) -> list[tuple]:
    """(unit code, unit name, number of letters) for each unit with letters, in tree order."""
    found: dict = {}
    for stmt in _letters_select(selection, run_id):
        grouped = stmt.with_only_columns(
            CurrentUnit.path, CurrentUnit.code, CurrentUnit.name, func.count()
        ).group_by(CurrentUnit.path, CurrentUnit.code, CurrentUnit.name)
        for path, code, name, number in db.session.execute(grouped):
            key = (path or "", code or "", name or "")
            found[key] = found.get(key, 0) + number
    return [(code, name, n) for (_path, code, name), n in sorted(found.items())]


def letters(selection: Selection, run_id: int | None = None) -> tuple[list[Letter], int]:
    """The letters of the selection (of one run when `run_id`), by unit then name, and how
    many links could not be made again (SECRET_KEY changed since: re-issue them)."""
    found, lost = [], 0
    for stmt in _letters_select(selection, run_id):
        rows = db.session.execute(
            stmt.with_only_columns(
                Official.employee_code,
                Official.full_name,
                Official.gender,
                CurrentUnit.name,
                User.username,
                AccountActivation,
                ProvisioningRun.base_url,
            ).order_by(CurrentUnit.path, Official.sort_name, Official.id)
        )
        for code, name, gender, unit_name, username, link, base_url in rows:
            token = activation.link_token(link)
            if token is None:
                lost += 1
                continue
            url = activation.link_url(base_url, token)
            found.append(
                Letter(code, name, gender, unit_name or "", username, url, link.valid_until)
            )
    return found, lost
