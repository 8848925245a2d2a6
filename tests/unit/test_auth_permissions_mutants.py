"""Every permission predicate (lms/*/permissions.py) on both sides of each of its conditions,
with plain stand-ins for users, units and courses (no database): written to kill the mutants
that `make mutation` found surviving the route-level access tests (docs/testing.md)."""

from types import SimpleNamespace

import pytest
from werkzeug.exceptions import Forbidden

from lms.assessments import permissions as tests_perm
from lms.auth import permissions as auth
from lms.auth.models import ADMINISTRATOR, HR_OFFICER, OFFICIAL, REVIEWER, TRAINING_MANAGER
from lms.catalog import permissions as catalog
from lms.catalog.models import ARCHIVED, DRAFT, ELECTIVE, PUBLISHED
from lms.certificates import permissions as certs


class FakeUser:
    """The parts of lms.auth.models.User the predicates read."""

    def __init__(self, *grants, official_id=None, authenticated=True):
        self.grants = [
            SimpleNamespace(role=role, unit=None if path is None else SimpleNamespace(path=path))
            for role, path in grants
        ]
        self.official_id = official_id
        self.is_authenticated = authenticated

    def roles(self):
        held = {grant.role for grant in self.grants}
        if self.official_id is not None:
            held.add(OFFICIAL)
        return held


ANONYMOUS = SimpleNamespace(is_authenticated=False, official_id=None)
ADMIN = FakeUser((ADMINISTRATOR, None))
MANAGER = FakeUser((TRAINING_MANAGER, "/DN/SNV/"))
HR = FakeUser((HR_OFFICER, "/DN/SNV/"), (REVIEWER, "/DN/P-HC/"))
REVIEWER_ONLY = FakeUser((REVIEWER, "/DN/"))
LEARNER = FakeUser(official_id=7)


def course(status=PUBLISHED, owner="/DN/SNV/CCVC/", kind=ELECTIVE):
    return SimpleNamespace(
        status=status,
        kind=kind,
        owner_unit=None if owner is None else SimpleNamespace(path=owner),
    )


# lms.auth.permissions


def test_has_role_needs_an_authenticated_user_holding_one_of_the_roles():
    assert auth.has_role(MANAGER, TRAINING_MANAGER)
    assert auth.has_role(MANAGER, HR_OFFICER, TRAINING_MANAGER)
    assert not auth.has_role(MANAGER, HR_OFFICER)
    assert not auth.has_role(MANAGER)
    signed_out = FakeUser((TRAINING_MANAGER, "/DN/"), authenticated=False)
    assert not auth.has_role(signed_out, TRAINING_MANAGER)
    assert not auth.has_role(object(), TRAINING_MANAGER)  # no is_authenticated at all
    assert auth.has_role(MANAGER, TRAINING_MANAGER) is True
    assert auth.has_role(MANAGER, HR_OFFICER) is False


def test_scope_paths_none_for_admins_empty_for_anonymous_else_sorted_unique_paths():
    assert auth.scope_paths(ADMIN, TRAINING_MANAGER) is None
    assert auth.scope_paths(ANONYMOUS, TRAINING_MANAGER) == []
    signed_out = FakeUser((TRAINING_MANAGER, "/DN/"), authenticated=False)
    assert auth.scope_paths(signed_out, TRAINING_MANAGER) == []
    user = FakeUser(
        (TRAINING_MANAGER, "/DN/SNV/"),
        (HR_OFFICER, "/DN/P-HC/"),
        (TRAINING_MANAGER, "/DN/A/"),
        (REVIEWER, "/DN/SNV/"),
        (TRAINING_MANAGER, None),  # a grant without a unit gives no path
    )
    assert auth.scope_paths(user, TRAINING_MANAGER) == ["/DN/A/", "/DN/SNV/"]
    assert auth.scope_paths(user, TRAINING_MANAGER, REVIEWER) == ["/DN/A/", "/DN/SNV/"]
    assert auth.scope_paths(user, HR_OFFICER, REVIEWER) == ["/DN/P-HC/", "/DN/SNV/"]
    assert auth.scope_paths(user, ADMINISTRATOR) == []


