"""The demo history: past-cycle completions and certificates for the learner and others,
loaded once (a second run adds nothing)."""

from pathlib import Path

from sqlalchemy import func, select

from lms.certificates.models import Certificate
from lms.curricula.completions.models import Completion
from lms.demo.history import load_history
from lms.demo.loader import load_demo
from lms.extensions import db
from lms.organisation.models import Official

COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_the_demo_history_gives_the_learner_and_others_past_certificates(runner, assets_dir):
    assert load_history() == {"completions": 0, "revoked": 0}  # no courses yet: nothing
    load_demo()
    db.session.commit()
    result = runner.invoke(args=["courses", "import", str(COURSES)])
    assert result.exit_code == 0, result.output

    counts = load_history(others=40)
    db.session.commit()

    learner = db.session.scalar(select(Official).where(Official.employee_code == "DEMO0004"))
    mine = db.session.scalars(
        select(Certificate).where(Certificate.official_id == learner.id)
    ).all()
    assert sorted(c.course_code for c in mine) == ["BB01", "BB02", "TC01", "VT02", "VT03"]
    assert {c.year for c in mine} == {2024, 2025}
    assert counts["completions"] > 5 + 40
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Completion)
            .where(Completion.certificate_state == "requested")
        )
        == 0
    )
    serials_2024 = sorted(
        db.session.scalars(select(Certificate.number).where(Certificate.serial.like("DN-2024-%")))
    )
    assert serials_2024 == list(range(1, len(serials_2024) + 1))  # gap-free
    assert load_history(others=40) == {"completions": 0, "revoked": 0}
