"""Demo in-person class: an upcoming class of BB03 (digital skills — the mandatory course the
demo `learner` still owes, so the class is how they meet it before its due date) at the
Department of Home Affairs, three morning sessions (Monday to Wednesday) starting two to
three weeks from the day it is loaded, with a trainer and a hall, open to sign-up, the demo
`learner` (DEMO0004) holding a place — so /me shows an upcoming class and its invitation.

Idempotent: nothing is added while a demo class is still upcoming; once it is over, the next run
adds a new one dated from that day."""

from datetime import date, time, timedelta

from sqlalchemy import select

from lms.catalog.models import Course
from lms.common import clock
from lms.curricula.classes import enrolment, schedule
from lms.curricula.classes import services as classes
from lms.curricula.classes.models import Trainer, TrainingClass, Venue
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit

TITLE = "Lớp bồi dưỡng kỹ năng số và chuyển đổi số trong cơ quan nhà nước"
COURSE_CODE = "BB03"
LEARNER_CODE = "DEMO0004"
TRAINER = "ThS. Trần Minh Khoa"
VENUE = "Hội trường tầng 3, Sở Nội vụ"


def _trainer() -> Trainer:
    found = db.session.scalar(select(Trainer).where(Trainer.name == TRAINER))
    return found or schedule.save_trainer(
        None, schedule.TrainerData(TRAINER, organisation="Trường Chính trị thành phố"), None
    )


def _venue() -> Venue:
    found = db.session.scalar(select(Venue).where(Venue.name == VENUE))
    return found or schedule.save_venue(
        None, schedule.VenueData(VENUE, "Số 24 Trần Phú, Hải Châu", capacity=60), None
    )


def load_classes(today: date | None = None) -> int:
    """Add the upcoming demo class (flushed; the caller commits); returns 1, or 0 when one is
    still upcoming or the course, the unit or the learner is missing."""
    today = today or clock.today()
    upcoming = db.session.scalar(
        select(TrainingClass.id).where(TrainingClass.title == TITLE, TrainingClass.ends_on >= today)
    )
    course = db.session.scalar(select(Course).where(Course.code == COURSE_CODE))
    unit_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "SNV"))
    learner = db.session.scalar(select(Official).where(Official.employee_code == LEARNER_CODE))
    if upcoming or course is None or unit_id is None or learner is None:
        return 0
    first = today + timedelta(days=14)
    first += timedelta(days=(7 - first.weekday()) % 7)  # a Monday: sessions Monday–Wednesday
    klass = classes.save_class(
        None,
        classes.ClassData(
            course_id=course.id,
            unit_id=unit_id,
            title=TITLE,
            starts_on=first,
            ends_on=first + timedelta(days=2),
            sessions=3,
            location=VENUE,
            capacity=40,
            join_mode="open",
            enrol_closes_on=first - timedelta(days=3),
        ),
        None,
    )
    trainer, venue = _trainer(), _venue()
    for offset in range(3):
        schedule.save_session(
            klass,
            None,
            schedule.SessionData(
                first + timedelta(days=offset),
                time(8, 0),
                time(11, 30),
                topic=(
                    "Chính phủ số và chuyển đổi số",
                    "Văn bản điện tử và chữ ký số",
                    "An toàn thông tin khi làm việc trên mạng",
                )[offset],
                venue_id=venue.id,
                trainer_id=trainer.id,
            ),
            None,
        )
    enrolment.enrol(klass, learner, source="hr", by_user=None)
    return 1
