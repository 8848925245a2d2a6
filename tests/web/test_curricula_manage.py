"""Curriculum manager screens: the list of positions and curricula, editing with a preview that
counts the officials affected (in SQL, within the manager's scope) before saving, the saved
change audited and applied to obligations, rank-specific variants, and the cycles screens."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.auth.models import TRAINING_MANAGER
from lms.curricula.completions.services import CompletionData, record_completion
from lms.curricula.cycles.models import Curriculum, Cycle
from lms.curricula.obligations.models import Obligation
from lms.extensions import db as _db
from lms.organisation.models import Official, OrgUnit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_course, make_curriculum, make_cycle, make_official

# These tests read English wording; the Vietnamese catalog is checked on its own.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def catalog(world, freeze):
    """Cycle 2026; BB01, BB03, VT01 published, DRAFT1 a draft; CM-CCVC needs BB01 (3 TC).
    CM-CCVC holders: T-MAN, T-HR, T-REV (SNV-CCVC), T-LEARN (P-HAICHAU) and two more in
    P-HAICHAU; one of them already completed BB03."""
    freeze(date(2026, 6, 1))
    courses = {code: make_course(code) for code in ("BB01", "BB03", "VT01", "DRAFT1")}
    courses["DRAFT1"].status = "draft"
    make_curriculum("CM-CCVC", "3", [courses["BB01"]])
    make_cycle(2026)
    extra = [make_official(f"HC{n}", "Võ Thị Hoa", unit="P-HAICHAU") for n in range(2)]
    record_completion(
        CompletionData(extra[0].id, courses["BB03"].id, date(2025, 9, 1), "historical", "h:1")
    )
    _db.session.commit()
    return courses


def edit_form(client, url: str, target: str, course_ids, **extra):
    token = csrf_token(client, url)
    data = {"csrf_token": token, "target_credits": target, "courses": [str(i) for i in course_ids]}
    return client.post(url, data={**data, **extra})


def preview_then_save(client, url, target, course_ids):
    html = edit_form(client, url, target, course_ids, preview="1").get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', html)
    digest = digest or re.search(
        r'id="digest" name="digest" type="hidden" value="([0-9a-f]+)"', html
    )
    assert digest, html
    return edit_form(client, url, target, course_ids, save="1", digest=digest.group(1))


def obligations_for(code: str) -> set[str]:
    official = _db.session.scalar(select(Official).where(Official.employee_code == code))
    rows = _db.session.scalars(
        select(Obligation).where(Obligation.official_id == official.id, Obligation.status == "open")
    )
    return {row.course.code for row in rows}


def test_the_list_shows_each_position_with_its_target_courses_and_variants(catalog, login_as):
    make_curriculum("CM-CCVC", "4", [catalog["VT01"]], rank="01.002")
    _db.session.commit()
    html = login_as("manager").get("/manage/curricula/").get_data(as_text=True)
    row = html.split("CM-CCVC</span>")[1].split("</tr>")[0]
    assert ">3<" in row and 'href="/courses/BB01"' in row
    assert "/manage/curricula/CM-CCVC/ranks/01.002" in row and "01.002" in row
    assert "No curriculum yet" in html  # XA-MC, LD-TP


def test_the_edit_page_offers_published_courses_with_the_current_ones_checked(catalog, login_as):
    html = login_as("manager").get("/manage/curricula/CM-CCVC").get_data(as_text=True)
    assert re.search(rf'value="{catalog["BB01"].id}" checked', html)
    assert "BB03 — " in html and "DRAFT1" not in html
    assert 'name="save"' not in html  # no save before a preview


def test_the_preview_counts_the_officials_affected_and_saves_nothing(catalog, login_as):
    client = login_as("manager")  # scope: the whole city
    ids = [catalog["BB01"].id, catalog["BB03"].id]
    response = edit_form(client, "/manage/curricula/CM-CCVC", "4", ids, preview="1")
    html = response.get_data(as_text=True)
    assert "6 officials in your units hold this curriculum today." in html
    assert "5 officials gain BB03 (not yet completed)." in html  # HC0 already has it
    assert "Target 3 → 4 TC." in html
    assert 'name="save"' in html
    curriculum = _db.session.scalar(select(Curriculum).where(Curriculum.rank_id.is_(None)))
    assert curriculum.target_credits == Decimal(3) and len(curriculum.courses) == 1


def test_the_preview_counts_only_the_managers_units(catalog, app):
    snv = _db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    user = auth.create_user(
        auth.NewUser("man.snv", PASSWORD, "Quản lý SNV", None, None, must_change_password=False),
        actor=None,
    )
    auth.grant_role(user, TRAINING_MANAGER, snv.id, actor=None)
    _db.session.commit()
    client = app.test_client()
    login(client, "man.snv")
    html = edit_form(
        client, "/manage/curricula/CM-CCVC", "3", [catalog["BB01"].id], preview="1"
    ).get_data(as_text=True)
    assert "3 officials in your units hold this curriculum today." in html
    assert "Nothing changes." in html


def test_saving_after_the_preview_updates_audits_and_refreshes_obligations(catalog, login_as):
    client = login_as("manager")
    ids = [catalog["BB01"].id, catalog["BB03"].id]
    response = preview_then_save(client, "/manage/curricula/CM-CCVC", "4", ids)
    assert response.status_code == 302 and response.location.endswith("/manage/curricula/")
    curriculum = _db.session.scalar(select(Curriculum).where(Curriculum.rank_id.is_(None)))
    assert curriculum.target_credits == Decimal(4)
    assert {c.course.code for c in curriculum.courses} == {"BB01", "BB03"}
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "curriculum.saved"))
    assert entry.before["courses"] == ["BB01"] and entry.after["courses"] == ["BB01", "BB03"]
    assert obligations_for("T-LEARN") == {"BB01", "BB03"}
    assert obligations_for("HC0") == {"BB01"}  # BB03 done long ago and still valid
    follow = client.get("/manage/curricula/").get_data(as_text=True)
    assert "obligations updated" in follow


def test_a_save_that_differs_from_the_preview_is_refused(catalog, login_as):
    client = login_as("manager")
    url = "/manage/curricula/CM-CCVC"
    html = edit_form(client, url, "4", [catalog["BB01"].id], preview="1").get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', html).group(1)
    response = edit_form(client, url, "5", [catalog["BB01"].id], save="1", digest=digest)
    assert response.status_code == 200
    assert "differs from the preview" in response.get_data(as_text=True)
    assert "Target 3 → 5 TC." in response.get_data(as_text=True)  # the new preview
    curriculum = _db.session.scalar(select(Curriculum).where(Curriculum.rank_id.is_(None)))
    assert curriculum.target_credits == Decimal(3)


def test_bad_input_keeps_the_form_and_saves_nothing(catalog, login_as):
    client = login_as("manager")
    response = edit_form(client, "/manage/curricula/CM-CCVC", "-1", [999999], preview="1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'aria-invalid="true"' in html
    assert 'id="preview-heading"' not in html
    draft = edit_form(client, "/manage/curricula/CM-CCVC", "3", [catalog["DRAFT1"].id], preview="1")
    assert "not a valid choice" in draft.get_data(as_text=True).lower()


def test_a_rank_variant_is_created_previewed_and_removed(catalog, login_as):
    client = login_as("manager")
    opened = client.get("/manage/curricula/CM-CCVC/variant?rank=01.003")
    assert opened.location.endswith("/manage/curricula/CM-CCVC/ranks/01.003")
    url = "/manage/curricula/CM-CCVC/ranks/01.003"
    page = client.get(url).get_data(as_text=True)
    assert "no variant yet" in page
    response = preview_then_save(client, url, "2", [catalog["VT01"].id])
    assert response.status_code == 302
    assert obligations_for("T-LEARN") == {"VT01"}  # every test official has rank 01.003
    token = csrf_token(client, url)
    removed = client.post(f"{url}/remove", data={"csrf_token": token})
    assert removed.status_code == 302
    assert obligations_for("T-LEARN") == {"BB01"}
    assert _db.session.scalar(select(func.count()).select_from(Curriculum)) == 1
    assert client.get("/manage/curricula/CM-CCVC/variant?rank=NOPE").status_code == 404
    assert client.get("/manage/curricula/NOPE").status_code == 404


def test_an_administrator_creates_and_edits_cycles(world, login_as, freeze):
    freeze(date(2026, 6, 1))
    client = login_as("admin")
    form = client.get("/manage/cycles/new").get_data(as_text=True)
    assert 'value="2026"' in form  # the first cycle: this year
    data = {
        "year": "2026",
        "starts_on": "01/01/2026",
        "ends_on": "31/12/2026",
        "due_days": "120",
        "notice_days": "45",
        "renewal_window_days": "60",
        "at_risk_days": "30",
        "pace_slack": "0,5",
    }
    response = client.post(
        "/manage/cycles/new", data={**data, "csrf_token": csrf_token(client, "/manage/cycles/new")}
    )
    assert response.status_code == 302
    cycle = _db.session.scalar(select(Cycle).where(Cycle.year == 2026))
    assert (cycle.due_days, cycle.pace_slack, cycle.notice_days) == (120, Decimal("0.5"), 45)
    overlap = client.post(
        "/manage/cycles/new",
        data={
            **data,
            "year": "2027",
            "ends_on": "30/06/2027",
            "starts_on": "01/07/2026",
            "csrf_token": csrf_token(client, "/manage/cycles/new"),
        },
    )
    assert "overlap cycle 2026" in overlap.get_data(as_text=True)
    edited = client.post(
        "/manage/cycles/2026",
        data={
            **data,
            "at_risk_days": "45",
            "csrf_token": csrf_token(client, "/manage/cycles/2026"),
        },
    )
    assert edited.status_code == 302
    _db.session.expire_all()
    assert _db.session.scalar(select(Cycle.at_risk_days).where(Cycle.year == 2026)) == 45
    listing = client.get("/manage/cycles/").get_data(as_text=True)
    assert "/manage/cycles/2026" in listing
    assert (
        _db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "cycle.saved")
        )
        == 2
    )


def test_training_managers_see_curricula_but_not_cycles(world, login_as):
    client = login_as("manager")
    assert client.get("/manage/curricula/").status_code == 200
    assert client.get("/manage/cycles/").status_code == 403
    assert login_as("hr").get("/manage/curricula/").status_code == 403
