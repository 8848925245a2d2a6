"""Loads the demo: reference data from data/*.csv, generated officials and the demo logins.

Idempotent: every row is looked up by its code first, so a second run changes nothing.
"""

import csv
import random
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

from lms.auth import services as auth
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, REVIEWER, TRAINING_MANAGER, User
from lms.demo.names import FAMILY, GIVEN, MIDDLE
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.models import Official, OrgUnit

DATA = Path(__file__).parent / "data"
DEMO_PASSWORD = "Demo@2026"  # noqa: S105  (documented demo logins)
GENERATED = 600
CODE_PREFIX = "DN"
LEADERS = ("LD-GD", "LD-PGD", "LD-TP", "LD-PTP")
STAFF_BY_UNIT_TYPE = {
    "ubnd_phuong": ("XA-MC", "CM-CCHC", "HT-KT", "HT-VT", "CM-PC"),
    "ubnd_xa": ("XA-MC", "CM-CCHC", "HT-KT", "HT-VT"),
    "ubnd_dac_khu": ("XA-MC", "CM-CCHC", "HT-VT"),
    "thanh_tra": ("CM-TT", "CM-PC", "HT-VT"),
}
DEFAULT_STAFF = ("CM-CCVC", "CM-DTBD", "CM-CCHC", "CM-PC", "CM-KHTC", "HT-KT", "HT-VT")

# (username, display/full name, gender, unit, position, rank, role, role scope unit)
DEMO_PEOPLE = (
    ("hr", "Trần Thị Hạnh", "female", "SNV-CCVC", "CM-CCVC", "01.003", HR_OFFICER, "DN"),
    ("manager", "Lê Văn Đức", "male", "SNV-CCVC", "CM-DTBD", "01.002", TRAINING_MANAGER, "DN"),
    ("reviewer", "Phạm Minh Quân", "male", "SNV", "LD-GD", "01.001", REVIEWER, "SNV"),
    ("learner", "Nguyễn Thị Ánh", "female", "P-HAICHAU", "XA-MC", "01.003", None, None),
    # Heads the learner's unit by the post (LMS_HEAD_POSITIONS): the role `head` follows.
    ("head", "Hoàng Văn Hùng", "male", "P-HAICHAU", "LD-TP", "01.002", None, None),
)


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference() -> None:
    """Units (parents first), ranks and positions from the CSV files."""
    for row in _rows("org_units.csv"):
        org.upsert_unit(
            row["org_code"],
            row["org_name"],
            row["org_type"],
            row["level"],
            row["parent_code"] or None,
            row["note"] or None,
        )
    for row in _rows("ranks.csv"):
        org.upsert_rank(row["rank_code"], row["rank_name"], row["salary_group"])
    for row in _rows("positions.csv"):
        org.upsert_position(row["pos_code"], row["pos_name"], row["group_decree62"])
    db.session.flush()


@cache
def _default_rank(position_code: str) -> str:
    """The first usual rank of a position, e.g. "01.002/01.003" → "01.002"."""
    rank = next(r["default_rank"] for r in _rows("positions.csv") if r["pos_code"] == position_code)
    return rank.split("/")[0].split(" ")[0]


def _official(code: str, name: str, gender: str, rng: random.Random) -> org.OfficialData:
    return org.OfficialData(
        employee_code=code,
        full_name=name,
        gender=gender,
        category=rng.choice(("cong_chuc",) * 8 + ("vien_chuc", "can_bo")),
        date_of_birth=date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365)),
        email=f"{code.lower()}@danang.gov.vn",
        phone=f"0905{rng.randrange(10**6):06d}",
    )


def generate_officials(rng: random.Random) -> int:
    """About 600 officials spread over units and positions; a tenth with an earlier post."""
    if db.session.scalar(
        select(func.count()).where(Official.employee_code.like(f"{CODE_PREFIX}%"))
    ):
        return 0
    units = [u for u in db.session.scalars(select(OrgUnit).order_by(OrgUnit.code)) if u.parent_id]
    for number in range(1, GENERATED + 1):
        gender = rng.choice(("female", "male"))
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        unit = rng.choice(units)
        staff = STAFF_BY_UNIT_TYPE.get(unit.unit_type, DEFAULT_STAFF)
        position = rng.choice(LEADERS) if number % 12 == 0 else rng.choice(staff)
        started = date(2012, 1, 1) + timedelta(days=rng.randrange(13 * 365))
        code = f"{CODE_PREFIX}{number:06d}"
        official = org.create_official(
            _official(code, name, gender, rng),
            org.AssignmentData(unit.code, position, started, _default_rank(position)),
            actor=None,
        )
        if number % 10 == 0:  # promoted or transferred later: keeps a history
            later = started + timedelta(days=365 + rng.randrange(365))
            new_position = rng.choice(staff)
            org.change_position(
                official,
                org.AssignmentData(
                    unit.code,
                    new_position,
                    later,
                    _default_rank(new_position),
                    f"{number}/QĐ-UBND",
                ),
                actor=None,
            )
    return GENERATED


def create_demo_logins(rng: random.Random) -> None:
    """admin, hr, manager, reviewer, learner, head — password Demo@2026, first login not forced."""
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    if not db.session.scalar(select(User.id).where(User.username == "admin")):
        admin = auth.create_user(
            auth.NewUser("admin", DEMO_PASSWORD, "Quản trị hệ thống", must_change_password=False),
            actor=None,
        )
        auth.grant_role(admin, ADMINISTRATOR, None, actor=None)
    for number, (username, name, gender, unit, position, rank, role, scope) in enumerate(
        DEMO_PEOPLE, start=1
    ):
        if db.session.scalar(select(User.id).where(User.username == username)):
            continue
        code = f"DEMO{number:04d}"
        official = db.session.scalar(select(Official).where(Official.employee_code == code))
        if official is None:
            official = org.create_official(
                _official(code, name, gender, rng),
                org.AssignmentData(unit, position, date(2020, 1, 1), rank),
                actor=None,
            )
        user = auth.create_user(
            auth.NewUser(
                username,
                DEMO_PASSWORD,
                name,
                official.email,
                official.id,
                must_change_password=False,
            ),
            actor=None,
        )
        if role:
            auth.grant_role(user, role, units[scope].id, actor=None)


def load_demo(seed: int = 2026) -> dict:
    """Load everything; returns counts of what was added. Caller commits."""
    rng = random.Random(seed)
    load_reference()
    created = generate_officials(rng)
    create_demo_logins(rng)
    db.session.flush()
    return {"officials": created}
