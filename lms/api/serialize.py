"""The JSON shapes of the API's resources (described in lms/api/openapi.py, which must match)."""

from lms.api.responses import plain
from lms.compliance.rules import STATUSES
from lms.organisation.models import GENDERS


def _ref(obj) -> dict | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def official(person, post) -> dict:
    """An official with their current primary post (unit, position, rank), or nulls."""
    changed = person.updated_at
    if post is not None and post.created_at and post.created_at > changed:
        changed = post.created_at
    return plain(
        {
            "employee_code": person.employee_code,
            "full_name": person.full_name,
            "gender": person.gender,
            "category": person.category,
            "status": person.status,
            "unit": _ref(post.unit) if post else None,
            "position": _ref(post.position) if post else None,
            "rank": _ref(post.rank) if post else None,
            "post_started_on": post.started_on if post else None,
            "updated_at": changed,
        }
    )


def ledger_entry(entry, year: int, course_code: str | None) -> dict:
    """One ledger line."""
    return plain(
        {
            "id": entry.id,
            "seq": entry.seq,
            "cycle": year,
            "earned_on": entry.earned_on,
            "title": entry.title,
            "course_code": course_code,
            "credits": entry.credits,
            "periods": entry.periods,
            "source": entry.source,
            "source_ref": entry.source_ref,
            "reverses_id": entry.reverses_id,
            "reason": entry.reason,
            "created_at": entry.created_at,
        }
    )


def _mandatory(item: dict) -> dict:
    """A mandatory course of a statement: code, title, due date, state, and the day it was
    done when it is."""
    answer = {key: item[key] for key in ("course_code", "title", "due_on", "state")}
    if item["state"] == "done":
        answer["done_on"] = item.get("done_on")
    return answer


def _since_review(since: dict | None) -> dict | None:
    if not since:
        return None
    return {
        "review_as_of": since["review_as_of"],
        "credits": since["credits"],
        "entries": [
            {key: e[key] for key in ("earned_on", "title", "credits")} for e in since["entries"]
        ],
        "courses": [
            {key: c[key] for key in ("course_code", "title", "done_on")} for c in since["courses"]
        ],
    }


def statement(data: dict, certificate_links: list[dict]) -> dict:
    """The training statement of DESIGN.md §3: its kind (live, review, final), the day it is
    for (`as_of`: the day a live one was computed, the review date, the cycle's last day), the
    months and the not-rated flag, its mandatory courses (null on a statement frozen before
    they were kept), what came after the review (final statements) and the URLs of its
    certificates."""
    mandatory = data.get("mandatory")
    return plain(
        {
            **data,
            "not_rated": None if data.get("not_rated") is None else bool(data["not_rated"]),
            "mandatory": None if mandatory is None else [_mandatory(i) for i in mandatory],
            "since_review": _since_review(data.get("since_review")),
            "certificate_links": certificate_links,
        }
    )


def _status_counts(counts: dict) -> dict:
    return {status: int(counts.get(status, 0)) for status in STATUSES}


def compliance(unit, year: int, as_of, counts: dict) -> dict:
    """Counts per status of a unit's subtree, in total and by gender (every key present)."""
    by_gender = counts.get("by_gender", {})
    return plain(
        {
            "unit": _ref(unit),
            "cycle": year,
            "as_of": as_of,
            "total": int(counts.get("total", 0)),
            "by_status": _status_counts(counts.get("by_status", {})),
            "by_gender": {
                gender: {
                    "total": sum(int(n) for n in by_gender.get(gender, {}).values()),
                    "by_status": _status_counts(by_gender.get(gender, {})),
                }
                for gender in GENDERS
            },
        }
    )


def certificate(cert, status: str, pdf_url: str) -> dict:
    """One certificate as issued (holder and course copied at issue)."""
    return plain(
        {
            "serial": cert.serial,
            "verification_code": cert.verification_code,
            "status": status,
            "kind": cert.kind,
            "employee_code": cert.official.employee_code,
            "full_name": cert.holder_name,
            "course_code": cert.course_code,
            "course_title": cert.course_title,
            "credits": cert.credits,
            "issued_on": cert.issued_on,
            "expires_on": cert.expires_on,
            "revoked_reason": cert.revoked_reason,
            "pdf_url": pdf_url,
        }
    )
