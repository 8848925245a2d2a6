"""Two-factor authentication done right (issue 18): a TOTP code logs in once, wrong codes are
limited per account (per device cookie on a known device) and audited, and the account holder
is told."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import twofactor
from lms.jobs.models import Notification
from tests.conftest import csrf_token, login

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MORNING = "2026-11-26 01:00:00+00:00"


@pytest.fixture
def enrolled(app, world, db):
    """The HR officer uses 2FA, enrolled at 07:59 Vietnam time (the day before MORNING's)."""
    with time_machine.travel("2026-11-25 00:59:00+00:00", tick=False):
        hr = db.session.get(type(world["hr"]), world["hr"].id)
        twofactor.enable(hr, SECRET, pyotp.TOTP(SECRET).now())
        db.session.commit()
    return world


def code(shift_steps: int = 0) -> str:
    """The authenticator app's code now (or `shift_steps` 30-second steps away)."""
    return pyotp.TOTP(SECRET).at(datetime.now(UTC) + timedelta(seconds=30 * shift_steps))


def second_step(client, value: str):
    return client.post(
        "/auth/2fa", data={"csrf_token": csrf_token(client, "/auth/2fa"), "code": value}
    )


def password_step(app, address: str = "127.0.0.1", client=None):
    client = client or app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    assert login(client, "hr").location == "/auth/2fa"
    return client


def _count(db, action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


def test_a_totp_code_logs_in_once(app, enrolled):
    with time_machine.travel(MORNING, tick=False) as clock:
        first = password_step(app)
        assert second_step(first, code()).location == "/"
        replay = password_step(app, "203.0.113.5")  # someone who saw the code over a shoulder
        refused = second_step(replay, code())
        assert refused.status_code == 200 and "Mã không đúng" in refused.get_data(as_text=True)
        assert second_step(replay, code(-1)).status_code == 200  # an earlier step neither
        clock.shift(timedelta(seconds=30))
        assert second_step(replay, code()).location == "/"  # the next code works


def test_the_enrolment_code_cannot_log_in(app, world, db):
    with time_machine.travel(MORNING, tick=False):
        hr = db.session.get(type(world["hr"]), world["hr"].id)
        twofactor.enable(hr, SECRET, code())
        db.session.commit()
        assert second_step(password_step(app), code()).status_code == 200


def test_wrong_codes_are_limited_audited_and_reported(app, enrolled, db):
    with time_machine.travel(MORNING, tick=False) as clock:
        attacker = password_step(app, "203.0.113.5")  # knows the password
        for guess in ("000000", "111111", "222222", "333333", "444444"):
            assert second_step(attacker, guess).status_code == 200
        blocked = second_step(attacker, code())
        assert blocked.status_code == 429
        assert "Nhập sai mã quá nhiều lần" in blocked.get_data(as_text=True)
        elsewhere = password_step(app, "198.51.100.3")  # the limit is the account's
        assert second_step(elsewhere, code()).status_code == 429
        clock.shift(timedelta(minutes=16))
        assert second_step(password_step(app), code()).location == "/"
    assert _count(db, "user.2fa_failed") == 5 and _count(db, "user.2fa_locked") == 1
    failed = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user.2fa_failed"))
    assert {(entry.object_id, entry.address) for entry in failed} == {
        (str(enrolled["hr"].id), "203.0.113.5")
    }
    [note] = db.session.scalars(select(Notification)).all()
    assert note.kind == "login_failures" and note.user_id == enrolled["hr"].id
    assert "mã xác thực hai lớp" in note.subject.lower() and "203.0.113.5" in note.body


def test_a_known_device_passes_the_second_step_while_others_are_held(app, enrolled):
    with time_machine.travel(MORNING, tick=False) as clock:
        office = password_step(app)
        assert second_step(office, code()).location == "/"  # the browser now has a device cookie
        office.post("/auth/logout", data={"csrf_token": csrf_token(office, "/auth/password")})
        attacker = password_step(app, "203.0.113.5")
        for _ in range(5):
            second_step(attacker, "000000")
        assert second_step(attacker, "000000").status_code == 429
        clock.shift(timedelta(seconds=30))
        assert second_step(password_step(app, client=office), code()).location == "/"
