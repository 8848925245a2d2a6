"""Pure survey rules: masking phone and ID numbers, the Wilson interval, the weighted share, the
QR's time-window token and the time-to-fill bot check, each at its boundaries."""

import pytest

from lms.surveys import rules


@pytest.mark.parametrize(
    "text",
    [
        "Gọi tôi 0905123456 nhé",
        "sđt 0905 123 456",
        "0905.123.456",
        "+84 905 123 456",
        "+84905123456",
        "CCCD 048190001234",
        "CMND 201234567",
    ],
)
def test_phone_and_id_numbers_are_masked(text):
    masked = rules.mask_personal_numbers(text)
    assert rules.MASK in masked
    assert not any(ch.isdigit() for ch in masked)


@pytest.mark.parametrize(
    "text",
    [
        "Phí 50000 đồng",  # 5 digits
        "Hồ sơ số 12345678 ngày 02/03/2026",  # 8 digits: kept
        "Chờ 30 phút, 3 lần",
    ],
)
def test_short_numbers_and_dates_are_kept(text):
    assert rules.mask_personal_numbers(text) == text


def test_nine_and_twelve_digits_masked_thirteen_kept():
    assert rules.mask_personal_numbers("201234567") == rules.MASK  # CMND, 9
    assert rules.mask_personal_numbers("048190001234") == rules.MASK  # CCCD, 12
    assert rules.mask_personal_numbers("0481900012345") == "0481900012345"  # 13: not an ID


def test_wilson_interval_holds_the_share_and_stays_in_bounds():
    interval = rules.wilson(0.8, 100)
    assert interval.low < 0.8 < interval.high
    assert round(interval.low, 3) == 0.711 and round(interval.high, 3) == 0.867
    assert rules.wilson(1.0, 5).high == 1.0 and rules.wilson(1.0, 5).low > 0.5
    assert rules.wilson(0.0, 5).low == 0.0
    assert rules.wilson(0.5, 0) is None


def test_weighted_share_counts_four_and_five_as_satisfied():
    assert rules.weighted_share([(5, 1), (3, 1)]) == 0.5
    assert rules.weighted_share([(4, 2), (3, 1), (2, 1)]) == 0.5
    assert rules.weighted_share([(3.99, 1)]) == 0.0
    assert rules.weighted_share([]) is None


def test_token_of_current_and_previous_window_accepted_not_older_or_next():
    key = b"k" * 32
    window = 1000
    assert rules.token_is_valid(key, "P-HAICHAU", rules.window_token(key, "P-HAICHAU", 1000), 1000)
    assert rules.token_is_valid(key, "p-haichau", rules.window_token(key, "P-HAICHAU", 999), window)
    assert not rules.token_is_valid(
        key, "P-HAICHAU", rules.window_token(key, "P-HAICHAU", 998), window
    )
    assert not rules.token_is_valid(
        key, "P-HAICHAU", rules.window_token(key, "P-HAICHAU", 1001), window
    )
    assert not rules.token_is_valid(
        key, "P-HOIAN", rules.window_token(key, "P-HAICHAU", 1000), window
    )
    assert not rules.token_is_valid(
        b"x" * 32, "P-HAICHAU", rules.window_token(key, "P-HAICHAU", 1000), window
    )
    assert not rules.token_is_valid(key, "P-HAICHAU", "", window)


def test_window_boundaries():
    assert rules.window_of(86399, 86400) == 0
    assert rules.window_of(86400, 86400) == 1


def test_time_to_fill_boundaries():
    assert not rules.filled_like_a_person(2.99, 3, 7200)
    assert rules.filled_like_a_person(3, 3, 7200)
    assert rules.filled_like_a_person(7200, 3, 7200)
    assert not rules.filled_like_a_person(7200.01, 3, 7200)
