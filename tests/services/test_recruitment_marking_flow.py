"""Anonymous marking, results and appeals of a recruitment, through the services: codes and two
markers per paper, the third marker, closing, opening the codes (audited), ranking with the
quota, publication, the appeal window and the re-marking; the results log verifies after all."""

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from lms.audit.models import AuditEntry
from lms.auth import services as auth
from lms.errors import RuleViolation, ValidationFailed
from lms.extensions import db
from lms.recruitment import results_log
from lms.recruitment.marking import appeals, results, services
from lms.recruitment.marking.models import Mark, MarkingState, MarkTurn, Paper
from lms.recruitment.marking.rules import Standing
from lms.recruitment.models import ResultEntry
from tests.factories import (
    PASSWORD,
    make_candidate,
    make_computer_scores,
    make_recruitment,
    make_units,
    make_user,
    make_written_papers,
)

MARKERS = ("gk1", "gk2", "gk3", "gk4")


def _marker(username):
    return auth.create_user(
        auth.NewUser(username, PASSWORD, f"Giám khảo {username}", None, None, False), actor=None
    )


@pytest.fixture
def scene(app, db):
    make_units()
    hr = make_user("hr")
    markers = {name: _marker(name) for name in MARKERS}
    recruitment = make_recruitment(positions=(("VT01", "SNV", 1),))
    people = [
        make_candidate(recruitment, "Nguyễn Văn An"),
        make_candidate(recruitment, "Lê Thị Bình", priority="UT3"),
        make_candidate(recruitment, "Trần Văn Cường"),
    ]
    make_computer_scores(recruitment, {c: 40 for c in people})
    make_written_papers(
        recruitment, {c: f"Bài làm của thí sinh số {i}" for i, c in enumerate(people)}
    )
    for name in ("gk1", "gk2", "gk3"):
        services.appoint_marker(recruitment, name, hr)
    db.session.commit()
    return recruitment, hr, markers, people


def _mark(paper, turn):
    return db.session.scalar(select(Mark).where(Mark.paper_id == paper.id, Mark.turn == turn))


def _paper(candidate):
    return db.session.scalar(select(Paper).where(Paper.candidate_id == candidate.id))


