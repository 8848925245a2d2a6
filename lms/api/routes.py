"""The /api/v1 endpoints (DESIGN.md §5): bearer-token authentication, then load → guard → act,
with every answer scoped in SQL to the token owner's grants."""

from datetime import datetime

from flask import current_app, g, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError

from lms.api import access, inputs, openapi, queries, serialize, tokens
from lms.api.blueprint import bp
from lms.api.responses import (
    DEFAULT_PER_PAGE,
    ApiError,
    bad_parameter,
    cycle_arg,
    datetime_arg,
    forbidden,
    not_found,
    page_answer,
    page_args,
    purpose_arg,
    text_arg,
)
from lms.audit import reads
from lms.audit.services import record
from lms.certificates.services import status_of
from lms.common import clock
from lms.common.web import client_address
from lms.compliance.queries import unit_counts
from lms.compliance.statements import statement_for
from lms.curricula.cycles.models import Cycle
from lms.curricula.ledger import services as ledger
from lms.curricula.ledger.models import EXTERNAL
from lms.errors import LMSError
from lms.extensions import csrf, db, limiter
from lms.i18n import _
from lms.organisation.queries import OfficialFilters

PUBLIC_ENDPOINTS = {"api.openapi_document"}
DEFAULT_RATE_LIMIT = "300 per minute"
API_SOURCE_PREFIX = "api:"  # ledger source_ref of entries posted here: "api:<caller's ref>"

csrf.exempt(bp)  # no cookie or session is accepted here, so there is nothing to forge


def _rate_limit() -> str:
    return current_app.config.get("LMS_API_RATE_LIMIT") or DEFAULT_RATE_LIMIT


def _rate_key() -> str:
    """Count per token (each integration has its own budget), else per address."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and secret.strip():
        return "api-token:" + tokens.digest(secret.strip())
    return "api-address:" + client_address()


def _bad_token_limit() -> str:
    return current_app.config["LMS_API_BAD_TOKEN_RATE_LIMIT"]


def _address_key() -> str:
    return "api-bad-token:" + client_address()


def _refused(response) -> bool:
    return response.status_code == 401


limiter.limit(_rate_limit, key_func=_rate_key)(bp)
# Answers refusing a missing, unknown, revoked or expired token count against the caller's
# address (a new made-up token each time would otherwise get a fresh budget); past the limit
# the address gets 429 before any token is looked at.
limiter.limit(_bad_token_limit, key_func=_address_key, deduct_when=_refused)(bp)


@bp.before_request
def authenticate():
    """Every endpoint but the OpenAPI document needs `Authorization: Bearer <token>`; browser
    sessions are ignored."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthorized", _("Send an API token: Authorization: Bearer <token>."))
    token = tokens.authenticate(secret.strip())
    if token is None:
        db.session.rollback()
        raise ApiError(401, "invalid_token", _("The token is unknown, revoked or expired."))
    db.session.commit()  # last_used_at
    g.api_token, g.api_user = token, token.user
    _refuse_unknown_parameters()
    return None


def _refuse_unknown_parameters() -> None:
    """A query parameter the document does not give the operation is a mistake (a typo in
    `updated_since` would silently return everything): 400."""
    allowed = openapi.query_names(request.url_rule.rule, request.method)
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        message = _("Unknown query parameter: %(names)s.", names=", ".join(unknown)[:200])
        raise ApiError(
            400,
            "unknown_parameter",
            message,
            [{"field": name[:50], "message": message} for name in unknown[:10]],
        )


@bp.after_request
def no_store(response):
    """Answers carry personal data: never cached by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.response()


@bp.errorhandler(LMSError)
def domain_error(error: LMSError):
    db.session.rollback()
    codes = {403: "forbidden", 404: "not_found", 409: "conflict", 422: "invalid"}
    status = error.http_status if error.http_status in codes else 422
    return ApiError(status, codes[status], error.message or _("Not allowed.")).response()


def _year() -> int:
    return cycle_arg() or clock.today().year


def _cycle(year: int):
    """The cycle of `year`, or 404."""
    cycle = queries.cycle(year)
    if cycle is None:
        raise not_found(_("No training cycle for %(year)d.", year=year))
    return cycle


def _official(roles: tuple[str, ...], employee_code: str, include_self: bool = True):
    """(official, current post) if within the caller's reach through `roles`, or 404."""
    row = queries.official(access.reach(g.api_token, roles, include_self), employee_code)
    if row is None:
        raise not_found()
    return row


