"""The citizen's survey of a one-stop counter, `/satisfaction/<UNIT_CODE>` (no login): opened
from the QR code at the counter (its time-window token), answered on a phone, thanked. Ballot
stuffing is held back by rate limits per address and per device cookie, the token, a honeypot
and the time taken to fill the form (docs/surveys.md says what this can and cannot prevent)."""

import hashlib
import logging
import secrets
import time

from flask import abort, current_app, redirect, render_template, request, url_for

from lms.common.web import client_address
from lms.errors import ValidationFailed
from lms.extensions import db, limiter
from lms.surveys import forms, rules, satisfaction, services
from lms.surveys.blueprint import bp

log = logging.getLogger(__name__)
DEVICE_COOKIE = "tc_survey_device"
DEVICE_COOKIE_DAYS = 365
NO_STORE = {"Cache-Control": "private, no-store"}


def _device_limit() -> str:
    return current_app.config["LMS_SATISFACTION_DEVICE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LMS_SATISFACTION_ADDRESS_LIMIT"]


def _device_key() -> str:
    """The device cookie (hashed: the counters never hold it); without one, the address (a
    browser refusing cookies cannot send the form anyway: the CSRF check needs the session)."""
    cookie = request.cookies.get(DEVICE_COOKIE, "")
    if not cookie:
        return "satisfaction-device:none:" + client_address()
    return "satisfaction-device:" + hashlib.sha256(cookie.encode()).hexdigest()[:32]


def _address_key() -> str:
    return "satisfaction-address:" + client_address()


def _with_device_cookie(response):
    """Give the browser a random device cookie (no personal data) if it has none."""
    if not request.cookies.get(DEVICE_COOKIE):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(18),
            max_age=DEVICE_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


@bp.errorhandler(429)
def too_many(_error):
    """A device or address that sent too many responses: a plain word to the citizen."""
    return render_template("surveys/limited.html"), 429


def _load(code: str):
    unit = satisfaction.public_unit(code)
    version = satisfaction.questionnaire()
    if unit is None or version is None:
        abort(404)
    return unit, version


def _is_bot(form, unit) -> bool:
    """The honeypot was filled, or the form came back too fast (or too late, or with a stamp
    not made here for this unit)."""
    if form.website.data:
        return True
    seconds = forms.seconds_since_shown(form.shown.data, unit.code, time.time())
    low, high = satisfaction.form_age_limits()
    return seconds is None or not rules.filled_like_a_person(seconds, low, high)


@bp.route("/satisfaction/<code>", methods=["GET", "POST"])
@limiter.limit(_device_limit, key_func=_device_key, methods=["POST"], scope="satisfaction-device")
@limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], scope="satisfaction-addr")
def citizen(code: str):
    """The unit's survey: with a valid QR token, the form; without one, how to get it."""
    unit, version = _load(code)
    items = services.items_of(version)
    form = forms.citizen_form(items)
    token = form.t.data if request.method == "POST" else request.args.get("t", "")
    token_ok = satisfaction.token_ok(unit.code, token)
    if request.method == "POST" and token_ok and form.validate_on_submit():
        if _is_bot(form, unit):
            log.info("satisfaction: a response to %s refused by the bot check", unit.code)
            return redirect(url_for("surveys.thanks", code=unit.code))
        try:
            satisfaction.record(unit, version, forms.answers_of(form, items), items)
        except ValidationFailed as error:
            for field, message in error.reasons:
                getattr(form, f"q_{field}").errors.append(message)
        else:
            thanks_url = url_for("surveys.thanks", code=unit.code)  # before the commit expires it
            db.session.commit()
            return redirect(thanks_url)
    elif request.method == "POST" and not token_ok:
        abort(400)
    form.t.data = token
    form.shown.data = forms.shown_stamp(unit.code)
    page = render_template(
        "surveys/citizen.html",
        unit=unit,
        version=version,
        sections=version.sections,
        form=form,
        token_ok=token_ok,
        expired=bool(token) and not token_ok,
    )
    status = 422 if form.errors else 200
    return _with_device_cookie(current_app.make_response((page, status, NO_STORE)))


@bp.route("/satisfaction/<code>/thanks")
def thanks(code: str):
    """Thank you (also what a bot is shown)."""
    unit = satisfaction.public_unit(code)
    if unit is None:
        abort(404)
    return render_template("surveys/thanks.html", unit=unit)
