"""Forms for logging in, passwords, accounts and role grants."""

from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, Optional

from lms.auth.models import GRANTABLE_ROLES, Role
from lms.common.forms import BaseForm, max_length, required, valid_email
from lms.i18n import _l


class LoginForm(BaseForm):
    """POST /auth/login: username and password."""

    username = StringField(_l("Username"), validators=[required(), max_length(64)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(200)])


class ChangePasswordForm(BaseForm):
    """Change one's own password."""

    current_password = PasswordField(_l("Current password"), validators=[required()])
    new_password = PasswordField(_l("New password"), validators=[required(), max_length(200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[required(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class UserForm(BaseForm):
    """Administrator: create an account, optionally linked to an official by employee code."""

    username = StringField(_l("Username"), validators=[required(), max_length(64)])
    display_name = StringField(_l("Display name"), validators=[required(), max_length(255)])
    email = StringField(_l("Email"), validators=[Optional(), valid_email(), max_length(255)])
    employee_code = StringField(
        _l("Employee code (optional)"), validators=[Optional(), max_length(32)]
    )
    password = PasswordField(_l("Temporary password"), validators=[required(), max_length(200)])


class ResetPasswordForm(BaseForm):
    """Administrator: set a temporary password."""

    password = PasswordField(_l("Temporary password"), validators=[required(), max_length(200)])


class GrantForm(BaseForm):
    """Administrator: grant a role over a unit subtree."""

    role = SelectField(_l("Role"), choices=Role.choices(*GRANTABLE_ROLES))
    unit = SelectField(_l("Unit (and every unit below it)"), choices=[], validate_choice=False)


class EnableForm(BaseForm):
    """Administrator: enable or disable an account."""

    enabled = BooleanField(_l("Account enabled"))


class TwoFactorForm(BaseForm):
    """A 6-digit code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[required(), max_length(20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ActivationForm(BaseForm):
    """An official's first password, set from their activation link."""

    password = PasswordField(
        _l("Choose a password"),
        validators=[required(), max_length(200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[required(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