def _writable(writers: tuple[str, ...], readers: tuple[str, ...], employee_code: str, refused):
    """The official a write is about, within the caller's reach through `writers` (their own
    record left out): 404 when they cannot even see the official through `readers`, 403 with
    `refused` when they see but may not write."""
    row = queries.official(access.reach(g.api_token, writers, include_self=False), employee_code)
    if row is None:
        _official(readers, employee_code)  # 404 when out of sight
        raise forbidden(refused)
    return row[0]


# --- officials ----------------------------------------------------------------------------------


def _read(action: str, person, **details) -> None:
    """Audit the caller's read of one official's data (not their own) and commit it. Called
    once the answer is built: the commit expires the objects it was built from."""
    reads.record_view(
        g.api_user,
        action,
        person,
        address=client_address(),
        via="api",
        token_id=g.api_token.id,
        **details,
    )
    db.session.commit()  # a read of personal data is logged (Law 91/2025/QH15)


def _present(**values) -> dict:
    """The values given (as JSON-ready text), for an audit entry's filters."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else str(value)
        for key, value in values.items()
        if value
    }


# A first page of at most this many officials is a look-up; any more is a bulk read, which
# needs a stated purpose (docs/api.md, "Bulk reads").
LOOK_UP_SIZE = DEFAULT_PER_PAGE


@bp.get("/officials")
def officials():
    """Officials in the caller's scope (and the caller's own record), searchable and paged.
    Beyond a first page of LOOK_UP_SIZE the caller must say why (X-Purpose or `purpose`);
    every page is audited with its officials, filters and purpose."""
    page, per_page = page_args()
    filters = OfficialFilters(q=text_arg("q"), unit_code=text_arg("unit", 32).upper())
    since = datetime_arg("updated_since")
    purpose = purpose_arg(required=page > 1 or per_page > LOOK_UP_SIZE)
    reach = access.reach(g.api_token, access.REGISTRY)
    result = queries.officials_page(reach, filters, since, page, per_page)
    items = [serialize.official(o, post) for o, post in result.items]
    reads.record_list(
        g.api_user,
        "officials.listed",
        "registry",
        "officials",
        count=len(result.items),
        scope=reach.path_list,
        official_ids=[person.id for person, _post in result.items],
        address=client_address(),
        via="api",
        token_id=g.api_token.id,
        page=page,
        per_page=per_page,
        total=result.total,
        purpose=purpose,
        filters=_present(q=filters.q, unit=filters.unit_code, updated_since=since),
    )
    db.session.commit()  # after building the answer: the commit expires the officials
    return page_answer(result, items)


@bp.get("/officials/<employee_code>")
def official(employee_code: str):
    """One official with their current unit, position and rank (the view is audited)."""
    person, post = _official(access.REGISTRY, employee_code)
    answer = jsonify(serialize.official(person, post))
    _read("official.viewed", person)
    return answer


STATEMENT_KINDS = ("live", "review", "final")


@bp.get("/officials/<employee_code>/statement")
def statement(employee_code: str):
    """The training statement of a cycle, of the kind asked (`kind=final|review|live`; by
    default the final one if the cycle is closed for the official, else the latest review
    snapshot, else computed today)."""
    kind = text_arg("kind", 16) or None
    if kind is not None and kind not in STATEMENT_KINDS:
        raise bad_parameter("kind", _("One of: %(values)s.", values=", ".join(STATEMENT_KINDS)))
    person, _post = _official(access.REGISTRY, employee_code)
    cycle = _cycle(_year())
    as_of = clock.today()
    data = statement_for(person.id, cycle, as_of, kind)
    if data is None:
        if kind in ("review", "final"):
            raise not_found(_("This official has no statement of this kind for the cycle."))
        raise not_found(_("This official has no statement for the cycle (no post held)."))
    links = [
        {
            "serial": serial,
            "url": url_for("api.certificate", serial=serial),
            "pdf_url": _pdf_url(serial),
        }
        for serial in data["certificates"]
    ]
    answer = jsonify(serialize.statement(data, links))
    _read("statement.viewed", person, cycle=cycle.year)
    return answer


@bp.get("/units/<code>/compliance")
def unit_compliance(code: str):
    """Counts per compliance status for a unit's subtree, and by gender."""
    unit = queries.unit(access.reach(g.api_token, access.REGISTRY, include_self=False), code)
    if unit is None:
        raise not_found()
    year = _year()
    cycle = _cycle(year)
    as_of = clock.today()
    return jsonify(serialize.compliance(unit, year, as_of, unit_counts(unit, cycle, as_of)))


