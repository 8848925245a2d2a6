"""Accounts administration, sign-in and the app's own files: no denial rows, each exempt with
its reason (their access rows are in tests/web/test_access_matrix.py)."""

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
