"""Officials on exempting leave get no deadline reminders; those back from leave, or away on a
kind that does not exempt (secondment), do — and the reminder held back comes after the
return."""

from datetime import date

from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db as _db
from lms.jobs import enqueue
from lms.jobs.models import DONE, JobRun, Notification
from tests.factories import (
    make_learner,
    make_leave,
    make_mandatory_course,
    make_obligation,
    make_units,
)

AS_OF = date(2026, 6, 15)


def _run(as_of: date) -> JobRun:
    run = enqueue("notifications.reminders", as_of=as_of.isoformat())
    _db.session.commit()  # the testing queue runs the job now, after the commit
    _db.session.expire_all()
    return _db.session.get(JobRun, run.id)


def _reminded() -> set[str]:
    rows = _db.session.execute(
        select(User.username).join(Notification, Notification.user_id == User.id)
    )
    return {username for (username,) in rows}


def test_no_reminders_while_on_exempting_leave(db):
    make_units()
    _db.session.commit()
    away = make_learner("NV001", "Nguyễn Thị Lan", "lan@danang.gov.vn")
    back = make_learner("NV002", "Trần Văn Hùng", "hung@danang.gov.vn")
    seconded = make_learner("NV003", "Lê Văn Bình", "binh@danang.gov.vn")
    course = make_mandatory_course("BB01")
    for user in (away, back, seconded):
        make_obligation(user.official_id, course, date(2026, 6, 20))  # due in 5 days
    make_leave(away.official, date(2026, 6, 15), date(2026, 6, 30), "maternity")  # from today
    make_leave(back.official, date(2026, 3, 1), date(2026, 6, 14), "sick")  # back today
    make_leave(seconded.official, date(2026, 1, 1), date(2026, 12, 31), "secondment")
    _db.session.commit()
    run = _run(AS_OF)
    assert run.status == DONE, run.error
    assert _reminded() == {"nv002", "nv003"}
    # back on 01/07: the overdue reminder reaches her
    _run(date(2026, 7, 1))
    assert "nv001" in _reminded()
