"""The pure rules of activation links: usernames, the 14-day window, states, token shapes and
the derivation that lets a letter be printed again without the link being stored."""

from datetime import date, datetime

import pytest

from lms.auth import activation_rules as rules

ISSUED = date(2026, 12, 1)
USED = datetime(2026, 12, 3, 2, 0)


@pytest.mark.parametrize(
    ("code", "username"),
    [("DN000101", "dn000101"), (" SNV-0042 ", "snv-0042"), ("demo0001", "demo0001"), ("", "")],
)
def test_the_username_is_the_employee_code_in_lower_case(code, username):
    assert rules.username_for(code) == username


def test_a_link_issued_on_day_0_works_through_day_14():
    assert rules.valid_until(ISSUED, 14) == date(2026, 12, 15)
    assert rules.valid_until(date(2026, 12, 25), 14) == date(2027, 1, 8)  # across the year
    assert rules.valid_until(date(2028, 2, 20), 14) == date(2028, 3, 5)  # a leap year


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2026, 11, 30), rules.VALID),  # a clock set back still sees a valid link
        (ISSUED, rules.VALID),
        (date(2026, 12, 14), rules.VALID),
        (date(2026, 12, 15), rules.VALID),  # day 14
        (date(2026, 12, 16), rules.EXPIRED),  # day 15
        (date(2027, 6, 1), rules.EXPIRED),
    ],
)
def test_the_state_on_each_day_around_the_end(today, state):
    assert rules.state(date(2026, 12, 15), None, None, today) == state


def test_used_and_revoked_win_over_the_date():
    assert rules.state(date(2026, 12, 15), USED, None, date(2027, 1, 1)) == rules.USED
    assert rules.state(date(2026, 12, 15), None, USED, date(2026, 12, 2)) == rules.REVOKED
    assert rules.state(date(2026, 12, 15), USED, USED, date(2026, 12, 2)) == rules.USED


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("A" * 43, True),
        ("abc-_XYZ019" + "q" * 32, True),
        ("A" * 42, False),
        ("A" * 44, False),
        ("A" * 42 + "=", False),
        ("A" * 42 + "/", False),
        ("A" * 42 + "\n", False),
        ("Ấ" * 43, False),
        ("", False),
        (None, False),
    ],
)
def test_only_43_url_safe_characters_look_like_a_token(text, ok):
    assert rules.looks_like_token(text) is ok


def test_a_token_is_derived_from_its_salt_and_the_secret_key():
    token = rules.derive_token("secret", "00ff")
    assert rules.looks_like_token(token)
    assert token == rules.derive_token(b"secret", "00ff")  # the same letter printed again
    assert token != rules.derive_token("secret", "00fe")  # another link
    assert token != rules.derive_token("another secret", "00ff")  # the key changed
    assert rules.digest(token) != token and len(rules.digest(token)) == 64
    assert rules.digest(token) == rules.digest(rules.derive_token("secret", "00ff"))
