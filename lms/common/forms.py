"""Form helpers shared by every domain."""

from flask import current_app, g, request
from flask_babel import get_translations, ngettext
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from lms.i18n import _, _l


class BaseForm(FlaskForm):
    """FlaskForm with CSRF and a list for errors that belong to no single field.

    Forms read only form fields and files: a JSON body is never taken as form data (the JSON
    API has its own parsing), so a list or a number sent as JSON cannot reach a validator.
    """

    class Meta:
        def get_translations(self, form):
            return WTFORMS_TRANSLATIONS

        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                if request.method in SUBMIT_METHODS:
                    return CombinedMultiDict((request.files, request.form))
                return None
            return formdata

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_errors: list[str] = []
        if request:
            self._mark_file_fields()

    def _mark_file_fields(self) -> None:
        """On a page marked by `upload_page`: its file inputs carry their size limit and the
        message for a larger file (uploads.js says it at the field before sending, so nothing
        typed is lost); after a 413 (lms.errors) the message is the field's error."""
        view = current_app.view_functions.get(request.endpoint or "")
        setting = getattr(view, "upload_limit_setting", None)
        limit = current_app.config.get(setting) if setting else None
        refused = g.get("upload_too_large")
        for field in self:
            if field.type != "FileField":
                continue
            if limit:
                field.render_kw = {
                    **(field.render_kw or {}),
                    "data-max-bytes": str(limit),
                    "data-too-large": too_large_message(limit),
                }
            if refused:
                field.errors = [refused]


def too_large_message(limit: int) -> str:
    """What a file field says of a file over `limit` bytes, in the reader's language."""
    return _("The file is larger than %(mb)d MB.", mb=max(1, limit // (1024 * 1024)))


def upload_page(limit_setting: str):
    """Mark a view whose form takes a file of at most app.config[limit_setting] bytes: its file
    inputs carry the limit (checked in the browser by uploads.js), and a request larger than
    the server accepts (413) shows the form again with the reason at its file field, instead
    of an error page that loses the form (lms.errors)."""

    def mark(view):
        view.upload_limit_setting = limit_setting
        return view

    return mark


SUBMIT_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _CatalogTranslations:
    """WTForms' own messages ("Not a valid choice." on a forged select…) read from our catalog:
    WTForms ships no Vietnamese, so without this they showed in English."""

    # The raw catalog look-up: WTForms fills the placeholders itself (Flask-Babel's own gettext
    # would format them first, and fail on "%(value)s").
    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


WTFORMS_TRANSLATIONS = _CatalogTranslations()

# WTForms' messages that our fields and validators can raise, listed so that `translate update`
# extracts them into our catalogs (WTForms formats the placeholders itself).
WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Field must be equal to %(other_name)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
)


def _wtforms_plural_messages():  # never called: marks WTForms' plural message for extraction
    return ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    )


class ButtonForm(BaseForm):
    """An empty form: a CSRF-protected POST button (logout, revoke, …)."""


class VnDateField(DateField):
    """A date typed the Vietnamese way (dd/mm/yyyy), also accepting the ISO form of <input
    type=date>."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(label, validators, **kwargs)
        self.gettext_error = _l("Enter a date as dd/mm/yyyy.")

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.gettext_error) from None


# WTForms ships no Vietnamese catalog, so every validator message comes from ours.
def required():
    """A field that must be filled in."""
    return DataRequired(message=_l("This field is required."))


def max_length(n: int):
    """At most n characters."""
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


def valid_email():
    """A syntactically valid email address."""
    return Email(message=_l("Enter a valid email address."), check_deliverability=False)


def input_required():
    """Something must be typed (keeps a parse error such as a bad date instead of hiding it)."""
    return InputRequired(message=_l("This field is required."))