def test_no_user_at_all_has_no_role_and_no_scope():
    # Outside a request (a job, the CLI) there may be no user object: nothing, not an error.
    assert auth.has_role(None, TRAINING_MANAGER) is False
    assert auth.scope_paths(None, TRAINING_MANAGER) == []
    assert catalog.author_scope(None) == []


def test_path_in_scope():
    assert auth.path_in_scope("/DN/SNV/", None)
    assert auth.path_in_scope(None, None)
    assert auth.path_in_scope("/DN/SNV/CCVC/", ["/DN/P-HC/", "/DN/SNV/"])
    assert auth.path_in_scope("/DN/SNV/", ["/DN/SNV/"])
    assert not auth.path_in_scope("/DN/", ["/DN/SNV/"])
    assert not auth.path_in_scope("/DN/SNVX/", ["/DN/SNV/"])
    assert not auth.path_in_scope(None, ["/DN/"])
    assert not auth.path_in_scope("/DN/", [])
    assert auth.path_in_scope("/DN/SNV/", None) is True
    assert auth.path_in_scope(None, ["/DN/"]) is False


@pytest.mark.parametrize(
    ("predicate", "allowed"),
    [
        (auth.is_admin, {"admin"}),
        (auth.can_manage_users, {"admin"}),
        (auth.can_use_registry, {"admin", "hr", "reviewer"}),
        (auth.can_edit_registry, {"admin", "hr"}),
    ],
)
def test_role_predicates(predicate, allowed):
    users = {
        "admin": ADMIN,
        "manager": MANAGER,
        "hr": FakeUser((HR_OFFICER, "/DN/")),
        "reviewer": REVIEWER_ONLY,
        "learner": LEARNER,
        "anonymous": ANONYMOUS,
    }
    assert {name for name, user in users.items() if predicate(user)} == allowed
    assert all(predicate(user) in (True, False) for user in users.values())


def test_require_aborts_with_403_only_when_not_allowed():
    auth.require(True)
    with pytest.raises(Forbidden):
        auth.require(False)


# lms.catalog.permissions


def test_authoring_is_for_training_managers_and_admins():
    assert catalog.can_author(MANAGER) and catalog.can_author(ADMIN)
    assert not catalog.can_author(HR) and not catalog.can_author(LEARNER)
    assert catalog.author_scope(MANAGER) == ["/DN/SNV/"]
    assert catalog.author_scope(ADMIN) is None
    assert catalog.author_scope(HR) == []


def test_can_edit_course_inside_the_managers_scope_only():
    assert catalog.can_edit_course(ADMIN, course(owner=None))
    assert catalog.can_edit_course(MANAGER, course(owner="/DN/SNV/CCVC/"))
    assert not catalog.can_edit_course(MANAGER, course(owner="/DN/P-HC/"))
    assert not catalog.can_edit_course(MANAGER, course(owner=None))
    assert not catalog.can_edit_course(HR, course(owner="/DN/SNV/"))  # in scope, not a manager
    assert catalog.can_edit_course(ADMIN, course()) is True
    assert catalog.can_edit_course(MANAGER, course(owner="/DN/P-HC/")) is False


def test_can_view_course():
    enrolled = object()
    assert catalog.can_view_course(LEARNER, course(PUBLISHED), None)
    assert not catalog.can_view_course(LEARNER, course(DRAFT), None)
    assert not catalog.can_view_course(LEARNER, course(DRAFT), enrolled)
    assert catalog.can_view_course(MANAGER, course(DRAFT), None)
    assert catalog.can_view_course(LEARNER, course(ARCHIVED), enrolled)
    assert not catalog.can_view_course(LEARNER, course(ARCHIVED), None)


