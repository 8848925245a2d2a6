"""lms.common.vntext pinned where make mutation found the suite loose (docs/testing.md, "Mutation
testing"): the exact weights of characters outside the collation tables on both sides of the
0xEF00 split, the key of empty text, and the layout of name_sort_string."""

import pytest

from lms.common import vntext


@pytest.mark.parametrize(
    ("code_point", "weights"),
    [
        (0x4E2D, (0x0100 + 0x4E2D,)),  # 中
        (0xEEFF, (0xEFFF,)),  # the last code point weighted by one weight
        (0xEF00, (0xF00E, 0x0F01)),  # the first weighted by two
        (0xFFFD, (0xF00F, 0x0FFE)),
        (0x10000, (0xF010, 0x0001)),
        (0x1F600, (0xF01F, 0x0601)),  # 😀
        (0x10FFFF, (0xF10F, 0x1000)),  # the last code point: still 4 hex digits each
    ],
)
def test_a_character_outside_the_tables_is_weighted_by_its_code_point(code_point, weights):
    primary, secondary, tertiary = vntext.sort_key(chr(code_point))
    assert primary == weights
    assert secondary == (1,) and tertiary == (1,)
    assert vntext.sort_string(chr(code_point)) == "".join(f"{w:04x}" for w in weights) + (
        "0000000100000001"
    )


def test_code_points_around_the_split_keep_code_point_order():
    code_points = [0xEEFE, 0xEEFF, 0xEF00, 0xEF01, 0xEFFF, 0xF000, 0xFFFF, 0x10000, 0x1F600]
    texts = [chr(cp) for cp in code_points]
    assert sorted(reversed(texts), key=vntext.sort_key) == texts
    assert sorted(reversed(texts), key=vntext.sort_string) == texts


def test_an_unlisted_mark_is_weighted_by_its_code_point_on_the_secondary_level():
    # c + cedilla (U+0327): the letter c, then no tone and the mark's own weight.
    primary, secondary, _ = vntext.sort_key("ç")
    assert primary == vntext.sort_key("c")[0]
    assert secondary == (1, 0x0100 + 0x0327)


@pytest.mark.parametrize("text", ["", None, "   "])
def test_empty_text_has_an_empty_key(text):
    assert vntext.sort_key(text) == ((), (), ())
    assert vntext.sort_string(text) == "00000000"


def test_name_sort_string_is_given_family_middle_joined_by_full_stops():
    string = vntext.sort_string
    assert vntext.name_sort_string("Lê Thị Thu Hà") == ".".join(
        [string("Hà"), string("Lê"), string("Thị Thu")]
    )
    empty = string("")  # "00000000": the two level separators of no weights
    assert vntext.name_sort_string("Hà") == f"{string('Hà')}.{empty}.{empty}"
    assert vntext.name_sort_string("") == f"{empty}.{empty}.{empty}"
