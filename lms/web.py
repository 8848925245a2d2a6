"""Template glue: filters, labels and the navigation each role sees."""

import json

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from jinja2 import pass_context

from lms.assessments.kind_labels import QuestionKind
from lms.assessments.models import AttemptStatus
from lms.assessments.permissions import can_use_grading_queue
from lms.auth import permissions
from lms.auth.models import Role
from lms.catalog import permissions as catalog_permissions
from lms.catalog.models import CertificateKind, ContentArea, CourseKind, CourseStatus, Delivery
from lms.certificates import permissions as certificate_permissions
from lms.certificates.models import CertificateStatus, RevocationReason
from lms.common.forms import ButtonForm
from lms.compliance.models import ComplianceStatus, RatingLevel
from lms.compliance.permissions import can_review, can_view_compliance
from lms.curricula.classes.final_test import FinalTestState
from lms.curricula.classes.models import (
    AttendanceMark,
    ClassResult,
    EnrolSource,
    JoinMode,
    MemberStatus,
    TrainerKind,
)
from lms.curricula.classes.services import can_run_classes
from lms.curricula.cycles.services import can_manage_curricula
from lms.curricula.external.models import ExternalStatus
from lms.curricula.external.services import can_review_external
from lms.curricula.ledger.models import CreditSource
from lms.curricula.obligations.labels import ObligationKind, ObligationStatus, WithdrawnReason
from lms.i18n import LOCALE_NAMES, _l, format_day, format_moment, format_number
from lms.jobs.models import RunStatus
from lms.organisation.models import Category, Gender, LeaveKind, OfficialStatus
from lms.privacy.models import RequestKind, RequestState
from lms.privacy.requests import can_handle_requests
from lms.programmes.models import ProgrammePath, SetRule
from lms.recruitment.marking.permissions import has_marking_work
from lms.recruitment.models import (
    CandidateSource,
    ExamAttemptStatus,
    ExamSubject,
    RecruitmentStatus,
    ResultKind,
)
from lms.recruitment.permissions import can_run_recruitments, is_candidate
from lms.recruitment.rules import Priority
from lms.surveys.permissions import can_view_satisfaction
from lms.teams.models import HeadReviewStatus, PlaceRequestStatus
from lms.teams.permissions import can_lead_team
from lms.teams.planning.models import NeedState, PlanState
from lms.teams.planning.permissions import can_submit_needs

# One template filter per labelled state (lms.common.labels): `{{ value|filter }}` prints the
# state's label, an unknown value unchanged. Templates keep no words of their own for a state.
STATE_FILTERS = {
    "role": Role,
    "gender": Gender,
    "category": Category,
    "status": OfficialStatus,
    "leave_kind": LeaveKind,
    "content_area": ContentArea,
    "course_kind": CourseKind,
    "delivery": Delivery,
    "certificate": CertificateKind,
    "course_status": CourseStatus,
    "question_kind": QuestionKind,
    "attempt_status": AttemptStatus,
    "certificate_status": CertificateStatus,
    "revocation_reason": RevocationReason,
    "job_status": RunStatus,
    "credit_source": CreditSource,
    "compliance_status": ComplianceStatus,
    "rating_level": RatingLevel,
    "obligation_kind": ObligationKind,
    "obligation_status": ObligationStatus,
    "withdrawn_reason": WithdrawnReason,
    "class_result": ClassResult,
    "class_join_mode": JoinMode,
    "class_member_status": MemberStatus,
    "class_final_test": FinalTestState,
    "class_enrol_source": EnrolSource,
    "trainer_kind": TrainerKind,
    "attendance_mark": AttendanceMark,
    "external_status": ExternalStatus,
    "request_kind": RequestKind,
    "request_state": RequestState,
    "head_review_status": HeadReviewStatus,
    "place_request_status": PlaceRequestStatus,
    "programme_set_rule": SetRule,
    "programme_path": ProgrammePath,
    "need_state": NeedState,
    "plan_state": PlanState,
    "recruitment_status": RecruitmentStatus,
    "candidate_source": CandidateSource,
    "exam_subject": ExamSubject,
    "exam_attempt_status": ExamAttemptStatus,
    "result_kind": ResultKind,
    "priority": Priority,
}


