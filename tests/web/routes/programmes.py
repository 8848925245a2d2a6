"""Programme routes for the access matrix and the hostile-input test. The scene gives the
learner (T-LEARN, P-HAICHAU) the chứng chỉ of programme PX01 (one set: course CX01 of the
certificates' scene): hr and manager cover DN, so they see it; the reviewer covers SNV only."""

from tests.web.routes.expect import (
    AUTHORS_POST,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    Denial,
    expect,
)

STAFF = expect(FORBIDDEN, hr=OK, manager=OK, admin=OK)
STAFF_POST = expect(FORBIDDEN, hr=REDIRECT, manager=REDIRECT, admin=REDIRECT)
# Another user's (or no) upload: 404 for those who may import.
NOT_THEIRS = expect(FORBIDDEN, hr=NOT_FOUND, manager=NOT_FOUND, admin=NOT_FOUND)
HOLDER_OR_STAFF = expect(OK, reviewer=NOT_FOUND, head=NOT_FOUND)  # as for course certificates
PUBLIC = expect(OK, anonymous=OK)

ACCESS = {
    ("programmes.verify", "GET"): ("/verify/programme/{pcert_code}", PUBLIC),
    ("programmes.certificate_pdf", "GET"): (
        "/programmes/certificates/{pcert_serial}.pdf",
        HOLDER_OR_STAFF,
    ),
    ("programmes.mine", "GET"): ("/me/programmes", expect(OK, anonymous=LOGIN)),
    ("programmes.manage", "GET"): ("/manage/programmes/", STAFF),
    ("programmes.detail", "GET"): ("/manage/programmes/certificates/{pcert_serial}", STAFF),
    ("programmes.revoke", "POST"): (
        "/manage/programmes/certificates/{pcert_serial}/revoke",
        STAFF_POST,
    ),
    # A position's curriculum page (training managers, administrators): a POST with no
    # programme goes back to the page with its error.
    ("programmes.position_require", "POST"): (
        "/manage/curricula/CM-CCVC/programmes",
        AUTHORS_POST,
    ),
    ("programmes.position_unrequire", "POST"): (
        "/manage/curricula/{px_position}/programmes/PX01/remove",
        AUTHORS_POST,
    ),
    # A programme's page (staff who see the programmes) and its ranks (training managers,
    # administrators): a POST with no rank goes back to the page with its error.
    ("programmes.programme_detail", "GET"): ("/manage/programmes/{px_programme}", STAFF),
    ("programmes.rank_require", "POST"): ("/manage/programmes/{px_programme}/ranks", AUTHORS_POST),
    ("programmes.rank_unrequire", "POST"): (
        "/manage/programmes/{px_rank}/ranks/01.002/remove",
        AUTHORS_POST,
    ),
    # The historical chứng chỉ import (a POST with no file shows the form again).
    ("programmes.certificates_import", "GET"): ("/manage/programmes/certificates/import", STAFF),
    ("programmes.certificates_import", "POST"): ("/manage/programmes/certificates/import", STAFF),
    ("programmes.certificates_import_template", "GET"): (
        "/manage/programmes/certificates/import/template.xlsx",
        STAFF,
    ),
    ("programmes.certificates_import_preview", "GET"): (
        "/manage/programmes/certificates/import/unknown-token",
        NOT_THEIRS,
    ),
    ("programmes.certificates_import_preview", "POST"): (
        "/manage/programmes/certificates/import/unknown-token",
        NOT_THEIRS,
    ),
}
URLS = {
    "programmes.certificates_import": "/manage/programmes/certificates/import",
    "programmes.certificates_import_preview": (
        "/manage/programmes/certificates/import/{pcert_import_token}"
    ),
    "programmes.revoke": "/manage/programmes/certificates/{pcert_serial}/revoke",
    "programmes.position_require": "/manage/curricula/CM-CCVC/programmes",
    "programmes.position_unrequire": "/manage/curricula/{px_position}/programmes/PX01/remove",
    "programmes.rank_require": "/manage/programmes/{px_programme}/ranks",
    "programmes.rank_unrequire": "/manage/programmes/{px_rank}/ranks/01.002/remove",
}
FORM_PAGES = {
    "programmes.revoke": "/manage/programmes/certificates/{pcert_serial}",
    "programmes.position_require": "/manage/curricula/CM-CCVC",
    "programmes.position_unrequire": "/manage/curricula/{px_position}",
    "programmes.rank_require": "/manage/programmes/{px_programme}",
    "programmes.rank_unrequire": "/manage/programmes/{px_rank}",
}


def _programme(scene):
    """Programme PX01 (one set: CX01), imported as from its file."""
    from lms.programmes.files import ProgrammeBundle, SetBundle
    from lms.programmes.transfer import import_programmes, programme_by_code

    scene.value("_certificate")  # CX01 and the learner's completion of it
    programme = programme_by_code("PX01")
    if programme is None:
        bundle = ProgrammeBundle(
            code="PX01",
            title="Bồi dưỡng thử nghiệm PX01",
            content_area="ND3",
            sets=(SetBundle("Nhóm 1", "all", ("CX01",)),),
            validity_months=24,
        )
        import_programmes([bundle], None, None)
        programme = programme_by_code("PX01")
    return programme


