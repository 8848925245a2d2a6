"""A year in the life of one official, driven the way people use the application (issue 5,
"Done means"): Nguyễn Thị Lan joins Sở Nội vụ on 01/03/2026 as a CCVC specialist (a 3-TC
position), passes an online course, attends an in-person class, has one external training
record approved and one rejected, moves to the ward's one-stop desk (a 4.5-TC position) on
01/08, passes that position's online course, has the approved external credit reversed by HR,
and the cycle is closed on 05/01/2027. At each step, on a frozen clock, we check what she sees
on /me, what her credit ledger holds, and her compliance status (the live statement, then the
frozen one that later credits no longer change).

Who does what: the administrator creates the cycles and her account; the training manager
imports the courses, sets the curricula (preview, then save) and runs the class; HR adds her
to the registry, records the position change, decides on her external training and corrects
her ledger; Lan studies, takes the tests and submits her external training herself.
"""

import html as html_lib
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from lms.common import clock
from lms.compliance import queries as compliance
from lms.compliance import statements
from lms.curricula.ledger import seals
from lms.curricula.ledger import services as ledger
from lms.extensions import db
from lms.organisation.models import Official
from tests.conftest import csrf_token, login
from tests.factories import PDF, course_tree, import_tree

# The scenario reads English wording (the Vietnamese catalog is checked on its own).
pytestmark = pytest.mark.usefixtures("english")

LAN = "DN026001"  # her employee code
LAN_LOGIN, LAN_PASSWORD = "lan.nt", "Sen-Hong-2026"

# --- the catalog: four courses, two with an online test ---------------------------------------
# code → (title, credits, positions of course.toml, delivery)
COURSES = {
    "BB01": ("Kiến thức chung về quản lý nhà nước", "1", ("CM-CCVC", "XA-MC"), "online"),
    "VT01": ("Quản lý công chức, viên chức", "1", ("CM-CCVC",), "online"),
    "LT01": ("Kỹ năng giao tiếp với người dân", "1", ("CM-CCVC",), "in_person"),
    "MC01": ("Nghiệp vụ một cửa, một cửa liên thông", "1", ("XA-MC",), "online"),
}
# The tests' questions: question → (right answer, wrong answer, another wrong answer).
QUESTIONS = {
    "BB01": {
        "Một tín chỉ bằng bao nhiêu tiết học?": ("15 tiết", "10 tiết", "45 tiết"),
        "Luật Cán bộ, công chức được Quốc hội thông qua năm nào?": ("2008", "2012", "2019"),
    },
    "MC01": {
        "Nghị định nào quy định cơ chế một cửa, một cửa liên thông?": (
            "Nghị định 61/2018/NĐ-CP",
            "Nghị định 138/2020/NĐ-CP",
            "Nghị định 30/2020/NĐ-CP",
        ),
        "Hồ sơ thủ tục hành chính được tiếp nhận ở đâu?": (
            "Bộ phận Một cửa",
            "Phòng Tài chính",
            "Văn phòng Đảng ủy",
        ),
    },
}
SNV_CCVC, HAI_CHAU = "Phòng Công chức, viên chức", "Ủy ban nhân dân phường Hải Châu"
TITLES = {code: title for code, (title, *_rest) in COURSES.items()}


def gift(code: str) -> str:
    """The course's question bank in GIFT: single-choice questions, the first answer right."""
    lines = []
    for number, (text, (right, *wrong)) in enumerate(QUESTIONS.get(code, {}).items(), 1):
        choices = " ".join([f"={right}", *(f"~{w}" for w in wrong)])
        lines.append(f"::{code}-{number}::{text}{{{choices}}}\n")
    return "\n".join(lines) or "::X::Câu hỏi?{T}\n"


def import_courses() -> None:
    """The training manager's course folders, imported as `flask courses import` does."""
    for code, (title, credits, positions, delivery) in COURSES.items():
        files = course_tree(
            code, lessons=2, title=title, kind="by_position", positions=positions, credits=credits
        )
        toml = files[f"{code}/course.toml"].decode()
        files[f"{code}/course.toml"] = toml.replace(
            'delivery = "online"', f'delivery = "{delivery}"'
        ).encode()
        files[f"{code}/questions.gift"] = gift(code).encode()
        import_tree(files)