def navigation() -> list[tuple[str, str]]:
    """(label, url) of the menu entries the current user may open: an official's own pages
    first, then each staff role's work, then administration."""
    if not current_user.is_authenticated or is_candidate(current_user):
        return []  # a candidate account opens only its exam: no menu of the LMS
    user = current_user
    items = [(_l("Home"), url_for("main.home"))]
    if certificate_permissions.has_own_record(user):
        items.append((_l("My training"), url_for("compliance.me")))
    items.append((_l("Courses"), url_for("catalog.catalog")))
    if certificate_permissions.has_own_record(user):
        items.append((_l("My classes"), url_for("curricula.my_classes")))
        items.append((_l("My certificates"), url_for("certificates.mine")))
    staff = [
        (catalog_permissions.can_author(user), _l("Manage courses"), "catalog.manage_courses"),
        (can_manage_curricula(user), _l("Curricula"), "curricula.curricula_list"),
        (can_run_classes(user), _l("Classes"), "curricula.class_list"),
        (can_use_grading_queue(user), _l("Grading"), "assessments.grading_queue"),
        (permissions.can_use_registry(user), _l("Officials"), "organisation.registry"),
        (can_view_compliance(user), _l("Compliance"), "compliance.dashboard"),
        (can_view_satisfaction(user), _l("Citizen satisfaction"), "surveys.ranking"),
        (can_lead_team(user), _l("My team"), "teams.team_page"),
        (has_marking_work(user), _l("Exam marking"), "recruitment.marker_home"),
        (can_submit_needs(user), _l("Training plan"), "teams.planning_home"),
        (can_review_external(user), _l("External training"), "curricula.external_queue"),
        (
            certificate_permissions.can_manage_certificates(user),
            _l("Certificates"),
            "certificates.manage",
        ),
        (
            certificate_permissions.can_manage_certificates(user),
            _l("Programmes"),
            "programmes.manage",
        ),
        (can_review(user), _l("Statements"), "compliance.review_list"),
        (can_handle_requests(user), _l("Data requests"), "privacy.request_queue"),
        (can_run_recruitments(user), _l("Recruitment"), "recruitment.manage_list"),
        (permissions.can_manage_users(user), _l("Accounts"), "auth.users"),
        (permissions.can_manage_users(user), _l("Audit log"), "auth.audit_log"),
        (permissions.is_admin(user), _l("Jobs"), "jobs.runs"),
    ]
    items += [(label, url_for(endpoint)) for allowed, label, endpoint in staff if allowed]
    return items


def current_entry(items: list[tuple[str, str]], path: str) -> str | None:
    """The url of the menu entry the page at `path` belongs to: the entry itself, or the longest
    entry whose address is a folder above the page (a course's page /courses/TX01 is under
    "Courses" /courses/, an official's /officials/12 under "Officials"); the home page only for
    itself. None when the page belongs to no entry."""
    folder = {url: url.rstrip("/") for _label, url in items}
    above = [u for u, f in folder.items() if path == u or (f and path.startswith(f + "/"))]
    return max(above, key=len, default=None)


CANDIDATE_LAYOUT = "recruitment/exam_base.html"


def page_layout() -> str:
    """The layout a shared page (an error page, the privacy notice) extends: a candidate's own
    header (no LMS menu, notifications or account links, which all answer 404 to it), else the
    LMS's."""
    return CANDIDATE_LAYOUT if is_candidate(current_user) else "base.html"


def page_link(endpoint: str, page: int, **values) -> str:
    """The address of page `page` of a list: the current query (its filters) with the page
    changed, the current URL's own arguments (a class's id) when the list is this page, and
    `values`. Query keys starting with "_" are dropped: url_for would take them as its own
    options (`_scheme` without `_external` raises), so junk in a URL cannot break the pager."""
    args = {key: value for key, value in request.args.items() if not key.startswith("_")}
    if endpoint == request.endpoint:
        args.update(request.view_args or {})
    args.update(values, page=page)
    return url_for(endpoint, **args)


def counted_ngettext(ngettext):
    """Jinja's ngettext, with the count written as the locale writes numbers: "Tìm thấy 2.318
    giấy chứng nhận", not "2318". Only a `%(num)s` message is changed (a `%(num)d` one needs
    the integer), and a `num=` passed by the template is kept."""

    @pass_context
    def wrapped(context, singular, plural, num, **variables):
        if "num" not in variables and "%(num)s" in singular and isinstance(num, int):
            variables["num"] = format_number(num)
        return ngettext(context, singular, plural, num, **variables)

    return wrapped


def install_template_helpers(app: Flask) -> None:
    """Register filters and the context every template sees."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["page_link"] = page_link
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["datetime"] = format_moment
    for name, state in STATE_FILTERS.items():
        app.jinja_env.filters[name] = state.label_of
    app.jinja_env.filters["json_text"] = lambda v: json.dumps(v, ensure_ascii=False) if v else ""
    app.jinja_env.globals["ngettext"] = counted_ngettext(app.jinja_env.globals["ngettext"])

    @app.context_processor
    def globals_for_templates():
        items = navigation()
        return {
            "nav_items": items,
            "nav_current": current_entry(items, request.path),
            "page_layout": page_layout(),
            "locale": str(get_locale()),
            "locale_names": LOCALE_NAMES,
            "button_form": ButtonForm(formdata=None),  # only renders a token; reads no body
            "current_path": request.full_path.rstrip("?"),
        }