def _chung_chi_of(scene, code: str):
    """The chứng chỉ of PX01 of the official `code` (CX01 completed on 02/06/2025)."""
    from datetime import date

    from lms.catalog import queries
    from lms.curricula.completions.services import CompletionData, record_completion
    from lms.extensions import db
    from lms.programmes import services
    from tests.web.routes.scene import official_id

    programme = _programme(scene)
    course = queries.course_by_code("CX01", lessons=False)
    record_completion(
        CompletionData(official_id(code), course.id, date(2025, 6, 2), "online", f"px:{code}")
    )
    services.detect(official_id(code), programme)  # issued by the completion's signal already
    db.session.commit()
    certificate = services.history(official_id(code), programme.id)[-1]
    return certificate.serial, certificate.verification_code


def _learner_chung_chi(scene):
    from lms.extensions import db
    from lms.programmes import services
    from tests.web.routes.scene import official_id

    programme = _programme(scene)
    services.detect(official_id("T-LEARN"), programme)  # the completion came before PX01
    db.session.commit()
    certificate = services.history(official_id("T-LEARN"), programme.id)[-1]
    return certificate.serial, certificate.verification_code


def _pcert_import_token(scene) -> str:
    """A checked chứng chỉ import of the administrator (T-OUT's row, one row in error)."""
    from lms.programmes import historical_import

    _programme(scene)
    data = b"employee_code,programme,number,date\nT-OUT,PX01,1/CC,01/02/2024\nT-OUT,PX01,,x\n"
    flow = historical_import.FLOW
    folder = flow.store_upload(scene.world["admin"].id, "f.csv", data, 2)
    flow.check_now(folder, {"scope": None})
    return folder.name


def _px_position(scene) -> str:
    """PX01 required of position XA-MC (as from its curriculum page); the position's code."""
    from lms.extensions import db
    from lms.programmes.models import ProgrammeRequirement

    programme = _programme(scene)
    if db.session.get(ProgrammeRequirement, (programme.id, "position", "XA-MC")) is None:
        db.session.add(
            ProgrammeRequirement(programme_id=programme.id, kind="position", code="XA-MC")
        )
        db.session.commit()
    return "XA-MC"


def _px_rank(scene) -> str:
    """PX01 required of rank 01.002 (chuyên viên chính, as from the programme's page); the
    programme's code."""
    from lms.extensions import db
    from lms.programmes.models import ProgrammeRequirement

    programme = _programme(scene)
    if db.session.get(ProgrammeRequirement, (programme.id, "rank", "01.002")) is None:
        db.session.add(ProgrammeRequirement(programme_id=programme.id, kind="rank", code="01.002"))
        db.session.commit()
    return programme.code


PROVIDERS = {
    "px_programme": lambda s: _programme(s).code,
    "px_rank": _px_rank,
    "pcert_import_token": _pcert_import_token,
    "px_position": _px_position,
    "_pcert": _learner_chung_chi,
    "pcert_serial": lambda s: s.value("_pcert")[0],
    "pcert_code": lambda s: s.value("_pcert")[1],
    "out_pcert": lambda s: s.value("_outside") and _chung_chi_of(s, "T-OUT")[0],
    "man_pcert": lambda s: _chung_chi_of(s, "T-MAN")[0],
}
# hr (DN) asks for T-OUT's chứng chỉ (unit XX); the learner for T-MAN's.
DENIALS = {
    ("programmes.certificate_pdf", "GET"): (
        Denial("hr", "/programmes/certificates/{out_pcert}.pdf"),
        Denial("learner", "/programmes/certificates/{man_pcert}.pdf"),
    ),
    ("programmes.detail", "GET"): Denial("hr", "/manage/programmes/certificates/{out_pcert}"),
    ("programmes.revoke", "POST"): Denial(
        "hr",
        "/manage/programmes/certificates/{out_pcert}/revoke",
        data={"reason": "fraud", "note": "Gian lận"},
    ),
}
ORGANISATION_WIDE = (
    "the programmes a position requires belong to the position and the programme, reference "
    "data of the whole organisation (not of a unit), edited beside its curriculum by every "
    "training manager; an unknown code is 404"
)
RANKS_WIDE = (
    "a programme and the ranks that require it are reference data of the whole organisation "
    "(not of a unit), seen by all staff and edited by every training manager, as a position's "
    "required programmes are; an unknown programme or rank code is 404"
)
DENIALS |= {
    # hr opens (and confirms) the administrator's import: 404, nothing written.
    ("programmes.certificates_import_preview", "GET"): Denial(
        "hr", "/manage/programmes/certificates/import/{pcert_import_token}"
    ),
    ("programmes.certificates_import_preview", "POST"): Denial(
        "hr", "/manage/programmes/certificates/import/{pcert_import_token}"
    ),
}
DENIAL_EXEMPT = {
    "programmes.certificates_import_template": "the argument is a file format (.xlsx, .csv) of "
    "an empty template",
    "programmes.position_require": ORGANISATION_WIDE,
    "programmes.position_unrequire": ORGANISATION_WIDE,
    "programmes.programme_detail": RANKS_WIDE,
    "programmes.rank_require": RANKS_WIDE,
    "programmes.rank_unrequire": RANKS_WIDE,
    "programmes.verify": (
        "public verification: the code printed on the chứng chỉ is the credential, and the "
        "answer shows only what the printed chứng chỉ shows"
    ),
}
