"""The words of obligations: their kinds, statuses and withdrawal reasons."""

from lms.curricula import rules
from lms.i18n import _l

KIND_LABELS = {
    rules.MANDATORY: _l("Mandatory"),
    rules.RECERTIFICATION: _l("Recertification"),
}
OBLIGATION_STATUS_LABELS = {
    rules.OPEN: _l("To do"),
    rules.DONE: _l("Done"),
    rules.WITHDRAWN: _l("No longer required"),
}
WITHDRAWN_REASON_LABELS = {
    rules.POSITION_ENDED: _l("the position that required it ended"),
    rules.CURRICULUM_CHANGED: _l("the course left the position's curriculum"),
}
