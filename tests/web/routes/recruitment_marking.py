"""Marking, results and appeals of recruitment exams (issue 28, lms.recruitment.marking): the
secretary's pages (HR officers over the recruitment's unit, administrators), the marker's pages
(the test world's manager is appointed marker of TDMK by the provider) and the public look-up."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, PUBLIC, REDIRECT, Denial, expect

SECRETARY = expect(FORBIDDEN, hr=OK, admin=OK)
SECRETARY_POST = expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT)
MARKER = expect(FORBIDDEN, manager=OK)
CANDIDATES_ONLY = expect(NOT_FOUND)  # a candidate's own pages: every staff account gets 404


def _marking_scene(scene) -> dict:
    """Recruitment TDMK of DN with one candidate's written paper, marking open; markers: the
    world's manager and "gk.mk"."""
    from lms.auth import services as auth
    from lms.extensions import db
    from lms.recruitment.marking import services
    from lms.recruitment.marking.models import Mark
    from tests.factories import PASSWORD, make_candidate, make_recruitment, make_written_papers

    recruitment = make_recruitment("TDMK", positions=(("VT01", "SNV", 1),))
    candidate = make_candidate(recruitment, "Phan Thí Sinh", username="ts.mk")
    make_written_papers(recruitment, {candidate: "Bài làm tự luận."})
    auth.create_user(auth.NewUser("gk.mk", PASSWORD, "Giám Khảo", None, None, False), None)
    for name in ("manager", "gk.mk"):
        services.appoint_marker(recruitment, name, None)
    services.open_marking(recruitment, None)
    manager = scene.world["manager"]
    mark = db.session.scalar(db.select(Mark.id).where(Mark.marker_id == manager.id))
    db.session.commit()
    return {"code": recruitment.code, "mark": mark}


def _marking_outside(scene) -> dict:
    """Recruitment TDXX of unit XX ("Xa Xôi", outside every grant) with one written paper,
    marked by two markers who are not the manager, marking open (TDMK is made first, so the
    manager is a marker — of the other recruitment)."""
    from lms.auth import services as auth
    from lms.extensions import db
    from lms.recruitment import services as recruitment_services
    from lms.recruitment.marking import services
    from lms.recruitment.marking.models import Mark
    from tests.factories import PASSWORD, make_candidate, make_written_papers

    scene.value("_outside")
    scene.value("_marking_scene")
    recruitment = recruitment_services.create_recruitment(
        "TDXX", "Kỳ tuyển dụng tỉnh Xa Xôi", 2026, "XX", actor=None, status="exams"
    )
    recruitment_services.add_position(recruitment, "VT09", "Chuyên viên Xa Xôi", "XX", 1, None)
    candidate = make_candidate(recruitment, "Lê Ngoài Phạm Vi", position="VT09", username="ts.xx")
    make_written_papers(recruitment, {candidate: "Bài làm ở tỉnh Xa Xôi."})
    for name in ("gk.xx1", "gk.xx2"):
        auth.create_user(auth.NewUser(name, PASSWORD, "Giám Khảo Xa Xôi", None, None, False), None)
        services.appoint_marker(recruitment, name, None)
    services.open_marking(recruitment, None)
    mark = db.session.scalar(db.select(Mark.id).order_by(Mark.id.desc()))
    db.session.commit()
    return {"code": recruitment.code, "mark": mark}


PROVIDERS = {
    "_marking_scene": _marking_scene,
    "_marking_outside": _marking_outside,
    "mk_code": lambda s: s.value("_marking_scene")["code"],
    "mk_mark": lambda s: s.value("_marking_scene")["mark"],
    "mk_out_code": lambda s: s.value("_marking_outside")["code"],
    "mk_out_mark": lambda s: s.value("_marking_outside")["mark"],
}

ACCESS = {
    ("recruitment.marking_overview", "GET"): ("/recruitment/{mk_code}/marking", SECRETARY),
    ("recruitment.marking_appoint", "POST"): (
        "/recruitment/{mk_code}/marking/markers",
        SECRETARY_POST,
    ),
    ("recruitment.marking_open", "POST"): ("/recruitment/{mk_code}/marking/open", SECRETARY_POST),
    ("recruitment.marking_close", "POST"): (
        "/recruitment/{mk_code}/marking/close",
        SECRETARY_POST,
    ),
    ("recruitment.marking_reveal", "POST"): (
        "/recruitment/{mk_code}/marking/reveal",
        SECRETARY_POST,
    ),
    ("recruitment.results_page", "GET"): ("/recruitment/{mk_code}/results", SECRETARY),
    ("recruitment.results_publish", "POST"): (
        "/recruitment/{mk_code}/results/publish",
        SECRETARY_POST,
    ),
    # Not published yet: the list does not exist (404) for those who may print it.
    ("recruitment.results_pdf", "GET"): (
        "/recruitment/{mk_code}/results.pdf",
        expect(FORBIDDEN, hr=404, admin=404),
    ),
    ("recruitment.appeal_record", "POST"): ("/recruitment/{mk_code}/appeals", SECRETARY_POST),
    # The provider runs through the query argument, which the page ignores.
    ("recruitment.marker_home", "GET"): ("/marking/?r={mk_code}", MARKER),
    ("recruitment.marker_paper", "GET"): ("/marking/{mk_mark}", MARKER),
    # A POST without a mark shows the form again with its error.
    ("recruitment.marker_paper", "POST"): ("/marking/{mk_mark}", MARKER),
    ("recruitment.results_lookup", "GET"): ("/recruitment/{mk_code}/lookup", PUBLIC),
    # The clerk's scanned papers (tests/web/test_recruitment_scans.py); without a file the form
    # shows again with its error. The scene's marking is open: the page says so.
    ("recruitment.scans_page", "GET"): ("/recruitment/{mk_code}/marking/scans", SECRETARY),
    ("recruitment.scans_page", "POST"): ("/recruitment/{mk_code}/marking/scans", SECRETARY),
    ("recruitment.scans_zip_check", "POST"): (
        "/recruitment/{mk_code}/marking/scans/zip",
        SECRETARY,
    ),
    # Another user's (or no) checked ZIP: 404 for those who may upload.
    ("recruitment.scans_zip_apply", "POST"): (
        "/recruitment/{mk_code}/marking/scans/zip/unknown-token-0000",
        expect(FORBIDDEN, hr=NOT_FOUND, admin=NOT_FOUND),
    ),
    # The scene's paper was typed, so it has no scan: 404 for its marker, 403 for non-markers.
    ("recruitment.marker_scan", "GET"): (
        "/marking/{mk_mark}/scan",
        expect(FORBIDDEN, manager=NOT_FOUND),
    ),
    # The candidate's results and own appeal (tests/web/test_recruitment_candidate_appeal.py).
    ("recruitment.candidate_results", "GET"): ("/exam/results", CANDIDATES_ONLY),
    ("recruitment.candidate_appeal", "POST"): ("/exam/results/appeal/{mk_mark}", CANDIDATES_ONLY),
}

