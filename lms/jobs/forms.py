"""Forms of the inbox and the jobs pages: email preferences (one checkbox per kind) and the
administrator's "run now"."""

from wtforms import BooleanField, SelectField

from lms.common.forms import BaseForm
from lms.i18n import _l
from lms.jobs.notifications import KINDS

# Jobs an administrator may start from the web (each is idempotent).
STARTABLE = {
    "nightly": _l("Nightly maintenance (obligations, reminders, expiring certificates)"),
    "notifications.reminders": _l("Deadline reminders"),
    "notifications.weekly_digest": _l("Weekly digest"),
    "notifications.certificate_expiry": _l("Expiring certificates"),
    "notifications.deliver": _l("Send pending email"),
}


def preferences_form(kinds: list[str], current: dict[str, bool], formdata=None):
    """A form with a checkbox `email_<kind>` for each kind the user can receive."""

    class PreferencesForm(BaseForm):
        pass

    for kind in kinds:
        setattr(PreferencesForm, f"email_{kind}", BooleanField(KINDS[kind], default=current[kind]))
    return PreferencesForm() if formdata is None else PreferencesForm(formdata=formdata)


class StartJobForm(BaseForm):
    """Start one of STARTABLE now."""

    name = SelectField(_l("Job"), choices=list(STARTABLE.items()))
