"""Accounts for officials on the web, as HR and the officials meet them: the accounts screen
(scoped), the CSV and letters, the activation link from opening to logged in, links that fail
clearly, the rate limit, and an official who leaves."""

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import activation
from lms.auth import services as auth
from lms.auth.models import HR_OFFICER, AccountActivation, ProvisioningRun, User
from lms.extensions import db as _db
from lms.extensions import limiter
from lms.organisation.models import OrgUnit
from tests.conftest import csrf_token, login
from tests.factories import PASSWORD, make_official
from tests.services.test_jobs_notifications_mail import smtp  # noqa: F401 (fixture)

NEW_PASSWORD = "Sen-Hong-2026"


@pytest.fixture
def people(world):
    """Three working officials in SNV-CCVC (one with an email address and a name that looks
    like a formula), one in P-HAICHAU, and an HR officer who covers SNV only."""
    make_official("DN000101", "Nguyễn Thị Ngọc Ánh", email="anh@danang.gov.vn")
    make_official("DN000102", "=Đặng Hữu Phước", gender="male")
    make_official("DN000103", "Huỳnh Ưng Ỷ")
    make_official("DN000201", "Trần Văn Bình", unit="P-HAICHAU", gender="male")
    hr = auth.create_user(
        auth.NewUser("hr-snv", PASSWORD, "Cán bộ tổ chức SNV", must_change_password=False), None
    )
    snv = _db.session.scalar(select(OrgUnit).where(OrgUnit.code == "SNV"))
    auth.grant_role(hr, HR_OFFICER, snv.id, actor=None)
    _db.session.commit()
    return world


def logged_in(app, username: str):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def provision(client, unit: str = "", email: bool = False):
    data = {"csrf_token": csrf_token(client, "/officials/accounts"), "unit": unit}
    if email:
        data["email"] = "y"
    return client.post("/officials/accounts/provision", data=data)


def links(client, query: str) -> list[dict]:
    response = client.get(f"/officials/accounts/links.csv?{query}")
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))  # Vietnamese Excel's CSV


def test_hr_creates_accounts_for_the_three_officials_of_their_unit_only(app, people):
    hr = logged_in(app, "hr-snv")
    page = hr.get("/officials/accounts").get_data(as_text=True)
    assert "Tạo tài khoản cho 3 cán bộ" in page  # T-HR, T-MAN, T-REV already have accounts
    response = provision(hr)
    run = _db.session.scalar(select(ProvisioningRun))
    assert response.location.endswith(f"/officials/accounts/runs/{run.id}")
    assert run.created == 3
    names = set(_db.session.scalars(select(User.username).where(User.official_id.is_not(None))))
    assert {"dn000101", "dn000102", "dn000103"} <= names and "dn000201" not in names
    result = hr.get(response.location).get_data(as_text=True)
    assert "Tài khoản đã tạo" in result and "letters.pdf?run=" in result.replace("&amp;", "&")
    again = hr.get("/officials/accounts").get_data(as_text=True)
    assert "Mọi cán bộ đang công tác ở đây đều đã có tài khoản." in again


def test_the_csv_has_the_four_columns_and_guards_against_formulas(app, people):
    hr = logged_in(app, "hr-snv")
    provision(hr)
    response = hr.get("/officials/accounts/links.csv")
    first_line = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert first_line == "employee_code;full_name;username;activation_url"
    rows = {row["employee_code"]: row for row in links(hr, "")}
    assert sorted(rows) == ["DN000101", "DN000102", "DN000103"]
    assert rows["DN000102"]["full_name"] == "'=Đặng Hữu Phước"
    assert rows["DN000101"]["username"] == "dn000101"
    assert re.fullmatch(
        r"http://localhost/activate/[A-Za-z0-9_-]{43}", rows["DN000101"]["activation_url"]
    )


