"""The words of obligations: their kinds, statuses and withdrawal reasons (values from
lms.curricula.rules), each a labelled state (lms.common.labels)."""

from lms.common.labels import Labelled
from lms.curricula import rules
from lms.i18n import _l


class ObligationKind(Labelled):
    """Why a course is owed: first-time mandatory, or renewing a certificate."""

    MANDATORY = rules.MANDATORY, _l("Mandatory")
    RECERTIFICATION = rules.RECERTIFICATION, _l("Recertification")
    RATING = rules.RATING, _l("After the annual rating")


class ObligationStatus(Labelled):
    """An obligation's state: to do, done, or withdrawn (no longer required)."""

    OPEN = rules.OPEN, _l("To do")
    DONE = rules.DONE, _l("Done")
    WITHDRAWN = rules.WITHDRAWN, _l("No longer required")


class WithdrawnReason(Labelled):
    """Why an obligation was withdrawn."""

    POSITION_ENDED = rules.POSITION_ENDED, _l("the position that required it ended")
    CURRICULUM_CHANGED = rules.CURRICULUM_CHANGED, _l("the course left the position's curriculum")
