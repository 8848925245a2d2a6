"""API bearer tokens. Only a token's SHA-256 is stored: the token itself is shown once."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.common import clock
from lms.extensions import db


class ApiToken(db.Model):
    """A bearer token acting with the rights of its user (their role grants and, for an
    official, their own record).

    Invariants: `token_sha256` is the hex SHA-256 of the token and unique; the token is never
    stored; `hint` is its first characters, enough for a person to tell tokens apart and useless
    to an attacker; a token is never deleted — revoking sets `revoked_at` (and who did it), and
    a revoked or expired token, one whose user is disabled, or one made before its user's
    password was last changed or reset, authenticates nobody.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=clock.stamp)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])

    def is_usable(self, now: datetime) -> bool:
        """Neither revoked nor expired at `now` (the user's own state is checked separately)."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def revoked_by_password_change(self) -> datetime | None:
        """When the user's password change or reset revoked this token (made before it), if
        it was not revoked by hand first."""
        changed = self.user.password_changed_at
        if self.revoked_at is None and changed is not None and self.created_at < changed:
            return changed
        return None
