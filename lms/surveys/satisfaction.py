"""Citizen satisfaction at the one-stop counters: the questionnaire in use, the QR's time-window
token of a unit (derived from the application's key), and recording a citizen's response."""

import hashlib
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select

from lms.common import clock
from lms.extensions import db
from lms.organisation.models import OrgUnit
from lms.surveys import rules, services
from lms.surveys.models import QuestionnaireVersion, SurveyResponse


def questionnaire() -> QuestionnaireVersion | None:
    """The newest version of the citizen questionnaire (LMS_SATISFACTION_QUESTIONNAIRE)."""
    return services.latest_version(current_app.config["LMS_SATISFACTION_QUESTIONNAIRE"])


def public_unit(code: str) -> OrgUnit | None:
    """The open unit with this code (any letter case), or None."""
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code.upper()))
    if unit is None or not unit.is_open_on(clock.today()):
        return None
    return unit


def _key() -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hashlib.sha256(b"satisfaction-qr:" + secret).digest()


def _window_seconds() -> int:
    return int(current_app.config["LMS_SATISFACTION_TOKEN_DAYS"]) * 86400


def _epoch(moment: datetime | None = None) -> float:
    return (moment or clock.now()).replace(tzinfo=UTC).timestamp()


def _window(moment: datetime | None = None) -> int:
    return rules.window_of(_epoch(moment), _window_seconds())


def token_for(unit_code: str, moment: datetime | None = None) -> str:
    """The token a QR printed now (or at `moment`) carries for the unit."""
    return rules.window_token(_key(), unit_code, _window(moment))


def token_ok(unit_code: str, token: str | None) -> bool:
    """Whether `token` is the unit's token of the current or the previous window."""
    return rules.token_is_valid(_key(), unit_code, token or "", _window())


def printed_valid_until(moment: datetime | None = None):
    """The last day (Vietnam's date) a QR printed now still works: the end of the window after
    the current one."""
    seconds = _window_seconds()
    end = (_window(moment) + 2) * seconds - 1
    return clock.local_day(datetime.fromtimestamp(end, UTC).replace(tzinfo=None))


def form_age_limits() -> tuple[float, float]:
    """(min, max) seconds between showing the form and sending it, for a person."""
    config = current_app.config
    return float(config["LMS_SATISFACTION_MIN_SECONDS"]), float(
        config["LMS_SATISFACTION_MAX_SECONDS"]
    )


def record(
    unit: OrgUnit, version: QuestionnaireVersion, answers: dict, items: list | None = None
) -> SurveyResponse:
    """A citizen's response about `unit` to `version` (`items`: its items, if already read),
    dated today (no time of day, no device, no address is kept). Raises ValidationFailed as
    services.record_response. Flushed."""
    return services.record_response(
        version, answers, rules.CITIZEN_CHANNEL, clock.today(), unit_id=unit.id, items=items
    )
