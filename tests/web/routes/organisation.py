"""Denial rows of the officials registry (and its access rows, ACCESS, at the end):
hr (DN) asks for T-OUT of unit XX, and for the administrator's officials import; the reviewer
(SNV) for T-LEARN of P-HAICHAU."""

from tests.web.routes.expect import FORBIDDEN, OK, REDIRECT, Denial, expect

OUT = "/officials/{out_code}"
EDIT = {
    "employee_code": "T-OUT",
    "full_name": "Lê Đổi Tên",
    "gender": "male",
    "category": "cong_chuc",
    "status": "retired",
}
POST = {"unit": "SNV", "position": "CM-CCVC", "started_on": "2026-01-05", "rank": "01.003"}


def _out_assignment(scene) -> int:
    """T-OUT's primary post."""
    from lms.extensions import db
    from lms.organisation.models import PositionAssignment as Post

    official_id = scene.value("_outside")
    return db.session.scalar(db.select(Post.id).where(Post.official_id == official_id))


def _leave_of(code: str, decision: str) -> int:
    from datetime import date

    from lms.extensions import db
    from lms.organisation import leave
    from lms.organisation.models import Official

    official = db.session.scalar(db.select(Official).where(Official.employee_code == code))
    data = leave.LeaveData("sick", date(2026, 2, 1), date(2026, 3, 31), decision)
    period = leave.save_leave(official, data, None)
    db.session.commit()
    return period.id


def _leave_import_token(scene) -> str:
    """A checked leave import of the administrator (one valid row, one row in error)."""
    from lms.organisation import leave_import

    data = (
        "employee_code,kind,from,to,decision_number\n"
        "T-OUT,maternity,01/03/2026,31/08/2026,QĐ Xa Xôi\n"
        "T-OUT,sick,31/02/2026,31/03/2026,\n"
    ).encode()
    folder = leave_import.FLOW.store_upload(scene.world["admin"].id, "f.csv", data, 2)
    leave_import.check_job(folder, None)
    return folder.name


PROVIDERS = {
    "out_assignment": _out_assignment,
    "man_leave": lambda _scene: _leave_of("T-MAN", "12/QĐ"),
    "out_leave": lambda _scene: _leave_of("T-OUT", "QĐ Xa Xôi"),
    "leave_import_token": _leave_import_token,
}
LEAVE = {"kind": "sick", "starts_on": "2026-05-01", "ends_on": "2026-05-31"}
DENIALS = {
    ("organisation.official_detail", "GET"): (
        Denial("hr", OUT),
        Denial("reviewer", "/officials/T-LEARN"),
    ),
    ("organisation.official_edit", "GET"): Denial("hr", OUT + "/edit"),
    ("organisation.official_edit", "POST"): Denial("hr", OUT + "/edit", data=EDIT),
    ("organisation.position_change", "GET"): Denial("hr", OUT + "/position"),
    ("organisation.position_change", "POST"): Denial("hr", OUT + "/position", data=POST),
    ("organisation.concurrent_new", "GET"): Denial("hr", OUT + "/concurrent"),
    ("organisation.concurrent_new", "POST"): Denial("hr", OUT + "/concurrent", data=POST),
    ("organisation.assignment_end", "POST"): (
        Denial("hr", OUT + "/assignments/{out_assignment}/end", data={"ended_on": "2026-01-05"}),
        # An official in scope in the URL does not open another official's post.
        Denial(
            "hr",
            "/officials/T-MAN/assignments/{out_assignment}/end",
            data={"ended_on": "2026-01-05"},
        ),
    ),
    ("organisation.import_preview", "GET"): Denial("hr", "/officials/import/{import_token}"),
    ("organisation.import_preview", "POST"): Denial(
        "hr", "/officials/import/{import_token}", data={"valid_only": "y"}
    ),
    ("organisation.import_report", "GET"): Denial(
        "hr", "/officials/import/{import_token}/report.csv"
    ),
    ("organisation.leave_new", "GET"): Denial("hr", OUT + "/leave/new"),
    ("organisation.leave_new", "POST"): Denial("hr", OUT + "/leave/new", data=LEAVE),
    ("organisation.leave_edit", "GET"): (
        Denial("hr", OUT + "/leave/{out_leave}"),
        # an official in scope in the URL does not open another official's leave
        Denial("hr", "/officials/T-MAN/leave/{out_leave}"),
    ),
    ("organisation.leave_edit", "POST"): (
        Denial("hr", OUT + "/leave/{out_leave}", data=LEAVE),
        Denial("hr", "/officials/T-MAN/leave/{out_leave}", data=LEAVE),
    ),
    ("organisation.leave_delete", "POST"): (
        Denial("hr", OUT + "/leave/{out_leave}/delete"),
        Denial("hr", "/officials/T-MAN/leave/{out_leave}/delete"),
    ),
    ("organisation.leave_import_preview", "GET"): Denial(
        "hr", "/officials/leave/import/{leave_import_token}"
    ),
    ("organisation.leave_import_preview", "POST"): Denial(
        "hr", "/officials/leave/import/{leave_import_token}", data={}
    ),
    ("organisation.leave_import_report", "GET"): Denial(
        "hr", "/officials/leave/import/{leave_import_token}/report.csv"
    ),
}
DENIAL_EXEMPT = {
    "organisation.import_template": "the argument is a file format (.xlsx, .csv) of an empty "
    "template, not an object",
    "organisation.leave_import_template": "the argument is a file format (.xlsx, .csv) of an "
    "empty template, not an object",
}


