"""Tests for lms.common.vntext: normalisation, search keys, name parts and Vietnamese collation."""

import random
import re
import unicodedata
from pathlib import Path

import pytest

from lms.common import vntext
from tests.shared_fixtures import FIXTURES, require

CLDR = FIXTURES / "unicode-cldr-vi"
NAMES = FIXTURES / "vi-names-duyet"

# Every precomposed Vietnamese letter (lowercase), used to generate random text.
VI_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)


def fixture(path: Path) -> Path:
    """Return path; the test fails (never skips) if the shared fixture is not checked out."""
    return require(path)


def read_lines(path: Path) -> list[str]:
    """Lines of a UTF-8 fixture file without line endings (trailing empty line dropped)."""
    return fixture(path).read_text(encoding="utf-8").splitlines()


def expected_order(name: str) -> list[str]:
    """The vi_standard column (2nd) of a CLDR collation fixture, in its expected order."""
    rows = [line.split("\t") for line in read_lines(CLDR / name) if line and line[0] != "#"]
    assert rows, f"no data rows in {name}"
    return [row[1] for row in rows]


def shuffled(items: list[str], seed: int = 20240901) -> list[str]:
    """A copy of items in a fixed pseudo-random order."""
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


def random_text(rng: random.Random, max_len: int = 8) -> str:
    """Random text mixing Vietnamese letters of both cases, separators and unlisted characters."""
    alphabet = VI_LETTERS + VI_LETTERS.upper() + "fjwzFJWZ" + "  -.,'0159" + "çüñяЯ中😀\ue000"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, max_len)))


def random_name(rng: random.Random) -> str:
    """A random full name of one to four words from a small pool (so parts often tie)."""
    words = ["An", "Anh", "Ánh", "an", "Bình", "Đức", "Dũng", "Hoà", "Hòa", "Lê", "Nguyễn", "Thị"]
    return " ".join(rng.choice(words) for _ in range(rng.randint(1, 4)))


def assert_same_order(items: list[str], key_a, key_b) -> None:
    """Assert that key_a and key_b compare every pair of items the same way, ties included."""
    keys_a = [key_a(item) for item in items]
    keys_b = [key_b(item) for item in items]
    for i in range(len(items)):
        for j in range(len(items)):
            a_cmp = (keys_a[i] > keys_a[j]) - (keys_a[i] < keys_a[j])
            b_cmp = (keys_b[i] > keys_b[j]) - (keys_b[i] < keys_b[j])
            assert a_cmp == b_cmp, (items[i], items[j])


# --- normalize -------------------------------------------------------------------------------


def test_normalize_keeps_none_as_none():
    assert vntext.normalize(None) is None


def test_normalize_composes_nfd_input_to_nfc():
    nfd = unicodedata.normalize("NFD", "Nguyễn Văn Đức")
    assert nfd != "Nguyễn Văn Đức"
    assert vntext.normalize(nfd) == "Nguyễn Văn Đức"


def test_normalize_replaces_eth_lookalikes_with_d_stroke():
    assert vntext.normalize("\u00d0ức \u00f0ạt") == "\u0110ức \u0111ạt"


def test_normalize_strips_and_collapses_whitespace():
    assert vntext.normalize("  Lê\t Thị\u00a0\u00a0Thu\n Hà ") == "Lê Thị Thu Hà"
    assert vntext.normalize(" \t ") == ""


def test_normalize_does_not_move_tone_marks():
    assert vntext.normalize("Hoà") == "Hoà"
    assert vntext.normalize("Hòa") == "Hòa"


def test_normalize_produces_ucd_nfc_for_every_decomposable_vietnamese_letter():
    checked = 0
    for line in read_lines(CLDR / "ucd15" / "NormalizationTest-Vietnamese-subset.txt"):
        if not line or line[0] in "#@":
            continue
        source, nfc, nfd = (
            "".join(chr(int(cp, 16)) for cp in column.split()) for column in line.split(";")[:3]
        )
        if any(ch.isspace() or ch in "\u00d0\u00f0" for ch in source + nfc + nfd):
            continue  # normalize() would also strip or remap these
        assert vntext.normalize(source) == nfc, line
        assert vntext.normalize(nfd) == nfc, line
        checked += 1
    assert checked == 132  # 66 letters x 2 cases; đ/Đ have no decomposition so are not listed


# --- search_key ------------------------------------------------------------------------------


def test_search_key_ignores_accents_case_unicode_form_and_eth_lookalike():
    variants = [
        "Nguyễn Văn Đức",
        unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        "NGUYỄN VĂN \u00d0ỨC",
        "  nguyen   van duc ",
    ]
    assert {vntext.search_key(v) for v in variants} == {"nguyen van duc"}


def test_search_key_of_none_or_empty_text_is_empty():
    assert vntext.search_key(None) == ""
    assert vntext.search_key("") == ""
    assert vntext.search_key("   ") == ""


def test_search_key_treats_both_tone_placements_alike():
    assert vntext.search_key("Hoà") == vntext.search_key("Hòa") == "hoa"


