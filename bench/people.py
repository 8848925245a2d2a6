"""Generator, part 1: the city's units, positions, ranks, officials with their posts, and a login
for every official (the demo's reference data, widened to Đà Nẵng's size)."""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bench.bulk import Writer
from lms.auth import services as auth
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, RoleGrant, User
from lms.common import vntext
from lms.demo.loader import load_reference
from lms.demo.names import FAMILY, GIVEN, MIDDLE
from lms.extensions import db
from lms.organisation import services as org
from lms.organisation.models import Official, OrgUnit, Position, PositionAssignment, Rank

PASSWORD = "Bench@2026"  # noqa: S105  (every generated login; a benchmark database only)
BIG_UNIT = "SGDDT"  # the department whose subtree holds about 2,000 officials
BIG_UNIT_OFFICIALS = 2000
WARD_OFFICIALS = 150
EXTRA_DEPARTMENTS = (
    "Sở Công Thương",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
    "Ban Quản lý Khu công nghệ cao và các khu công nghiệp",
    "Ban Dân tộc",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
    "Ban Quản lý dự án đầu tư xây dựng",
    "Trung tâm Phục vụ hành chính công",
)
DIVISIONS = ("Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Nghiệp vụ", "Phòng Kế hoạch - Tài chính")
WARDS = 94
POSITIONS = 60
LEADER_CODES = ("LD-GD", "LD-PGD", "LD-TP", "LD-PTP")


@dataclass(frozen=True)
class Person:
    """What the history generator needs to know of an official."""

    id: int
    code: str
    full_name: str
    birth: date
    unit_id: int
    unit_name: str
    position_id: int
    started_on: date  # of the current post
    employed_since: date  # of the first post


def reference() -> None:
    """About 150 units (city → departments and wards → divisions), 60 positions, the ranks."""
    load_reference()
    for number, name in enumerate(EXTRA_DEPARTMENTS, start=1):
        org.upsert_unit(f"S{number:02d}", name, "so", "tinh", "DN")
    db.session.flush()
    departments = [
        u.code
        for u in db.session.scalars(
            select(OrgUnit).where(OrgUnit.unit_type.in_(("so", "van_phong", "thanh_tra")))
        )
    ]
    for code in sorted(departments):
        for number, name in enumerate(DIVISIONS[:2], start=1):
            if code == "SNV" and number == 2:
                continue  # SNV keeps its real division SNV-CCVC
            org.upsert_unit(f"{code}-P{number}", f"{name} ({code})", "phong", "tinh", code)
    wards = db.session.scalar(select(db.func.count()).where(OrgUnit.unit_type.like("ubnd_%")))
    for number in range(1, WARDS - wards + 1):
        kind = "ubnd_phuong" if number % 3 else "ubnd_xa"
        label = "phường" if kind == "ubnd_phuong" else "xã"
        org.upsert_unit(f"X{number:03d}", f"Ủy ban nhân dân {label} số {number}", kind, "xa", "DN")
    existing = db.session.scalar(select(db.func.count()).select_from(Position))
    groups = ("chuyen_mon_nghiep_vu", "ho_tro_phuc_vu", "lanh_dao_quan_ly")
    for number in range(1, POSITIONS - existing + 1):
        org.upsert_position(f"VT-{number:02d}", f"Vị trí việc làm số {number}", groups[number % 3])
    db.session.commit()


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    people = []
    for _ in range(count):
        gender = rng.choice(("female", "male"))
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
        people.append((name, gender))
    return people


def _placements(count: int) -> list[OrgUnit]:
    """A unit for each official: about 2,000 in BIG_UNIT's subtree, 150 per ward, the rest
    over the other departments and their divisions."""
    units = list(db.session.scalars(select(OrgUnit).order_by(OrgUnit.id)))
    big_root = next(u for u in units if u.code == BIG_UNIT)
    big = [u for u in units if u.path.startswith(big_root.path)]
    wards = [u for u in units if u.unit_type.startswith("ubnd_")]
    others = [u for u in units if u not in big and u not in wards and u.parent_id is not None]
    placed = [big[i % len(big)] for i in range(BIG_UNIT_OFFICIALS)]
    placed += [
        wards[i % len(wards)] for i in range(min(WARD_OFFICIALS * len(wards), count - len(placed)))
    ]
    placed += [others[i % len(others)] for i in range(count - len(placed))]
    return placed[:count]


