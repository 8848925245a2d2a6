"""The learner's side of training evaluation: the form of one evaluation asked of them
(`/me/evaluations/<id>`, one answer only), the "Đánh giá khóa học" tasks on /me, and — when
LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE is on — the page that stands before a certificate's PDF
until the course evaluation is answered. Registration connects curricula's course_completed
signal, compliance's /me notes, certificates' download gates and the notice kind."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.catalog.models import Course
from lms.common.forms import BaseForm
from lms.curricula.classes.models import Trainer, TrainingClass
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation.models import Official
from lms.surveys import forms, rules
from lms.surveys import services as engine
from lms.surveys.blueprint import bp
from lms.surveys.evaluation import services
from lms.surveys.evaluation.models import EvaluationRequest


def form_for(items) -> BaseForm:
    """A form with one field per item (`q_<code>`, as the citizen's); the service checks the
    values."""
    from wtforms import SelectMultipleField, StringField

    class EvaluationForm(BaseForm):
        pass

    for item in items:
        multiple = item.kind == rules.MULTIPLE
        field = SelectMultipleField(validate_choice=False) if multiple else StringField()
        setattr(EvaluationForm, f"q_{item.code}", field)
    return EvaluationForm()


def describe(req: EvaluationRequest) -> dict:
    """What the request is about, for its page and the /me task: course, class, trainer and (for
    a head) the official."""
    about = {"course": db.session.get(Course, req.course_id)}
    about["klass"] = db.session.get(TrainingClass, req.class_id) if req.class_id else None
    about["trainer"] = db.session.get(Trainer, req.trainer_id) if req.trainer_id else None
    official = db.session.get(Official, req.about_official_id) if req.about_official_id else None
    about["official"] = official if req.role == "head" else None
    return about


def _load(request_id: int) -> EvaluationRequest:
    req = services.request_of(request_id, current_user)
    if req is None:
        abort(404)
    return req


@bp.route("/me/evaluations/<int:request_id>", methods=["GET", "POST"])
@login_required
def evaluation_form(request_id: int):
    """One evaluation asked of the viewer: its questions, sent once; answered, a thank-you."""
    req = _load(request_id)
    version = engine.latest_version(req.questionnaire)
    if version is None:
        abort(404)
    items = engine.items_of(version)
    form = form_for(items)
    status = 200
    if req.is_answered:
        status = 409 if request.method == "POST" else 200
    elif form.validate_on_submit():
        try:
            services.submit(req, forms.answers_of(form, items), actor=current_user)
        except ValidationFailed as error:
            db.session.rollback()
            error.attach_to(form)
            status = 422
        except RuleViolation:
            db.session.rollback()
            status = 409
        else:
            db.session.commit()
            flash(_("Thank you: your evaluation is recorded, without your name."), "success")
            return redirect(url_for("surveys.evaluation_form", request_id=req.id))
    elif request.method == "POST":
        status = 400
    return (
        render_template(
            "surveys/evaluation_form.html",
            req=req,
            about=describe(req),
            version=version,
            sections=version.sections,
            form=form,
        ),
        status,
    )


def me_tasks(official_id: int) -> list[tuple[EvaluationRequest, dict]]:
    """/me's note (compliance ME_NOTES): the evaluations the official's account has to answer."""
    from lms.auth.models import User

    user_id = db.session.scalar(db.select(User.id).where(User.official_id == official_id))
    if user_id is None:
        return []
    return [(req, describe(req)) for req in services.open_requests(user_id)]


def certificate_gate(certificate, user):
    """Certificates' download gate: the holder's PDF waits for the course evaluation of its
    completion when LMS_EVALUATION_REQUIRED_FOR_CERTIFICATE is on (staff are not held)."""
    if certificate.official_id != getattr(user, "official_id", None):
        return None
    req = services.certificate_waits(certificate.completion_id, user.id)
    if req is None:
        return None
    page = render_template("surveys/evaluation_gate.html", certificate=certificate, req=req)
    return page, 403


def _connect(_state) -> None:
    from lms.certificates.routes import DOWNLOAD_GATES
    from lms.compliance.routes_learner import ME_NOTES
    from lms.curricula.completions.services import course_completed
    from lms.jobs.notifications import KINDS

    course_completed.connect(services.on_course_completed)
    KINDS.setdefault(services.NOTICE, _l("An evaluation of my training is asked of me"))
    note = ("surveys/evaluation_me.html", me_tasks)
    if note not in ME_NOTES:
        ME_NOTES.append(note)
    if certificate_gate not in DOWNLOAD_GATES:
        DOWNLOAD_GATES.append(certificate_gate)


bp.record_once(_connect)
