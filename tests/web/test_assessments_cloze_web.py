"""Cloze (embedded answers) on the web: the editor writes one, a learner's attempt page shows its
gaps inline (labelled inputs and lists, no key), answers are graded per gap with partial
credit, and the review follows the review options; Moodle's multianswer.xml imports through the
preview, malformed cloze text is reported per question with nothing written; the GIFT export
leaves Cloze out with a warning, the Moodle XML export keeps it."""

import re
from io import BytesIO

from lms.assessments import bank, quizzes
from lms.assessments import review as review_rules
from lms.assessments.models import Attempt, BankQuestion
from lms.extensions import db
from tests.conftest import csrf_token
from tests.shared_fixtures import FIXTURES, require
from tests.web.test_assessments_editor import course as course  # noqa: F401 - the fixture
from tests.web.test_common_no_english import visible_text

NEW = "/courses/manage/TE01/questions/new"
IMPORT = "/courses/manage/TE01/questions/import"
CLOZE_TEXT = (
    "Thủ đô là {1:SHORTANSWER:=Hà Nội#Chính xác~%50%Ha Noi#Thiếu dấu}; "
    "luật do {2:MULTICHOICE:=Quốc hội#Đúng~Chính phủ#Chưa đúng} ban hành; "
    "số tỉnh, thành phố: {1:NUMERICAL:=34:0}."
)


def _new_cloze(client, text=CLOZE_TEXT, action="save"):
    data = {"csrf_token": csrf_token(client, NEW), "kind": "cloze", "action": action}
    data |= {"name": "Điền khuyết", "text": text, "category": "", "tags": ""}
    data |= {"true_is_right": "true"}
    return client.post(NEW, data=data)


def _start(client) -> int:
    token = csrf_token(client, "/courses/TE01/test")
    response = client.post("/courses/TE01/test/start", data={"csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_a_learner_fills_the_gaps_and_gets_partial_credit(course, login_as):
    manager = login_as("manager")
    preview = _new_cloze(manager, action="preview").get_data(as_text=True)
    assert 'id="preview"' in preview and "Hà Nội" not in preview.split('id="preview"')[1]
    assert _new_cloze(manager).status_code == 302
    row = db.session.query(BankQuestion).filter_by(kind="cloze").one()
    assert row.text == CLOZE_TEXT

    client = login_as("learner")
    attempt_id = _start(client)
    page = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    for secret in ("Hà Nội", "Ha Noi", "Chính xác", "=Q", "#", "34:0", "{1:"):
        assert secret not in page.split('class="question-text cloze"')[1].split("</fieldset>")[0]
    slot = next(s for s in db.session.get(Attempt, attempt_id).slots if s.question.kind == "cloze")
    name = f"r{slot.id}"
    assert 'aria-label="Chỗ trống 1 trên 3"' in page
    assert re.search(rf'<select class="cloze-gap" id="{name}-1" name="{name}-1"', page)
    assert re.search(rf'<input type="text" class="cloze-gap" id="{name}-2"[^>]*inputmode', page)
    options = re.findall(rf'name="{name}-1".*?</select>', page, re.S)[0]
    right = re.search(r'<option value="(\d)">Quốc hội</option>', options).group(1)

    token = csrf_token(client, f"/attempts/{attempt_id}")
    form = {"csrf_token": token, "slots": [str(s.id) for s in slot.attempt.slots]}
    form |= {f"{name}-0": "Ha Noi", f"{name}-1": right, f"{name}-2": "35"}
    assert client.post(f"/attempts/{attempt_id}/save", data=form).json["saved"] is True
    reloaded = client.get(f"/attempts/{attempt_id}").get_data(as_text=True)
    assert 'value="Ha Noi"' in reloaded and f'<option value="{right}" selected>' in reloaded
    finish = client.post(f"/attempts/{attempt_id}", data={"action": "finish", "csrf_token": token})
    assert finish.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt_id)
    # marks 1 + 2 + 1: half of the first gap, all of the second, none of the third = 2.5 / 4.
    assert (
        next(s for s in attempt.slots if s.id == slot.id).fraction == 0.625
        and attempt.percent == 62.5
    )
    review = visible_text(client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True))
    assert "Đúng một phần" in review
    # each gap is marked, as Moodle does: half of the first, all of the second, none of the third
    assert "Chỗ trống 1: Đúng một phần" in review and "Chỗ trống 2: Đúng" in review
    assert "Chỗ trống 3: Sai" in review
    shown = review_rules.visible_parts(attempt, staff=False)
    cloze = next(
        q for q in review_rules.as_json(attempt, shown)["questions"] if q["kind"] == "cloze"
    )
    assert cloze["gaps"] == ["partial", "correct", "wrong"]
    assert "(1) Hà Nội" not in review  # the right answers wait for the last attempt or close
    quiz = quizzes.quiz_of(course)
    quiz.review = {moment: list(parts) + ["answers"] for moment, parts in quiz.review.items()}
    db.session.commit()
    review = visible_text(client.get(f"/attempts/{attempt_id}/review").get_data(as_text=True))
    assert "(1) Hà Nội" in review and "(2) Quốc hội" in review


