"""Obligation kinds and statuses, withdrawal reasons and compliance statuses: the strings the
rules and the tables share."""

# Obligation kinds and statuses (the same strings as lms.curricula.obligations.models).
MANDATORY, RECERTIFICATION = "mandatory", "recertification"
# An obligation assigned from the official's annual rating (lms.compliance.ratings): no
# position, so the engine never withdraws it; met by a completion like a recertification.
RATING = "rating"
OPEN, DONE, WITHDRAWN = "open", "done", "withdrawn"
# Why an obligation was withdrawn.
POSITION_ENDED = "position_ended"  # the position that required it is no longer held
CURRICULUM_CHANGED = "curriculum_changed"  # still held, but the course left the curriculum
# Compliance statuses.
MET, ON_TRACK, AT_RISK, OVERDUE, NOT_MET = "met", "on_track", "at_risk", "overdue", "not_met"