def test_can_read_lessons():
    enrolled = object()
    assert catalog.can_read_lessons(MANAGER, course(DRAFT), None, False)
    assert catalog.can_read_lessons(LEARNER, course(PUBLISHED), enrolled, False)
    assert catalog.can_read_lessons(LEARNER, course(ARCHIVED), enrolled, False)
    assert not catalog.can_read_lessons(LEARNER, course(DRAFT), enrolled, True)
    assert catalog.can_read_lessons(LEARNER, course(PUBLISHED), None, True)
    assert not catalog.can_read_lessons(LEARNER, course(PUBLISHED), None, False)
    assert not catalog.can_read_lessons(LEARNER, course(ARCHIVED), None, True)
    assert not catalog.can_read_lessons(HR, course(PUBLISHED), None, True)  # no official record


def test_can_track_progress():
    enrolled = object()
    assert catalog.can_track_progress(LEARNER, course(PUBLISHED), enrolled, False)
    assert catalog.can_track_progress(LEARNER, course(PUBLISHED), None, True)
    assert not catalog.can_track_progress(LEARNER, course(PUBLISHED), None, False)
    assert not catalog.can_track_progress(LEARNER, course(ARCHIVED), enrolled, True)
    assert not catalog.can_track_progress(MANAGER, course(PUBLISHED), enrolled, True)


def test_can_self_enrol():
    assert catalog.can_self_enrol(LEARNER, course(PUBLISHED, kind=ELECTIVE), None)
    assert not catalog.can_self_enrol(LEARNER, course(PUBLISHED, kind=ELECTIVE), object())
    assert not catalog.can_self_enrol(LEARNER, course(DRAFT, kind=ELECTIVE), None)
    assert not catalog.can_self_enrol(LEARNER, course(PUBLISHED, kind="by_position"), None)
    assert not catalog.can_self_enrol(MANAGER, course(PUBLISHED, kind=ELECTIVE), None)


# lms.assessments.permissions


def attempt(official_id, owner="/DN/SNV/CCVC/"):
    return SimpleNamespace(
        official_id=official_id, quiz=SimpleNamespace(course=course(owner=owner))
    )


def test_test_management_and_the_grading_queue():
    assert tests_perm.can_manage_tests(MANAGER, course(owner="/DN/SNV/"))
    assert not tests_perm.can_manage_tests(MANAGER, course(owner="/DN/P-HC/"))
    assert tests_perm.can_use_grading_queue(MANAGER) and tests_perm.can_use_grading_queue(ADMIN)
    assert not tests_perm.can_use_grading_queue(HR)
    assert tests_perm.grading_scope(ADMIN) is None
    assert tests_perm.grading_scope(MANAGER) == ["/DN/SNV/"]
    assert tests_perm.grading_scope(HR) == []


def test_an_attempt_is_seen_by_its_official_and_the_courses_authors_and_taken_by_its_official():
    mine, theirs = attempt(7), attempt(8)
    assert tests_perm.can_see_attempt(LEARNER, mine)
    assert not tests_perm.can_see_attempt(LEARNER, theirs)
    assert tests_perm.can_see_attempt(MANAGER, attempt(None))  # authors see every attempt
    assert not tests_perm.can_see_attempt(MANAGER, attempt(None, owner="/DN/P-HC/"))
    assert not tests_perm.can_see_attempt(HR, attempt(None))  # both without official: not theirs
    assert tests_perm.can_take(LEARNER, mine) is True
    assert tests_perm.can_take(LEARNER, theirs) is False
    assert tests_perm.can_take(HR, attempt(None)) is False


# lms.certificates.permissions


def test_certificate_predicates_and_scopes():
    assert certs.can_manage_certificates(ADMIN) and certs.can_manage_certificates(MANAGER)
    assert certs.can_manage_certificates(FakeUser((HR_OFFICER, "/DN/")))
    assert not certs.can_manage_certificates(REVIEWER_ONLY)
    assert not certs.can_manage_certificates(LEARNER)
    assert certs.manage_scope(ADMIN) is None
    assert certs.manage_scope(HR) == ["/DN/SNV/"]  # the reviewer grant does not count
    assert certs.transcript_scope(HR) == ["/DN/P-HC/", "/DN/SNV/"]
    assert certs.transcript_scope(MANAGER) == ["/DN/SNV/"]
    assert certs.has_own_record(LEARNER) is True
    assert certs.has_own_record(MANAGER) is False
    assert certs.has_own_record(object()) is False
