"""The words of obligations: their kinds, statuses and withdrawal reasons (values from
lms.curricula.rules), each a labelled state (lms.common.labels)."""

from lms.common.labels import Labelled
from lms.curricula.rules import states
from lms.i18n import _l


class ObligationKind(Labelled):
    """Why a course is owed: first-time mandatory, or renewing a certificate."""

    MANDATORY = states.MANDATORY, _l("Mandatory")
    RECERTIFICATION = states.RECERTIFICATION, _l("Recertification")
    RATING = states.RATING, _l("After the annual rating")


class ObligationStatus(Labelled):
    """An obligation's state: to do, done, or withdrawn (no longer required)."""

    OPEN = states.OPEN, _l("To do")
    DONE = states.DONE, _l("Done")
    WITHDRAWN = states.WITHDRAWN, _l("No longer required")


class WithdrawnReason(Labelled):
    """Why an obligation was withdrawn."""

    POSITION_ENDED = states.POSITION_ENDED, _l("the position that required it ended")
    CURRICULUM_CHANGED = states.CURRICULUM_CHANGED, _l("the course left the position's curriculum")