@pytest.mark.parametrize("gender", ["boy", "girl"])
def test_search_key_of_given_names_matches_the_unaccented_list(gender):
    names = read_lines(NAMES / f"{gender}.txt")
    plain = read_lines(NAMES / f"{gender}_no_accents.txt")
    assert len(names) == len(plain) > 1000  # the two lists align line by line
    assert any("\u00d0" in name for name in names)  # the real data uses the Ð look-alike
    for name, expected in zip(names, plain, strict=True):
        assert vntext.search_key(name) == expected.lower(), name


@pytest.mark.parametrize("list_name", ["boy_one_word", "girl_one_word"])
def test_search_key_of_single_word_names_is_plain_ascii_letters(list_name):
    for name in read_lines(NAMES / f"{list_name}.txt"):
        assert re.fullmatch(r"[a-z]+", vntext.search_key(name)), name


# --- split_name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Lê Thị Thu Hà", ("Lê", "Thị Thu", "Hà")),
        ("Lý Hùng", ("Lý", "", "Hùng")),
        ("An", ("", "", "An")),
        ("", ("", "", "")),
        ("  Trần\t Đức  Anh ", ("Trần", "Đức", "Anh")),
    ],
)
def test_split_name_returns_family_middle_and_given_name(full_name, parts):
    assert vntext.split_name(full_name) == parts


# --- sort_key / sort_string ------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture_name",
    ["collation-probe-expected.tsv", "collation-vn_provinces_cldr41-expected.tsv"],
)
@pytest.mark.parametrize("key", [vntext.sort_key, vntext.sort_string], ids=lambda f: f.__name__)
def test_sorting_reproduces_the_cldr_vietnamese_standard_order(fixture_name, key):
    expected = expected_order(fixture_name)
    assert sorted(shuffled(expected), key=key) == expected


@pytest.mark.parametrize("key", [vntext.sort_key, vntext.sort_string], ids=lambda f: f.__name__)
def test_nfd_input_sorts_exactly_like_nfc_input(key):
    expected = expected_order("collation-probe-expected.tsv")
    nfd = [unicodedata.normalize("NFD", item) for item in shuffled(expected)]
    result = sorted(nfd, key=key)
    assert [unicodedata.normalize("NFC", item) for item in result] == expected


def test_nfd_and_eth_lookalike_input_get_the_same_key_as_nfc():
    nfc = "Đặng Thị Hoà"
    assert vntext.sort_key(unicodedata.normalize("NFD", nfc)) == vntext.sort_key(nfc)
    assert vntext.sort_string("\u00d0ặng Thị Hoà") == vntext.sort_string(nfc)


def test_tones_sort_none_grave_hook_tilde_acute_dot_below():
    expected = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(shuffled(expected), key=vntext.sort_key) == expected


def test_d_stroke_is_its_own_letter_after_d():
    assert vntext.sort_key("Dũng") < vntext.sort_key("Đạt") < vntext.sort_key("Em")
    assert vntext.sort_string("Dz") < vntext.sort_string("Đa")


def test_lowercase_sorts_before_uppercase_only_when_all_else_ties():
    assert vntext.sort_key("da") < vntext.sort_key("Da") < vntext.sort_key("dà")


def test_space_and_punctuation_sort_before_digits_and_digits_before_letters():
    expected = ["a b", "a-b", "a.b", "a0", "a9", "aa"]
    assert sorted(shuffled(expected), key=vntext.sort_key) == expected
    assert sorted(shuffled(expected), key=vntext.sort_string) == expected


def test_sort_string_is_lowercase_hex_in_four_digit_weights():
    for text in ["Nguyễn Văn An", "", "Ça va? 中文 😀", unicodedata.normalize("NFD", "Hòa")]:
        encoded = vntext.sort_string(text)
        assert re.fullmatch(r"([0-9a-f]{4})*", encoded), text


def test_characters_outside_the_tables_sort_after_letters_by_code_point():
    expected = ["ç", "z", "я", "Я", "中", "\ue000", "😀"]  # ç is c plus an unlisted mark
    assert sorted(shuffled(expected), key=vntext.sort_key) == expected
    assert sorted(shuffled(expected), key=vntext.sort_string) == expected


def test_sort_string_agrees_with_sort_key_on_random_vietnamese_text():
    rng = random.Random(7)
    texts = [random_text(rng) for _ in range(300)]
    texts += [unicodedata.normalize("NFD", text) for text in texts[:50]]
    assert_same_order(texts, vntext.sort_key, vntext.sort_string)


# --- name ordering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", [vntext.name_sort_key, vntext.name_sort_string], ids=lambda f: f.__name__
)
def test_names_sort_by_given_name_then_family_then_middle(key):
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Phạm Đức Anh", "Đỗ Thị Ánh"]
    assert sorted(names, key=key) == [
        "Lê Văn An",
        "Nguyễn Thị An",
        "Phạm Đức Anh",
        "Đỗ Thị Ánh",
        "Trần Văn Bình",
    ]


def test_name_sort_string_puts_a_given_name_before_a_longer_one_it_starts():
    assert vntext.name_sort_string("Vũ An") < vntext.name_sort_string("Bùi Anh")
    assert vntext.name_sort_string("Lê Thị An") < vntext.name_sort_string("Lê Thị Thu An")


def test_name_sort_string_agrees_with_name_sort_key_on_random_names():
    rng = random.Random(11)
    names = [random_name(rng) for _ in range(300)]
    assert_same_order(names, vntext.name_sort_key, vntext.name_sort_string)
