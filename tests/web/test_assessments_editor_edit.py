"""Editing an existing question in the editor's form, one test per type: "Chỉnh sửa" in the bank
opens the form filled with the question and its preview; saved unchanged, the question is the
same GIFT byte for byte (and no new version); saved changed, it is a new version, audited, and
a learner's attempt grades the edited question right. A question already used in attempts
keeps its shape, and a change of its key needs the regrade box (which regrades them)."""

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from lms.assessments import attempts, bank, quizzes
from lms.assessments.models import BankQuestion
from lms.audit.models import AuditEntry
from lms.extensions import db
from tests.services.test_assessments_attempts import official_id
from tests.web.test_assessments_editor import TYPES, _post, _right_form
from tests.web.test_assessments_editor import course as course  # noqa: F401 - the fixture
from tests.web.test_common_no_english import visible_text


class _Form(HTMLParser):
    """The fields of the page's form #editor as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.inside, self.fields, self._field, self._select, self._buffer = (
            False,
            {},
            None,
            None,
            "",
        )

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == "editor"
        if not self.inside:
            return
        if tag == "input" and a.get("type") not in ("checkbox", "submit"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._field, self._buffer = a["name"], ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._field:
            self._buffer += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._field:
            self.fields[self._field] = self._buffer.removeprefix("\n")
            self._field = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def _opened(client, row) -> dict:
    page = client.get(f"/courses/manage/TE01/questions/{row.id}/editor")
    assert page.status_code == 200, page.headers.get("Location")
    html = page.get_data(as_text=True)
    assert 'id="preview"' in html  # shown as the learner sees it
    parser = _Form()
    parser.feed(html)
    return parser.fields


def _row(kind) -> BankQuestion:
    return db.session.query(BankQuestion).filter_by(name=f"Câu {kind}").one()


@pytest.mark.parametrize("kind", list(TYPES))
def test_opened_and_saved_unchanged_a_question_is_the_same_gift(kind, course, login_as):
    client = login_as("manager")
    assert _post(client, kind, "save").status_code == 302
    row = _row(kind)
    before, version = bank.question_gift(row), row.version
    bank_page = client.get("/courses/manage/TE01/questions").get_data(as_text=True)
    assert f"/questions/{row.id}/editor" in bank_page and "Chỉnh sửa" in visible_text(bank_page)
    fields = _opened(client, row)
    assert fields["kind"] == kind
    saved = client.post(row_url(row), data=fields | {"action": "save"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert bank.question_gift(row).encode() == before.encode() and row.version == version


def row_url(row) -> str:
    return f"/courses/manage/TE01/questions/{row.id}/editor"


CHANGES = {
    "single_choice": {"lines": "2010 | 0\n2008 | 100 | Đúng rồi\n2019 | 0"},
    "multiple_choice": {"lines": "công khai | 50\nminh bạch | 50\ntùy tiện | -100\nkhác | -50"},
    "true_false": {"true_is_right": "true"},
    "short_answer": {"lines": "Thủ đô Hà Nội\nHà Nội | 50"},
    "numerical": {"number": "2", "tolerance": "0,1"},
    "matching": {"lines": "Luật -> Quốc hội\nNghị định -> Chính phủ\nThông tư -> Bộ"},
    "essay": {"general_feedback": "Nêu ít nhất hai ý."},
    "description": {"text": "Phần này nói về đạo đức công vụ."},
}


@pytest.mark.parametrize("kind", list(TYPES))
def test_an_edited_question_is_a_new_version_and_an_attempt_grades_it_right(
    kind, course, login_as, world
):
    client = login_as("manager")
    _post(client, kind, "save")
    row = _row(kind)
    fields = _opened(client, row) | CHANGES[kind]
    preview = client.post(row_url(row), data=fields | {"action": "preview"})
    assert preview.status_code == 200 and 'id="preview"' in preview.get_data(as_text=True)
    assert db.session.get(BankQuestion, row.id).version == 1  # a preview writes nothing
    saved = client.post(row_url(row), data=fields | {"action": "save"})
    assert saved.status_code == 302, visible_text(saved.get_data(as_text=True))
    db.session.expire_all()
    assert row.version == 2
    entry = db.session.query(AuditEntry).filter_by(action="question.edit", object_id=str(row.id))
    assert entry.one().actor_id == world["manager"].id

    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id())
    attempts.save_responses(attempt, _right_form(attempt))
    attempts.submit(attempt)
    db.session.commit()
    slot = next(s for s in attempt.slots if s.question_id == row.id)
    if kind not in ("essay", "description"):
        assert slot.fraction == 1


def _answered_wrong(course, row):
    """A learner's graded attempt that chose 2008 on the single-choice question."""
    attempt = attempts.start_attempt(quizzes.quiz_of(course), official_id())
    form = MultiDict()
    for slot in attempt.slots:
        form.add("slots", str(slot.id))
        if slot.question_id == row.id:
            question = bank.to_question(row)
            pick = next(
                p for p, i in enumerate(slot.shown["answers"]) if question.answers[i].text == "2008"
            )
            form.add(f"r{slot.id}", str(pick))
    attempts.save_responses(attempt, form)
    attempts.submit(attempt)
    db.session.commit()
    return attempt


def test_a_used_question_keeps_its_shape_and_its_key_changes_only_with_a_regrade(course, login_as):
    client = login_as("manager")
    _post(client, "single_choice", "save")
    row = _row("single_choice")
    attempt = _answered_wrong(course, row)
    assert attempt.percent == 0
    fields = _opened(client, row)
    assert "1 lượt làm bài" in visible_text(client.get(row_url(row)).get_data(as_text=True))

    more = fields | {"lines": fields["lines"] + "\n2020 | 0", "action": "save"}
    page = visible_text(client.post(row_url(row), data=more).get_data(as_text=True))
    assert "không thể thay đổi" in page
    rekey = fields | {"lines": "2010 | 0\n2008 | 100\n2019 | 0", "action": "save"}
    page = visible_text(client.post(row_url(row), data=rekey).get_data(as_text=True))
    assert "Chấm lại các lượt làm bài" in page
    db.session.expire_all()
    assert row.version == 1 and attempt.percent == 0  # nothing written

    wording = fields | {"text": "Năm nào Luật Cán bộ, công chức được thông qua?", "action": "save"}
    assert client.post(row_url(row), data=wording).status_code == 302  # wording: no regrade
    db.session.expire_all()
    assert row.version == 2 and attempt.percent == 0
    assert client.post(row_url(row), data=rekey | {"regrade": "y"}).status_code == 302
    db.session.expire_all()
    assert row.version == 3 and attempt.percent == 100  # graded again with the new key


def test_hostile_and_foreign_input(course, login_as):
    client = login_as("manager")
    _post(client, "short_answer", "save")
    row = _row("short_answer")
    fields = _opened(client, row)
    bad = fields | {"kind": "cloze<script>", "action": "save"}
    assert client.post(row_url(row), data=bad).status_code == 200
    bad = fields | {"lines": "Hà Nội | 33", "action": "save"}
    assert "33" in visible_text(client.post(row_url(row), data=bad).get_data(as_text=True))
    assert client.get("/courses/manage/TE01/questions/999999/editor").status_code == 404
    db.session.expire_all()
    assert row.version == 1
