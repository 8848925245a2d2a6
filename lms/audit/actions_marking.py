"""The words of the audit actions of the anonymous marking, results and appeals of recruitment
exams (lms.recruitment.marking; added to the recruitment list by lms.audit.actions_recruitment)."""

from lms.i18n import _l

# (code, object type, label, sentence): see lms.audit.actions
MARKING = [
    (
        "recruitment.marker_appointed",
        "recruitment",
        _l("Marker appointed"),
        _l("%(actor)s appointed a marker of recruitment %(object)s"),
    ),
    (
        "recruitment.marking_opened",
        "recruitment",
        _l("Marking opened"),
        _l("%(actor)s opened the marking of recruitment %(object)s"),
    ),
    (
        "recruitment.mark_submitted",
        "recruitment",
        _l("Mark submitted"),
        _l("%(actor)s submitted a mark in recruitment %(object)s"),
    ),
    (
        "recruitment.marking_closed",
        "recruitment",
        _l("Marking closed"),
        _l("%(actor)s closed the marking of recruitment %(object)s"),
    ),
    (
        "recruitment.codes_revealed",
        "recruitment",
        _l("Anonymous codes opened"),
        _l("%(actor)s opened the anonymous codes of recruitment %(object)s"),
    ),
    (
        "recruitment.results_published",
        "recruitment",
        _l("Recruitment results published"),
        _l("%(actor)s published the results of recruitment %(object)s"),
    ),
    (
        "recruitment.appeal_filed",
        "candidate",
        _l("Appeal filed"),
        _l("%(actor)s filed an appeal for candidate %(object)s"),
    ),
    (
        "recruitment.appeal_decided",
        "candidate",
        _l("Appeal re-marked"),
        _l("%(actor)s re-marked the appealed paper of candidate %(object)s"),
    ),
    (
        "recruitment.scan_uploaded",
        "candidate",
        _l("Scanned paper uploaded"),
        _l("%(actor)s uploaded the scanned written paper of candidate %(object)s"),
    ),
]
