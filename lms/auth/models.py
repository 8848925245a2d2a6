"""Accounts, role grants with an org-unit scope, login failures kept for throttling, the
sessions ended by logging out, and the one-time activation links of accounts created without a
password (with the runs that made them)."""

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, String, text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.common.labels import Labelled
from lms.extensions import db
from lms.i18n import _l


class Role(Labelled):
    """A role a user holds (`RoleGrant.role`; "official" comes with a linked official record)."""

    OFFICIAL = "official", _l("Official")
    TRAINING_MANAGER = "training_manager", _l("Training manager")
    HR_OFFICER = "hr_officer", _l("HR officer")
    REVIEWER = "reviewer", _l("Reviewer")
    ADMINISTRATOR = "administrator", _l("Administrator")
    # Derived, never granted by hand: lms.teams keeps it in step with who heads which unit.
    HEAD = "head", _l("Head of unit")
    # Never granted by hand either: lms.recruitment gives it to a candidate's own account,
    # which opens the candidate's exam and nothing else of the LMS.
    CANDIDATE = "candidate", _l("Candidate")


OFFICIAL, TRAINING_MANAGER, HR_OFFICER, REVIEWER, ADMINISTRATOR, HEAD, CANDIDATE = Role
# Roles granted explicitly; "official" is implied by a user linked to an official record.
GRANTABLE_ROLES = (TRAINING_MANAGER, HR_OFFICER, REVIEWER, ADMINISTRATOR)
# The password hash of an account created for an official and not activated yet: no password
# matches it (it is no hash at all), and it marks the account as waiting for its activation link.
UNUSABLE_PASSWORD = "!"  # noqa: S105 (a marker, not a password)


class User(UserMixin, db.Model):
    """A login. Invariants: username is lowercase and unique; the password is stored only hashed;
    at most one user per official."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("officials.id"), unique=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    last_login_at: Mapped[datetime | None]
    # When the password was last set by a change or a reset: API tokens made before it no
    # longer authenticate (lms.api.tokens).
    password_changed_at: Mapped[datetime | None]
    # Bumped whenever the user's rights or credentials change: every session that carries an
    # older number is logged out (see get_id and the user loader).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    recovery_codes: Mapped[list | None] = mapped_column(JSON)  # hashes; each used once
    # The TOTP time step (30-second counter) of the last code accepted: a code of that step or
    # an earlier one is refused, so a code overheard or typed twice works once.
    totp_last_step: Mapped[int | None]

    grants: Mapped[list["RoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )
    official = relationship("Official", foreign_keys=[official_id])

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.is_enabled

    @property
    def is_awaiting_activation(self) -> bool:
        """Created with an activation link and no password, and not activated yet."""
        return self.password_hash == UNUSABLE_PASSWORD

    def get_id(self) -> str:
        """Session identity "<id>:<session_version>", so a bumped version ends old sessions."""
        return f"{self.id}:{self.session_version}"

    def roles(self) -> set[str]:
        """Every role the user holds, the implied "official" included."""
        held = {grant.role for grant in self.grants}
        if self.official_id is not None:
            held.add(OFFICIAL)
        return held


class RoleGrant(db.Model):
    """A role held over an org-unit subtree. Invariant: unit_id is NULL only for administrators
    (whose scope is everything); one grant per (user, role, unit)."""

    __tablename__ = "role_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=clock.stamp)

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    unit = relationship("OrgUnit")

    __table_args__ = (db.UniqueConstraint("user_id", "role", "unit_id"),)


FIRST_STEP = "password"  # a wrong password (or unknown username)
SECOND_STEP = "code"  # a wrong two-factor code


class LoginFailure(db.Model):
    """One failed login step, kept to throttle guessing (lms.auth.throttle): a wrong password
    (per account, per address and per device cookie) or a wrong two-factor code (per account).
    `device` is the id of the valid device cookie the client presented for that account, NULL
    for a client without one."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    device: Mapped[str | None] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=FIRST_STEP, server_default=FIRST_STEP)
    at: Mapped[datetime] = mapped_column(default=clock.stamp, index=True)


class EndedSession(db.Model):
    """A session ended by logging out: a copy of its cookie logs nobody in (the user loader
    looks here). Invariant: a row is kept until `expires_at`, when the cookie's absolute
    timeout would have ended it anyway; older rows are deleted as new ones are added."""

    __tablename__ = "ended_sessions"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    ended_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ProvisioningRun(db.Model):
    """One run that created accounts for officials or gave their accounts new activation links
    (`users provision`, the accounts screen, an officials import): who, over which unit, what
    it did, and each official it could not serve (`problems`: employee code, name, username,
    reason code). Invariant: rows are only inserted (the counts are set as the run is made,
    before its transaction commits); the links a run issued point back to it, so its letters
    can be printed again while they are valid."""

    __tablename__ = "provisioning_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    source: Mapped[str] = mapped_column(String(16))  # cli · web · import
    # The address the run's links start with (where the officials reach the site), so that
    # letters, the CSV and the emails of one run all carry the same link.
    base_url: Mapped[str] = mapped_column(String(255))
    created: Mapped[int] = mapped_column(default=0)
    reissued: Mapped[int] = mapped_column(default=0)
    emailed: Mapped[bool] = mapped_column(default=False)
    problems: Mapped[list] = mapped_column(JSON, default=list)

    actor = relationship("User", foreign_keys=[actor_id])
    unit = relationship("OrgUnit")


class AccountActivation(db.Model):
    """A one-time activation link of an account created without a password.

    Invariants: the link is never stored — only its SHA-256 (to find it when it is opened) and
    the random salt it is derived from with SECRET_KEY (to print the letter again), so a copy
    of the database alone opens no account; at most one open link (not used, not revoked) per
    user, enforced by a partial unique index; `used_at` and `revoked_at` are set once;
    `valid_until` is the last day (Vietnam date) on which the link works.
    """

    __tablename__ = "account_activations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("provisioning_runs.id"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    valid_until: Mapped[date]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    run: Mapped[ProvisioningRun | None] = relationship()

    __table_args__ = (
        db.Index(
            "uq_account_activations_open",
            "user_id",
            unique=True,
            sqlite_where=text("used_at IS NULL AND revoked_at IS NULL"),
            postgresql_where=text("used_at IS NULL AND revoked_at IS NULL"),
        ),
    )
