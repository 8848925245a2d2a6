"""Demo requests awaiting the `head` (DEMO0005, head of phường Hải Châu), so the approval flow
can be tried: an external training (a workshop two weeks ago) submitted by an official of the
ward, which the ward asks its head to approve first (TeamSettings.head_approval, set on the
ward when it has no settings of its own), and a request for a place in an upcoming class filled
by nomination (lms.teams.places), by another official of the ward.

Idempotent: each request is made once (whatever the head then decides); the class is added
again, with a new request, only once the previous one has begun with the request undecided."""

from datetime import date, time, timedelta
from pathlib import Path

from sqlalchemy import select

from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.classes import schedule
from lms.curricula.classes import services as classes
from lms.curricula.classes.models import TrainingClass
from lms.curricula.external import services as external
from lms.curricula.external.models import ExternalRecord
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit
from lms.teams import places
from lms.teams.models import PlaceRequest, TeamSettings
from lms.teams.queries import officials_in

UNIT = "P-HAICHAU"
EXTERNAL_TITLE = "Hội thảo chuyển đổi số trong giải quyết thủ tục hành chính"
CLASS_TITLE = "Lớp bồi dưỡng kỹ năng giao tiếp hành chính và tiếp công dân (cử đi học)"
CLASS_COURSE = "VT03"
# A one-page PDF: the evidence is only shown, never parsed.
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _officials() -> list[Official]:
    """The ward's officials other than the demo logins, by employee code."""
    path = db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == UNIT))
    if path is None:
        return []
    found = [o for o in officials_in([path]) if not o.employee_code.startswith("DEMO")]
    return sorted(found, key=lambda o: o.employee_code)


def _external(official: Official, folder: Path, max_bytes: int, today: date) -> int:
    made = db.session.scalar(
        select(ExternalRecord.id).where(
            ExternalRecord.official_id == official.id, ExternalRecord.title == EXTERNAL_TITLE
        )
    )
    if made is not None:
        return 0
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
    if db.session.get(TeamSettings, unit_id) is None:
        db.session.add(TeamSettings(unit_id=unit_id, head_approval=True))
        db.session.flush()
    data = external.Submission(
        title=EXTERNAL_TITLE,
        organiser="Sở Khoa học và Công nghệ thành phố Đà Nẵng",
        starts_on=today - timedelta(days=15),
        ends_on=today - timedelta(days=14),
        periods=16,
    )
    external.submit(official.id, data, "giay-chung-nhan.pdf", EVIDENCE, folder, max_bytes, None)
    return 1


def _class(today: date) -> TrainingClass | None:
    """The upcoming nominated demo class, added when there is none."""
    upcoming = db.session.scalar(
        select(TrainingClass).where(
            TrainingClass.title == CLASS_TITLE, TrainingClass.starts_on > today
        )
    )
    course = db.session.scalar(select(Course).where(Course.code == CLASS_COURSE))
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == UNIT))
    if upcoming is not None or course is None or unit_id is None:
        return upcoming
    first = today + timedelta(days=10)
    first += timedelta(days=(3 - first.weekday()) % 7)  # a Thursday: Thursday and Friday
    klass = classes.save_class(
        None,
        classes.ClassData(
            course_id=course.id,
            unit_id=unit_id,
            title=CLASS_TITLE,
            starts_on=first,
            ends_on=first + timedelta(days=1),
            sessions=2,
            location="Hội trường Ủy ban nhân dân phường Hải Châu",
            capacity=30,
            join_mode="nominated",
        ),
        None,
    )
    for offset in range(2):
        schedule.save_session(
            klass,
            None,
            schedule.SessionData(first + timedelta(days=offset), time(13, 30), time(17, 0)),
            None,
        )
    return klass


def _place(official: Official, today: date) -> int:
    asked = db.session.scalar(
        select(PlaceRequest)
        .join(TrainingClass, TrainingClass.id == PlaceRequest.class_id)
        .where(PlaceRequest.official_id == official.id, TrainingClass.title == CLASS_TITLE)
        .order_by(PlaceRequest.id.desc())
        .limit(1)
    )
    if asked is not None and (asked.status != places.AWAITING or asked.klass.starts_on > today):
        return 0  # decided, or still waiting for a class to come
    klass = _class(today)
    if klass is None:
        return 0
    reason = "Em làm công tác tiếp công dân tại bộ phận một cửa, cần bồi dưỡng kỹ năng giao tiếp."
    places.request_place(official, klass, reason, None)
    return 1


def load_requests(folder: Path, max_bytes: int, today: date | None = None) -> int:
    """Add what is missing of the two demo requests (flushed; the caller commits); `folder`
    keeps the external training's evidence. Returns how many requests were made."""
    today = today or clock.today()
    officials = _officials()
    if len(officials) < 2:
        return 0
    return _external(officials[0], folder, max_bytes, today) + _place(officials[1], today)
