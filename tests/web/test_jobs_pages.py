"""The jobs pages in words: each job kind by its label, each state and each result key labelled
(no `notifications.deliver` or `{"sent": 2}` on screen), and the jobs list filtered by kind,
state, date and — for administrators — who started the run, at a constant query count."""

from datetime import datetime

import pytest
from babel.messages.pofile import read_po

from lms.extensions import db
from lms.jobs import results
from lms.jobs.models import JobRun
from lms.jobs.queue import enqueue
from lms.jobs.registry import load_all
from tests.conftest import count_queries
from tests.unit.test_common_translation_catalogs import CATALOGS


def _run(user, name, status, created_at, **fields):
    run = JobRun(name=name, user_id=getattr(user, "id", None), status=status, **fields)
    run.created_at = created_at
    db.session.add(run)
    return run


def _text(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def runs(world):
    """The learner's mail run (done, 03/03/2026) and certificates run (failed, 05/03); the HR
    officer's import (queued, 04/03); a nightly run of the system (running, 05/03)."""
    world["hr"].display_name = "Trần Thị Hoa"
    made = {
        "mail": _run(
            world["learner"],
            "notifications.deliver",
            "done",
            datetime(2026, 3, 3, 3),
            result={"sent": 2, "failed": 0},
        ),
        "issue": _run(
            world["learner"],
            "certificates.issue_requested",
            "failed",
            datetime(2026, 3, 5, 2),
            error="RuntimeError: boom",
        ),
        "import": _run(world["hr"], "organisation.import", "queued", datetime(2026, 3, 4, 3)),
        "nightly": _run(None, "nightly", "running", datetime(2026, 3, 5, 3)),
    }
    db.session.commit()
    return made


def test_every_job_kind_has_a_vietnamese_label():
    with open(CATALOGS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        vietnamese = {m.id: m.string for m in read_po(handle) if m.id}
    ours = {n: s for n, s in load_all().items() if s.func.__module__.startswith("lms.")}
    assert len(ours) >= 10
    for name, spec in ours.items():
        assert spec.label, f"@job({name!r}) needs label=_l(...)"
        english = spec.label._args[0]
        assert english != name, name
        assert vietnamese.get(english) and vietnamese[english] != english, name


def test_a_run_of_a_job_without_a_label_reads_unknown_job(login_as, world):
    run = _run(world["learner"], "retired.job", "done", datetime(2026, 3, 3))
    db.session.commit()
    page = _text(login_as("learner").get(f"/jobs/{run.id}"))
    assert "Tác vụ không xác định" in page and "retired.job" not in page


def test_the_list_names_kinds_and_states_in_vietnamese(login_as, runs):
    page = _text(login_as("admin").get("/jobs/"))
    for words in ("Gửi thư điện tử đang chờ", "Cấp các giấy chứng nhận đang chờ", "Bảo trì"):
        assert words in page
    assert "Hoàn tất" in page and "Thất bại" in page and "Đang chạy" in page
    assert ">notifications.deliver<" not in page and ">done<" not in page
    assert "Trần Thị Hoa" in page  # who started it, for administrators


def test_the_run_page_reads_its_result_and_failure_in_words(login_as, runs):
    learner = login_as("learner")
    page = _text(learner.get(f"/jobs/{runs['mail'].id}"))
    assert "Gửi thư điện tử đang chờ" in page
    assert '"sent"' not in page and "{" not in page.split("<main")[1].split("</main>")[0]
    assert "<dt>Đã gửi</dt>" in page and "<dd>2</dd>" in page
    failed = _text(learner.get(f"/jobs/{runs['issue'].id}"))
    assert "Tác vụ nền không thành công." in failed
    assert '<code translate="no">RuntimeError: boom</code>' in failed


def test_filters_narrow_the_list(login_as, runs):
    admin = login_as("admin")

    def shown(client=admin, **args) -> set[str]:
        page = _text(client.get("/jobs/", query_string=args))
        return {key for key, run in runs.items() if f'href="/jobs/{run.id}"' in page}

    assert shown() == {"mail", "issue", "import", "nightly"}
    assert shown(kind="nightly") == {"nightly"}
    assert shown(state="failed") == {"issue"}
    assert shown(date_from="2026-03-04", date_to="2026-03-04") == {"import"}
    assert shown(date_from="05/03/2026") == {"issue", "nightly"}
    assert shown(user="hoa") == {"import"}
    assert shown(kind="no.such", state="exploded") == {"mail", "issue", "import", "nightly"}
    learner = login_as("learner")
    assert shown(learner) == {"mail", "issue"}
    assert shown(learner, user="hoa") == {"mail", "issue"}  # not a filter for them
    assert shown(learner, state="done") == {"mail"}
    assert 'name="user"' not in _text(learner.get("/jobs/"))


def test_the_list_costs_the_same_queries_with_more_runs(login_as, world):
    admin = login_as("admin")

    def queries_for(n: int) -> int:
        for i in range(n):
            _run(world["hr"] if i % 2 else None, "nightly", "done", datetime(2026, 3, 1))
        db.session.commit()
        with count_queries() as counted:
            _text(admin.get("/jobs/"))
        return counted[0]

    assert queries_for(2) == queries_for(25)


def test_the_jobs_an_administrator_can_start_report_only_labelled_results(world, db):
    """Every startable job, run for real (the queue is immediate under test), returns only keys
    the run page can name."""
    from lms.jobs.forms import STARTABLE

    for name in STARTABLE:
        run = enqueue(name, actor=world["admin"])
        db.session.commit()
        db.session.refresh(run)
        assert run.status == "done", (name, run.error)
        assert not results.unlabelled(run.result), (name, run.result)


def test_describe_labels_nested_results_and_codes():
    items = results.describe({"mail": {"sent": 1, "failed": 0}, "state": "imported", "x": None})
    assert [item.key for item in items] == ["mail", "state", "x"]
    assert [i.key for i in items[0].items] == ["sent", "failed"]
    assert items[1].value == "Đã nhập" and items[2].value == "—" and not items[2].known
