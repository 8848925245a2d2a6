"""Expected answers of the access matrix: status per visitor (anonymous and each role of
tests.conftest.make_user: learner in P-HAICHAU; manager and hr over DN; reviewer over SNV;
admin)."""

from tests.conftest import ROLES

ANON = "anonymous"
LOGIN = 302  # anonymous visitors are sent to the login page
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def expect(default, **by_role):
    """{visitor: status}: `default` for every role not named, the login redirect for anonymous
    visitors unless `anonymous=` says otherwise."""
    return {
        ANON: by_role.pop("anonymous", LOGIN),
        **{role: by_role.get(role, default) for role in ROLES},
    }


ADMIN_ONLY = expect(FORBIDDEN, admin=OK)
AUTHORS = expect(FORBIDDEN, manager=OK, admin=OK)  # training managers (scope DN) and admins
AUTHORS_POST = expect(FORBIDDEN, manager=REDIRECT, admin=REDIRECT)
OFFICIALS_POST = expect(REDIRECT, admin=FORBIDDEN)  # the admin account is no official
ADMIN_ONLY_POST = expect(FORBIDDEN, admin=REDIRECT)
ANY_USER = expect(OK)
PUBLIC = expect(OK, anonymous=OK)