def test_the_whole_flow_ranks_publishes_takes_an_appeal_and_the_log_verifies(scene, freeze):
    recruitment, hr, markers, (an, binh, cuong) = scene
    opened_after = db.session.scalar(select(func.max(AuditEntry.id)))
    assert services.open_marking(recruitment, hr) == 3
    codes = {_paper(c).code for c in (an, binh, cuong)}
    assert len(codes) == 3
    for candidate in (an, binh, cuong):
        paper = _paper(candidate)
        first, second = _mark(paper, MarkTurn.FIRST), _mark(paper, MarkTurn.SECOND)
        assert first.marker_id != second.marker_id
        assert candidate.number not in paper.code and "Bài làm" in paper.answer_text
    # An: 70 and 74 → 72. Bình: 60 and 75 (too far) → the third marker's 68 + 2.5 priority.
    # Cường: 72 and 72 → 72, equal to An: the written mark is equal too: a tie for one place.
    for candidate, (a, b) in ((an, ("70", "74")), (binh, ("60", "75")), (cuong, ("72", "72"))):
        paper = _paper(candidate)
        services.submit_mark(_mark(paper, MarkTurn.FIRST), a, "", hr)
        services.submit_mark(_mark(paper, MarkTurn.SECOND), b, "", hr)
    third = _mark(_paper(binh), MarkTurn.THIRD)
    assert third is not None
    assert third.marker_id not in {m.marker_id for m in _paper(binh).marks if m.turn != "third"}
    assert _paper(binh).mark is None
    with pytest.raises(RuleViolation):
        services.close_marking(recruitment, hr)  # Bình's paper waits for the third marker
    with pytest.raises(RuleViolation):
        services.reveal_codes(recruitment, hr)  # not before marking is closed
    assert services.candidate_of_code(services.round_of(recruitment), _paper(an).code) is None
    services.submit_mark(third, "68", "", hr)
    # Nothing written while marking names a candidate: no results-log line (nor its audit entry).
    assert db.session.scalar(select(ResultEntry.id)) is None
    numbers = {an.number, binh.number, cuong.number}
    since_opened = select(AuditEntry).where(AuditEntry.id > opened_after)
    assert not {e.object_id for e in db.session.scalars(since_opened)} & numbers
    assert (_paper(an).mark, _paper(binh).mark, _paper(cuong).mark) == (D(72), D(68), D(72))
    services.close_marking(recruitment, hr)
    services.reveal_codes(recruitment, hr)
    assert results_log.latest(binh.id, "written_mark").payload["third"] == "68.00"
    marking_round = services.round_of(recruitment)
    assert marking_round.revealed_by_id == hr.id
    assert services.candidate_of_code(marking_round, _paper(an).code).id == an.id
    opened = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "recruitment.codes_revealed")
    )
    assert opened.actor_id == hr.id and opened.object_id == recruitment.code

    ((position, rows),) = results.rankings(recruitment)
    by_name = {r.candidate.full_name: r.ranked for r in rows}
    assert by_name["Lê Thị Bình"].total == D("70.50")
    assert by_name["Lê Thị Bình"].standing == Standing.NOT_SELECTED
    assert by_name["Nguyễn Văn An"].standing == Standing.TIE
    assert by_name["Trần Văn Cường"].standing == Standing.TIE

    freeze(date(2026, 12, 7))
    results.publish(recruitment, hr)
    assert marking_round.state == MarkingState.PUBLISHED
    assert appeals.deadline(recruitment) == date(2026, 12, 22)
    # Bình appeals on the last day; her paper waits for a marker who has not marked it (all
    # three have), the one appointed next re-marks it: 80.
    freeze(date(2026, 12, 22))
    appeal = appeals.file_appeal(recruitment, binh, "Xin phúc khảo", hr)
    assert _mark(_paper(binh), MarkTurn.APPEAL) is None
    services.appoint_marker(recruitment, "gk4", hr)
    remark = _mark(_paper(binh), MarkTurn.APPEAL)
    assert remark.marker.username == "gk4"
    earlier = {m.marker_id for m in _paper(binh).marks if m.turn != MarkTurn.APPEAL}
    assert remark.marker_id not in earlier
    services.submit_mark(remark, "80", "", hr)
    assert (appeal.mark_before, appeal.mark_after, _paper(binh).mark) == (D(68), D(80), D(80))
    ((position, rows),) = results.rankings(recruitment)
    assert rows[0].candidate.id == binh.id and rows[0].ranked.standing == Standing.SELECTED
    assert {r.ranked.standing for r in rows[1:]} == {Standing.NOT_SELECTED}
    change = results_log.latest(binh.id, "appeal_change")
    assert change.payload["before"] == "68.00" and change.payload["mark"] == "80.00"
    assert db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "recruitment.appeal_decided")
    ).before == {"mark": "68.00"}
    db.session.commit()
    assert results_log.verify() == []
    kinds = [e.kind for e in results_log.lines(binh.id)]
    assert kinds == ["written_mark", "appeal_change"]


def test_opening_needs_two_markers_and_happens_once(app, db):
    make_units()
    hr = make_user("hr")
    recruitment = make_recruitment()
    _marker("gk1")
    services.appoint_marker(recruitment, "gk1", hr)
    with pytest.raises(RuleViolation):
        services.open_marking(recruitment, hr)
    _marker("gk2")
    services.appoint_marker(recruitment, "gk2", hr)
    services.open_marking(recruitment, hr)
    with pytest.raises(RuleViolation):
        services.open_marking(recruitment, hr)


def test_an_unknown_account_or_a_candidate_cannot_be_appointed(scene):
    recruitment, hr, _markers, people = scene
    with pytest.raises(ValidationFailed):
        services.appoint_marker(recruitment, "nobody", hr)
    with pytest.raises(ValidationFailed):
        services.appoint_marker(recruitment, people[0].user.username, hr)


@pytest.mark.parametrize("bad", ["", "abc", "-1", "100.5", "60.1", "1e3", "NaN", "７０"])
def test_a_mark_off_the_scale_is_refused_and_nothing_is_written(scene, bad):
    recruitment, hr, _markers, (an, *_rest) = scene
    services.open_marking(recruitment, hr)
    mark = _mark(_paper(an), MarkTurn.FIRST)
    with pytest.raises(ValidationFailed):
        services.submit_mark(mark, bad, "", hr)
    assert mark.submitted_at is None and mark.mark is None