def officials(writer: Writer, count: int, rng: random.Random) -> list[Person]:
    """`count` officials (codes DN000001…), each with an open primary post; a tenth with an
    earlier, ended one; a login per official (username = lower-case code)."""
    positions = {p.code: p.id for p in db.session.scalars(select(Position))}
    leaders = [positions[c] for c in LEADER_CODES if c in positions]
    staff = [pid for code, pid in positions.items() if code not in LEADER_CODES]
    ranks = [r.id for r in db.session.scalars(select(Rank).order_by(Rank.code))]
    stamp = datetime(2026, 1, 5, 1, 0)
    password_hash = generate_password_hash(PASSWORD)
    sort_cache: dict[str, tuple[str, str]] = {}
    people, rows, posts, users = [], [], [], []
    post_id = db.session.scalar(select(db.func.coalesce(db.func.max(PositionAssignment.id), 0)))
    first_id = db.session.scalar(select(db.func.coalesce(db.func.max(Official.id), 0))) + 1
    first_user = db.session.scalar(select(db.func.coalesce(db.func.max(User.id), 0))) + 1
    for offset, ((name, gender), unit) in enumerate(
        zip(_names(rng, count), _placements(count), strict=True)
    ):
        oid = first_id + offset
        code = f"DN{offset + 1:06d}"
        if name not in sort_cache:
            sort_cache[name] = (vntext.search_key(name), vntext.name_sort_string(name))
        search, sort = sort_cache[name]
        birth = date(1966, 1, 1) + timedelta(days=rng.randrange(36 * 365))
        rows.append(
            {
                "id": oid,
                "employee_code": code,
                "full_name": name,
                "search_name": search,
                "sort_name": sort,
                "gender": gender,
                "date_of_birth": birth,
                "category": rng.choice(("cong_chuc",) * 8 + ("vien_chuc", "can_bo")),
                "email": f"{code.lower()}@danang.gov.vn",
                "phone": f"0905{offset:06d}",
                "status": "active",
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        position = rng.choice(leaders) if offset % 12 == 0 and leaders else rng.choice(staff)
        # Most started years ago; one in twenty joined during the current cycle (pro-rated).
        if offset % 20 == 7:
            started = date(2026, 1, 1) + timedelta(days=rng.randrange(300))
        else:
            started = date(2008, 1, 1) + timedelta(days=rng.randrange(14 * 365))
        rank = rng.choice(ranks) if ranks else None
        earlier = started
        if offset % 10 == 3 and started.year < 2024:  # an earlier post, ended
            earlier = started - timedelta(days=365 + rng.randrange(700))
            post_id += 1
            posts.append(
                {
                    "id": post_id,
                    "official_id": oid,
                    "unit_id": unit.id,
                    "position_id": rng.choice(staff),
                    "rank_id": rank,
                    "is_primary": True,
                    "started_on": earlier,
                    "ended_on": started - timedelta(days=1),
                    "decision_no": f"{offset}/QĐ-UBND",
                    "created_at": stamp,
                }
            )
        post_id += 1
        posts.append(
            {
                "id": post_id,
                "official_id": oid,
                "unit_id": unit.id,
                "position_id": position,
                "rank_id": rank,
                "is_primary": True,
                "started_on": started,
                "ended_on": None,
                "decision_no": None,
                "created_at": stamp,
            }
        )
        users.append(
            {
                "id": first_user + offset,
                "username": code.lower(),
                "password_hash": password_hash,
                "display_name": name,
                "email": None,
                "official_id": oid,
                "is_enabled": True,
                "must_change_password": False,
                "created_at": stamp,
                "session_version": 0,
                "totp_enabled": False,
            }
        )
        people.append(
            Person(oid, code, name, birth, unit.id, unit.name, position, started, earlier)
        )
    writer.insert(Official.__table__, rows)
    writer.insert(PositionAssignment.__table__, posts)
    writer.insert(User.__table__, users)
    writer.commit()
    return people


def staff_logins(big_unit_code: str = BIG_UNIT) -> None:
    """bench-hr (HR, whole city), bench-unit-hr (HR of the 2,000-official department),
    bench-admin; password PASSWORD."""
    units = {u.code: u.id for u in db.session.scalars(select(OrgUnit))}
    for username, role, unit in (
        ("bench-hr", HR_OFFICER, units["DN"]),
        ("bench-unit-hr", HR_OFFICER, units[big_unit_code]),
        ("bench-admin", ADMINISTRATOR, None),
    ):
        user = auth.create_user(
            auth.NewUser(username, PASSWORD, username, must_change_password=False), actor=None
        )
        db.session.add(RoleGrant(user=user, role=role, unit_id=unit))
    db.session.commit()
