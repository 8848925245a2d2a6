"""JSON answers of the API: the error shape, query-parameter parsing and pagination.

Every error is `{"error": {"code": …, "message": …}}` (plus `details`, a list of
{field, message}, for invalid input) with the matching HTTP status.
"""

import unicodedata
from collections.abc import Callable
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import unquote

from flask import jsonify, request, url_for

from lms.common.pagination import Page
from lms.errors import PermissionDenied, ValidationFailed
from lms.extensions import db
from lms.i18n import _

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
MAX_PAGE = 100_000
MIN_YEAR, MAX_YEAR = 1900, 2999


class ApiError(Exception):
    """An answer other than success: HTTP status, a stable code, a message, maybe details."""

    def __init__(self, status: int, code: str, message: str, details: list | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details

    def response(self):
        body = {"code": self.code, "message": self.message}
        if self.details:
            body["details"] = self.details
        answer = jsonify(error=body)
        answer.status_code = self.status
        if self.status == 401:
            answer.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return answer


def bad_parameter(name: str, message: str) -> ApiError:
    return ApiError(400, "invalid_parameter", message, [{"field": name, "message": message}])


def not_found(message: str | None = None) -> ApiError:
    return ApiError(404, "not_found", message or _("Not found, or outside your scope."))


def forbidden(message: str | None = None) -> ApiError:
    return ApiError(403, "forbidden", message or _("Your token may not do this."))


@contextmanager
def service_refusals(invalid: Callable[[list], ApiError]):
    """A write's service refusing, as the API answers it, the session rolled back: its
    ValidationFailed through `invalid(reasons)` (a 422), its PermissionDenied as a 403 with the
    service's code and message."""
    try:
        yield
    except ValidationFailed as error:
        db.session.rollback()
        raise invalid(error.reasons) from None
    except PermissionDenied as error:
        db.session.rollback()
        raise ApiError(403, error.code, error.message) from None


def _integer(name: str, low: int, high: int, default: int | None) -> int | None:
    value = request.args.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or not (
        low <= int(value) <= high
    ):
        raise bad_parameter(
            name,
            _(
                "%(name)s must be a whole number from %(low)d to %(high)d.",
                name=name,
                low=low,
                high=high,
            ),
        )
    return int(value)


def page_args() -> tuple[int, int]:
    """`page` (from 1) and `per_page` (1 to 100, default 50); 400 on anything else."""
    return (
        _integer("page", 1, MAX_PAGE, 1),
        _integer("per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE),
    )


def cycle_arg() -> int | None:
    """`cycle` as a year, or None when absent."""
    return _integer("cycle", MIN_YEAR, MAX_YEAR, None)


def year_arg() -> int | None:
    """`year` (a calendar year), or None when absent."""
    return _integer("year", MIN_YEAR, MAX_YEAR, None)


def text_arg(name: str, max_length: int = 200) -> str:
    """A free-text query argument, stripped; 400 when longer than `max_length`."""
    value = (request.args.get(name) or "").strip()
    if len(value) > max_length:
        raise bad_parameter(name, _("At most %(max)d characters.", max=max_length))
    return value


PURPOSE_HEADER = "X-Purpose"
PURPOSE_MAX = 200


def _purpose_sent() -> str | None:
    """The purpose as sent: the `purpose` parameter, else the X-Purpose header; None when
    neither is. 400 when either is blank or longer than PURPOSE_MAX characters."""
    sent = {
        "purpose": request.args.get("purpose"),
        PURPOSE_HEADER: request.headers.get(PURPOSE_HEADER),
    }
    for name, value in sent.items():
        if value is not None and len(value) > PURPOSE_MAX:
            raise bad_parameter(name, _("At most %(max)d characters.", max=PURPOSE_MAX))
        if value is not None and not value.strip():
            raise bad_parameter(name, _("Say what you read the data for; it cannot be blank."))
    return sent["purpose"] if sent["purpose"] is not None else sent[PURPOSE_HEADER]


def _header_text(value: str) -> str:
    """A header's text: Werkzeug hands its bytes over as Latin-1, which may be UTF-8 (raw or
    percent-encoded, as docs/api.md asks for text beyond ASCII)."""
    with suppress(UnicodeEncodeError, UnicodeDecodeError):  # else Latin-1 text it is
        value = value.encode("latin-1").decode("utf-8")
    return unquote(value, errors="replace")


def purpose_arg(required: bool) -> str:
    """Why the caller reads a bulk of personal data (docs/api.md, "Bulk reads"), as recorded:
    NFC, control characters as spaces, runs of spaces as one; "" when absent (or blank) and not
    `required`. 400 `purpose_required` when absent and `required`."""
    sent = _purpose_sent()
    if sent is not None and "purpose" not in request.args:
        sent = _header_text(sent)
    text = unicodedata.normalize("NFC", sent or "")
    text = " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())
    if text or not required:
        return text
    message = _(
        "Say why you read this many officials: send the X-Purpose header or the purpose parameter."
    )
    raise ApiError(400, "purpose_required", message, [{"field": "purpose", "message": message}])


def datetime_arg(name: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 date-time (a date alone means its midnight), as naive UTC (how
    timestamps are stored); one without an offset is taken as UTC. 400 when unreadable."""
    if name not in request.args:
        return None
    value = request.args[name].strip()
    try:
        moment = datetime.fromisoformat(value.upper().replace(" ", "T", 1))
    except ValueError:
        raise bad_parameter(
            name, _("%(name)s must be a date-time such as 2026-01-31T08:00:00Z.", name=name)
        ) from None
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # year 1 or 9999 shifted past the calendar: the earliest or latest
        return datetime.min if moment.year == 1 else datetime.max


def plain(value):
    """JSON-ready value: credits as numbers, dates and times as ISO 8601 (times in UTC, "Z")."""
    if isinstance(value, Decimal):
        return float(value.quantize(Decimal("0.01")))
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat() + "Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def page_answer(page: Page, items: list[dict]):
    """The list envelope: items, page, per_page, total and the URL of the next page (or null)."""
    next_url = None
    if page.page * page.per_page < page.total:
        args = {**request.args.to_dict(), "page": page.page + 1, "per_page": page.per_page}
        next_url = url_for(request.endpoint, **(request.view_args or {}), **args)
    return jsonify(
        items=items, page=page.page, per_page=page.per_page, total=page.total, next=next_url
    )
