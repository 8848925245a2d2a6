"""Every labelled state (lms.common.labels) has its words in Vietnamese and English, and
templates reach them through the one filter registered from the state's enum."""

import pytest
from flask_babel import force_locale

from lms.common.labels import Labelled
from lms.web import STATE_FILTERS


def _states() -> list[type[Labelled]]:
    found, todo = [], list(Labelled.__subclasses__())
    while todo:
        state = todo.pop()
        found.append(state)
        todo.extend(state.__subclasses__())
    return sorted(found, key=lambda state: f"{state.__module__}.{state.__qualname__}")


def test_the_app_knows_the_states(app):
    names = {state.__name__ for state in _states()}
    assert {"RunStatus", "CertificateStatus", "RevocationReason", "Role", "Gender"} <= names
    assert set(STATE_FILTERS.values()) <= set(_states())


@pytest.mark.parametrize("state", _states(), ids=lambda state: state.__name__)
def test_every_value_has_a_label_in_vietnamese_and_english(app, state):
    with app.test_request_context():
        for member in state:
            msgid = member.label._args[0]
            with force_locale("vi"):
                vi = str(member.label)
            with force_locale("en"):
                en = str(member.label)
            assert en.strip(), (state, member)
            assert vi.strip() and vi != msgid, f"{state.__name__}.{member.name}: no Vietnamese"


def test_one_filter_per_state_gives_the_enum_label(app):
    with app.test_request_context(), force_locale("vi"):
        for name, state in STATE_FILTERS.items():
            shown = app.jinja_env.filters[name]
            for member in state:
                assert str(shown(member.value)) == str(member.label), (name, member)
            assert shown("no-such-value") == "no-such-value"


def test_labelled_members_store_as_their_strings():
    from lms.certificates.models import REVOKED, CertificateStatus

    assert REVOKED == "revoked" and isinstance(REVOKED, str) and f"{REVOKED}" == "revoked"
    assert CertificateStatus.label_of(None) is None
    assert CertificateStatus.text_of(None, "—") == "—"
    assert [value for value, _label in CertificateStatus.choices(blank="—")][:2] == ["", "valid"]
