"""Accounts administration, sign-in and the app's own files: no denial rows, each exempt with
its reason, and their rows of the access matrix (ACCESS, at the end)."""

from tests.web.routes.expect import ADMIN_ONLY, ADMIN_ONLY_POST, ANY_USER, OK, REDIRECT, expect

ADMINISTRATORS = (
    "administrators only, and an administrator's scope is everything: no user lies outside it "
    "(every other role gets the matrix's 403)"
)
DENIAL_EXEMPT = {
    "auth.user_detail": ADMINISTRATORS,
    "auth.user_grant": ADMINISTRATORS,
    "auth.user_reset_password": ADMINISTRATORS,
    "auth.user_reset_two_factor": ADMINISTRATORS,
    "auth.user_revoke": ADMINISTRATORS,
    "auth.user_set_enabled": ADMINISTRATORS,
    "auth.set_locale": "the argument is a language code, not an object; it sets the caller's own "
    "preference",
    "static": "public files of the app (styles, scripts, fonts): nothing in them belongs to anyone",
}


# (endpoint, method) → (url, {role: status}): rows of the access matrix
ACCESS = {
    ("auth.login", "GET"): ("/auth/login", expect(REDIRECT, anonymous=OK)),
    ("auth.login", "POST"): ("/auth/login", expect(REDIRECT, anonymous=OK)),
    ("auth.logout", "POST"): ("/auth/logout", expect(REDIRECT)),
    ("auth.change_password", "GET"): ("/auth/password", ANY_USER),
    ("auth.change_password", "POST"): ("/auth/password", ANY_USER),
    ("auth.set_locale", "POST"): ("/locale/en", expect(REDIRECT, anonymous=REDIRECT)),
    ("auth.two_factor", "GET"): ("/auth/2fa", expect(REDIRECT)),
    ("auth.two_factor", "POST"): ("/auth/2fa", expect(REDIRECT)),
    ("auth.two_factor_setup", "GET"): ("/auth/2fa/setup", ANY_USER),
    ("auth.two_factor_setup", "POST"): ("/auth/2fa/setup", ANY_USER),
    ("auth.user_reset_two_factor", "POST"): (
        "/manage/users/{learner_id}/2fa/reset",
        ADMIN_ONLY_POST,
    ),
    ("auth.users", "GET"): ("/manage/users", ADMIN_ONLY),
    ("auth.user_new", "GET"): ("/manage/users/new", ADMIN_ONLY),
    ("auth.user_new", "POST"): ("/manage/users/new", ADMIN_ONLY),
    ("auth.user_detail", "GET"): ("/manage/users/{learner_id}", ADMIN_ONLY),
    ("auth.user_grant", "POST"): ("/manage/users/{learner_id}/grants", ADMIN_ONLY_POST),
    ("auth.user_revoke", "POST"): (
        "/manage/users/{hr_id}/grants/{hr_grant_id}/revoke",
        ADMIN_ONLY_POST,
    ),
    ("auth.user_reset_password", "POST"): ("/manage/users/{learner_id}/password", ADMIN_ONLY_POST),
    ("auth.user_set_enabled", "POST"): ("/manage/users/{learner_id}/enabled", ADMIN_ONLY_POST),
    ("auth.audit_log", "GET"): ("/manage/audit", ADMIN_ONLY),
    ("auth.audit_export", "GET"): ("/manage/audit/export.csv", ADMIN_ONLY),
}
