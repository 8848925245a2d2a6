"""`flask --app lms demo load|history|activity|satisfaction|close-past`: the demo data set,
and `curricula demo` (the demo cycles and curricula, added to curricula's group so that
curricula never imports the demo); all refused under the production config."""

import click
from flask import current_app
from flask.cli import AppGroup

from lms.curricula.obligations.cli import curricula_cli
from lms.demo.loader import load_demo
from lms.demo.recruitment import load_recruitment
from lms.errors import LMSError
from lms.extensions import db
from lms.i18n import _

demo_cli = AppGroup("demo", help="Demo data for Đà Nẵng.")


@demo_cli.command("load")
@click.option(
    "--seed", default=2026, show_default=True, help="Random seed for generated officials."
)
def load(seed: int) -> None:
    """Load units, ranks, positions, ~600 officials and the demo logins. Idempotent."""
    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException(_("Demo data is refused under the production configuration."))
    try:
        result = load_demo(seed)
    except LMSError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    if result["officials"]:
        click.echo(
            _(
                "Demo loaded: %(officials)d officials; logins admin, hr, manager, reviewer, "
                "learner, head (password Demo@2026).",
                officials=result["officials"],
            )
        )
    else:
        click.echo(_("Demo data already present; nothing changed."))


@demo_cli.command("recruitment")
def recruitment() -> None:
    """Load the demo recruitment TD2026 (after the courses: its paper draws from BB01)."""
    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException(_("Demo data is refused under the production configuration."))
    added = load_recruitment()
    db.session.commit()
    click.echo(_("Demo recruitment: %(num)d candidates added.", num=added))


@demo_cli.command("history")
def history() -> None:
    """Past-cycle (2024, 2025) completions and certificates for `learner` and ~300 others, once
    the courses are imported. Idempotent."""
    from lms.demo.history import load_history

    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException(_("Demo data is refused under the production configuration."))
    result = load_history()
    db.session.commit()
    click.echo(_("Demo history: %(count)d completions added.", count=result["completions"]))


@demo_cli.command("activity")
def activity() -> None:
    """Completions of the current cycle for most demo officials (a spread of statuses on the
    compliance dashboard), once the cycles and courses exist, an upcoming in-person class
    with the learner on it, next year's training needs with the plan consolidated, and the
    course evaluations answered by several officials (and heads) with two still open for the
    learner, and an external training and a place request awaiting the `head`. Idempotent."""
    from lms.curricula.external import evidence
    from lms.curricula.external.services import EVIDENCE_FOLDER
    from lms.demo.activity import load_activity
    from lms.demo.classes import load_classes
    from lms.demo.evaluations import load_evaluations
    from lms.demo.planning import load_planning
    from lms.demo.requests import load_requests

    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException(_("Demo data is refused under the production configuration."))
    added = load_activity()
    classes = load_classes()
    needs = load_planning()
    evaluations = load_evaluations()
    requests = load_requests(evidence.instance() / EVIDENCE_FOLDER, evidence.max_bytes())
    db.session.commit()
    click.echo(_("Demo activity: %(count)d completions this cycle.", count=added))
    if evaluations["answers"] or evaluations["requests"]:
        click.echo(
            _(
                "Demo evaluations: %(answers)d answers, %(requests)d requests.",
                answers=evaluations["answers"],
                requests=evaluations["requests"],
            )
        )
    if classes:
        click.echo(_("Demo class added: learner holds a place in an upcoming class."))
    if needs:
        click.echo(
            _("Demo training needs for next year: %(count)d lines, plan consolidated.", count=needs)
        )
    if requests:
        click.echo(_("Demo requests awaiting the head: %(count)d.", count=requests))


@demo_cli.command("satisfaction")
def satisfaction() -> None:
    """A few hundred citizen answers over the past twelve months at four wards' one-stop
    counters, once the citizen questionnaire is imported (`courses import`). Idempotent."""
    from lms.demo.satisfaction import load_satisfaction

    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException("Demo data is refused under the production configuration.")
    added = load_satisfaction()
    db.session.commit()
    click.echo(_("Demo satisfaction: %(count)d citizen responses added.", count=added))


@demo_cli.command("close-past")
def close_past() -> None:
    """Close the demo's past cycles (before this year) for the whole city, as HR would have,
    so their statements are frozen. Cycles already closed are left alone."""
    from sqlalchemy import select

    from lms.common import clock
    from lms.compliance import statements
    from lms.curricula.cycles.models import Cycle
    from lms.organisation.models import OrgUnit

    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException(_("Demo data is refused under the production configuration."))
    today = clock.today()
    roots = list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))))
    for cycle in db.session.scalars(select(Cycle).where(Cycle.ends_on < today)):
        for unit in roots:
            if statements.closure_state(cycle, unit) is None:
                count = statements.close_cycle(cycle, unit, None, today)
                click.echo(
                    _(
                        "Cycle %(year)d closed at %(unit)s: %(count)d statements.",
                        year=cycle.year,
                        unit=unit.code,
                        count=count,
                    )
                )
    db.session.commit()


@curricula_cli.command("demo")
def demo() -> None:
    """Demo cycles 2024–2027 and the position curricula of lms/demo/data/position_courses.csv,
    then refresh everyone. Run after `demo load` and `courses import courses`. Idempotent."""
    if not current_app.config.get("LMS_DEMO_ALLOWED"):
        raise click.ClickException(_("Demo data is refused under the production configuration."))
    from lms.demo.curricula import load_curricula

    try:
        result = load_curricula()
    except LMSError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    for code in result.missing_courses:
        click.echo(
            _("Warning: course %(code)s is not in the catalog; skipped.", code=code), err=True
        )
    click.echo(
        _(
            "Demo curricula: %(cycles)d cycles and %(curricula)d curricula added; "
            "%(officials)d officials refreshed.",
            cycles=result.cycles_added,
            curricula=result.curricula_added,
            officials=result.officials,
        )
    )


COMMANDS = (demo_cli,)
