"""Activation links by email through the real mailer: a local SMTP server (aiosmtpd) receives
one message per official who has an address, in Vietnamese (English when that is the site's
language), with a link that opens the account; the link itself is never stored, and a link
replaced before its email left is not sent."""

import pytest
from sqlalchemy import select

from lms.auth import activation
from lms.extensions import db as _db
from lms.jobs.models import MAIL_SENT, MAIL_SKIPPED, Notification
from lms.organisation import accounts
from tests.factories import make_official, make_units
from tests.services.test_jobs_notifications_mail import smtp  # noqa: F401 (fixture)

BASE = "https://tinchi.danang.gov.vn"


@pytest.fixture
def officials(db):
    make_units()
    make_official("DN000101", "Nguyễn Thị Ngọc Ánh", email="anh@danang.gov.vn")
    make_official("DN000102", "Đặng Hữu Phước", gender="male")  # no address: a letter only
    _db.session.commit()


def provision(reissue=False):
    """A run and its emails; the commit sends them (the test queue runs at once)."""
    run = accounts.provision(
        accounts.Selection(None), None, "web", BASE, create=not reissue, reissue=reissue
    )
    activation.notify_links(run.id)
    _db.session.commit()
    return run


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return next(line for line in body.splitlines() if line.startswith(f"{BASE}/activate/"))


def test_officials_with_an_address_get_their_link_in_vietnamese(officials, smtp):  # noqa: F811
    provision()
    (message,) = smtp.to("anh@danang.gov.vn")
    assert smtp.count() == 1  # Đặng Hữu Phước has no address: his letter is printed
    assert message["Subject"] == "Kích hoạt tài khoản Tín chỉ của anh/chị"
    body = message.get_body(("plain",)).get_content()
    assert "Kính gửi Nguyễn Thị Ngọc Ánh" in body and "Tên đăng nhập: dn000101" in body
    url = link_in(message)
    assert activation.find(url.rsplit("/", 1)[1])[1] == "valid"
    html = message.get_body(("html",)).get_content()
    assert f'href="{url}"' in html


def test_the_link_is_not_kept_in_the_inbox_copy(officials, smtp):  # noqa: F811
    provision()
    token = link_in(smtp.to("anh@danang.gov.vn")[0]).rsplit("/", 1)[1]
    (stored,) = _db.session.scalars(select(Notification)).all()
    assert stored.email_state == MAIL_SENT
    assert token not in stored.body and token not in str(stored.context) and not stored.link
    assert "đã được gửi tới địa chỉ email" in stored.body


def test_a_link_replaced_before_its_email_left_is_not_sent(officials, smtp, app):  # noqa: F811
    app.config["MAIL_SUPPRESS_SEND"] = True
    provision()
    app.config["MAIL_SUPPRESS_SEND"] = False
    provision(reissue=True)
    assert smtp.count() == 1
    first, second = _db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert first.email_state == MAIL_SKIPPED and "no longer valid" in first.email_error
    assert second.email_state == MAIL_SENT
    url = link_in(smtp.to("anh@danang.gov.vn")[0])
    assert activation.find(url.rsplit("/", 1)[1])[1] == "valid"


def test_the_email_is_english_when_the_site_speaks_english(officials, smtp, english):  # noqa: F811
    provision()
    (message,) = smtp.to("anh@danang.gov.vn")
    assert message["Subject"] == "Activate your Tín chỉ account"
    assert "Username: dn000101" in message.get_body(("plain",)).get_content()


def test_the_activation_email_is_not_offered_on_the_preferences_page(officials):
    from lms.jobs.notifications import kinds_for, wants_email

    assert "account_activation" not in kinds_for(None)
    assert wants_email(1, "account_activation")
