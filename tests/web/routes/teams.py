"""Teams routes: the head's team page, its export, one official of the team, nominations, the
head's decisions on external training; HR's page of a unit's heads and head settings. The
head (HEAD_USER) heads P-HAICHAU, where the learner works."""

from tests.web.routes.expect import FORBIDDEN, OK, REDIRECT, Denial, expect

HEAD_ONLY = expect(FORBIDDEN, head=OK)
HR_OR_ADMIN = expect(FORBIDDEN, hr=OK, admin=OK)


def _request_of(code: str) -> int:
    """An external-training request of official `code` waiting for the head."""
    from datetime import date

    from lms.curricula.external.models import ExternalRecord
    from lms.extensions import db
    from lms.teams.models import HeadReview
    from tests.web.routes.scene import official_id

    record = ExternalRecord(
        official_id=official_id(code),
        title="Bồi dưỡng ở nơi khác",
        organiser="Trường Chính trị",
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 6),
        periods=40,
        status="submitted",
    )
    db.session.add(record)
    db.session.flush()
    db.session.add(HeadReview(external_record_id=record.id, status="awaiting"))
    db.session.commit()
    return record.id


ACCESS = {
    ("teams.team_page", "GET"): ("/team/", HEAD_ONLY),
    ("teams.team_export", "GET"): ("/team/export?cycle={cycle}", HEAD_ONLY),
    # The POST carries no reason: the form comes back with its error (200).
    ("teams.team_export", "POST"): ("/team/export?cycle={cycle}", HEAD_ONLY),
    ("teams.member", "GET"): ("/team/T-LEARN", HEAD_ONLY),
    ("teams.nominate", "GET"): ("/team/nominate", HEAD_ONLY),
    ("teams.nominate", "POST"): ("/team/nominate", HEAD_ONLY),  # no course: the form again
    ("teams.nominate_class", "GET"): ("/team/nominate-class", HEAD_ONLY),
    ("teams.nominate_class", "POST"): ("/team/nominate-class", HEAD_ONLY),  # no class: form
    ("teams.external_request", "GET"): ("/team/external/{head_request}", HEAD_ONLY),
    # Approving needs no reason (back to the team page); declining does (the form, 422).
    ("teams.external_approve", "POST"): (
        "/team/external/{head_request}/approve",
        expect(FORBIDDEN, head=REDIRECT),
    ),
    ("teams.external_decline", "POST"): (
        "/team/external/{head_request}/decline",
        expect(FORBIDDEN, head=422),
    ),
    ("teams.unit_settings", "GET"): ("/team/units/P-HAICHAU", HR_OR_ADMIN),
    ("teams.unit_settings", "POST"): ("/team/units/P-HAICHAU", HR_OR_ADMIN),  # no days: form
    # An empty naming or ending: back to the unit's page with the reason (302).
    ("teams.head_assign", "POST"): (
        "/team/units/P-HAICHAU/heads",
        expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
    ("teams.head_end", "POST"): (
        "/team/units/P-HAICHAU/heads/{named_head}/end",
        expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT),
    ),
}
URLS = {
    "teams.team_export": "/team/export{cycle_made}",
    "teams.nominate": "/team/nominate",
    "teams.nominate_class": "/team/nominate-class",
    "teams.external_approve": "/team/external/{head_request}/approve",
    "teams.external_decline": "/team/external/{head_request}/decline",
    "teams.unit_settings": "/team/units/P-HAICHAU",
    "teams.head_assign": "/team/units/P-HAICHAU/heads",
    "teams.head_end": "/team/units/P-HAICHAU/heads/{named_head}/end",
}
QUERY_PAGES = {"teams.team_page": ("/team/", ("cycle", "status", "position", "q"))}


def _named_head(unit: str) -> int:
    """A headship of `unit` HR named (T-MAN, from 01/01/2026)."""
    from datetime import date

    from lms.extensions import db
    from lms.organisation.models import Official
    from lms.organisation.queries import unit_by_code
    from lms.teams import services
    from tests.web.routes.scene import official_id

    official = db.session.get(Official, official_id("T-MAN"))
    assignment = services.assign_head(unit_by_code(unit), official, date(2026, 1, 1))
    db.session.commit()
    return assignment.id


PROVIDERS = {
    "named_head": lambda _scene: _named_head("P-HAICHAU"),
    "out_named_head": lambda scene: scene.value("_outside") and _named_head("XX"),
    "head_request": lambda _scene: _request_of("T-LEARN"),
    "out_head_request": lambda scene: scene.value("_outside") and _request_of("T-OUT"),
}

# The head of P-HAICHAU asks for T-OUT (unit XX) and T-MAN (SNV-CCVC), and for T-OUT's request;
# HR (DN) for unit XX.
DENIALS = {
    ("teams.member", "GET"): (
        Denial("head", "/team/{out_code}"),
        Denial("head", "/team/T-MAN"),
    ),
    ("teams.external_request", "GET"): Denial("head", "/team/external/{out_head_request}"),
    ("teams.external_approve", "POST"): Denial("head", "/team/external/{out_head_request}/approve"),
    ("teams.external_decline", "POST"): Denial(
        "head", "/team/external/{out_head_request}/decline", data={"reason": "Không"}
    ),
    ("teams.unit_settings", "GET"): Denial("hr", "/team/units/{out_unit}"),
    ("teams.head_assign", "POST"): Denial(
        "hr",
        "/team/units/{out_unit}/heads",
        data={"employee_code": "T-MAN", "started_on": "01/12/2026"},
    ),
    ("teams.head_end", "POST"): (
        Denial(
            "hr",
            "/team/units/{out_unit}/heads/{out_named_head}/end",
            data={"ended_on": "01/12/2026"},
        ),
        Denial(
            "hr",
            "/team/units/P-HAICHAU/heads/{out_named_head}/end",
            data={"ended_on": "01/12/2026"},
        ),
    ),
    ("teams.unit_settings", "POST"): Denial(
        "hr", "/team/units/{out_unit}", data={"head_approval": "y", "escalation_days": "3"}
    ),
}
