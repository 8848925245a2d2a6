"""Catalog forms and labels: a course, a lesson, status and ordering buttons, a zip upload."""

from decimal import Decimal, InvalidOperation

from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from lms.catalog.models import STATUSES, CertificateKind, ContentArea, CourseKind, Delivery
from lms.common.forms import BaseForm, input_required, max_length, required
from lms.i18n import _l


def _range(low, high):
    return NumberRange(low, high, message=_l("Enter a number from %(min)s to %(max)s."))


class CommaDecimalField(DecimalField):
    """A decimal typed either way: 0,5 (Vietnamese) or 0.5; shown without trailing zeros."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, Decimal):
            number = self.data.normalize()
            return format(
                number.quantize(Decimal(1)) if number == number.to_integral() else number, "f"
            )
        return ""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = Decimal(valuelist[0].strip().replace(",", "."))
        except InvalidOperation:
            self.data = None
            raise ValueError(_l("Enter a number, e.g. 0,5.")) from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Enter a number, e.g. 0,5."))


class WholeNumberField(IntegerField):
    """An integer field whose parse error comes from our catalog. More than 9 digits is no
    number any form here asks for (and a huge one overflows NumberRange's float check)."""

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist[0].strip().lstrip("+-")) > 9:
            self.data = None
            raise ValueError(_l("Enter a whole number."))
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number.")) from None


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes (easier than a multi-select on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseForm(BaseForm):
    """A course's fields; the code is asked for only when the course is created."""

    code = StringField(_l("Code"), validators=[required(), max_length(32)])
    title = StringField(_l("Title"), validators=[required(), max_length(255)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), max_length(255)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), max_length(10_000)])
    credits = CommaDecimalField(_l("Credits"), validators=[input_required(), _range(0, 999.99)])
    periods = WholeNumberField(
        _l("Periods (tiết)"), validators=[input_required(), _range(0, 10_000)]
    )
    content_area = SelectField(_l("Content area"), choices=ContentArea.choices())
    kind = SelectField(_l("Course type"), choices=CourseKind.choices())
    delivery = SelectField(_l("Delivery"), choices=Delivery.choices())
    certificate = SelectField(_l("Certificate"), choices=CertificateKind.choices())
    validity_months = WholeNumberField(
        _l("Valid for (months)"), validators=[Optional(), _range(1, 600)]
    )
    repeatable = BooleanField(_l("Credits earned again in each cycle (repeatable course)"))
    owner_unit = SelectField(
        _l("Owner unit"), choices=[], validate_choice=False, validators=[required()]
    )
    positions = CheckboxesField(
        _l("Mandatory for these job positions"), choices=[], validate_choice=False
    )
    prerequisites = CheckboxesField(_l("Prerequisites"), choices=[], validate_choice=False)


class LessonForm(BaseForm):
    """A lesson: title, optional slug, Markdown body; Preview re-shows the form with the page."""

    title = StringField(_l("Title"), validators=[required(), max_length(255)])
    slug = StringField(_l("Short name in the address"), validators=[Optional(), max_length(100)])
    body_markdown = TextAreaField(_l("Content (Markdown)"), validators=[max_length(200_000)])
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class StatusForm(BaseForm):
    """Publish, archive or return to draft (one button each)."""

    status = SelectField(choices=[(s, s) for s in STATUSES])


class MoveForm(BaseForm):
    """Move a lesson up or down."""

    direction = SelectField(choices=[("up", "up"), ("down", "down")])


class UploadForm(BaseForm):
    """A .zip of one or more course folders."""

    archive = FileField(
        _l("Zip file"),
        validators=[
            FileRequired(message=_l("Choose a .zip file.")),
            FileAllowed(["zip"], message=_l("Only .zip files are accepted.")),
        ],
        render_kw={"accept": ".zip,application/zip"},
    )
    owner_unit = SelectField(
        _l("Owner unit of new courses"), choices=[], validate_choice=False, validators=[required()]
    )