def test_the_editor_refuses_malformed_cloze_text(course, login_as):
    client = login_as("manager")
    page = visible_text(_new_cloze(client, text="Chọn {1:MULTICHOICE:=Táo}").get_data(as_text=True))
    assert "chỗ trống 1" in page.lower() and db.session.query(BankQuestion).count() == 1


def _upload(client, data: bytes, name="q.xml"):
    return client.post(
        IMPORT,
        data={"csrf_token": csrf_token(client, IMPORT), "file_format": "xml",
              "file": (BytesIO(data), name)},
        content_type="multipart/form-data",
    )  # fmt: skip


def test_moodle_cloze_imports_through_the_preview_and_broken_cloze_writes_nothing(course, login_as):
    client = login_as("manager")
    broken = require(FIXTURES / "moodle" / "xml" / "broken_cloze_questions.xml").read_bytes()
    page = visible_text(_upload(client, broken).get_data(as_text=True))
    assert "Multichoice subquestion with only one choice" in page and "chỗ trống 1" in page
    assert "Numerical subquestion with buggy answer" in page and '"zero"' in page
    assert db.session.query(BankQuestion).count() == 1  # only the course's own question

    good = require(FIXTURES / "moodle" / "xml" / "multianswer.xml").read_bytes()
    html = _upload(client, good).get_data(as_text=True)
    source = re.search(r'name="source"[^>]*value="([^"]*)"', html).group(1)
    import html as html_lib

    confirm = client.post(
        IMPORT + "/confirm",
        data={"csrf_token": csrf_token(client, IMPORT), "file_format": "xml",
              "source": html_lib.unescape(source)},
    )  # fmt: skip
    assert confirm.status_code == 302
    row = db.session.query(BankQuestion).filter_by(kind="cloze").one()
    assert row.name == "cloze with images"

    gift = client.get("/courses/manage/TE01/questions/export.gift").get_data(as_text=True)
    assert gift.startswith("// Đã bỏ qua 1 câu hỏi điền khuyết (Cloze)")
    assert "cloze with images" in gift.splitlines()[0]
    assert "{1:MULTICHOICE" not in gift
    xml = client.get("/courses/manage/TE01/questions/export.xml").get_data(as_text=True)
    assert '<question type="cloze">' in xml and "{1:SHORTANSWER:%100%Paris" in xml
    # the GIFT page of a Cloze question is its editor form, which opens and keeps it unchanged
    opened = client.get(f"/courses/manage/TE01/questions/{row.id}")
    assert opened.headers["Location"].endswith(f"/questions/{row.id}/editor")
    assert bank.to_question(row).kind == "cloze"


def test_a_cloze_question_edits_in_the_form_and_keeps_its_gaps_once_used(course, login_as):
    manager = login_as("manager")
    _new_cloze(manager)
    row = db.session.query(BankQuestion).filter_by(kind="cloze").one()
    url = f"/courses/manage/TE01/questions/{row.id}/editor"
    page = manager.get(url)
    assert page.status_code == 200 and "Hà Nội" in page.get_data(as_text=True)
    fields = {"csrf_token": csrf_token(manager, url), "kind": "cloze", "name": "Điền khuyết"}
    fields |= {"text": CLOZE_TEXT, "category": "", "tags": "", "true_is_right": "true"}
    assert manager.post(url, data=fields | {"action": "save"}).status_code == 302
    db.session.expire_all()
    assert row.version == 1  # unchanged
    learner = login_as("learner")
    _start(learner)
    manager = login_as("manager")
    fewer = CLOZE_TEXT.replace("{1:NUMERICAL:=34:0}", "34")
    fields["csrf_token"] = csrf_token(manager, url)
    page = visible_text(
        manager.post(url, data=fields | {"text": fewer, "action": "save"}).get_data(as_text=True)
    )
    assert "không thể thay đổi" in page
    wording = CLOZE_TEXT.replace("Thủ đô là", "Thủ đô của Việt Nam là")
    assert manager.post(url, data=fields | {"text": wording, "action": "save"}).status_code == 302
    db.session.expire_all()
    assert row.version == 2 and row.text == wording