# --- reading pages -----------------------------------------------------------------------------
def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(page: str, heading_id: str) -> str:
    """The <section> of a page whose heading has this id ('' when there is none)."""
    start = page.find(f'id="{heading_id}"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def rows(fragment: str) -> list[list[str]]:
    """The cells of the body rows of the first table in a fragment."""
    if "<tbody>" not in fragment:
        return []
    body = fragment.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@dataclass
class MyTraining:
    """What /me tells the official."""

    cycle: str  # "Cycle 2026 Jan 1, 2026 – Dec 31, 2026"
    status: str  # the badge: "On track", "At risk", "Met"…
    progress: str  # "1 of 2.5 credits earned (40%)"
    target: str  # "2.5 TC · 10 months in a position"
    mandatory: list[tuple[str, str, str]]  # (course code, due date, status)
    warnings: list[str]
    withdrawn: list[str]
    ledger: list[tuple[str, str, str, str]]  # (date, course or training, source, credits)
    previous: list[list[str]]  # (cycle, target, earned, not done, status)


def my_training(client) -> MyTraining:
    response = client.get("/me")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cycle = section(page, "cycle-heading")
    badge = re.search(r'<span class="badge status-\w+">(.*?)</span>', cycle, re.S)
    target = re.search(r"<dt>Target</dt>\s*<dd>(.*?)</dd>", cycle, re.S)
    mandatory = section(page, "mandatory-heading")
    withdrawn = mandatory.split("<details>", 1)[1] if "<details>" in mandatory else ""
    warnings = section(page, "warnings-heading")
    progress = re.search(r'id="credits-label">(.*?)</span>', cycle, re.S)
    return MyTraining(
        cycle=text_of(cycle.split("</h2>", 1)[0].split(">", 1)[1]) if cycle else "",
        status=text_of(badge.group(1)) if badge else "",
        progress=text_of(progress.group(1)) if progress else "",
        target=text_of(target.group(1)) if target else "",
        mandatory=[(what.split(" — ")[0], due, status) for what, _, due, status in rows(mandatory)],
        warnings=[text_of(p) for p in re.findall(r'<p class="flash[^>]*>(.*?)</p>', warnings)],
        withdrawn=[text_of(li) for li in re.findall(r"<li>(.*?)</li>", withdrawn, re.S)],
        ledger=[
            (day, what, source, credits)
            for day, what, source, credits, _ in rows(section(page, "ledger-heading"))
        ],
        previous=rows(section(page, "previous-heading")),
    )


# --- acting as users ---------------------------------------------------------------------------
def post(client, url: str, form_page: str | None = None, **data):
    """Submit a form as the browser does: with the CSRF token of the page that shows it."""
    token = csrf_token(client, form_page or url)
    return client.post(url, data={"csrf_token": token, **data})


def open_cycle(admin, year: int) -> None:
    """The administrator creates a calendar-year cycle with the default rules (DESIGN.md §3)."""
    created = post(
        admin,
        "/manage/cycles/new",
        year=str(year),
        starts_on=f"01/01/{year}",
        ends_on=f"31/12/{year}",
        due_days="180",
        notice_days="30",
        renewal_window_days="60",
        at_risk_days="30",
        pace_slack="1",
    )
    assert created.status_code == 302, created.get_data(as_text=True)


def save_curriculum(manager, position: str, target: str, codes: list[str]) -> None:
    """The training manager previews a position's curriculum, then saves what was previewed."""
    url = f"/manage/curricula/{position}"
    page = manager.get(url).get_data(as_text=True)
    choices = dict(
        (code, value)
        for value, code in re.findall(r'name="courses"[^>]*value="(\d+)".*?(\w+) — ', page, re.S)
    )
    courses = [choices[code] for code in codes]
    preview = post(manager, url, target_credits=target, courses=courses, preview="1")
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]+)"', preview.get_data(True))
    assert digest, preview.get_data(as_text=True)
    saved = post(
        manager, url, target_credits=target, courses=courses, save="1", digest=digest.group(1)
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)


