"""The historical programme certificates import on the web: upload → check (dry run, per-row
report) → preview → confirm (lms.common.import_flow.ImportFlow, as the completions and ratings
imports), over the rows lms.programmes.historical checks. Any row in error blocks the whole
file; the same file again adds nothing."""

from lms.common import import_flow, uploads
from lms.common.tabular import Table
from lms.i18n import _, _l
from lms.jobs import enqueue
from lms.programmes import historical

KIND = "programme_certificates"
JOB = "programmes.certificates_import"
COLUMN_LABELS = {
    "employee_code": _l("Employee code"),
    "programme": _l("Programme"),
    "number": _l("Certificate number"),
    "date": _l("Date"),
}


def report_rows(result: historical.CertificatesPlan) -> list[list]:
    """The per-row report: line, employee code, column, message (file-level errors first)."""

    def describe(row: historical.RowPlan) -> str:
        words = {
            historical.NEW: _("new: %(programme)s no. %(number)s of %(day)s"),
            historical.UNCHANGED: _("already imported: %(programme)s no. %(number)s"),
        }
        return str(words[row.status]) % {
            "programme": row.values["programme"],
            "number": row.values["number"],
            "day": row.values["date"].strftime("%d/%m/%Y"),
        }

    return import_flow.report_lines(result, COLUMN_LABELS, describe)


def template_rows() -> tuple[list[str], list[list]]:
    return list(historical.COLUMNS), [["DN000001", "LDQL", "123/CC-2024", "15/09/2024"]]


def _plan_upload(table: Table, step: uploads.Step) -> historical.CertificatesPlan:
    return historical.check(table, step.params.get("scope"), progress=step.count_row)


def _apply_upload(result: historical.CertificatesPlan, step: uploads.Step) -> dict:
    return {"result": {"created": historical.write(result, step.actor)}}


FLOW = import_flow.ImportFlow(
    KIND,
    JOB,
    enqueue=enqueue,
    plan=_plan_upload,
    report_rows=report_rows,
    apply=_apply_upload,
    header_problem=historical.header_problem,
)
