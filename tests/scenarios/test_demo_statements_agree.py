"""On the demo data, loaded the way `make run` loads it and after the first nightly refresh, every
official who has a recertification sees each mandatory course once, and the counts of mandatory
courses (required / completed) agree between /me, the statement page, its PDF, the API and the
CSV and XLSX exports — live in November 2026, and frozen once HR closes the cycle in January.

The 2026 recertifications come from the demo history: certificates of 2024 that expire in 2026
(the learner's BB02 among them); the first nightly refresh opens them beside the course's done
first-time obligation, the case that used to count a course twice."""

import csv
import html as html_lib
import io
import re
import unicodedata
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from lms.auth import services as auth
from lms.auth.models import User
from lms.compliance import statements
from lms.compliance.queries import cycle_by_year
from lms.curricula.obligations import engine as obligations
from lms.curricula.obligations.models import RECERTIFICATION, WITHDRAWN, Obligation
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD
from tests.scenarios.make_run import DEMO_PASSWORD, set_up_like_make_run
from tests.services.test_certificates_pdf import run, tool
from tests.web.routes.api import bearer

PDF_SAMPLE = 4  # PDFs are slow to render: the learner and a few others


@pytest.fixture
def demo(app, runner, freeze, tmp_path, monkeypatch):
    """The demo as `make run` leaves it on 20/11/2026, then the night's obligations refresh."""
    freeze(date(2026, 11, 20))
    set_up_like_make_run(app, runner, monkeypatch, tmp_path / "assets")
    obligations.refresh_all()
    db.session.commit()


def _recertified(year: int) -> list[str]:
    """Employee codes of the officials with a recertification in the cycle, by code."""
    stmt = (
        select(Official.employee_code)
        .join(Obligation, Obligation.official_id == Official.id)
        .where(
            Obligation.kind == RECERTIFICATION,
            Obligation.status != WITHDRAWN,
            Obligation.cycle_id == cycle_by_year(year).id,
        )
        .distinct()
        .order_by(Official.employee_code)
    )
    return list(db.session.scalars(stmt))


