"""Curricula credit sources: in-person classes (/classes/…, training managers), external training
(/me/external/… for officials, /external/… for HR), the HR ledger of an official
(/officials/<code>/ledger) and the historical completions import (/completions/import…)."""

from tests.web.routes.expect import (
    AUTHORS,
    AUTHORS_POST,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    Denial,
    expect,
)
from tests.web.routes.scene import official_id

HR = expect(FORBIDDEN, hr=OK, admin=OK)
HR_422 = expect(FORBIDDEN, hr=422, admin=422)
HR_404 = expect(FORBIDDEN, hr=NOT_FOUND, admin=NOT_FOUND)
OFFICIALS = expect(OK, admin=FORBIDDEN)  # every test role but the administrator is an official
REGISTRY_READERS = expect(FORBIDDEN, hr=OK, reviewer=OK, admin=OK)
LEDGER_POST = expect(FORBIDDEN, hr=422, admin=422)  # an empty form is shown again


def _class(_scene) -> int:
    """Class "Lớp VHCV" of course SRC01 in SNV, with T-LEARN on its roster."""
    from datetime import date

    from sqlalchemy import select

    from lms.curricula.classes import services as classes
    from lms.extensions import db
    from lms.organisation.models import OrgUnit
    from tests.factories import make_in_person_course

    course = make_in_person_course("SRC01")
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV"))
    data = classes.ClassData(course.id, unit_id, "Lớp VHCV", date(2026, 1, 5), date(2026, 1, 9), 5)
    klass = classes.save_class(None, data, actor=None)
    classes.add_members(klass, [(1, "T-LEARN")], None, actor=None)
    db.session.commit()
    return klass.id


def _member(scene) -> int:
    from lms.curricula.classes.models import TrainingClass
    from lms.extensions import db

    return db.session.get(TrainingClass, scene.value("src_class")).members[0].id


def _external(scene) -> int:
    """An external record of the learner (P-HAICHAU) with a PDF evidence, waiting for HR."""
    from datetime import date
    from pathlib import Path

    from lms.curricula.external import services as external
    from lms.extensions import db
    from tests.factories import PDF

    data = external.Submission(
        "Hội thảo số hóa", "Bộ Nội vụ", date(2025, 3, 2), date(2025, 3, 3), 16
    )
    folder = Path(scene.app.instance_path) / external.EVIDENCE_FOLDER
    record = external.submit(
        scene.world["learner"].official_id, data, "gcn.pdf", PDF, folder, 10**6, actor=None
    )
    db.session.commit()
    return record.id


def _man_entry(_scene) -> int:
    """A manual ledger entry of T-MAN (SNV-CCVC)."""
    from datetime import date
    from decimal import Decimal

    from sqlalchemy import select

    from lms.curricula.ledger import services as ledger
    from lms.extensions import db
    from lms.organisation.models import Official

    official_id = db.session.scalar(select(Official.id).where(Official.employee_code == "T-MAN"))
    entry = ledger.append(
        ledger.NewEntry(official_id, date(2025, 5, 5), Decimal(1), "manual", "Hội thảo")
    )
    db.session.commit()
    return entry.id


def _completions_token(scene) -> str:
    """A checked completions import of the administrator (one unknown official)."""
    from lms.common.exporter import csv_table as write_csv
    from lms.curricula.completions import importer as completions_import
    from lms.organisation import import_jobs

    data = write_csv(["employee_code", "course_code", "completed_on"], [["X1", "Y1", "01/01/2020"]])
    token = import_jobs.create(scene.world["admin"].id, "f.csv", data, 1, False)
    folder = import_jobs.job_dir(token)
    import_jobs.update_meta(folder, kind=completions_import.KIND)
    completions_import.check_job(folder, None)
    return token