# --- ledger -------------------------------------------------------------------------------------


@bp.get("/officials/<employee_code>/ledger")
def ledger_entries(employee_code: str):
    """An official's credit ledger (one cycle or all), oldest first."""
    page, per_page = page_args()
    year, since = cycle_arg(), datetime_arg("updated_since")
    person, _post = _official(access.TRAINING_RECORD, employee_code)
    result = queries.ledger_page(person.id, year, since, page, per_page)
    answer = page_answer(result, [serialize.ledger_entry(*row) for row in result.items])
    _read("ledger.viewed", person, cycle=year, page=page, count=len(result.items))
    return answer


def _json_body():
    if not request.is_json:
        raise ApiError(
            415,
            "unsupported_media_type",
            _("Send the body as JSON (Content-Type: application/json)."),
        )
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError(400, "malformed_json", _("The body is not valid JSON."))
    return body


@bp.post("/officials/<employee_code>/ledger")
def ledger_add(employee_code: str):
    """Add credits earned elsewhere (source "external"); idempotent on `source_ref`."""
    person = _writable(
        access.CREDIT_WRITERS,
        access.TRAINING_RECORD,
        employee_code,
        _("Adding credits needs an HR grant over the official's unit."),
    )
    if ledger.is_own_record(g.api_user, person.id):
        raise ApiError(403, "own_record", ledger.own_record_message())
    try:
        entry = inputs.parse_external_entry(_json_body(), clock.today())
    except inputs.Invalid as error:
        details = [{"field": field, "message": message} for field, message in error.reasons]
        raise ApiError(422, "invalid", _("The entry is invalid; see details."), details) from None
    ref = API_SOURCE_PREFIX + entry.source_ref if entry.source_ref else ""
    existing = queries.ledger_entry_by_ref(person.id, EXTERNAL, ref) if ref else None
    if existing is None:
        try:
            existing, created = _append(person, entry, ref), True
        except IntegrityError:  # a concurrent request with the same reference won the race
            db.session.rollback()
            existing, created = queries.ledger_entry_by_ref(person.id, EXTERNAL, ref), False
            if existing is None:
                raise
    else:
        created = False
    if not created and not _same(existing, entry):
        raise ApiError(
            409,
            "source_ref_conflict",
            _("An entry with this source_ref exists with other values."),
        )
    year = db.session.get(Cycle, existing.cycle_id).year
    answer = jsonify(serialize.ledger_entry(existing, year, None))
    answer.status_code = 201 if created else 200
    answer.headers["Location"] = url_for(
        "api.ledger_entries", employee_code=person.employee_code, cycle=year
    )
    return answer


def _append(person, entry: inputs.ExternalEntry, ref: str):
    new = ledger.append(
        ledger.NewEntry(
            official_id=person.id,
            earned_on=entry.earned_on,
            credits=entry.credits,
            source=EXTERNAL,
            title=entry.title,
            periods=entry.periods,
            source_ref=ref,
            reason=entry.reason,
        ),
        actor=g.api_user,
    )
    record(
        g.api_user,
        "api.ledger_added",
        "official",
        person.employee_code,
        after={"entry_id": new.id, "token_id": g.api_token.id, "source_ref": ref},
        address=client_address(),
    )
    db.session.commit()
    return new


def _same(existing, entry: inputs.ExternalEntry) -> bool:
    return (
        existing.credits == entry.credits
        and existing.earned_on == entry.earned_on
        and existing.title == entry.title[:255]
        and existing.periods == entry.periods
    )


# --- certificates -------------------------------------------------------------------------------


def _pdf_url(serial: str) -> str:
    for endpoint in ("certificates.certificate_pdf", "certificates.download"):
        if endpoint in current_app.view_functions:
            return url_for(endpoint, serial=serial)
    return f"/certificates/{serial}.pdf"


@bp.get("/certificates/<serial>")
def certificate(serial: str):
    """One certificate of an official in the caller's reach."""
    cert = queries.certificate(access.reach(g.api_token, access.TRAINING_RECORD), serial)
    if cert is None:
        raise not_found()
    answer = jsonify(serialize.certificate(cert, status_of(cert), _pdf_url(cert.serial)))
    _read("certificate.viewed", cert.official, serial=cert.serial)
    return answer


# --- the document -------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3 description of this API (public: it holds no data)."""
    return jsonify(openapi.document())