def study(client, code: str) -> None:
    """Open the course page and mark every lesson done, in order."""
    page = client.get(f"/courses/{code}").get_data(as_text=True)
    slugs = list(dict.fromkeys(re.findall(rf'href="/courses/{code}/lessons/([\w-]+)"', page)))
    assert len(slugs) == 2, page
    for slug in slugs:
        response = post(
            client, f"/courses/{code}/lessons/{slug}/done", f"/courses/{code}/lessons/{slug}"
        )
        assert response.status_code == 302


def take_test(client, code: str, right: bool) -> str:
    """Start the course's test, choose the right (or a wrong) answer to every question as read
    on the page, submit, and return the verdict of the review page."""
    token = csrf_token(client, f"/courses/{code}/test")
    started = client.post(f"/courses/{code}/test/start", data={"csrf_token": token})
    assert started.status_code == 302, started.get_data(as_text=True)
    url = started.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, url), "action": "finish", "slots": []}
    fieldsets = r'<fieldset class="card question" id="q(\d+)">(.*?)</fieldset>'
    for slot, body in re.findall(fieldsets, page, re.S):
        question = re.search(r'class="question-text"[^>]*>(.*?)</div>', body, re.S).group(1)
        question = text_of(question)
        options = {
            text_of(label): value
            for value, label in re.findall(
                r'<input type="radio" name="r\d+" value="(\d+)"[^>]*>(.*?)</label>', body, re.S
            )
        }
        good, bad, _other = QUESTIONS[code][question]
        form["slots"].append(slot)
        form[f"r{slot}"] = options[good if right else bad]
    assert len(form["slots"]) == len(QUESTIONS[code])
    submitted = client.post(url, data=form)
    assert submitted.headers["Location"].endswith("/review")
    review = client.get(submitted.headers["Location"]).get_data(as_text=True)
    return text_of(re.search(r'id="verdict">(.*?)</p>', review, re.S).group(1))