ACCESS = {
    # Historical completions import (HR).
    ("curricula.completions_import_upload", "GET"): ("/completions/import", HR),
    ("curricula.completions_import_upload", "POST"): ("/completions/import", HR),
    ("curricula.completions_import_preview", "GET"): ("/completions/import/unknown", HR_404),
    ("curricula.completions_import_preview", "POST"): ("/completions/import/unknown", HR_404),
    ("curricula.completions_import_report", "GET"): (
        "/completions/import/unknown/report.csv",
        HR_404,
    ),
    ("curricula.completions_import_template", "GET"): ("/completions/import/template.xlsx", HR),
    # In-person classes (training managers over DN; the class is in SNV).
    ("curricula.class_list", "GET"): ("/classes/", AUTHORS),
    ("curricula.class_new", "GET"): ("/classes/new", AUTHORS),
    ("curricula.class_new", "POST"): ("/classes/new", AUTHORS),
    ("curricula.class_detail", "GET"): ("/classes/{src_class}", AUTHORS),
    ("curricula.class_edit", "GET"): ("/classes/{src_class}/edit", AUTHORS),
    ("curricula.class_edit", "POST"): ("/classes/{src_class}/edit", AUTHORS),
    ("curricula.class_roster", "GET"): ("/classes/{src_class}/roster?q=nguoi", AUTHORS),
    ("curricula.class_roster_pick", "POST"): ("/classes/{src_class}/roster/pick", AUTHORS_POST),
    # Neither codes nor a file: the form comes back with its error.
    ("curricula.class_roster_codes", "POST"): (
        "/classes/{src_class}/roster/codes",
        expect(FORBIDDEN, manager=422, admin=422),
    ),
    ("curricula.class_member_remove", "POST"): (
        "/classes/{src_class}/members/{src_member}/remove",
        AUTHORS_POST,
    ),
    ("curricula.class_results", "GET"): ("/classes/{src_class}/results", AUTHORS),
    ("curricula.class_results", "POST"): ("/classes/{src_class}/results", AUTHORS_POST),
    # External training: officials submit; HR over DN decides (the learner works in DN).
    ("curricula.my_external", "GET"): ("/me/external/", OFFICIALS),
    ("curricula.my_external_new", "GET"): ("/me/external/new", OFFICIALS),
    ("curricula.my_external_new", "POST"): ("/me/external/new", OFFICIALS),
    ("curricula.my_external_evidence", "GET"): (
        "/me/external/{src_external}/evidence",
        expect(NOT_FOUND, learner=OK, admin=FORBIDDEN),
    ),
    ("curricula.external_queue", "GET"): ("/external/", HR),
    ("curricula.external_detail", "GET"): ("/external/{src_external}", HR),
    ("curricula.external_approve", "POST"): ("/external/{src_external}/approve", HR_422),
    ("curricula.external_reject", "POST"): ("/external/{src_external}/reject", HR_422),
    ("curricula.external_evidence", "GET"): ("/external/{src_external}/evidence", HR),
    # The HR ledger of T-MAN (SNV-CCVC): HR over DN edits, the reviewer over SNV reads.
    ("curricula.official_ledger", "GET"): ("/officials/T-MAN/ledger", REGISTRY_READERS),
    ("curricula.official_ledger_export", "GET"): ("/officials/T-MAN/ledger.xlsx", REGISTRY_READERS),
    # The signed training record (issue 27): an official's own; readers of a ledger, in scope.
    ("curricula.my_training_record", "GET"): (
        "/me/training-record.json",
        expect(OK, admin=NOT_FOUND),
    ),
    ("curricula.official_training_record", "GET"): (
        "/officials/T-MAN/training-record.json",
        REGISTRY_READERS,
    ),
    ("curricula.official_ledger_manual", "POST"): (
        "/officials/T-MAN/ledger/manual",
        LEDGER_POST,
    ),
    ("curricula.official_ledger_reverse", "POST"): (
        "/officials/T-MAN/ledger/{man_entry}/reverse",
        LEDGER_POST,
    ),
}
URLS = {
    "curricula.completions_import_upload": "/completions/import",
    "curricula.completions_import_preview": "/completions/import/{completions_token}",
    "curricula.class_new": "/classes/new",
    "curricula.class_edit": "/classes/{src_class}/edit",
    "curricula.class_roster_pick": "/classes/{src_class}/roster/pick",
    "curricula.class_roster_codes": "/classes/{src_class}/roster/codes",
    "curricula.class_member_remove": "/classes/{src_class}/members/{src_member}/remove",
    "curricula.class_results": "/classes/{src_class}/results",
    "curricula.my_external_new": "/me/external/new",
    "curricula.external_approve": "/external/{src_external}/approve",
    "curricula.external_reject": "/external/{src_external}/reject",
    "curricula.official_ledger_manual": "/officials/T-MAN/ledger/manual",
    "curricula.official_ledger_reverse": "/officials/T-MAN/ledger/{man_entry}/reverse",
}
FORM_PAGES = {
    "curricula.class_roster_pick": "/classes/{src_class}/roster?q=nguoi",
    "curricula.class_roster_codes": "/classes/{src_class}/roster",
    "curricula.class_member_remove": "/classes/{src_class}/roster",
    "curricula.external_approve": "/external/{src_external}",
    "curricula.external_reject": "/external/{src_external}",
    "curricula.official_ledger_manual": "/officials/T-MAN/ledger",
    "curricula.official_ledger_reverse": "/officials/T-MAN/ledger",
}
QUERY_PAGES = {
    "curricula.class_list": ("/classes/", ("page",)),
    "curricula.class_roster": ("/classes/{src_class}/roster", ("q", "page")),
    "curricula.external_queue": ("/external/", ("page", "status")),
    "curricula.my_external": ("/me/external/", ()),
    "curricula.official_ledger": ("/officials/T-MAN/ledger", ()),
    "curricula.official_ledger_export": ("/officials/T-MAN/ledger.csv", ()),
}
HINTS = {
    "organiser": "Học viện Hành chính Quốc gia",
    "codes": "T-MAN\nT-HR",
    "min_attendance_percent": "80",
    "earned_on": "2025-05-04",
}
PROVIDERS = {
    "src_class": _class,
    "src_member": _member,
    "src_external": _external,
    "man_entry": _man_entry,
    "completions_token": _completions_token,
}