def test_a_mark_is_submitted_once(scene):
    recruitment, hr, _markers, (an, *_rest) = scene
    services.open_marking(recruitment, hr)
    mark = _mark(_paper(an), MarkTurn.FIRST)
    services.submit_mark(mark, "70,5", "", hr)
    assert mark.mark == D("70.50")
    with pytest.raises(RuleViolation):
        services.submit_mark(mark, "90", "", hr)


def test_a_third_marker_is_found_when_one_is_appointed_later(app, db):
    make_units()
    hr = make_user("hr")
    recruitment = make_recruitment(positions=(("VT01", "SNV", 1),))
    an = make_candidate(recruitment, "Nguyễn Văn An")
    make_written_papers(recruitment, {an: "Bài làm"})
    for name in ("gk1", "gk2"):
        _marker(name)
        services.appoint_marker(recruitment, name, hr)
    services.open_marking(recruitment, hr)
    paper = _paper(an)
    services.submit_mark(_mark(paper, MarkTurn.FIRST), "40", "", hr)
    services.submit_mark(_mark(paper, MarkTurn.SECOND), "80", "", hr)
    assert _mark(paper, MarkTurn.THIRD) is None  # both markers have marked it: it waits
    _marker("gk3")
    services.appoint_marker(recruitment, "gk3", hr)
    third = _mark(paper, MarkTurn.THIRD)
    assert third.marker.username == "gk3"


@pytest.mark.parametrize(
    "day,accepted",
    [(date(2026, 12, 6), False), (date(2026, 12, 21), True), (date(2026, 12, 22), True),
     (date(2026, 12, 23), False)],
)  # fmt: skip
def test_an_appeal_is_taken_up_to_the_deadline_day_and_refused_after(scene, freeze, day, accepted):
    recruitment, hr, _markers, people = scene
    services.open_marking(recruitment, hr)
    for candidate in people:
        paper = _paper(candidate)
        services.submit_mark(_mark(paper, MarkTurn.FIRST), "70", "", hr)
        services.submit_mark(_mark(paper, MarkTurn.SECOND), "70", "", hr)
    services.close_marking(recruitment, hr)
    services.reveal_codes(recruitment, hr)
    freeze(date(2026, 12, 7))
    results.publish(recruitment, hr)
    freeze(day)
    if accepted:
        assert appeals.file_appeal(recruitment, people[0], "", hr).filed_on == day
        with pytest.raises(RuleViolation):
            appeals.file_appeal(recruitment, people[0], "", hr)  # once
    else:
        with pytest.raises(RuleViolation):
            appeals.file_appeal(recruitment, people[0], "", hr)
        assert (
            db.session.scalar(select(ResultEntry.id).where(ResultEntry.kind == "appeal_change"))
            is None
        )


def test_the_demo_marks_two_papers_and_leaves_one_for_a_third_marker(app, db):
    from lms.demo import recruitment_marking as demo

    make_units()
    hr = make_user("hr")
    recruitment = make_recruitment()
    for n in ("Một", "Hai", "Ba"):
        make_candidate(recruitment, f"Thí Sinh {n}")
    other = make_recruitment("TD2027")  # leaves an essay question in a bank
    make_written_papers(other, {make_candidate(other, "Thí Sinh Khác"): "x"})
    demo.load(recruitment, hr)
    demo.load(recruitment, hr)  # a second load changes nothing
    papers = db.session.scalars(select(Paper).order_by(Paper.id)).all()
    assert len(papers) == 3
    assert sorted(str(p.mark) for p in papers if p.mark is not None) == ["73.50"]
    assert db.session.scalar(select(Mark).where(Mark.turn == MarkTurn.THIRD)) is None  # 2 markers
    assert results_log.verify() == []


def test_two_written_sessions_make_one_paper_with_both_answers(scene):
    recruitment, hr, _markers, (an, *_rest) = scene
    make_written_papers(recruitment, {an: "Phần hai của bài làm"})
    assert services.open_marking(recruitment, hr) == 3
    text = _paper(an).answer_text
    assert "Bài làm của thí sinh số 0" in text and "Phần hai của bài làm" in text
