"""`flask --app lms completions import FILE --actor LOGIN [--dry-run]`, `flask --app lms ledger
verify`, `ledger seal` and `ledger rekey`: historical completions from the shell, the check of
every official's keyed hash chain, of the audit entries and of the seals, the seal itself, and
the re-hashing under the ledger key (after the upgrade that introduced it, or to rotate it)."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from lms.common import sealing
from lms.common.tabular import TableError, iter_chunks, read_table
from lms.curricula import completions_import, ledger
from lms.curricula.models import LedgerEntry
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation.models import Official

completions_cli = AppGroup("completions", help="Course completions: historical imports.")
ledger_cli = AppGroup("ledger", help="The credit ledger: verify the hash chains, seal, rekey.")

PROBLEMS = {
    "hash": _l("content changed, or hashed without the ledger key"),
    "link": _l("link broken (prev_hash is not the hash of the previous entry)"),
    "gap": _l("entry missing before this one (sequence gap)"),
    "actor": _l("names neither a person nor a system source"),
    "audit": _l("no audit entry by the same actor records it"),
}


SEAL_PROBLEMS = {
    "signature": _l("a seal's figures do not match its signature (altered, or the key changed)"),
    "missing": _l("sealed entries were removed"),
    "extra": _l("entries appeared among the sealed ones"),
    "heads": _l("an official's last sealed entry was replaced or removed"),
    "emptied": _l("seals that entries name are gone (the seal table was emptied or cut)"),
    "seal_gap": _l("a seal is missing between others"),
    "seal_chain": _l("a seal does not follow the one before it"),
}


def _codes(official_ids) -> dict[int, str]:
    codes = {}
    for chunk in iter_chunks(sorted(set(official_ids)), 900):
        rows = db.session.execute(
            select(Official.id, Official.employee_code).where(Official.id.in_(chunk))
        )
        codes.update(dict(rows.all()))
    return codes


def check_ledger(echo) -> list[str]:
    """Check the ledger (chains, audit entries, seals), telling `echo` each break; returns a
    short summary of each kind of problem found (empty: the ledger holds)."""
    total = db.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
    breaks, unkeyed = [], 0
    with click.progressbar(length=total, label=_("Verifying"), file=sys.stderr) as bar:
        for found in ledger.verify(progress=bar.update):
            if found.problem == "unkeyed":
                unkeyed += 1
            else:
                breaks.append(found)
    sealed = ledger.check_seal()
    if sealed.seal is None:
        echo(_("No seal yet (`flask ledger seal`, also run nightly)."))
    else:
        stamp = _(
            "seal no. %(seq)s of %(moment)s UTC (%(entries)s entries)",
            seq=sealed.seal.seq,
            moment=f"{sealed.seal.sealed_at:%Y-%m-%d %H:%M}",
            entries=sealed.seal.entries,
        )
        state = _("BROKEN") if sealed.problems else _("holds")
        echo(f"{stamp}: {state}")
    for problem in sealed.problems:
        echo(_("BROKEN seal: %(problem)s", problem=SEAL_PROBLEMS[problem]))
    codes = _codes(b.official_id for b in breaks)
    for found in breaks:
        code = codes.get(found.official_id, f"#{found.official_id}")
        echo(
            _(
                "BROKEN %(code)s seq %(seq)s (entry %(entry)s): %(problem)s",
                code=code,
                seq=found.seq,
                entry=found.entry_id,
                problem=PROBLEMS[found.problem],
            )
        )
    if unkeyed:
        echo(
            _(
                "%(count)s entries are hashed without the ledger key (written before the "
                "upgrade): run `flask --app lms ledger rekey` once.",
                count=unkeyed,
            )
        )
    summary = []
    if breaks:
        summary.append(
            _(
                "%(breaks)s break(s) in the ledger of %(officials)s official(s) among %(total)s "
                "entries",
                breaks=len(breaks),
                officials=len(codes),
                total=total,
            )
        )
    if sealed.problems:
        summary.append(
            _("the seals do not hold (%(problems)s)", problems=", ".join(sealed.problems))
        )
    if unkeyed:
        summary.append(_("%(count)s entries without the key", count=unkeyed))
    if not summary:
        echo(_("Ledger OK: %(total)s entries verified.", total=total))
    return summary


@ledger_cli.command("verify")
def verify_ledger() -> None:
    """Check every official's chain of ledger entries under the ledger key, that every entry
    names its actor or system source and has its audit entry, then the seals; exit code 1 and
    one line per break (employee code, seq, problem) when a row was changed, added, deleted,
    re-hashed or reordered in SQL, or when sealed entries or seals are gone."""
    summary = check_ledger(click.echo)
    if summary:
        raise click.ClickException("; ".join(summary) + ".")


@ledger_cli.command("seal")
def seal_ledger() -> None:
    """Seal the ledger as it is now: the number of entries and each official's last one,
    signed with the ledger key and chained to the previous seal, so that `ledger verify`
    notices sealed entries, or seals, removed later."""
    row = ledger.seal()
    db.session.commit()
    if row is None:
        click.echo(_("The ledger is empty: nothing to seal."))
        return
    click.echo(
        _(
            "Sealed %(entries)s entries of %(officials)s officials: %(digest)s",
            entries=row.entries,
            officials=row.officials,
            digest=row.digest,
        )
    )


@ledger_cli.command("rekey")
def rekey_ledger() -> None:
    """Re-hash every entry and re-sign every seal under the current ledger key: once after the
    upgrade that introduced the key (entries hashed before it), and to rotate the key (set the
    old one as LMS_LEDGER_PREVIOUS_KEY, the new one as LMS_LEDGER_KEY). Refuses, changing
    nothing, when the ledger does not verify as it is. Audited."""
    total = db.session.scalar(select(func.count()).select_from(LedgerEntry)) or 0
    try:
        with click.progressbar(length=total, label=_("Re-hashing"), file=sys.stderr) as bar:
            done = ledger.rekey(progress=bar.update)
    except RuleViolation as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(
        _(
            "Re-hashed %(entries)s entries (%(legacy)s from before the key) and re-signed "
            "%(seals)s seals under the key %(key)s.",
            entries=done.entries,
            legacy=done.legacy,
            seals=done.seals,
            key=done.key_id,
        )
    )
    if current_app.config.get("LMS_LEDGER_PREVIOUS_KEY"):
        click.echo(_("Remove LMS_LEDGER_PREVIOUS_KEY from the settings now."))


def _importer(login: str | None, override: str | None, dry_run: bool):
    """The account an import acts for (`--actor`): an enabled HR officer or administrator; its
    HR scope limits the rows, its own record is refused unless an administrator overrides."""
    from lms.auth.models import ADMINISTRATOR, HR_OFFICER, User
    from lms.auth.permissions import has_role, is_admin, scope_paths

    if override is not None and not override.strip():
        raise click.ClickException(_("--override-own-record needs a reason."))
    if login is None:
        if not dry_run:
            raise click.ClickException(
                _(
                    "Name the account the import acts for: --actor LOGIN "
                    "(an HR officer or an administrator)."
                )
            )
        if override:
            raise click.ClickException(_("--override-own-record needs --actor."))
        return None, None
    user = db.session.scalar(select(User).where(User.username == login.strip().lower()))
    if user is None or not user.is_enabled or not has_role(user, HR_OFFICER, ADMINISTRATOR):
        raise click.ClickException(
            _("%(login)s is not an enabled HR officer or administrator account.", login=login)
        )
    if override and not is_admin(user):
        raise click.ClickException(
            _("Only an administrator may override the separation of duties.")
        )
    return user, scope_paths(user, HR_OFFICER, ADMINISTRATOR)


@completions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--valid-only", is_flag=True, help="Import the valid rows even if others fail.")
@click.option(
    "--actor",
    "login",
    metavar="LOGIN",
    help="The account the import acts for (HR officer or administrator); required to write.",
)
@click.option(
    "--override-own-record",
    "override",
    metavar="REASON",
    help="Administrator only: also import rows about the actor's own record (audited).",
)
def import_completions(
    file: str, dry_run: bool, valid_only: bool, login: str | None, override: str | None
) -> None:
    """Import historical completions (employee_code, course_code, completed_on, score, credits,
    certificate_number) from a CSV or XLSX file. Importing the same file again adds nothing.

    The import acts for an account (--actor): the entries carry it, its HR scope limits the
    rows, and rows about its own official record are refused (separation of duties) unless an
    administrator gives --override-own-record REASON, which is audited."""
    actor, scope = _importer(login, override, dry_run)
    data = Path(file).read_bytes()
    try:
        table = read_table(file, data, current_app.config["LMS_IMPORT_MAX_BYTES"])
    except TableError as error:
        raise click.ClickException(str(error)) from None
    own = None if override else getattr(actor, "official_id", None)
    plan = completions_import.plan(table, scope, own_official_id=own)
    summary = plan.summary()
    click.echo(
        "{total} rows: {new} new, {unchanged} already imported, {error} with errors.".format(
            **summary
        )
    )
    for line, code, column, message in completions_import.report_rows(plan):
        if column or line == 1:
            click.echo(f"  line {line}: {code} {column}: {message}".replace("  :", ":"))
    if plan.file_errors or (plan.has_errors and not valid_only):
        raise click.ClickException(
            "Nothing was imported: fix the rows above (or use --valid-only)."
        )
    if dry_run:
        click.echo("Dry run: nothing written.")
        return
    counts = completions_import.apply(
        plan, actor=actor, valid_only=valid_only, override=override.strip() if override else None
    )
    db.session.commit()
    if not counts["created"]:
        click.echo("No change: every row was imported before.")
    else:
        click.echo(
            "Imported: {created} completions, {credits} credits written, "
            "{skipped} rows skipped.".format(**counts)
        )
    if counts["skipped"]:
        sys.exit(1)


# --- the three protected records together -----------------------------------------------------

integrity_cli = AppGroup(
    "integrity", help="The ledger, frozen statements and audit log: verify, seal, rekey."
)
KIND_NAMES = {sealing.STATEMENTS: _l("Frozen statements"), sealing.AUDIT: _l("Audit log")}


@integrity_cli.command("verify")
def verify_integrity() -> None:
    """Check the credit ledger (as `ledger verify`), then every frozen statement and audit
    entry against its MAC under the ledger key, and their seals; exit code 1 with one line per
    problem when a row was changed, added or deleted in SQL or seals are gone."""
    summary = check_ledger(click.echo)
    for kind in sealing.KINDS:
        found = sealing.check(kind)
        name = KIND_NAMES[kind]
        for row_id in found.altered:
            click.echo(
                _(
                    "BROKEN %(name)s: row %(id)s was changed or added without the key",
                    name=name,
                    id=row_id,
                )
            )
        for problem in found.seal_problems:
            click.echo(
                _("BROKEN %(name)s seal: %(problem)s", name=name, problem=SEAL_PROBLEMS[problem])
            )
        if found.unkeyed:
            click.echo(
                _(
                    "%(name)s: %(count)s rows written before the key: run "
                    "`flask --app lms integrity rekey` once.",
                    name=name,
                    count=found.unkeyed,
                )
            )
        if found.holds:
            click.echo(_("%(name)s OK: %(rows)s rows verified.", name=name, rows=found.rows))
        else:
            summary.append(_("%(name)s do not hold", name=name))
    if summary:
        raise click.ClickException("; ".join(summary) + ".")


@integrity_cli.command("seal")
def seal_integrity() -> None:
    """Seal the ledger, the frozen statements and the audit log as they are now (the nightly
    job does it too)."""
    ledger.seal()
    for kind in sealing.KINDS:
        sealing.seal(kind)
    db.session.commit()
    click.echo(_("Sealed the ledger, the frozen statements and the audit log."))


@integrity_cli.command("rekey")
def rekey_integrity() -> None:
    """Re-hash the ledger (as `ledger rekey`), then sign the frozen statements and audit
    entries written before the key and re-sign every row and seal under the current key: once
    after the upgrade, and to rotate the key. Refuses, changing nothing, when anything does
    not verify as it is."""
    try:
        done = ledger.rekey()
        counts = {kind: sealing.rekey(kind) for kind in sealing.KINDS}
    except (RuleViolation, ValueError) as error:
        db.session.rollback()
        raise click.ClickException(getattr(error, "message", str(error))) from None
    db.session.commit()
    click.echo(
        _(
            "Re-hashed %(entries)s ledger entries; signed %(statements)s statements and "
            "%(audit)s audit entries written before the key, re-signed %(again)s.",
            entries=done.entries,
            statements=counts[sealing.STATEMENTS][0],
            audit=counts[sealing.AUDIT][0],
            again=counts[sealing.STATEMENTS][1] + counts[sealing.AUDIT][1],
        )
    )


COMMANDS = (completions_cli, ledger_cli, integrity_cli)