def _out_class(scene) -> int:
    """Class "Lớp Xa Xôi" of course SRC01 in unit XX (outside the manager's DN), T-OUT on it."""
    from datetime import date

    from sqlalchemy import select

    from lms.curricula.classes import services as classes
    from lms.curricula.classes.models import TrainingClass
    from lms.extensions import db
    from lms.organisation.models import OrgUnit

    scene.value("_outside")
    course_id = db.session.get(TrainingClass, scene.value("src_class")).course_id  # SRC01
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "XX"))
    data = classes.ClassData(
        course_id, unit_id, "Lớp Xa Xôi", date(2026, 2, 2), date(2026, 2, 6), 5
    )
    klass = classes.save_class(None, data, actor=None)
    classes.add_members(klass, [(1, "T-OUT")], None, actor=None)
    db.session.commit()
    return klass.id


def _out_member(scene) -> int:
    from lms.curricula.classes.models import TrainingClass
    from lms.extensions import db

    return db.session.get(TrainingClass, scene.value("out_class")).members[0].id


def _external_of(scene, official_id: int) -> int:
    """An external record "Hội thảo Xa Xôi" of the official, with a PDF evidence."""
    from datetime import date
    from pathlib import Path

    from lms.curricula.external import services as external
    from lms.extensions import db
    from tests.factories import PDF

    data = external.Submission(
        "Hội thảo Xa Xôi", "Sở Xa Xôi", date(2025, 3, 2), date(2025, 3, 3), 8
    )
    folder = Path(scene.app.instance_path) / external.EVIDENCE_FOLDER
    record = external.submit(official_id, data, "gcn.pdf", PDF, folder, 10**6, actor=None)
    db.session.commit()
    return record.id


def _out_entry(scene) -> int:
    """A manual ledger entry of T-OUT."""
    from datetime import date
    from decimal import Decimal

    from lms.curricula.ledger import services as ledger
    from lms.extensions import db

    entry = ledger.append(
        ledger.NewEntry(scene.value("_outside"), date(2025, 5, 5), Decimal(1), "manual", "Xa Xôi")
    )
    db.session.commit()
    return entry.id