def _clean(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _section(page: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', page, re.S)
    assert match, heading_id
    return match.group(1)


def _me_counts(client) -> tuple[int, int, list[str]]:
    """(rows, rows done, course codes) of the mandatory-course table of /me."""
    table = _section(client.get("/me").get_data(as_text=True), "mandatory-heading")
    rows = re.findall(r"<tr>\s*<td><a [^>]*>([^<]+)</a></td>(.*?)</tr>", table, re.S)
    codes = [_clean(link).split(" — ")[0] for link, _rest in rows]
    done = sum(1 for _link, rest in rows if "Done" in _clean(rest))
    return len(rows), done, codes


def _page_counts(client, code: str, year: int) -> tuple[int, int, list[str]]:
    """(required, completed) as the statement page says them, and its list's course codes."""
    page = client.get(f"/reviews/{code}?cycle={year}").get_data(as_text=True)
    said = re.search(r"(\d+) of (\d+) completed", page)
    listed = re.findall(r'<tr class="m-\w+"><td>([^<]+)</td>', _section(page, "mandatory-h"))
    states = re.findall(r'<tr class="m-(\w+)">', page)
    assert states.count("done") == int(said.group(1)), code
    return int(said.group(2)), int(said.group(1)), listed


def _pdf_counts(client, code: str, year: int) -> tuple[int, int]:
    data = client.get(f"/reviews/{code}.pdf?cycle={year}").data
    text = " ".join(
        unicodedata.normalize("NFC", run(tool("pdftotext"), "-", "-", data=data)).split()
    )
    said = re.search(r"Completed (\d+) of (\d+)|(\d+) of (\d+) completed", text)
    done, total = (said.group(3), said.group(4)) if said.group(3) else said.groups()[:2]
    return int(total), int(done)


def _export(client, year: int, fmt: str) -> dict[str, tuple[int, int]]:
    """(required, completed) per employee code from the compliance export."""
    token = csrf_token(client, f"/compliance/export?cycle={year}")
    response = client.post(
        f"/compliance/export?cycle={year}",
        data={"csrf_token": token, "reason": "Đối chiếu số liệu", "fmt": fmt},
    )
    assert response.status_code == 200
    if fmt == "csv":
        text = response.get_data(as_text=True).lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))  # in English: `,` between columns
    else:
        sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
        rows = [
            [("" if v is None else str(v)) for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    start = next(
        i for i, row in enumerate(rows) if row and row[0] == "Employee code"
    )  # under the title
    header = rows[start]
    required, completed = header.index("Mandatory courses"), header.index("Completed")
    return {
        row[0]: (int(float(row[required])), int(float(row[completed])))
        for row in rows[start + 1 :]
        if row and row[0]
    }


def _api(client, headers, code: str, year: int) -> tuple[int, int, list[str]]:
    answer = client.get(f"/api/v1/officials/{code}/statement?cycle={year}", headers=headers)
    body = answer.get_json()
    codes = [item["course_code"] for item in body["mandatory"]]
    done = sum(1 for item in body["mandatory"] if item["state"] == "done")
    assert done == body["mandatory_completed"], code
    return body["mandatory_required"], body["mandatory_completed"], codes


def _accounts(codes: list[str]) -> dict[str, str]:
    """A login for each official (the demo ones have theirs): username per code."""
    existing = dict(
        db.session.execute(
            select(Official.employee_code, User.username)
            .join(User, User.official_id == Official.id)
            .where(Official.employee_code.in_(codes))
        ).all()
    )
    ids = dict(
        db.session.execute(
            select(Official.employee_code, Official.id).where(Official.employee_code.in_(codes))
        ).all()
    )
    for code in codes:
        if code not in existing:
            user = auth.NewUser(code.lower(), PASSWORD, code, None, ids[code], False)
            existing[code] = auth.create_user(user, actor=None).username
    db.session.commit()
    return existing


@pytest.mark.usefixtures("english")
def test_counts_of_mandatory_courses_agree_everywhere_on_the_demo(demo, app, freeze):
    people = _recertified(2026)
    assert "DEMO0004" in people and len(people) >= 20  # the learner and many others
    hr = app.test_client()
    assert login(hr, "hr", DEMO_PASSWORD).status_code == 302
    headers, api = (
        bearer(db.session.scalar(select(User).where(User.username == "hr"))),
        app.test_client(),
    )
    exports = {fmt: _export(hr, 2026, fmt) for fmt in ("csv", "xlsx")}
    logins = _accounts(people)
    for number, code in enumerate(people):
        me = app.test_client()
        password = DEMO_PASSWORD if code.startswith("DEMO") else PASSWORD
        assert login(me, logins[code], password).status_code == 302
        rows, done, me_codes = _me_counts(me)
        required, completed, listed = _page_counts(hr, code, 2026)
        api_required, api_completed, api_codes = _api(api, headers, code, 2026)
        assert len(set(me_codes)) == len(me_codes), (code, me_codes)  # once each
        assert sorted(me_codes) == sorted(listed) == sorted(api_codes), code
        assert (rows, done) == (required, completed) == (api_required, api_completed), code
        assert exports["csv"][code] == exports["xlsx"][code] == (required, completed), code
        if code == "DEMO0004" or number < PDF_SAMPLE:
            assert _pdf_counts(hr, code, 2026) == (required, completed), code
    # HR closes 2026 in January: the frozen statements count the same way, and /me's earlier
    # cycles agree with them.
    freeze(date(2027, 1, 5))
    dn = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "DN"))
    statements.close_cycle(cycle_by_year(2026), dn, None, date(2027, 1, 5))
    db.session.commit()
    exports = {fmt: _export(hr, 2026, fmt) for fmt in ("csv", "xlsx")}
    for number, code in enumerate(people):
        required, completed, listed = _page_counts(hr, code, 2026)
        assert len(listed) == required and len(set(listed)) == required, code
        assert _api(api, headers, code, 2026) == (required, completed, listed), code
        assert exports["csv"][code] == exports["xlsx"][code] == (required, completed), code
        if code == "DEMO0004" or number < PDF_SAMPLE:
            assert _pdf_counts(hr, code, 2026) == (required, completed), code
    learner = app.test_client()
    assert login(learner, "learner", DEMO_PASSWORD).status_code == 302
    earlier = _section(learner.get("/me").get_data(as_text=True), "previous-heading")
    row_2026 = re.search(r'<th scope="row">2026</th>(.*?)</tr>', earlier, re.S).group(1)
    not_done = int(_clean(re.findall(r"<td>(.*?)</td>", row_2026, re.S)[2]))
    required, completed, _listed = _page_counts(hr, "DEMO0004", 2026)
    assert not_done == required - completed
