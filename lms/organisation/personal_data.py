"""Everything the system holds about one person, for their own download (Decree 13/2023/NĐ-CP:
a data subject may see their data and who processed it)."""

from sqlalchemy import or_, select

from lms.audit.models import AuditEntry
from lms.auth.models import User
from lms.common import clock
from lms.extensions import db
from lms.organisation.models import Official


def _iso(value):
    return value.isoformat() if value is not None else None


def collect(user: User) -> dict:
    """The account, the official record with its history, and the processing log about them."""
    official = db.session.get(Official, user.official_id) if user.official_id else None
    data = {
        "generated_at": _iso(clock.now()),
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "locale": user.locale,
            "created_at": _iso(user.created_at),
            "last_login_at": _iso(user.last_login_at),
            "two_factor": user.totp_enabled,
            "roles": [
                {"role": g.role, "unit": g.unit.code if g.unit else None} for g in user.grants
            ],
        },
        "official": None,
        "processing_log": [],
    }
    subjects = [(AuditEntry.object_type == "user") & (AuditEntry.object_id == str(user.id))]
    if official is not None:
        data["official"] = {
            "employee_code": official.employee_code,
            "full_name": official.full_name,
            "gender": official.gender,
            "date_of_birth": _iso(official.date_of_birth),
            "category": official.category,
            "email": official.email,
            "phone": official.phone,
            "status": official.status,
            "assignments": [
                {
                    "unit": a.unit.name,
                    "unit_code": a.unit.code,
                    "position": a.position.name,
                    "rank": a.rank.name if a.rank else None,
                    "is_primary": a.is_primary,
                    "started_on": _iso(a.started_on),
                    "ended_on": _iso(a.ended_on),
                    "decision_no": a.decision_no,
                }
                for a in official.assignments
            ],
        }
        subjects.append(
            (AuditEntry.object_type == "official")
            & (AuditEntry.object_id == official.employee_code)
        )
    actor = User.__table__.alias("actor")
    rows = db.session.execute(
        select(AuditEntry, actor.c.username)
        .outerjoin(actor, actor.c.id == AuditEntry.actor_id)
        .where(or_(*subjects))
        .order_by(AuditEntry.id)
    )
    data["processing_log"] = [
        {"at": _iso(entry.at), "by": username or "system", "action": entry.action}
        for entry, username in rows
    ]
    return data