PROVIDERS |= {
    "out_class": _out_class,
    "out_member": _out_member,
    "out_external": lambda s: _external_of(s, s.value("_outside")),
    "man_external": lambda s: _external_of(s, official_id("T-MAN")),
    "out_entry": _out_entry,
}
OUT_CLASS = "/classes/{out_class}"
CLASS = {"title": "Đổi tên", "starts_on": "2026-02-02", "ends_on": "2026-02-06", "sessions": "3"}
OUT_LEDGER = "/officials/{out_code}/ledger"
MANUAL = {"earned_on": "2025-05-04", "credits": "1", "title": "Hội thảo", "reason": "Bổ sung"}
DENIALS = {
    # The manager (DN) asks for a class of unit XX.
    ("curricula.class_detail", "GET"): Denial("manager", OUT_CLASS),
    ("curricula.class_edit", "GET"): Denial("manager", OUT_CLASS + "/edit"),
    ("curricula.class_edit", "POST"): Denial("manager", OUT_CLASS + "/edit", data=CLASS),
    ("curricula.class_roster", "GET"): Denial("manager", OUT_CLASS + "/roster?q=nguoi"),
    ("curricula.class_roster_pick", "POST"): Denial(
        "manager", OUT_CLASS + "/roster/pick", data={"picked": "1"}
    ),
    ("curricula.class_roster_codes", "POST"): Denial(
        "manager", OUT_CLASS + "/roster/codes", data={"codes": "T-LEARN"}
    ),
    ("curricula.class_member_remove", "POST"): (
        Denial("manager", OUT_CLASS + "/members/{out_member}/remove"),
        # Its own class in the URL does not open another class's member.
        Denial("manager", "/classes/{src_class}/members/{out_member}/remove"),
    ),
    ("curricula.class_results", "GET"): Denial("manager", OUT_CLASS + "/results"),
    ("curricula.class_results", "POST"): Denial(
        "manager", OUT_CLASS + "/results", data={"action": "save"}
    ),
    # hr opens the administrator's completions import.
    ("curricula.completions_import_preview", "GET"): Denial(
        "hr", "/completions/import/{completions_token}"
    ),
    ("curricula.completions_import_preview", "POST"): Denial(
        "hr", "/completions/import/{completions_token}", data={"valid_only": "y"}
    ),
    ("curricula.completions_import_report", "GET"): Denial(
        "hr", "/completions/import/{completions_token}/report.csv"
    ),
    # External training: hr (DN) on T-OUT's record; the learner on T-MAN's evidence.
    ("curricula.external_detail", "GET"): Denial("hr", "/external/{out_external}"),
    ("curricula.external_approve", "POST"): Denial(
        "hr", "/external/{out_external}/approve", data={"credits": "1"}
    ),
    ("curricula.external_reject", "POST"): Denial(
        "hr", "/external/{out_external}/reject", data={"reason": "Thiếu giấy tờ"}
    ),
    ("curricula.external_evidence", "GET"): Denial("hr", "/external/{out_external}/evidence"),
    ("curricula.my_external_evidence", "GET"): Denial(
        "learner", "/me/external/{man_external}/evidence"
    ),
    # The ledger of T-OUT, for hr (DN).
    ("curricula.official_ledger", "GET"): Denial("hr", OUT_LEDGER),
    ("curricula.official_ledger_export", "GET"): Denial("hr", "/officials/{out_code}/ledger.xlsx"),
    ("curricula.official_training_record", "GET"): Denial(
        "hr", "/officials/{out_code}/training-record.json"
    ),
    ("curricula.official_ledger_manual", "POST"): Denial("hr", OUT_LEDGER + "/manual", data=MANUAL),
    ("curricula.official_ledger_reverse", "POST"): (
        Denial("hr", OUT_LEDGER + "/{out_entry}/reverse", data={"reason": "Nhầm"}),
        # An official in scope in the URL does not open another official's entry.
        Denial("hr", "/officials/T-MAN/ledger/{out_entry}/reverse", data={"reason": "Nhầm"}),
    ),
}
DENIAL_EXEMPT = {
    "curricula.completions_import_template": "the argument is a file format (.xlsx, .csv) of an "
    "empty template, not an object",
}
