"""`flask translate extract|update|compile`: keep the vi and en catalogs in step with the code."""

import subprocess
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "lms" / "translations"
POT = CATALOGS / "messages.pot"

translate_cli = AppGroup("translate", help="Translation catalogs (vi, en).")


def _pybabel(*args: str) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise click.ClickException("pybabel " + " ".join(args[:1]) + " failed")


@translate_cli.command("update")
def update() -> None:
    """Extract every string into messages.pot and merge it into each catalog."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--width",
        "100",
        "-o",
        str(POT),
        ".",
    )
    _pybabel(
        "update", "-i", str(POT), "-d", str(CATALOGS), "--no-fuzzy-matching", "--width", "100"
    )


@translate_cli.command("compile")
def compile_catalogs() -> None:
    """Compile the .po catalogs to .mo; fails on a broken catalog."""
    _pybabel("compile", "-d", str(CATALOGS), "--statistics")
