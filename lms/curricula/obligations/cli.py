"""`flask --app lms curricula refresh [--cycle YEAR]`: the nightly obligations run, by hand
(`curricula demo`, the demo cycles and curricula, is added to the group by lms.demo.cli)."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.common import clock
from lms.curricula.cycles.models import Cycle
from lms.curricula.obligations import engine as obligations
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import Official

curricula_cli = AppGroup("curricula", help="Position curricula, cycles and obligations.")


def _cycle(year: int | None) -> Cycle:
    if year is None:
        cycle = obligations.cycle_on(clock.today())
        if cycle is None:
            raise click.ClickException(_("No cycle contains today; create one or pass --cycle."))
        return cycle
    cycle = db.session.scalar(select(Cycle).where(Cycle.year == year))
    if cycle is None:
        raise click.ClickException(_("There is no cycle %(year)s.", year=year))
    return cycle


@curricula_cli.command("refresh")
@click.option("--cycle", "year", type=int, help="Cycle year (default: the cycle containing today).")
def refresh(year: int | None) -> None:
    """Recompute every official's target and obligations in a cycle.

    Runs in batches, committing after each, so a city's 30,000 officials never sit in one
    transaction; officials whose unit has the cycle closed are left as they are. Safe to run
    again at any time: an unchanged official writes nothing.
    """
    cycle = _cycle(year)
    ids = list(db.session.scalars(select(Official.id).order_by(Official.id)))
    total = obligations.Report()
    batches = [ids[i : i + obligations.BATCH] for i in range(0, len(ids), obligations.BATCH)]
    with click.progressbar(
        batches, label=_("Cycle %(year)s", year=cycle.year), item_show_func=lambda _b: None
    ) as bar:
        for batch in bar:
            total.add(obligations.refresh(batch, cycle))
            db.session.commit()
    click.echo(
        _(
            "%(officials)d officials refreshed, %(closed)d skipped (cycle closed); obligations: "
            "%(inserted)d added, %(updated)d updated, %(withdrawn)d withdrawn; "
            "%(targets)d targets written.",
            officials=total.officials,
            closed=total.skipped_closed,
            inserted=total.inserted,
            updated=total.updated,
            withdrawn=total.withdrawn,
            targets=total.targets_written,
        )
    )


COMMANDS = (curricula_cli,)
