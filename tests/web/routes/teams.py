"""Teams routes: the head's team page, its export, one official of the team. Only the head
(HEAD_USER, head of P-HAICHAU, where the learner works) gets in; everyone else is refused."""

from tests.web.routes.expect import FORBIDDEN, OK, Denial, expect

HEAD_ONLY = expect(FORBIDDEN, head=OK)

ACCESS = {
    ("teams.team_page", "GET"): ("/team/", HEAD_ONLY),
    ("teams.team_export", "GET"): ("/team/export?cycle={cycle}", HEAD_ONLY),
    # The POST carries no reason: the form comes back with its error (200).
    ("teams.team_export", "POST"): ("/team/export?cycle={cycle}", HEAD_ONLY),
    ("teams.member", "GET"): ("/team/T-LEARN", HEAD_ONLY),
}
URLS = {"teams.team_export": "/team/export?cycle={cycle}"}
QUERY_PAGES = {"teams.team_page": ("/team/", ("cycle", "status", "position", "q"))}

# The head of P-HAICHAU asks for T-OUT (unit XX) and for T-MAN (SNV-CCVC): neither is theirs.
DENIALS = {
    ("teams.member", "GET"): (
        Denial("head", "/team/{out_code}"),
        Denial("head", "/team/T-MAN"),
    ),
}
