"""Every interface string is translated into Vietnamese, with the same placeholders; the English
catalog is complete too; and the extraction sees every template (macros included)."""

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


def test_the_english_catalog_fills_every_string():
    missing = [
        m.id
        for m in _messages("en")
        if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert not missing, f"empty en msgstr (run flask --app lms translate update): {missing}"


def test_the_english_catalog_keeps_the_placeholders():
    for message in _messages("en"):
        source = message.id if isinstance(message.id, str) else message.id[-1]
        target = message.string if isinstance(message.string, str) else message.string[-1]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source


def test_translate_update_fills_empty_english_strings_from_the_msgid(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from lms.translate_cli import fill_from_msgids

    catalog = Catalog(locale="en")
    catalog.add("Save")
    catalog.add("Kept", "Kept as written")
    catalog.add(("%(num)d file", "%(num)d files"))
    path = tmp_path / "messages.po"
    with open(path, "wb") as handle:
        write_po(handle, catalog)
    assert fill_from_msgids(path) == 2
    with open(path, "rb") as handle:
        strings = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(handle)}
    assert strings["Save"] == "Save"
    assert strings["Kept"] == "Kept as written"
    assert strings["%(num)d file"] == ("%(num)d file", "%(num)d files")
    assert fill_from_msgids(path) == 0


def test_the_macros_are_extracted():
    """pybabel skips folders starting with "_" by default; the pager lives in templates/_macros."""
    assert {"Previous", "Next", "Page %(page)s of %(pages)s"} <= _template_ids()


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

    from lms.translate_cli import EXTRACT_ARGS

    root = CATALOGS.parents[1]
    out = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            *EXTRACT_ARGS,
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
