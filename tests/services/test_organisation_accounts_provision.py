"""Accounts for every official (`users provision`, the service behind the screen, the CLI and
the import): who gets an account, usernames, links that work once for 14 days, idempotence,
re-issue, scope, audit, and officials who leave."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import activation
from lms.auth import activation_rules as rules
from lms.auth.models import AccountActivation, User
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db as _db
from lms.organisation import accounts
from lms.organisation.models import OrgUnit
from tests.factories import make_official, make_units

BASE = "https://tinchi.danang.gov.vn"


def unit(code: str) -> OrgUnit:
    return _db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))


@pytest.fixture
def officials(db):
    """Three working officials in SNV-CCVC, one in P-HAICHAU, one in SNV-CCVC who retired."""
    make_units()
    made = {
        "DN000101": make_official("DN000101", "Nguyễn Thị Ngọc Ánh", email="anh@danang.gov.vn"),
        "DN000102": make_official("DN000102", "Đặng Hữu Phước", gender="male"),
        "DN000103": make_official("DN000103", "Huỳnh Ưng Ỷ"),
        "DN000201": make_official("DN000201", "Trần Văn Bình", unit="P-HAICHAU", gender="male"),
        "DN000301": make_official("DN000301", "Lê Thị Hưu", status="retired"),
    }
    _db.session.commit()
    return made


def provision(scope=None, unit_code=None, **options):
    selection = accounts.Selection(scope, unit(unit_code) if unit_code else None)
    run = accounts.provision(selection, None, "cli", BASE, **options)
    _db.session.commit()
    return run


def usernames() -> list[str]:
    return sorted(_db.session.scalars(select(User.username)))


def test_every_working_official_in_the_unit_gets_an_account_named_by_their_code(officials):
    run = provision(unit_code="SNV")
    assert run.created == 3 and run.problems == []
    assert usernames() == ["dn000101", "dn000102", "dn000103"]
    user = _db.session.scalar(select(User).where(User.username == "dn000101"))
    assert user.official.employee_code == "DN000101" and user.display_name == "Nguyễn Thị Ngọc Ánh"
    assert user.is_awaiting_activation and user.is_enabled


def test_a_second_run_creates_nothing(officials):
    provision()
    again = provision()
    assert again.created == 0 and again.reissued == 0
    assert len(usernames()) == 4  # the retired official gets none
    assert _db.session.scalar(select(func.count()).select_from(AccountActivation)) == 4


def test_an_hr_officer_provisions_only_the_officials_of_their_units(officials):
    run = provision(scope=[unit("SNV").path])
    assert run.created == 3
    assert "dn000201" not in usernames()  # P-HAICHAU is outside the scope


def test_a_username_held_by_someone_else_is_reported_and_the_others_are_created(officials):
    from lms.auth import services as auth

    auth.create_user(auth.NewUser("dn000102", "Khac-Mat-Khau-7", "Someone else"), actor=None)
    _db.session.commit()
    run = provision(unit_code="SNV")
    assert run.created == 2
    assert run.problems == [
        {
            "employee_code": "DN000102",
            "full_name": "Đặng Hữu Phước",
            "username": "dn000102",
            "reason": accounts.USERNAME_TAKEN,
        }
    ]
    taken = _db.session.scalar(select(User).where(User.username == "dn000102"))
    assert taken.official_id is None  # the other account is left alone, never linked


def test_a_provisioning_that_collides_writes_nothing(officials, monkeypatch):
    """Two runs at once: another one takes a username between the check and the insert; this
    run fails with a clear message and nothing of it stays."""
    create = activation.create_awaiting

    def racing(wanted, run, actor):
        _db.session.add(User(username=wanted[0].username, password_hash="!", display_name="X"))
        _db.session.flush()
        return create(wanted, run, actor)

    monkeypatch.setattr(activation, "create_awaiting", racing)
    audited = _db.session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(RuleViolation) as caught:
        accounts.provision(accounts.Selection(None), None, "cli", BASE)
    assert caught.value.code == "concurrent_provisioning"
    _db.session.rollback()
    assert usernames() == []
    assert _db.session.scalar(select(func.count()).select_from(AuditEntry)) == audited


def only_link(username: str) -> AccountActivation:
    return _db.session.scalar(
        select(AccountActivation)
        .join(User, User.id == AccountActivation.user_id)
        .where(User.username == username, AccountActivation.revoked_at.is_(None))
    )


def token_of(username: str) -> str:
    return activation.link_token(only_link(username))


def test_only_a_hash_of_the_link_is_stored_and_the_link_opens_the_account(officials, app):
    provision(unit_code="SNV-CCVC")
    link = only_link("dn000101")
    token = activation.link_token(link)
    stored = [str(getattr(link, c.key)) for c in AccountActivation.__table__.columns]
    assert rules.looks_like_token(token) and not any(token in value for value in stored)
    assert link.token_sha256 == rules.digest(token)
    assert activation.find(token) == (link, rules.VALID)
    app.config["SECRET_KEY"] = "rotated"
    try:
        assert activation.link_token(link) is None  # cannot be printed again, still opens
        assert accounts.letters(accounts.Selection(None))[1] == 3
        assert activation.find(token)[1] == rules.VALID
    finally:
        app.config["SECRET_KEY"] = "test-secret"


@pytest.mark.parametrize(
    ("day", "state"),
    [(date(2026, 12, 1), "valid"), (date(2026, 12, 15), "valid"), (date(2026, 12, 16), "expired")],
)
def test_a_link_works_for_fourteen_days_after_the_day_it_was_issued(officials, freeze, day, state):
    freeze(date(2026, 12, 1))
    provision(unit_code="SNV-CCVC")
    token = token_of("dn000103")
    freeze(datetime(day.year, day.month, day.day, 16, 59))  # 23:59 in Vietnam
    assert only_link("dn000103").valid_until == date(2026, 12, 15)
    assert activation.find(token)[1] == state


def test_activating_sets_the_password_once(officials):
    from werkzeug.security import check_password_hash

    provision(unit_code="SNV-CCVC")
    token = token_of("dn000101")
    with pytest.raises(ValidationFailed):  # the policy of lms.auth.passwords
        activation.activate(token, "dn000101abc")
    user = activation.activate(token, "Sen-Hong-2026", "10.0.0.7")
    _db.session.commit()
    assert check_password_hash(user.password_hash, "Sen-Hong-2026")
    assert not user.is_awaiting_activation and user.session_version == 1
    assert activation.find(token)[1] == rules.USED
    with pytest.raises(activation.LinkUnavailable) as again:
        activation.activate(token, "Sen-Hong-2027")
    assert again.value.code == rules.USED
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.activated"))
    assert entry.actor_id == user.id and entry.address == "10.0.0.7"


@pytest.mark.parametrize("token", ["", "abc", "x" * 43, "x" * 44, "../../etc/passwd", None])
def test_malformed_and_unknown_tokens_are_not_found(officials, token):
    provision()
    assert activation.find(token) == (None, "unknown")


def test_reissuing_gives_new_links_only_to_accounts_never_activated(officials):
    first = provision(unit_code="SNV-CCVC")
    old = {name: token_of(name) for name in ("dn000101", "dn000102", "dn000103")}
    activation.activate(old["dn000101"], "Sen-Hong-2026")
    _db.session.commit()
    run = provision(unit_code="SNV-CCVC", reissue=True)
    assert (run.created, run.reissued) == (0, 2)
    assert activation.find(old["dn000102"])[1] == rules.REVOKED
    new = token_of("dn000102")
    assert new != old["dn000102"] and activation.find(new)[1] == rules.VALID
    assert only_link("dn000101").run_id == first.id  # the activated account kept its used link
    actions = _db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions.count("user.activation_reissued") == 2


def test_every_run_is_audited_with_who_and_how_many(officials, world):
    hr = world["hr"]
    run = accounts.provision(accounts.Selection(None, unit("SNV")), hr, "web", BASE)
    _db.session.commit()
    entry = _db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "accounts.provisioned")
    )
    assert entry.actor_id == hr.id and entry.object_id == str(run.id)
    # DN000101-103: the staff of SNV-CCVC in the world (T-HR, T-MAN, T-REV) have accounts
    assert entry.after == {
        "unit": "SNV",
        "source": "web",
        "created": 3,
        "reissued": 0,
        "problems": 0,
    }
    created = _db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "user.created", AuditEntry.actor_id == hr.id)
    ).all()
    assert len(created) == 3


def test_letters_list_the_valid_links_by_unit_then_name(officials):
    provision()
    found, lost = accounts.letters(accounts.Selection(None))
    assert lost == 0
    assert [x.employee_code for x in found] == [
        "DN000101",
        "DN000102",
        "DN000103",
        "DN000201",
    ]  # Ánh, Phước, Ỷ
    assert found[0].url == f"{BASE}/activate/{token_of('dn000101')}"
    assert accounts.letters_by_unit(accounts.Selection(None)) == [
        ("SNV-CCVC", "Phòng Công chức, viên chức", 3),
        ("P-HAICHAU", "Ủy ban nhân dân phường Hải Châu", 1),
    ]