def submit_external(client, title: str, organiser: str, starts: str, ends: str, periods: int):
    response = client.post(
        "/me/external/new",
        data={
            "csrf_token": csrf_token(client, "/me/external/new"),
            "title": title,
            "organiser": organiser,
            "starts_on": starts,
            "ends_on": ends,
            "periods": str(periods),
            "evidence": (io.BytesIO(PDF), "giay-chung-nhan.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def hr_sees(hr, year: int = 2026) -> tuple:
    """Lan's line in HR's compliance list: (unit, target, earned, credits still owed, courses
    still owed, status)."""
    page = hr.get(f"/compliance/officials?cycle={year}").get_data(as_text=True)
    [(_name, _code, unit, target, earned, owes, status)] = [r for r in rows(page) if LAN in r]
    credits = re.match(r"([\d.]+) credits", owes)
    courses = sorted(re.findall(r"\b([A-Z]{2}\d\d) ", owes))
    return unit, target, earned, credits.group(1) if credits else "", courses, status


def external_record_id(hr, title: str) -> int:
    """HR finds the record in the queue of submissions waiting for a decision."""
    queue = hr.get("/external/").get_data(as_text=True)
    found = re.search(rf'href="/external/(\d+)">{re.escape(title)}</a>', queue)
    assert found, queue
    return int(found.group(1))


# --- what the system holds ---------------------------------------------------------------------
def official_id(code: str = LAN) -> int:
    db.session.expire_all()  # the requests committed in their own sessions
    return db.session.scalar(select(Official.id).where(Official.employee_code == code))


def ledger_of(year: int = 2026) -> list[tuple[str, str, D]]:
    """Lan's ledger entries of a cycle: (source, course code or title, credits), in order."""
    cycle = compliance.cycle_by_year(year)
    return [
        (e.source, e.course.code if e.course else e.title, e.credits)
        for e in ledger.entries(official_id(), cycle.id)
    ]


def balance(year: int = 2026) -> D:
    return ledger.balance(official_id(), compliance.cycle_by_year(year).id)


def statement(year: int = 2026) -> dict:
    """Lan's training statement: live while the cycle is open, frozen once it is closed."""
    found = statements.statement_for(official_id(), compliance.cycle_by_year(year), clock.today())
    assert found is not None
    return found


def standing(year: int = 2026) -> tuple:
    """(status, target, earned, mandatory required, mandatory completed) of the statement."""
    s = statement(year)
    return (
        s["status"],
        s["target_credits"],
        s["earned_credits"],
        s["mandatory_required"],
        s["mandatory_completed"],
    )


# --- the year ----------------------------------------------------------------------------------
def test_a_year_of_an_official(app, login_as, freeze, runner, monkeypatch, tmp_path, request):
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))  # evidence files

    # 05/01/2026 — the administrator opens the 2026 cycle; the training manager imports the
    # courses (with their question banks) and sets the two positions' curricula.
    freeze(date(2026, 1, 5))
    admin, manager, hr = login_as("admin"), login_as("manager"), login_as("hr")
    open_cycle(admin, 2026)
    import_courses()
    synced = runner.invoke(args=["questions", "sync"])
    assert synced.exit_code == 0, synced.output
    save_curriculum(manager, "CM-CCVC", "3", ["BB01", "LT01", "VT01"])
    save_curriculum(manager, "XA-MC", "4,5", ["BB01", "MC01"])
    listing = manager.get("/manage/curricula/").get_data(as_text=True)
    assert 'href="/courses/MC01"' in listing and 'href="/courses/LT01"' in listing

    # 01/03 — HR adds Lan to the registry in her first post; the administrator gives her an
    # account; she logs in and chooses her own password.
    freeze(date(2026, 3, 1))
    added = post(
        hr,
        "/officials/new",
        employee_code=LAN,
        full_name="Nguyễn Thị Lan",
        gender="female",
        category="cong_chuc",
        status="active",
        unit="SNV-CCVC",
        position="CM-CCVC",
        rank="01.003",
        started_on="01/03/2026",
        decision_no="15/QĐ-SNV",
    )
    assert added.status_code == 302, added.get_data(as_text=True)
    account = post(
        admin,
        "/manage/users/new",
        username=LAN_LOGIN,
        display_name="Nguyễn Thị Lan",
        employee_code=LAN,
        password="Tam-Thoi-0103",
    )
    assert account.status_code == 302, account.get_data(as_text=True)
    lan = app.test_client()
    assert login(lan, LAN_LOGIN, "Tam-Thoi-0103").location.endswith("/auth/password")
    changed = post(
        lan,
        "/auth/password",
        current_password="Tam-Thoi-0103",
        new_password=LAN_PASSWORD,
        confirm=LAN_PASSWORD,
    )
    assert changed.status_code == 302

    # Her /me: ten months in a 3-TC position → 2.5 TC; the position's three mandatory courses,
    # due 180 days after she took it up (01/03 + 180 days = 28/08).
    me = my_training(lan)
    assert me.cycle == "Cycle 2026 Jan 1, 2026 – Dec 31, 2026"
    assert me.status == "On track"
    assert me.progress == "0 of 2.5 credits earned (0%)"
    assert me.target == "2.5 TC · 10 months in a position"
    assert me.mandatory == [
        ("BB01", "Aug 28, 2026", "To do"),
        ("LT01", "Aug 28, 2026", "To do"),
        ("VT01", "Aug 28, 2026", "To do"),
    ]
    assert me.warnings == [] and me.withdrawn == [] and me.ledger == []
    assert ledger_of() == [] and balance() == 0
    assert standing() == ("on_track", D("2.5"), 0, 3, 0)
    assert hr_sees(hr) == (SNV_CCVC, "2.5", "0", "2.5", ["BB01", "LT01", "VT01"], "On track")
    assert statement()["position"]["code"] == "CM-CCVC" and statement()["closed_at"] is None

    # 15/04 — Lan studies BB01 and takes its test: a first attempt with wrong answers fails
    # and earns nothing; the second passes, completes the course and writes 1 TC (online).
    freeze(date(2026, 4, 15))
    study(lan, "BB01")
    assert take_test(lan, "BB01", right=False).startswith("Not passed")
    assert my_training(lan).progress == "0 of 2.5 credits earned (0%)" and ledger_of() == []
    assert take_test(lan, "BB01", right=True).startswith("Passed")
    me = my_training(lan)
    assert me.status == "On track"
    assert me.progress == "1 of 2.5 credits earned (40%)"
    assert me.mandatory[0] == ("BB01", "Aug 28, 2026", "Done")
    assert me.ledger == [("Apr 15, 2026", f"BB01 — {TITLES['BB01']}", "Online course", "1")]
    assert ledger_of() == [("online", "BB01", D(1))] and balance() == D(1)
    assert standing() == ("on_track", D("2.5"), D(1), 3, 1)

    # 04/05 — the training manager plans an in-person class of LT01 (18–20/05, three sessions)
    # and pastes the roster: Lan and a colleague from the ward.
    freeze(date(2026, 5, 4))
    form = manager.get("/classes/new").get_data(as_text=True)
    unit_id = re.search(r'<option value="(\d+)">[^<]*\(SNV-CCVC\)</option>', form).group(1)
    created = post(
        manager,
        "/classes/new",
        course="LT01",
        unit=unit_id,
        title="Lớp kỹ năng giao tiếp tháng 5/2026",
        location="Hội trường Sở Nội vụ",
        starts_on="18/05/2026",
        ends_on="20/05/2026",
        sessions="3",
        min_attendance_percent="80",
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    class_url = created.headers["Location"].rsplit("/roster", 1)[0]
    roster = post(
        manager, f"{class_url}/roster/codes", f"{class_url}/roster", codes=f"{LAN}\nT-LEARN"
    )
    assert roster.status_code == 302, roster.get_data(as_text=True)

    # 20/05 — the class is over: Lan attended every session and passed; the colleague was
    # absent. Her LT01 obligation is done and 1 TC is written (in-person class).
    freeze(date(2026, 5, 20))
    results = manager.get(f"{class_url}/results").get_data(as_text=True)
    lines = dict(
        (code, (index, member))
        for index, member, code in re.findall(
            r'name="rows-(\d+)-member_id" type="hidden" value="(\d+)">[^(]*\(([\w-]+)\)', results
        )
    )
    data = {"reason": ""}
    outcome = {LAN: ("3", "8,5", "passed"), "T-LEARN": ("0", "", "absent")}
    for code, (index, member) in lines.items():
        sessions, score, result = outcome[code]
        data |= {
            f"rows-{index}-member_id": member,
            f"rows-{index}-sessions_attended": sessions,
            f"rows-{index}-score": score,
            f"rows-{index}-result": result,
        }
    recorded = post(manager, f"{class_url}/results", **data)
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    me = my_training(lan)
    assert me.progress == "2 of 2.5 credits earned (80%)"
    assert me.mandatory == [
        ("BB01", "Aug 28, 2026", "Done"),
        ("LT01", "Aug 28, 2026", "Done"),
        ("VT01", "Aug 28, 2026", "To do"),
    ]
    assert me.ledger[-1] == ("May 20, 2026", f"LT01 — {TITLES['LT01']}", "In-person class", "1")
    assert ledger_of() == [("online", "BB01", D(1)), ("in_person", "LT01", D(1))]
    assert standing() == ("on_track", D("2.5"), D(2), 3, 2)

    # 08/06 — Lan submits a week's training at the National Academy (15 periods) with its
    # certificate. Waiting for HR, it counts for nothing yet.
    freeze(date(2026, 6, 8))
    submit_external(
        lan,
        "Bồi dưỡng kỹ năng chuyển đổi số",
        "Học viện Hành chính Quốc gia",
        "01/06/2026",
        "05/06/2026",
        15,
    )
    assert my_training(lan).progress == "2 of 2.5 credits earned (80%)"

    # 10/06 — HR approves it with the suggested credits (15 periods → 1 TC).
    freeze(date(2026, 6, 10))
    record_id = external_record_id(hr, "Bồi dưỡng kỹ năng chuyển đổi số")
    detail = hr.get(f"/external/{record_id}").get_data(as_text=True)
    assert re.search(r'name="credits"[^>]*value="1"', detail), detail
    approved = post(hr, f"/external/{record_id}/approve", f"/external/{record_id}", credits="1")
    assert approved.status_code == 302
    me = my_training(lan)
    assert me.status == "On track"  # 3 TC ≥ 2.5, but VT01 is still to do
    assert me.progress == "3 of 2.5 credits earned (100%)"
    assert me.ledger[-1] == (
        "Jun 5, 2026",
        "Bồi dưỡng kỹ năng chuyển đổi số",
        "External training",
        "1",
    )
    assert ledger_of()[-1] == ("external", "Bồi dưỡng kỹ năng chuyển đổi số", D(1))
    assert standing() == ("on_track", D("2.5"), D(3), 3, 2)

    # 15/06 → 20/06 — a second submission, a conference without a certificate, is rejected
    # with a reason she can read; her ledger does not move.
    freeze(date(2026, 6, 15))
    submit_external(
        lan, "Hội thảo cải cách hành chính", "Sở Nội vụ Quảng Nam", "11/06/2026", "12/06/2026", 8
    )
    freeze(date(2026, 6, 20))
    record_id = external_record_id(hr, "Hội thảo cải cách hành chính")
    reason = "Hội thảo không phải khóa bồi dưỡng; không có giấy chứng nhận."
    rejected = post(hr, f"/external/{record_id}/reject", f"/external/{record_id}", reason=reason)
    assert rejected.status_code == 302
    mine = rows(lan.get("/me/external/").get_data(as_text=True))
    assert {line[0]: line[3:5] for line in mine} == {  # training · status · credits granted
        "Bồi dưỡng kỹ năng chuyển đổi số Học viện Hành chính Quốc gia": ["Approved", "1"],
        "Hội thảo cải cách hành chính Sở Nội vụ Quảng Nam": [f"Rejected {reason}", "—"],
    }
    assert my_training(lan).progress == "3 of 2.5 credits earned (100%)"
    assert len(ledger_of()) == 3 and balance() == D(3)

    # 30/07 — VT01 is due within 30 days: /me warns her and she is at risk.
    freeze(date(2026, 7, 30))
    me = my_training(lan)
    assert me.status == "At risk"
    assert me.warnings == [f"Due soon: VT01 — {TITLES['VT01']}, by Aug 28, 2026."]
    assert standing() == ("at_risk", D("2.5"), D(3), 3, 2)
    assert hr_sees(hr) == (SNV_CCVC, "2.5", "3", "", ["VT01"], "At risk")

    # 01/08 — HR records her move to the one-stop desk of phường Hải Châu (a 4.5-TC position).
    # Target: 5 months at 3 TC + 5 months at 4.5 TC = 37.5 / 12 = 3.125 → 3.5 TC. BB01 is
    # required by both positions and stays done; MC01 is new, due 01/08 + 180 days but not
    # after the cycle's end (31/12); VT01, still open, is withdrawn with the reason; LT01,
    # done, stays in her history. Her credits stay.
    freeze(date(2026, 8, 1))
    moved = post(
        hr,
        f"/officials/{LAN}/position",
        unit="P-HAICHAU",
        position="XA-MC",
        rank="01.003",
        started_on="01/08/2026",
        decision_no="212/QĐ-UBND",
    )
    assert moved.status_code == 302, moved.get_data(as_text=True)
    after_the_move = my_training(lan)
    me = after_the_move
    assert me.status == "On track"
    assert me.progress == "3 of 3.5 credits earned (86%)"
    assert me.target == "3.5 TC · 10 months in a position"
    assert me.mandatory == [
        ("BB01", "Aug 28, 2026", "Done"),
        ("LT01", "Aug 28, 2026", "Done"),
        ("MC01", "Dec 31, 2026", "To do"),
    ]
    assert me.withdrawn == [
        f"VT01 — {TITLES['VT01']}: the position that required it ended (Aug 1, 2026)"
    ]
    assert me.warnings == []
    assert len(me.ledger) == 3 and balance() == D(3)
    assert standing() == ("on_track", D("3.5"), D(3), 3, 2)
    assert hr_sees(hr) == (HAI_CHAU, "3.5", "3", "0.5", ["MC01"], "On track")
    assert statement()["position"]["code"] == "XA-MC"
    assert statement()["unit"]["code"] == "P-HAICHAU"

    # The nightly refresh that night changes nothing she can see.
    nightly = runner.invoke(args=["curricula", "refresh"])
    assert nightly.exit_code == 0, nightly.output
    assert "0 added, 0 updated, 0 withdrawn; 0 targets written" in nightly.output
    assert my_training(lan) == after_the_move

    # 15/09 — she studies MC01 from her new position and passes its test: 4 TC of 3.5, every
    # mandatory course done — met.
    freeze(date(2026, 9, 15))
    study(lan, "MC01")
    assert take_test(lan, "MC01", right=True).startswith("Passed")
    me = my_training(lan)
    assert me.status == "Met"
    assert me.progress == "4 of 3.5 credits earned (100%)"
    assert me.mandatory[-1] == ("MC01", "Dec 31, 2026", "Done")
    assert me.ledger[-1] == ("Sep 15, 2026", f"MC01 — {TITLES['MC01']}", "Online course", "1")
    assert balance() == D(4)
    assert standing() == ("met", D("3.5"), D(4), 3, 3)
    assert hr_sees(hr) == (HAI_CHAU, "3.5", "4", "", [], "Met")

    # 01/10 — the academy tells HR the external certificate was issued in error: HR reverses
    # that entry on her ledger page, with the reason. The ledger gains a negative entry (the
    # original is kept), she is no longer "met", and the chain still verifies.
    freeze(date(2026, 10, 1))
    page = hr.get(f"/officials/{LAN}/ledger").get_data(as_text=True)
    row = next(r for r in page.split("<tr>") if "Bồi dưỡng kỹ năng chuyển đổi số" in r)
    reverse_url = re.search(r'action="([^"]+/reverse)"', row).group(1)
    why = "Học viện thu hồi giấy chứng nhận cấp nhầm (Công văn 88/HV-ĐT)."
    reversed_ = post(hr, reverse_url, f"/officials/{LAN}/ledger", reason=why)
    assert reversed_.status_code == 302, reversed_.get_data(as_text=True)
    me = my_training(lan)
    assert me.status == "On track"
    assert me.progress == "3 of 3.5 credits earned (86%)"
    assert me.ledger[-1] == (
        "Jun 5, 2026",
        f"Bồi dưỡng kỹ năng chuyển đổi số Correction: {why}",
        "External training",
        "-1",
    )
    assert ledger_of() == [
        ("online", "BB01", D(1)),
        ("in_person", "LT01", D(1)),
        ("external", "Bồi dưỡng kỹ năng chuyển đổi số", D(1)),
        ("online", "MC01", D(1)),
        ("external", "Bồi dưỡng kỹ năng chuyển đổi số", D(-1)),
    ]
    assert balance() == D(3) and list(seals.verify()) == []
    assert standing() == ("on_track", D("3.5"), D(3), 3, 3)
    assert why in hr.get(f"/officials/{LAN}/ledger").get_data(as_text=True)

    # 15/12 — the administrator opens the 2027 cycle ahead of time.
    freeze(date(2026, 12, 15))
    open_cycle(admin, 2027)

    # 31/12 — the last day: half a credit short, nothing overdue, within the pace slack.
    freeze(date(2026, 12, 31))
    me = my_training(lan)
    assert me.status == "On track" and me.warnings == []
    assert me.progress == "3 of 3.5 credits earned (86%)"
    assert standing() == ("on_track", D("3.5"), D(3), 3, 3)
    assert statement()["closed_at"] is None

    # 01/01/2027 — the nightly refresh writes the new cycle: 12 months at 4.5 TC; BB01 and
    # MC01, completed in 2026 and still valid, are already done.
    freeze(date(2027, 1, 1))
    nightly = runner.invoke(args=["curricula", "refresh"])
    assert nightly.exit_code == 0, nightly.output
    me = my_training(lan)
    assert me.cycle.startswith("Cycle 2027")
    assert me.target == "4.5 TC · 12 months in a position"
    assert me.mandatory == [
        ("BB01", "Dec 31, 2027", "Done"),
        ("MC01", "Dec 31, 2027", "Done"),
    ]
    assert me.previous == [["2026", "3.5", "3", "0", "On track"]]

    # 05/01/2027 — HR closes 2026: her statement is frozen, not met (3 of 3.5 TC).
    freeze(date(2027, 1, 5))
    closed = runner.invoke(args=["cycle", "close", "2026"])
    assert closed.exit_code == 0, closed.output
    assert "Cycle 2026 closed" in closed.output
    frozen = statement()
    assert standing() == ("not_met", D("3.5"), D(3), 3, 3)
    assert hr_sees(hr) == (HAI_CHAU, "3.5", "3", "0.5", [], "Not met")
    assert frozen["position"]["code"] == "XA-MC" and frozen["closed_at"] is not None
    assert my_training(lan).previous == [["2026", "3.5", "3", "0", "Not met · cycle closed"]]

    # 10/01/2027 — a late certificate reaches HR: a seminar of 28/12/2026, added by hand. The
    # ledger tells the truth (4 TC in 2026), but the closed statement does not move.
    freeze(date(2027, 1, 10))
    late = post(
        hr,
        f"/officials/{LAN}/ledger/manual",
        f"/officials/{LAN}/ledger",
        title="Hội nghị tập huấn cải cách hành chính",
        credits="1",
        earned_on="28/12/2026",
        reason="Giấy xác nhận nộp sau khi đóng chu kỳ.",
    )
    assert late.status_code == 302, late.get_data(as_text=True)
    assert balance() == D(4) and list(seals.verify()) == []
    assert statement() == frozen
    assert standing() == ("not_met", D("3.5"), D(3), 3, 3)
    # …and so do HR's compliance list and /me: the same frozen 3 of 3.5 TC, not met.
    assert hr_sees(hr) == (HAI_CHAU, "3.5", "3", "0.5", [], "Not met")
    assert my_training(lan).previous == [["2026", "3.5", "3", "0", "Not met · cycle closed"]]


# --- a course required by a curriculum alone -----------------------------------------------------
def test_a_course_made_mandatory_by_a_curriculum_alone_can_be_studied(
    app, login_as, freeze, monkeypatch, tmp_path
):
    """The story above gives every course the positions of its curricula in course.toml, as the
    demo catalog does. A manager who adds a course to a position's curriculum in the UI is
    the other way the issue asks for; the official must then be able to study it."""
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(tmp_path / "assets"))
    freeze(date(2026, 6, 1))
    open_cycle(login_as("admin"), 2026)
    import_tree(course_tree("QL01", lessons=2, title="Quản lý hồ sơ công chức", kind="by_position"))
    save_curriculum(login_as("manager"), "CM-CCVC", "3", ["QL01"])
    learner = login_as("learner")  # a CM-CCVC official since 2020
    # added to the curriculum on 01/06: due 180 days later, not on 31/12 as for a known one
    assert my_training(learner).mandatory == [("QL01", "Nov 28, 2026", "To do")]
    assert learner.get("/courses/QL01/lessons/khai-niem").status_code == 200
