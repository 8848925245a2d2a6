"""`flask translate update|compile`: keep the vi and en catalogs in step with the code."""

import subprocess
import sys
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "lms" / "translations"
POT = CATALOGS / "messages.pot"

# pybabel skips folders whose name starts with "_" or "." unless told which to skip: that hid
# templates/_macros (the pager's "Previous", "Next"…) from the catalogs. Skip only the hidden ones.
EXTRACT_ARGS = (
    "extract",
    "-F",
    "babel.cfg",
    "-k",
    "_l",
    "--ignore-dirs",
    ".* __pycache__ out",
)
SOURCE_LOCALE = "en"  # msgids are English: its catalog copies them
WIDTH = "100"  # the catalogs' line width (pybabel's 76 rewrapped the vi catalog on every update)

translate_cli = AppGroup("translate", help="Translation catalogs (vi, en).")


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise click.ClickException("pybabel " + " ".join(args[:1]) + " failed")


@translate_cli.command("update")
def update() -> None:
    """Extract every string into messages.pot and merge it into each catalog."""
    _pybabel(*EXTRACT_ARGS, "--no-location", "--sort-output", "--width", WIDTH, "-o", str(POT), ".")
    _pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(CATALOGS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--width",
        WIDTH,
    )
    filled = fill_from_msgids(CATALOGS / SOURCE_LOCALE / "LC_MESSAGES" / "messages.po")
    click.echo(f"{SOURCE_LOCALE}: {filled} new messages filled from their msgid")


def fill_from_msgids(path: Path) -> int:
    """Give every empty msgstr of the catalog at `path` its msgid (singular and plural), so the
    English catalog is complete without hand work; returns how many were filled."""
    with open(path, "rb") as handle:
        catalog = read_po(handle)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            strings = message.string if isinstance(message.string, tuple) else ()
            if not strings or not all(strings):
                singular, plural = message.id[0], message.id[1]
                forms = range(catalog.num_plurals)
                message.string = tuple(singular if i == 0 else plural for i in forms)
                filled += 1
        elif not message.string:
            message.string = message.id
            filled += 1
    if filled:
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=int(WIDTH))
    return filled


@translate_cli.command("compile")
def compile_catalogs() -> None:
    """Compile the .po catalogs to .mo; fails on a broken catalog."""
    _pybabel("compile", "-d", str(CATALOGS), "--statistics")
