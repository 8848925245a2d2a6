"""Template glue: filters, labels and the navigation each role sees."""

import json

from flask import Flask, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from lms.auth import permissions
from lms.auth.forms import ROLE_LABELS
from lms.catalog import permissions as catalog_permissions
from lms.common.forms import ButtonForm
from lms.compliance.routes import can_view_compliance
from lms.i18n import LOCALE_NAMES, _l, format_datetime, format_day, format_number
from lms.organisation.forms import CATEGORY_LABELS, GENDER_LABELS, STATUS_LABELS


def navigation() -> list[tuple[str, str]]:
    """(label, url) of the menu entries the current user may open."""
    if not current_user.is_authenticated:
        return []
    items = [(_l("Home"), url_for("main.home")), (_l("Courses"), url_for("catalog.catalog"))]
    if catalog_permissions.can_author(current_user):
        items.append((_l("Manage courses"), url_for("catalog.manage_courses")))
    if permissions.can_use_registry(current_user):
        items.append((_l("Officials"), url_for("organisation.registry")))
    if can_view_compliance(current_user):
        items.append((_l("Compliance"), url_for("compliance.dashboard")))
        items.append((_l("Statements"), url_for("compliance.review_list")))
    if permissions.can_manage_users(current_user):
        items.append((_l("Accounts"), url_for("auth.users")))
        items.append((_l("Audit log"), url_for("auth.audit_log")))
    return items


def install_template_helpers(app: Flask) -> None:
    """Register filters and the context every template sees."""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["datetime"] = lambda v: format_datetime(v, "short") if v else ""
    app.jinja_env.filters["gender"] = lambda v: GENDER_LABELS.get(v, v)
    app.jinja_env.filters["category"] = lambda v: CATEGORY_LABELS.get(v, v)
    app.jinja_env.filters["status"] = lambda v: STATUS_LABELS.get(v, v)
    app.jinja_env.filters["role"] = lambda v: ROLE_LABELS.get(v, v)
    app.jinja_env.filters["json_text"] = lambda v: json.dumps(v, ensure_ascii=False) if v else ""

    @app.context_processor
    def globals_for_templates():
        return {
            "nav_items": navigation(),
            "locale": str(get_locale()),
            "locale_names": LOCALE_NAMES,
            "button_form": ButtonForm(formdata=None),  # only renders a token; reads no body
            "current_path": request.full_path.rstrip("?"),
        }
