"""Expected answers of the access matrix: status per visitor (anonymous and each role of
tests.conftest.make_user: learner in P-HAICHAU; manager and hr over DN; reviewer over SNV;
admin; head, the head of P-HAICHAU)."""

from dataclasses import dataclass

from tests.conftest import HEAD_USER, ROLES

ANON = "anonymous"
LOGIN = 302  # anonymous visitors are sent to the login page
OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404


def expect(default, **by_role):
    """{visitor: status}: `default` for every role not named, the login redirect for anonymous
    visitors unless `anonymous=` says otherwise. The visitor "head" (HEAD_USER: an official in
    P-HAICHAU, head of that unit, no other role) gets `default` too unless named."""
    return {
        ANON: by_role.pop("anonymous", LOGIN),
        **{role: by_role.get(role, default) for role in (*ROLES, HEAD_USER)},
    }


ADMIN_ONLY = expect(FORBIDDEN, admin=OK)
AUTHORS = expect(FORBIDDEN, manager=OK, admin=OK)  # training managers (scope DN) and admins
AUTHORS_POST = expect(FORBIDDEN, manager=REDIRECT, admin=REDIRECT)
OFFICIALS_POST = expect(REDIRECT, admin=FORBIDDEN)  # the admin account is no official
ADMIN_ONLY_POST = expect(FORBIDDEN, admin=REDIRECT)
ANY_USER = expect(OK)
PUBLIC = expect(OK, anonymous=OK)


@dataclass(frozen=True)
class Denial:
    """A denial row: `role`, who may open the route for an object in their scope (the access
    matrix says so), asks with `method` for `url`, which names an object outside that scope
    (another unit's official, another user's job…), and gets `status` — an error page that
    shows nothing of the foreign object and changes no row of the database.

    `data` are the form fields of a POST (the CSRF token is added); `api` sends the role's
    bearer token instead of its session (the JSON API takes no cookie) and `data` as JSON."""

    role: str
    url: str
    status: int = NOT_FOUND
    data: dict | None = None
    api: bool = False
