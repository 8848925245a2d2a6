"""The one scope model (lms.auth.scope.Scope): built from a user's role grants or an API
token, the same answers in Python (covers_unit) and in SQL (unit_filter, officials_filter)."""

from types import SimpleNamespace

import pytest
from sqlalchemy import column, table
from sqlalchemy.dialects import sqlite

from lms.auth.models import ADMINISTRATOR, HR_OFFICER, OFFICIAL, REVIEWER, TRAINING_MANAGER
from lms.auth.scope import Scope

DN, SNV, CCVC, HAICHAU = "/1/", "/1/2/", "/1/2/3/", "/1/4/"


def user(*grants: tuple[str, str | None], official_id: int | None = None, anonymous=False):
    """A stand-in for lms.auth.models.User: grants are (role, unit path or None)."""
    held = [
        SimpleNamespace(role=role, unit=None if path is None else SimpleNamespace(path=path))
        for role, path in grants
    ]
    roles = {role for role, _path in grants} | ({OFFICIAL} if official_id else set())
    return SimpleNamespace(
        is_authenticated=not anonymous,
        grants=held,
        official_id=official_id,
        roles=lambda: roles,
    )


def test_an_administrator_covers_everything_whatever_the_roles_asked():
    scope = Scope.of(user((ADMINISTRATOR, None)), TRAINING_MANAGER)
    assert scope.is_everything and scope.paths is None and scope.path_list is None
    assert scope.roles == (TRAINING_MANAGER,)
    assert scope.covers_unit(HAICHAU) and scope.covers_unit(None)
    assert scope.unit_filter(column("path")) is None
    assert scope.officials_filter(column("path"), column("id")) is None


@pytest.mark.parametrize("role", [HR_OFFICER, REVIEWER, TRAINING_MANAGER])
def test_each_staff_role_covers_the_subtree_of_its_grant(role):
    scope = Scope.of(user((role, SNV)), role)
    assert scope.paths == (SNV,) and scope.path_list == [SNV]
    assert not scope.is_everything and not scope.is_empty
    assert scope.covers_unit(SNV) and scope.covers_unit(CCVC)  # nested units
    assert not scope.covers_unit(DN) and not scope.covers_unit(HAICHAU)
    assert not scope.covers_unit(None)  # an official placed nowhere


def test_a_grant_of_another_role_counts_for_nothing():
    scope = Scope.of(user((TRAINING_MANAGER, DN)), HR_OFFICER, REVIEWER)
    assert scope.paths == () and scope.is_empty
    assert not scope.covers_unit(SNV)
    assert str(scope.unit_filter(column("path")).compile()) == "false"


def test_a_user_with_two_grants_covers_both_subtrees_and_their_tops():
    grants = user((HR_OFFICER, HAICHAU), (REVIEWER, SNV), (HR_OFFICER, CCVC))
    scope = Scope.of(grants, HR_OFFICER, REVIEWER)
    assert scope.paths == (SNV, CCVC, HAICHAU)  # sorted, each once
    assert scope.covers_unit(CCVC) and scope.covers_unit(HAICHAU) and not scope.covers_unit(DN)
    assert scope.top_paths() == [SNV, HAICHAU]  # CCVC lies inside SNV
    assert Scope.of(user((HR_OFFICER, HAICHAU), (REVIEWER, SNV)), HR_OFFICER).paths == (HAICHAU,)


def test_an_anonymous_user_covers_nothing():
    scope = Scope.of(user((ADMINISTRATOR, None), anonymous=True), HR_OFFICER, include_self=True)
    assert scope.is_empty and not scope.covers_unit(DN)


def test_include_self_adds_the_users_own_record():
    learner = user(official_id=7)
    assert Scope.of(learner, HR_OFFICER).own_official_id is None
    scope = Scope.of(learner, HR_OFFICER, include_self=True)
    assert scope.own_official_id == 7 and scope.paths == () and not scope.is_empty
    assert scope.covers_official(7, HAICHAU) and not scope.covers_official(8, HAICHAU)
    assert not scope.covers_unit(HAICHAU)  # a unit is not covered by one's own record


def test_a_token_reaches_with_its_users_grants_and_own_record():
    token = SimpleNamespace(user=user((HR_OFFICER, SNV), official_id=3))
    scope = Scope.of_token(token, HR_OFFICER, REVIEWER)
    assert (scope.paths, scope.own_official_id) == ((SNV,), 3)
    assert Scope.of_token(token, HR_OFFICER, include_self=False).own_official_id is None
    assert scope.covers_official(3, None) and scope.covers_official(9, CCVC)
    assert not scope.covers_official(9, HAICHAU)


def _sql(condition) -> str:
    return str(condition.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def test_the_sql_filters_say_what_covers_unit_says():
    units = table("units", column("path"), column("official_id"))
    path, official = units.c.path, units.c.official_id
    two = Scope((SNV, HAICHAU), own_official_id=5)
    assert _sql(two.unit_filter(path)) == (
        "(units.path LIKE '//1//2//' || '%' ESCAPE '/') OR "
        "(units.path LIKE '//1//4//' || '%' ESCAPE '/')"
    )
    both = _sql(two.officials_filter(path, official))
    assert both.count("LIKE") == 2 and "units.official_id = 5" in both
    own_only = Scope((), own_official_id=5).officials_filter(path, official)
    assert _sql(own_only) == "units.official_id = 5"  # no "false OR": same SQL as before
    with pytest.raises(ValueError):
        two.officials_filter(path)  # an own record needs the official id column
    assert Scope(None, own_official_id=5).officials_filter(path, official) is None


def test_from_paths_reads_a_scope_in_either_form():
    scope = Scope((SNV,))
    assert Scope.from_paths(scope) is scope
    assert Scope.from_paths(None).is_everything
    assert Scope.from_paths([SNV]) == scope
    assert Scope.from_paths([]).is_empty


def test_narrowed_keeps_a_unit_inside_the_scope_only():
    scope = Scope((SNV,))
    assert scope.narrowed(CCVC).paths == (CCVC,)
    assert scope.narrowed(HAICHAU).paths == ()
    assert scope.narrowed(None).paths == ()
    assert Scope(None).narrowed(HAICHAU).paths == (HAICHAU,)


def test_a_scope_is_not_a_list_of_paths():
    """Where a list of paths is wanted (job parameters, audit entries), path_list says so: a
    Scope passed by mistake fails loudly instead of reading as one."""
    with pytest.raises(TypeError):
        sorted(Scope((SNV,)))
