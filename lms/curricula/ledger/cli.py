"""`flask --app lms ledger verify`, `ledger seal` and `ledger rekey`: the check of every
official's keyed hash chain, of the audit entries and of the seals, the seal itself, and the
re-hashing under the ledger key (after the upgrade that introduced it, or to rotate it)."""

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from lms.common.tabular import iter_chunks
from lms.curricula.ledger import portable, seals
from lms.curricula.ledger.models import LedgerEntry
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _, _l
from lms.organisation.models import Official
from lms.signing.keys import credential_key

ledger_cli = AppGroup(
    "ledger", help="The credit ledger: verify the hash chains, seal, rekey, export, import."
)

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
        for found in seals.verify(progress=bar.update):
            if found.problem == "unkeyed":
                unkeyed += 1
            else:
                breaks.append(found)
    sealed = seals.check_seal()
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
    row = seals.seal()
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
            done = seals.rekey(progress=bar.update)
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


@ledger_cli.command("export")
@click.argument("employee_code")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None)
def export_record(employee_code: str, output: str | None) -> None:
    """Write an official's whole ledger as a signed training record (JSON) that another
    installation imports with `ledger import` (docs/signing.md "Portable training record");
    to standard output without -o."""
    official = db.session.scalar(
        select(Official).where(Official.employee_code == employee_code.strip()[:32])
    )
    if official is None:
        raise click.ClickException(_("No official has the code %(code)s.", code=employee_code))
    data = portable.dumps(portable.export_document(official, credential_key()))
    if output is None:
        click.echo(data.decode())
        return
    with open(output, "wb") as handle:
        handle.write(data)
    click.echo(
        _(
            "Training record of %(code)s written to %(file)s.",
            code=official.employee_code,
            file=output,
        ),
        err=True,
    )


@ledger_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--official", "employee_code", default=None, help=_l("The official's code here, if it differs.")
)
@click.option("--dry-run", is_flag=True, help=_l("Check the file and say what would be imported."))
def import_record(path: str, employee_code: str | None, dry_run: bool) -> None:
    """Import a signed training record from another installation: checks its signature and
    hash chain and the official, then appends its new entries as imported entries keeping
    their issuer and dates, all or nothing (audited). Exit code 1 with the reason when the
    file is refused."""
    with open(path, "rb") as handle:
        data = handle.read(portable.MAX_BYTES + 1)
    try:
        checked = portable.check(data, employee_code, credential_key())
        issuer = checked.document["issuer"]
        click.echo(
            _(
                "Signed by %(name)s (%(did)s, key %(key)s) for %(code)s: %(new)s new entries, "
                "%(skipped)s already here.",
                name=issuer.get("name"),
                did=issuer.get("id"),
                key=issuer.get("publicKeyMultibase"),
                code=checked.official.employee_code,
                new=len(checked.new),
                skipped=checked.skipped,
            )
        )
        if dry_run:
            return
        portable.apply(checked, actor=None)
    except RuleViolation as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(_("Imported %(count)s entries.", count=len(checked.new)))


COMMANDS = (ledger_cli,)