# (endpoint, method) → (url, {role: status}): rows of the access matrix
ACCESS = {
    ("organisation.registry", "GET"): (
        "/officials/",
        expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK),
    ),
    ("organisation.official_new", "GET"): ("/officials/new", expect(FORBIDDEN, hr=OK, admin=OK)),
    ("organisation.official_new", "POST"): ("/officials/new", expect(FORBIDDEN, hr=OK, admin=OK)),
    ("organisation.official_detail", "GET"): (
        "/officials/T-MAN",
        expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK),
    ),
    ("organisation.official_edit", "GET"): (
        "/officials/T-MAN/edit",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.official_edit", "POST"): (
        "/officials/T-MAN/edit",
        expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
    ("organisation.concurrent_new", "GET"): (
        "/officials/T-MAN/concurrent",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.concurrent_new", "POST"): (
        "/officials/T-MAN/concurrent",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.assignment_end", "POST"): (
        "/officials/T-MAN/assignments/{man_concurrent_id}/end",
        expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
    ("organisation.import_upload", "GET"): (
        "/officials/import",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.import_upload", "POST"): (
        "/officials/import",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.import_preview", "GET"): (
        "/officials/import/unknown-token",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.import_preview", "POST"): (
        "/officials/import/unknown-token",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.import_report", "GET"): (
        "/officials/import/unknown-token/report.csv",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.import_template", "GET"): (
        "/officials/import/template.xlsx",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.registry_export", "GET"): (
        "/officials/export",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.registry_export", "POST"): (
        "/officials/export",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.position_change", "GET"): (
        "/officials/T-MAN/position",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.position_change", "POST"): (
        "/officials/T-MAN/position",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_new", "GET"): (
        "/officials/T-MAN/leave/new",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_new", "POST"): (
        "/officials/T-MAN/leave/new",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_edit", "GET"): (
        "/officials/T-MAN/leave/{man_leave}",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_edit", "POST"): (
        "/officials/T-MAN/leave/{man_leave}",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_delete", "POST"): (
        "/officials/T-MAN/leave/{man_leave}/delete",
        expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
    ("organisation.leave_import_upload", "GET"): (
        "/officials/leave/import",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_import_upload", "POST"): (
        "/officials/leave/import",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    ("organisation.leave_import_preview", "GET"): (
        "/officials/leave/import/unknown-token",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.leave_import_preview", "POST"): (
        "/officials/leave/import/unknown-token",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.leave_import_report", "GET"): (
        "/officials/leave/import/unknown-token/report.csv",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("organisation.leave_import_template", "GET"): (
        "/officials/leave/import/template.xlsx",
        expect(FORBIDDEN, hr=OK, admin=OK),
    ),
    # Catalog: MXE is a published elective nobody is enrolled in (its lessons are open to its
    # authors only); MXM is published and mandatory for CM-CCVC, every test official's position.
}

# Hostile input (tests/web/test_common_hostile_input.py): the leave pages' forms.
URLS = {
    "organisation.leave_new": "/officials/T-MAN/leave/new",
    "organisation.leave_edit": "/officials/T-MAN/leave/{man_leave}",
    "organisation.leave_delete": "/officials/T-MAN/leave/{man_leave}/delete",
    "organisation.leave_import_upload": "/officials/leave/import",
    "organisation.leave_import_preview": "/officials/leave/import/{leave_import_token}",
}
FORM_PAGES = {"organisation.leave_delete": "/officials/T-MAN"}
