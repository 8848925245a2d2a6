"""WTForms' own messages (a forged choice, a number that is not one) read in Vietnamese: WTForms
ships no Vietnamese catalog, so they come from ours."""

from tests.conftest import csrf_token


def test_a_forged_choice_is_refused_in_vietnamese(login_as, world):
    admin = login_as("admin")
    learner = world["learner"]
    response = admin.post(
        f"/manage/users/{learner.id}/grants",
        data={"csrf_token": csrf_token(admin, "/auth/password"), "role": "emperor", "unit": "x"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Lựa chọn không hợp lệ." in page
    assert "Not a valid choice" not in page


def test_wtforms_number_and_choice_messages_follow_the_page_language(app):
    from flask_babel import refresh
    from werkzeug.datastructures import MultiDict
    from wtforms import DecimalField, IntegerField, SelectField, SelectMultipleField

    from lms.common.forms import BaseForm

    class Form(BaseForm):
        class Meta:
            csrf = False

        count = IntegerField()
        share = DecimalField()
        kind = SelectField(choices=[("a", "A")])
        kinds = SelectMultipleField(choices=[("a", "A")])

    bad = MultiDict({"count": "hai", "share": "nửa", "kind": "z", "kinds": "z"})
    expected = {
        "vi": ["Số nguyên không hợp lệ.", "Số thập phân không hợp lệ.", "Lựa chọn không hợp lệ."]
        + ["Lựa chọn không hợp lệ: z."],
        "en": ["Not a valid integer value.", "Not a valid decimal value.", "Not a valid choice."]
        + ["'z' is not a valid choice for this field."],
    }
    for language, words in expected.items():
        with app.test_request_context("/", headers={"Accept-Language": language}):
            refresh()  # the test's app context is shared between the two requests
            form = Form(formdata=bad)
            assert not form.validate()
            names = ("count", "share", "kind", "kinds")
            assert [form.errors[name][0] for name in names] == words
