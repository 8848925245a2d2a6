"""The officials import on the web, as the common import flow (lms.common.import_flow.ImportFlow)
runs it: the upload kept under instance/imports/<token>/ (kind "officials"), checked (dry run)
and applied inline or by the job `organisation.import` (lms/organisation/jobs.py), with the
accounts of the new officials made on request in the same transaction."""

from pathlib import Path

from lms.common import import_flow, uploads
from lms.jobs import enqueue
from lms.organisation import imports
from lms.organisation.rows import official_header_problem

OFFICIALS = "officials"  # the kind of an officials upload (IMPORTS.legacy_kind too)


def _plan(table, step: uploads.Step):
    full_roster = bool(step.meta.get("full_roster"))
    return imports.plan_officials(
        table, step.params.get("scope"), full_roster, progress=step.count_row
    )


def _apply(plan, step: uploads.Step) -> dict:
    """Import the plan; with `accounts` ({"base_url": …, "email": bool}), the officials of the
    file who have no account get one in the same transaction (a RuleViolation — another run
    made them — writes nothing: the failure rule)."""
    counts = imports.apply_plan(plan, step.actor, bool(step.params.get("valid_only")))
    options = step.params.get("accounts")
    scope = step.params.get("scope")
    provisioned = _provision(plan, scope, step.actor, options) if options else None
    return {"result": counts, "accounts": provisioned}


def _provision(plan, scope, actor, options: dict) -> dict:
    """Accounts for the officials of an applied plan; the numbers the import's page shows."""
    from lms.organisation import accounts

    ids = [row.official_id for row in plan.rows if not row.errors and row.official_id]
    selection = accounts.Selection(scope, None, ids)
    run = accounts.provision(selection, actor, "import", options["base_url"])
    if options.get("email") and run.created:
        run.emailed = True
        enqueue("auth.activation_mail", actor=actor, run_id=run.id)
    return {"run_id": run.id, "created": run.created, "problems": len(run.problems)}


FLOW = import_flow.ImportFlow(
    OFFICIALS,
    "organisation.import",
    enqueue=enqueue,
    plan=_plan,
    report_rows=imports.report_rows,
    apply=_apply,
    header_problem=official_header_problem,
)


def create(user_id: int, filename: str, data: bytes, rows: int, full_roster: bool) -> str:
    """Store an officials upload (not checked yet); returns its token."""
    return FLOW.store_upload(user_id, filename, data, rows, full_roster=full_roster).name


def job_dir(token: str) -> Path | None:
    return uploads.IMPORTS.find(token)


read_meta, update_meta, _write_json = uploads.read_meta, uploads.update_meta, uploads.write_json


def check(folder: Path, scope, report=None) -> None:
    """The dry run of an upload, whatever its state (scripts, tests): report and summary."""
    FLOW.check_now(folder, {"scope": scope}, report)


def run_officials(
    folder: Path, step: str, scope, *, background: bool, actor, valid_only=False, accounts=None
) -> None:
    """Run the step ("check" or "apply") now, or queue it as the job `organisation.import`;
    `accounts` asks the apply step to make accounts (see _apply)."""
    params = {"scope": scope}
    if step == "apply":
        params.update(valid_only=bool(valid_only), accounts=accounts)
    FLOW.start(folder, step, background=background, actor=actor, **params)
