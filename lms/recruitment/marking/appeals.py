"""Appeals (phúc khảo) of the written mark: filed within the deadline after publication,
re-marked by a marker who has not marked the paper, and the change written to the results log
and the audit log (results and ranking are computed from the papers' marks, so they follow).
An appeal is filed by the candidate on their own page (`online`) or recorded by the secretary
from a letter; either way the candidate is told the outcome (a notification mailed to their
account's address). Services flush; the caller commits."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from lms.audit.services import record
from lms.common import clock
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.recruitment import results_log
from lms.recruitment.marking import rules
from lms.recruitment.marking.models import (
    Appeal,
    AppealState,
    Mark,
    MarkingRound,
    MarkingState,
    MarkTurn,
    Paper,
)
from lms.recruitment.marking.rounds import give_to_another_marker, round_of
from lms.recruitment.models import ResultKind


def deadline(recruitment) -> date | None:
    """The last day to file an appeal, None before the results are published."""
    marking_round = round_of(recruitment)
    if marking_round is None or marking_round.published_on is None:
        return None
    return rules.appeal_deadline(marking_round.published_on, recruitment.appeal_days)


def appeal_of(paper: Paper) -> Appeal | None:
    """The paper's appeal, if one was filed."""
    return db.session.scalar(select(Appeal).where(Appeal.paper_id == paper.id))


def paper_of(recruitment, candidate) -> Paper | None:
    """The candidate's written paper in the recruitment's marking, if any."""
    marking_round = round_of(recruitment)
    if marking_round is None:
        return None
    return db.session.scalar(
        select(Paper).where(Paper.round_id == marking_round.id, Paper.candidate_id == candidate.id)
    )


def file_appeal(
    recruitment, candidate, reason: str, actor, today: date | None = None, online: bool = False
) -> Appeal:
    """File the candidate's appeal (by the candidate online, or recorded by the secretary from
    a paper letter) on `today` (default: the clock's). The paper goes to a marker who has not
    marked it (or waits for one to be appointed). Raises RuleViolation when results are not
    published, the deadline has passed, the candidate has no marked written paper, or already
    appealed."""
    today = today or clock.today()
    marking_round = round_of(recruitment)
    published_on = marking_round.published_on if marking_round else None
    if not rules.may_appeal(published_on, today, recruitment.appeal_days):
        raise RuleViolation(_("Appeals are accepted only until the deadline."), "deadline")
    paper = paper_of(recruitment, candidate)
    if paper is None or paper.mark is None:
        raise RuleViolation(_("This candidate has no written paper."), "no_paper")
    if appeal_of(paper) is not None:
        raise RuleViolation(_("An appeal of this paper was already filed."), "twice")
    appeal = Appeal(
        paper_id=paper.id,
        filed_on=today,
        filed_by_id=getattr(actor, "id", None),
        reason=(reason or "").strip()[:2000],
        mark_before=paper.mark,
    )
    db.session.add(appeal)
    db.session.flush()
    give_to_another_marker(paper, MarkTurn.APPEAL)
    record(actor, "recruitment.appeal_filed", "candidate", candidate.number,
           after={"recruitment": recruitment.code, "filed_on": today,
                  "online": online})  # fmt: skip
    return appeal


def decide(mark: Mark, value: Decimal, note: str, actor) -> Paper:
    """The re-marking of an appealed paper: its mark replaces the paper's; a change is a
    results-log line ("appeal_change") and an audit entry with the marks before and after."""
    paper = mark.paper
    appeal = appeal_of(paper)
    if appeal is None or appeal.state != AppealState.FILED:
        raise RuleViolation(_("This cannot be done at this stage of the marking."), "state")
    marking_round = db.session.get(MarkingRound, paper.round_id)
    mark.mark = value
    mark.note = (note or "").strip()[:2000]
    mark.submitted_at = clock.now()
    appeal.mark_after = value
    appeal.state = AppealState.DECIDED
    appeal.decided_at = clock.now()
    before = paper.mark
    db.session.flush()
    candidate = paper.candidate
    record(actor, "recruitment.appeal_decided", "candidate", candidate.number,
           before={"mark": before}, after={"mark": value})  # fmt: skip
    if value != before:
        paper.mark = value
        db.session.flush()
        payload = {"code": paper.code, "before": before, "mark": value}
        payload["maximum"] = marking_round.maximum
        results_log.append(
            paper.candidate_id, ResultKind.APPEAL_CHANGE, payload, actor, system="marking"
        )
    _tell_candidate(appeal, candidate, before, value)
    return paper


def _tell_candidate(appeal: Appeal, candidate, before, after) -> None:
    """The candidate's notice of the outcome (once per appeal), mailed to their account's
    address when it has one. Not on the preferences page: a candidate's account opens none."""
    from lms.jobs.notifications import notify

    if candidate.user_id is None:
        return
    context = {
        "title": candidate.recruitment.name,
        "number": candidate.number,
        "mark_before": _points(before),
        "mark_after": _points(after),
        "changed": before != after,
        "link": "/exam/results",
    }
    notify(candidate.user_id, "recruitment_appeal_decided", f"appeal:{appeal.id}", context)


def _points(value) -> str:
    """A mark as Vietnamese write it in a letter (72,5), for the notification's text."""
    if value is None:
        return "—"
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def open_appeals(marking_round: MarkingRound) -> list[Appeal]:
    """The round's appeals, oldest first."""
    if marking_round is None or marking_round.state != MarkingState.PUBLISHED:
        return []
    return list(
        db.session.scalars(
            select(Appeal)
            .join(Paper, Paper.id == Appeal.paper_id)
            .where(Paper.round_id == marking_round.id)
            .order_by(Appeal.id)
        )
    )
