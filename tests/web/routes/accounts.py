"""Routes of accounts for officials for the access matrix and the hostile-input test: the
activation pages (public) and the HR accounts screen with its downloads. The scene gives an
official without an account in P-HAICHAU (T-NEW), provisioned by the hr user (scope DN), so
the run, its letters and an activation link exist."""

from tests.web.routes.expect import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Denial, expect

HR_SCREEN = expect(FORBIDDEN, hr=OK, admin=OK)
HR_POST = expect(FORBIDDEN, hr=REDIRECT, admin=REDIRECT)
PUBLIC_SEE_OTHER = expect(303, anonymous=303)  # to the form, the link kept in the session
PUBLIC_404 = expect(NOT_FOUND, anonymous=NOT_FOUND)  # no link opened in this session

ACCESS = {
    ("auth.activate_link", "GET"): ("/activate/{activation_token}", PUBLIC_SEE_OTHER),
    ("auth.activate", "GET"): ("/activate", PUBLIC_404),
    ("auth.activate", "POST"): ("/activate", PUBLIC_404),
    ("organisation.accounts_home", "GET"): ("/officials/accounts", HR_SCREEN),
    ("organisation.accounts_provision", "POST"): ("/officials/accounts/provision", HR_POST),
    ("organisation.accounts_reissue", "POST"): ("/officials/accounts/reissue", HR_POST),
    ("organisation.accounts_run", "GET"): ("/officials/accounts/runs/{accounts_run}", HR_SCREEN),
    ("organisation.accounts_links_csv", "GET"): (
        "/officials/accounts/links.csv?run={accounts_run}",
        HR_SCREEN,
    ),
    ("organisation.accounts_letters_pdf", "GET"): (
        "/officials/accounts/letters.pdf?unit={accounts_unit}",
        HR_SCREEN,
    ),
}

URLS = {
    "auth.activate": "/activate",
    "organisation.accounts_provision": "/officials/accounts/provision",
    "organisation.accounts_reissue": "/officials/accounts/reissue",
}
FORM_PAGES = {
    "auth.activate": "/activate/{activation_token}",  # opening the link fills the session
    "organisation.accounts_provision": "/officials/accounts",
    "organisation.accounts_reissue": "/officials/accounts?unit={accounts_unit}",
}
QUERY_PAGES = {
    "organisation.accounts_home": ("/officials/accounts", ("unit",)),
    "organisation.accounts_links_csv": ("/officials/accounts/links.csv", ("unit", "run")),
    "organisation.accounts_letters_pdf": ("/officials/accounts/letters.pdf", ("unit", "run")),
}
HINTS = {"unit": "P-HAICHAU", "confirm": "Secret123x"}


def _accounts(scene) -> tuple[int, str]:
    """T-NEW (P-HAICHAU) gets an account from a run of the hr user; returns the run's id and
    the activation link's token."""
    from sqlalchemy import select

    from lms.auth import activation
    from lms.auth.models import AccountActivation
    from lms.extensions import db
    from lms.organisation import accounts
    from tests.conftest import make_official

    make_official("T-NEW", "Phan Thị Mới", unit="P-HAICHAU")
    selection = accounts.Selection(None)
    run = accounts.provision(selection, scene.world["hr"], "web", "http://localhost")
    db.session.commit()
    link = db.session.scalar(select(AccountActivation).where(AccountActivation.run_id == run.id))
    return run.id, activation.link_token(link)


PROVIDERS = {
    "_accounts": _accounts,
    "accounts_run": lambda s: s.value("_accounts")[0],
    "activation_token": lambda s: s.value("_accounts")[1],
    "accounts_unit": lambda s: s.value("_accounts") and "P-HAICHAU",
}


def _out_run(scene) -> int:
    """The administrator gives T-OUT (unit XX, outside hr's DN) an account: a run of theirs."""
    from sqlalchemy import select

    from lms.extensions import db
    from lms.organisation import accounts
    from lms.organisation.models import OrgUnit

    scene.value("_outside")
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "XX"))
    run = accounts.provision(
        accounts.Selection(None, unit), scene.world["admin"], "web", "http://localhost"
    )
    db.session.commit()
    return run.id


PROVIDERS |= {"out_run": _out_run}
DENIAL_EXEMPT = {
    "auth.activate_link": "public: the token in the link is the credential itself, and an "
    "unknown or used one is refused (tests/web/test_organisation_accounts_web.py)",
}
DENIALS = {
    # hr (DN) asks for the administrator's run, and for unit XX by the query argument.
    ("organisation.accounts_run", "GET"): Denial("hr", "/officials/accounts/runs/{out_run}"),
    ("organisation.accounts_links_csv", "GET"): Denial(
        "hr", "/officials/accounts/links.csv?run={out_run}"
    ),
    ("organisation.accounts_letters_pdf", "GET"): Denial(
        "hr", "/officials/accounts/letters.pdf?unit={out_unit}"
    ),
    ("organisation.accounts_home", "GET"): Denial("hr", "/officials/accounts?unit={out_unit}"),
}
