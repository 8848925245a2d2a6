"""Every interface string is translated into Vietnamese, with the same placeholders."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

CATALOGS = Path(__file__).resolve().parents[2] / "lms" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _messages(locale: str):
    with open(CATALOGS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return [m for m in read_po(handle) if m.id]


def _template_ids() -> set:
    with open(CATALOGS / "messages.pot", "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_the_vietnamese_catalog_translates_every_string():
    missing = [
        m.id
        for m in _messages("vi")
        if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in _messages("vi") if m.fuzzy]
    assert not missing, f"untranslated: {missing}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_the_catalogs_hold_every_string_of_the_template():
    for locale in ("vi", "en"):
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _messages(locale)}
        assert _template_ids() <= ids, locale


def test_translations_keep_the_placeholders():
    for message in _messages("vi"):
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source


def test_the_template_is_up_to_date_with_the_code(tmp_path):
    import subprocess
    import sys

    root = CATALOGS.parents[1]
    out = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(out),
            ".",
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    with open(out, "rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert fresh == _template_ids(), "run: flask --app lms translate update, then translate"
