"""The citizen's form, built for one questionnaire version: a field per item (`q_<code>`), the
QR's token, the signed moment the form was shown, and a honeypot field people never see."""

from flask import current_app
from flask_babel import get_translations
from itsdangerous import BadSignature, URLSafeTimedSerializer
from wtforms import HiddenField, SelectMultipleField, StringField

from lms.common.forms import BaseForm
from lms.surveys import rules

SALT = "satisfaction-form"


class CitizenFormBase(BaseForm):
    """Hidden fields of every citizen form; items are added per version (`citizen_form`)."""

    t = HiddenField()
    shown = HiddenField()
    website = StringField()  # honeypot: hidden from people, filled by naive bots

    class Meta:
        def get_translations(self, form):
            """The request's catalog, looked up once per form: WTForms asks it for every
            field's label (the raw look-up, as lms.common.forms does; WTForms fills the
            placeholders), and a look-up through the request context was a measurable share
            of a citizen's submission (docs/performance.md)."""
            return get_translations()


_FORM_CLASSES: dict[tuple, type] = {}  # (item code, kind)… → its form class


def citizen_form(items, **kwargs) -> CitizenFormBase:
    """A form with one field per item of the version; the values are checked by the service
    (lms.surveys.services.record_response), not here. The class is built once per shape of the
    questionnaire (its item codes and kinds) and kept: building a form class on every request
    was a measurable share of a citizen's submission (docs/performance.md)."""
    shape = tuple((item.code, item.kind) for item in items)
    form_class = _FORM_CLASSES.get(shape)
    if form_class is None:

        class CitizenForm(CitizenFormBase):
            pass

        for code, kind in shape:
            field = (
                SelectMultipleField(validate_choice=False)
                if kind == rules.MULTIPLE
                else StringField()
            )
            setattr(CitizenForm, f"q_{code}", field)
        if len(_FORM_CLASSES) > 64:  # questionnaires change rarely: never more than a few
            _FORM_CLASSES.clear()
        form_class = _FORM_CLASSES[shape] = CitizenForm
    return form_class(**kwargs)


def answers_of(form: CitizenFormBase, items) -> dict[str, list[str]]:
    """{item code: submitted strings} read from the form's fields."""
    answers = {}
    for item in items:
        raw = getattr(form, f"q_{item.code}").raw_data or []
        answers[item.code] = [str(v) for v in raw]
    return answers


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def shown_stamp(unit_code: str) -> str:
    """The signed "shown now" value of the form of `unit_code`."""
    return _serializer().dumps(unit_code)


def seconds_since_shown(stamp: str, unit_code: str, now: float) -> float | None:
    """Seconds since the form of `unit_code` was shown, from its signed stamp; None when the
    stamp is missing, forged or for another unit."""
    try:
        code, signed_at = _serializer().loads(stamp or "", return_timestamp=True)
    except BadSignature:
        return None
    if code != unit_code:
        return None
    return now - signed_at.timestamp()
