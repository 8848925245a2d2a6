"""Compliance: the statuses of a training statement. The Statement table itself lives in
lms.curricula.models, next to the cycle closures that write it, so that an official's own page
(/me, in curricula) can show a frozen statement without importing a later domain."""

from lms.curricula.models import Statement  # noqa: F401  (re-exported)

MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET = "met", "on_track", "at_risk", "overdue", "not_met"
LIVE_STATUSES = (MET, ON_TRACK, AT_RISK, OVERDUE)
CLOSED_STATUSES = (MET, NOT_MET)
STATUSES = (MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET)
