"""The password policy a user meets when choosing a password."""

import pytest
from flask_babel import force_locale

from lms.auth.passwords import common_passwords, problems


@pytest.mark.parametrize(
    "password, reason",
    [
        ("Ab1", "8"),
        ("abcdefghij", "digits"),
        ("12345678901", "digits"),
        ("nguyenvan2026", "username"),
        ("Matkhau123", "common"),
        ("P@ssw0rd", "common"),
        ("danang2026", "common"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with force_locale("en"):
        found = " ".join(problems(password, "nguyenvan", 8)).lower()
    assert found, password
    expected = {"8": "8", "digits": "digit", "username": "username", "common": "common"}[reason]
    assert expected in found or reason == "8"


@pytest.mark.parametrize("password", ["Hoa-Sen-42", "Demo@2026", "song Han 1997 cau Rong"])
def test_reasonable_passwords_pass(password):
    assert problems(password, "nguyenvan", 8) == []


def test_the_common_list_is_shipped_and_large_enough():
    assert len(common_passwords()) > 200 and "123456" in common_passwords()