URLS = {
    "recruitment.marking_appoint": "/recruitment/{mk_code}/marking/markers",
    "recruitment.marking_open": "/recruitment/{mk_code}/marking/open",
    "recruitment.marking_close": "/recruitment/{mk_code}/marking/close",
    "recruitment.marking_reveal": "/recruitment/{mk_code}/marking/reveal",
    "recruitment.results_publish": "/recruitment/{mk_code}/results/publish",
    "recruitment.appeal_record": "/recruitment/{mk_code}/appeals",
    "recruitment.marker_paper": "/marking/{mk_mark}",
    "recruitment.candidate_appeal": "/exam/results/appeal/{mk_mark}",
    "recruitment.scans_page": "/recruitment/{mk_code}/marking/scans",
    "recruitment.scans_zip_check": "/recruitment/{mk_code}/marking/scans/zip",
    "recruitment.scans_zip_apply": "/recruitment/{mk_code}/marking/scans/zip/unknown-token-0000",
}
FORM_PAGES = {
    "recruitment.marking_appoint": "/recruitment/{mk_code}/marking",
    "recruitment.marking_open": "/recruitment/{mk_code}/marking",
    "recruitment.marking_close": "/recruitment/{mk_code}/marking",
    "recruitment.marking_reveal": "/recruitment/{mk_code}/marking",
    "recruitment.results_publish": "/recruitment/{mk_code}/results",
    "recruitment.appeal_record": "/recruitment/{mk_code}/marking",
    "recruitment.scans_page": "/recruitment/{mk_code}/marking/scans",
    "recruitment.scans_zip_check": "/recruitment/{mk_code}/marking/scans",
}
QUERY_PAGES = {
    "recruitment.results_lookup": ("/recruitment/{mk_code}/lookup", ("number", "born_on")),
}

_OUT = "/recruitment/{mk_out_code}"
DENIALS = {
    # An HR officer whose units do not cover the recruitment's unit (XX): 404, nothing written.
    ("recruitment.marking_overview", "GET"): Denial("hr", _OUT + "/marking"),
    ("recruitment.marking_appoint", "POST"): Denial(
        "hr", _OUT + "/marking/markers", data={"username": "hr"}
    ),
    ("recruitment.marking_open", "POST"): Denial("hr", _OUT + "/marking/open"),
    ("recruitment.marking_close", "POST"): Denial("hr", _OUT + "/marking/close"),
    ("recruitment.marking_reveal", "POST"): Denial("hr", _OUT + "/marking/reveal"),
    ("recruitment.results_page", "GET"): Denial("hr", _OUT + "/results"),
    ("recruitment.results_publish", "POST"): Denial("hr", _OUT + "/results/publish"),
    ("recruitment.results_pdf", "GET"): Denial("hr", _OUT + "/results.pdf"),
    ("recruitment.appeal_record", "POST"): Denial(
        "hr", _OUT + "/appeals", data={"number": "TDXX-0001", "reason": "x"}
    ),
    ("recruitment.scans_page", "GET"): Denial("hr", _OUT + "/marking/scans"),
    ("recruitment.scans_page", "POST"): Denial(
        "hr", _OUT + "/marking/scans", data={"number": "TDXX-0001"}
    ),
    ("recruitment.scans_zip_check", "POST"): Denial("hr", _OUT + "/marking/scans/zip"),
    ("recruitment.scans_zip_apply", "POST"): Denial(
        "hr", _OUT + "/marking/scans/zip/unknown-token-0000"
    ),
    ("recruitment.marker_scan", "GET"): Denial("manager", "/marking/{mk_out_mark}/scan"),
    # A marker of TDMK asks for a paper of another recruitment's marker: 404, no mark taken.
    ("recruitment.marker_paper", "GET"): Denial("manager", "/marking/{mk_out_mark}"),
    ("recruitment.marker_paper", "POST"): Denial(
        "manager", "/marking/{mk_out_mark}", data={"mark": "50"}
    ),
}
DENIAL_EXEMPT = {
    "recruitment.candidate_appeal": "a candidate's own paper only: no role of the matrix opens "
    "it, and another candidate's paper answers 404 to a candidate "
    "(tests/web/test_recruitment_candidate_appeal.py)",
    "recruitment.results_lookup": "public look-up: the recruitment's code is public, and the "
    "answer needs the candidate number and date of birth, the same page for every miss "
    "(tests/web/test_recruitment_marking_pages.py)",
}