def test_an_hr_officer_cannot_provision_or_print_for_another_units_officials(app, people):
    hr = logged_in(app, "hr-snv")
    assert hr.get("/officials/accounts?unit=P-HAICHAU").status_code == 404
    assert provision(hr, unit="P-HAICHAU").status_code == 404
    city = logged_in(app, "hr")  # covers DN, so P-HAICHAU too
    provision(city, unit="P-HAICHAU")
    run_id = _db.session.scalar(select(ProvisioningRun.id))
    assert hr.get("/officials/accounts/letters.pdf?unit=P-HAICHAU").status_code == 404
    assert hr.get("/officials/accounts/links.csv?unit=p-haichau").status_code == 404
    assert hr.get(f"/officials/accounts/links.csv?run={run_id}").status_code == 404
    assert hr.get(f"/officials/accounts/runs/{run_id}").status_code == 404
    assert links(hr, "") == []  # nothing of P-HAICHAU in the HR officer's own letters
    assert len(links(city, "unit=p-haichau")) == 1  # unit codes in any letter case


def open_link(client, url: str):
    path = url.removeprefix("http://localhost")
    return client.get(path)


def test_the_official_activates_from_the_link_and_lands_logged_in(app, people):
    provision(logged_in(app, "hr-snv"))
    url = next(r for r in links(logged_in(app, "hr-snv"), "") if r["username"] == "dn000101")[
        "activation_url"
    ]
    official = app.test_client()
    official.get("/auth/login")
    planted = official.get_cookie("session").value
    opened = open_link(official, url)
    assert opened.status_code == 303 and opened.location.endswith("/activate")
    form = official.get("/activate").get_data(as_text=True)
    assert "dn000101" in form and "Nguyễn Thị Ngọc Ánh" in form
    weak = official.post(
        "/activate",
        data={"csrf_token": csrf_token(official, "/activate"), "password": "abc", "confirm": "abc"},
    )
    assert weak.status_code == 200 and "ít nhất 8 ký tự" in weak.get_data(as_text=True)
    done = official.post(
        "/activate",
        data={
            "csrf_token": csrf_token(official, "/activate"),
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302 and done.location.endswith("/")
    # Their first login: the privacy notice comes first, then the home page.
    assert official.get("/").location == "/privacy/acknowledge?next=/"
    notice = official.get("/privacy/acknowledge?next=/").get_data(as_text=True)
    assert "Thông báo xử lý dữ liệu cá nhân" in notice and "91/2025/QH15" in notice
    token = csrf_token(official, "/privacy/acknowledge")
    assert official.post("/privacy/acknowledge?next=/", data={"csrf_token": token}).location == "/"
    home = official.get("/").get_data(as_text=True)
    assert "Xin chào, Nguyễn Thị Ngọc Ánh" in home and "Hồ sơ của tôi" in home
    attacker = app.test_client()
    attacker.set_cookie("session", planted)  # the session from before activation is worthless
    assert "/auth/login" in attacker.get("/").location
    again = open_link(app.test_client(), url)
    assert again.status_code == 410 and "đã được sử dụng" in again.get_data(as_text=True)
    assert login(app.test_client(), "dn000101", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "path", ["/activate/abc", "/activate/" + "A" * 43, "/activate/%00", "/activate/" + "é" * 43]
)
def test_unknown_or_malformed_links_get_a_clear_404(client, people, path):
    response = client.get(path)
    assert response.status_code in (400, 404)
    if response.status_code == 404:
        assert "Không nhận ra đường liên kết kích hoạt" in response.get_data(as_text=True)


def test_the_form_without_a_link_is_refused(client, people):
    assert client.get("/activate").status_code == 404
    token = csrf_token(client)
    posted = client.post("/activate", data={"csrf_token": token, "password": NEW_PASSWORD})
    assert posted.status_code == 404


@pytest.mark.parametrize(("day", "status"), [(date(2026, 12, 15), 303), (date(2026, 12, 16), 410)])
def test_a_link_opens_on_day_fourteen_and_not_on_day_fifteen(app, people, freeze, day, status):
    freeze(date(2026, 12, 1))
    hr = logged_in(app, "hr-snv")
    provision(hr)
    url = links(hr, "")[0]["activation_url"]
    freeze(day)
    response = open_link(app.test_client(), url)
    assert response.status_code == status
    if status == 410:
        assert "đã hết hạn" in response.get_data(as_text=True)
        assert "15/12/2026" in response.get_data(as_text=True)


def test_a_reissued_link_replaces_the_old_one(app, people):
    hr = logged_in(app, "hr-snv")
    provision(hr)
    old = links(hr, "")[0]["activation_url"]
    hr.post(
        "/officials/accounts/reissue",
        data={"csrf_token": csrf_token(hr, "/officials/accounts"), "unit": ""},
    )
    gone = open_link(app.test_client(), old)
    assert gone.status_code == 410 and "không còn hiệu lực" in gone.get_data(as_text=True)
    new = [r["activation_url"] for r in links(hr, "")]
    assert old not in new and len(new) == 3
    assert open_link(app.test_client(), new[0]).status_code == 303


def test_opening_links_is_rate_limited_per_address(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_ACTIVATION_RATE_LIMIT", "3 per minute")
    limiter.reset()
    try:
        client = app.test_client()
        statuses = [client.get(f"/activate/{'B' * 42}{n}").status_code for n in range(4)]
    finally:
        limiter.reset()
    assert statuses == [404, 404, 404, 429]


def test_an_official_who_leaves_can_no_longer_log_in(app, people):
    learner = logged_in(app, "learner")
    from lms.api import tokens

    secret = tokens.create_token(
        _db.session.scalar(select(User).where(User.username == "learner")), "app", None
    ).secret
    _db.session.commit()
    hr = logged_in(app, "hr")
    edit = hr.get("/officials/T-LEARN/edit").get_data(as_text=True)
    fields = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', edit))
    fields.update(
        {"status": "left", "gender": "female", "category": "cong_chuc", "date_of_birth": ""}
    )
    assert hr.post("/officials/T-LEARN/edit", data=fields).status_code == 302
    assert "/auth/login" in learner.get("/me").location  # the open session has ended
    assert login(app.test_client(), "learner").status_code == 401
    api = app.test_client().get(
        "/api/v1/officials/T-LEARN", headers={"Authorization": f"Bearer {secret}"}
    )
    assert api.status_code == 401
    user = _db.session.scalar(select(User).where(User.username == "learner"))
    assert not user.is_enabled
    entry = _db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.disabled"))
    assert entry.object_id == str(user.id) and entry.after == {"reason": "official_left"}
    assert entry.actor_id == people["hr"].id
    profile = hr.get("/officials/T-LEARN").get_data(as_text=True)
    assert "learner:" in profile and "Ngừng hoạt động" in profile


def test_a_left_officials_unused_link_stops_working(app, people):
    hr = logged_in(app, "hr")
    provision(hr, unit="P-HAICHAU")
    url = links(hr, "unit=P-HAICHAU")[0]["activation_url"]
    official = _db.session.scalar(select(User).where(User.username == "dn000201")).official
    from lms.auth.services import disable_for_officials

    disable_for_officials([official.id], None, reason="official_left")
    _db.session.commit()
    assert open_link(app.test_client(), url).status_code == 410
    link = _db.session.scalar(select(AccountActivation))
    assert link.revoked_at is not None
    assert activation.find(url.rsplit("/", 1)[1])[1] == "revoked"


def upload_and_confirm(client, rows, **confirm):
    from tests.services.test_organisation_officials_import import person, to_xlsx

    token = csrf_token(client, "/officials/import")
    data = to_xlsx([person(n, **options) for n, options in rows])
    uploaded = client.post(
        "/officials/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), "ds.xlsx")},
        content_type="multipart/form-data",
    )
    preview = uploaded.location
    token = csrf_token(client, preview)
    client.post(preview, data={"csrf_token": token, **confirm})
    return client.get(preview).get_data(as_text=True)


@pytest.mark.parametrize("background", [False, True])
def test_the_officials_import_creates_accounts_when_asked(app, people, monkeypatch, background):
    if background:  # a big file: checked and imported by the job queue (at once in tests)
        monkeypatch.setitem(app.config, "LMS_IMPORT_INLINE_ROWS", 1)
    hr = logged_in(app, "hr")
    page = upload_and_confirm(hr, [(1, {}), (2, {"unit": "P-HAICHAU"})], provision_accounts="y")
    assert "Đã tạo 2 tài khoản cho các cán bộ trong tệp." in page
    run = _db.session.scalar(select(ProvisioningRun))
    assert run.source == "import" and run.created == 2
    assert f"/officials/accounts/runs/{run.id}" in page
    names = [r["username"] for r in links(hr, f"run={run.id}")]
    assert sorted(names) == ["hr00001", "hr00002"]


def test_an_import_without_the_option_creates_no_account(app, people):
    hr = logged_in(app, "hr")
    page = upload_and_confirm(hr, [(3, {})])
    assert "tài khoản cho các cán bộ trong tệp" not in page
    assert _db.session.scalar(select(ProvisioningRun)) is None


def test_the_screen_emails_the_links_through_the_mail_server(app, people, smtp):  # noqa: F811
    hr = logged_in(app, "hr-snv")
    provision(hr, email=True)
    (message,) = smtp.to("anh@danang.gov.vn")
    assert smtp.count() == 1 and message["Subject"] == "Kích hoạt tài khoản Tín chỉ của anh/chị"
    url = next(
        line
        for line in message.get_body(("plain",)).get_content().splitlines()
        if "/activate/" in line
    )
    assert url == next(r for r in links(hr, "") if r["username"] == "dn000101")["activation_url"]
    run = _db.session.scalar(select(ProvisioningRun))
    assert run.emailed


def test_the_accounts_screen_costs_the_same_queries_for_3_or_30_officials(app, people):
    from tests.conftest import count_queries

    hr = logged_in(app, "hr")
    provision(hr, unit="SNV")

    def cost() -> int:
        with count_queries() as n:
            assert hr.get("/officials/accounts").status_code == 200
            assert hr.get("/officials/accounts/runs/1").status_code == 200
        return n[0]

    few = cost()
    for number in range(30):
        make_official(f"DN0009{number:02d}", f"Nguyễn Văn Thêm {number}", unit="P-HAICHAU")
    _db.session.commit()
    provision(hr)
    assert cost() == few


def test_an_import_whose_accounts_collide_writes_nothing_and_says_why(app, people, monkeypatch):
    from lms.errors import RuleViolation
    from lms.organisation import accounts
    from lms.organisation.models import Official

    def collide(*_args, **_kwargs):
        raise RuleViolation("Tài khoản đang được tạo ở nơi khác.", "concurrent_provisioning")

    monkeypatch.setattr(accounts, "provision", collide)
    before = _db.session.scalar(select(func.count()).select_from(Official))
    page = upload_and_confirm(logged_in(app, "hr"), [(4, {})], provision_accounts="y")
    assert "Tài khoản đang được tạo ở nơi khác." in page
    assert _db.session.scalar(select(func.count()).select_from(Official)) == before


def test_letters_come_as_a_pdf_and_too_many_ask_for_a_unit(app, people, monkeypatch):
    hr = logged_in(app, "hr")
    nothing = hr.get("/officials/accounts/letters.pdf", follow_redirects=True)
    assert "Không có thư cần in" in nothing.get_data(as_text=True)
    provision(hr)
    monkeypatch.setitem(app.config, "LMS_ACCOUNT_LETTERS_MAX", 3)
    many = hr.get("/officials/accounts/letters.pdf", follow_redirects=True)
    assert "4 thư là quá nhiều cho một tệp (tối đa 3 thư)" in many.get_data(as_text=True)
    pdf = hr.get("/officials/accounts/letters.pdf?unit=SNV-CCVC")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF") and "SNV-CCVC" in pdf.headers["Content-Disposition"]
    printed = _db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "accounts.letters_printed")
    )
    assert printed.actor_id == people["hr"].id
    assert printed.after == {"count": 3, "unit": "SNV-CCVC"}
