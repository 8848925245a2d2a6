"""Password policy: long enough, letters and digits, not the username, not a common password."""

from functools import cache
from pathlib import Path

from lms.common import vntext
from lms.errors import ValidationFailed
from lms.i18n import _

COMMON_LIST = Path(__file__).parent / "data" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to allow, in lower case."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def problems(password: str, username: str | None, minimum: int) -> list[str]:
    """Every rule the password breaks, as messages for the user ([] when it is acceptable)."""
    found = []
    if len(password) < minimum:
        found.append(_("The password must have at least %(n)d characters.", n=minimum))
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        found.append(_("The password must contain letters and digits."))
    plain = vntext.search_key(password).replace(" ", "")
    name = vntext.search_key(username or "").replace(" ", "")
    if name and len(name) >= 3 and name in plain:
        found.append(_("The password must not contain the username."))
    if password.lower() in common_passwords() or plain in common_passwords():
        found.append(_("This password is too common; choose another."))
    return found


def check(password: str, username: str | None, minimum: int, field: str = "password") -> None:
    """Raise ValidationFailed with every broken rule attached to `field`."""
    found = problems(password, username, minimum)
    if found:
        raise ValidationFailed([(field, message) for message in found])
