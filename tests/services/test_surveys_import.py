"""Questionnaire files into versions: the shipped templates import, a second import adds nothing,
a changed file makes a new version while old answers keep theirs, a bad file writes nothing;
responses are checked and their free text masked."""

from datetime import date

import pytest
from sqlalchemy import func, select

from lms.errors import ValidationFailed
from lms.extensions import db
from lms.surveys import rules, services
from lms.surveys.models import Questionnaire, QuestionnaireVersion, SurveyAnswer, SurveyItem
from tests.factories import SURVEY_FILES, make_questionnaires, make_units, unit_id

SUBJECTS_OF_CIRCULAR_10 = {
    "programme",
    "learners",
    "trainers",
    "facilities",
    "course",
    "effectiveness",
}


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_shipped_templates_cover_circular_10_and_the_citizen_survey():
    result = make_questionnaires()
    assert set(result.outcomes.values()) == {"new"}
    subjects = set(db.session.scalars(select(Questionnaire.subject)))
    assert subjects == SUBJECTS_OF_CIRCULAR_10 | {"citizen"}
    citizen = services.latest_version("CITIZEN")
    assert len(services.items_of(citizen)) <= rules.CITIZEN_MAX_ITEMS
    assert citizen.title_vi.startswith("Đánh giá") and citizen.title_en


def test_second_import_changes_nothing():
    make_questionnaires()
    versions, items = _count(QuestionnaireVersion), _count(SurveyItem)
    again = services.import_paths([SURVEY_FILES])
    assert set(again.outcomes.values()) == {"unchanged"}
    assert (_count(QuestionnaireVersion), _count(SurveyItem)) == (versions, items)


def test_changed_file_makes_a_new_version_and_old_answers_keep_theirs(tmp_path):
    make_units()
    make_questionnaires()
    first = services.latest_version("CITIZEN")
    services.record_response(
        first,
        {
            "overall": ["5"],
            "access": ["4"],
            "procedure": ["4"],
            "attitude": ["4"],
            "competence": ["4"],
            "timeliness": ["4"],
        },
        rules.CITIZEN_CHANNEL,
        date(2026, 3, 2),
        unit_id("P-HAICHAU"),
    )
    text = (SURVEY_FILES / "citizen.toml").read_text(encoding="utf-8")
    changed = tmp_path / "citizen.toml"
    changed.write_text(text.replace("Kết quả được trả đúng hẹn", "Trả kết quả đúng hẹn"), "utf-8")
    result = services.import_paths([changed])
    assert result.outcomes == {"CITIZEN": "new version 2"}
    second = services.latest_version("CITIZEN")
    assert second.number == 2 and second.id != first.id
    old_item_ids = {i.id for i in services.items_of(first)}
    answered = set(db.session.scalars(select(SurveyAnswer.item_id)))
    assert answered and answered <= old_item_ids
    assert any(i.text_vi == "Kết quả được trả đúng hẹn" for i in services.items_of(first))


def test_a_bad_file_is_reported_and_nothing_is_written(tmp_path):
    good = tmp_path / "a.toml"
    good.write_text((SURVEY_FILES / "tt10-course.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "b.toml").write_text(
        'code = "X"\nsubject = "weather"\ntitle = { en = "no vi" }\n'
        '[[sections]]\ntitle = "S"\n[[sections.items]]\ncode = "q"\nkind = "slider"\n',
        "utf-8",
    )
    (tmp_path / "c.toml").write_text("code = [unclosed", "utf-8")
    result = services.import_paths([tmp_path])
    joined = "\n".join(result.errors)
    assert "b.toml: đối tượng (subject) phải là một trong" in joined
    assert "loại câu hỏi (kind) phải là" in joined and "thiếu nội dung tiếng Việt" in joined
    assert "c.toml: không phải TOML hợp lệ" in joined
    assert _count(Questionnaire) == 0 and _count(SurveyItem) == 0


def test_a_citizen_questionnaire_of_eleven_items_is_refused(tmp_path):
    items = "".join(
        f'[[sections.items]]\ncode = "q{n}"\nkind = "likert"\ntext = "Câu {n}"\n' for n in range(11)
    )
    path = tmp_path / "long.toml"
    path.write_text(
        f'code = "LONG"\nsubject = "citizen"\ntitle = "Dài"\n[[sections]]\ntitle = "S"\n{items}',
        "utf-8",
    )
    result = services.import_paths([path])
    assert any("tối đa 10 câu hỏi" in e for e in result.errors)


def test_cli_import_is_idempotent_and_fails_on_a_bad_file(runner, tmp_path):
    first = runner.invoke(args=["surveys", "import", str(SURVEY_FILES)])
    assert first.exit_code == 0 and "CITIZEN: new" in first.output
    second = runner.invoke(args=["surveys", "import", str(SURVEY_FILES)])
    assert "CITIZEN: unchanged" in second.output
    bad = tmp_path / "bad.toml"
    bad.write_text('code = "B"\n', "utf-8")
    refused = runner.invoke(args=["surveys", "import", str(bad)])
    assert refused.exit_code == 1 and "bad.toml" in refused.output


def test_dry_run_writes_nothing(runner):
    result = runner.invoke(args=["surveys", "import", "--dry-run", str(SURVEY_FILES)])
    assert result.exit_code == 0 and "CITIZEN: new (dry run)" in result.output
    assert _count(Questionnaire) == 0


def test_response_checks_answers_and_masks_free_text():
    make_units()
    make_questionnaires()
    version = services.latest_version("CITIZEN")
    with pytest.raises(ValidationFailed) as refused:
        services.record_response(version, {"overall": ["6"]}, "citizen", date(2026, 3, 2))
    fields = {field for field, _message in refused.value.reasons}
    assert {"overall", "access"} <= fields
    answers = {
        code: ["4"]
        for code in ("access", "procedure", "attitude", "competence", "timeliness", "overall")
    }
    answers["visits"] = ["1"]
    answers["comment"] = ["Chị Lan rất tốt, gọi tôi 0905 123 456, CCCD 048190001234"]
    response = services.record_response(
        version, answers, "citizen", date(2026, 3, 2), unit_id("P-HAICHAU")
    )
    texts = [a.text for a in response.answers if a.text]
    assert texts == ["Chị Lan rất tốt, gọi tôi •••, CCCD •••"]
    assert (response.year, response.month) == (2026, 3)


def test_courses_import_of_a_tree_imports_its_surveys_folder(runner, tmp_path):
    import shutil

    shutil.copytree(SURVEY_FILES, tmp_path / "surveys")
    result = runner.invoke(args=["courses", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "CITIZEN: new" in result.output
    assert services.latest_version("TT10-COURSE") is not None
    (tmp_path / "surveys" / "broken.toml").write_text('code = "B"\n', "utf-8")
    refused = runner.invoke(args=["courses", "import", str(tmp_path)])
    assert refused.exit_code != 0 and "broken.toml" in refused.output
