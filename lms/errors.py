"""Domain errors raised by services, and the HTTP error pages and JSON errors they become."""

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from lms.common.forms import too_large_message
from lms.extensions import db
from lms.i18n import _


class LMSError(Exception):
    """Base of every expected domain error; carries a message safe to show a user."""

    http_status = 400

    def __init__(self, message: str = "", code: str = "error"):
        super().__init__(message)
        self.message = message
        self.code = code


class NotFound(LMSError):
    """The named object does not exist (or is outside the viewer's scope)."""

    http_status = 404


class PermissionDenied(LMSError):
    """The actor may not do this."""

    http_status = 403


class RuleViolation(LMSError):
    """A domain rule forbids the action; `code` names the rule."""

    http_status = 409


class ValidationFailed(LMSError):
    """Input is invalid; `reasons` holds (field, message) pairs a form can attach to its fields."""

    http_status = 422

    def __init__(self, reasons: list[tuple[str | None, str]], code: str = "invalid"):
        super().__init__("; ".join(message for _field, message in reasons), code)
        self.reasons = reasons

    def attach_to(self, form) -> None:
        """Put each reason on the form field it names (or on the form when the field is unknown)."""
        for field_name, message in self.reasons:
            field = getattr(form, field_name, None) if field_name else None
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
            else:
                form.form_errors.append(message)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


# The `code` of a JSON error raised outside the API's own handlers (routing, rate limits, …).
JSON_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
}


def _page(status: int, title: str, message: str):
    if _wants_json():
        code = JSON_CODES.get(status, str(status))
        return jsonify(error={"code": code, "message": message}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _upload_page_again():
    """A POST too large for the server, to a page marked by lms.common.forms.upload_page: the
    same page shown again as on opening it (the body was not read), its file field saying the
    file is too large and how large it may be; None for any other request."""
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "upload_limit_setting", None)
    if setting is None or request.method != "POST" or _wants_json():
        return None
    limit = current_app.config.get(setting)
    if not limit:
        return None
    g.upload_too_large = too_large_message(limit)
    request.method = "GET"  # forms are not submitted: they read nothing from the body
    try:
        response = make_response(view(**(request.view_args or {})))
    except HTTPException:  # not allowed there, or gone: the plain 413 page
        return None
    if response.status_code < 300 or response.status_code == 422:
        response.status_code = 413
    return response


def register_error_handlers(app: Flask) -> None:
    """Translated 403/404/500 pages (JSON under /api/)."""

    @app.errorhandler(403)
    def forbidden(_error):
        return _page(403, _("Access denied"), _("You do not have permission to open this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return _page(404, _("Page not found"), _("The page you asked for does not exist."))

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return _page(405, _("Not allowed"), _("This address does not accept that request."))

    @app.errorhandler(413)
    def too_large(_error):
        shown = _upload_page_again()
        if shown is not None:
            return shown
        return _page(413, _("File too large"), _("The file you sent is larger than allowed."))

    @app.errorhandler(429)
    def too_many(_error):
        return _page(429, _("Too many requests"), _("Please wait a minute and try again."))

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return _page(500, _("Something went wrong"), _("The error was logged. Please try again."))

    @app.errorhandler(NotFound)
    def domain_not_found(error):
        return not_found(error)

    @app.errorhandler(PermissionDenied)
    def domain_forbidden(error):
        return forbidden(error)

    @app.errorhandler(HTTPException)
    def other_http(error):
        return _page(error.code or 500, error.name, error.description or "")


def register_csrf_handler(app: Flask) -> None:
    """A form posted without a valid CSRF token gets a plain, translated explanation."""
    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        return _page(
            400,
            _("Form expired"),
            _("The form was sent without a valid security token. Reload the page and try again."),
        )
