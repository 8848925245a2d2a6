"""The words of the audit actions of unit heads and their teams: heads named by HR, the units'
settings, nominations and the heads' decisions on external training (registered by
lms.audit.actions)."""

from lms.i18n import _l

# (code, object type, label, sentence): see lms.audit.actions
TEAMS = [
    (
        "head.assigned",
        "official",
        _l("Head of unit named"),
        _l("%(actor)s named official %(object)s head of a unit"),
    ),
    (
        "head.ended",
        "official",
        _l("Head of unit ended"),
        _l("%(actor)s ended the headship of official %(object)s"),
    ),
    (
        "team.settings_changed",
        "unit",
        _l("Head settings changed"),
        _l("%(actor)s changed the head settings of unit %(object)s"),
    ),
    (
        "nomination.created",
        "nomination",
        _l("Official nominated"),
        _l("%(actor)s nominated an official to a course (nomination %(object)s)"),
    ),
    (
        "nomination.withdrawn",
        "nomination",
        _l("Nomination withdrawn"),
        _l("%(actor)s withdrew nomination %(object)s"),
    ),
    (
        "external.head_approved",
        "external_record",
        _l("External training approved by the head"),
        _l("%(actor)s, as head of unit, approved external training %(object)s"),
    ),
    (
        "external.head_declined",
        "external_record",
        _l("External training declined by the head"),
        _l("%(actor)s, as head of unit, declined external training %(object)s"),
    ),
    (
        "needs.changed",
        "training_needs",
        _l("Training needs changed"),
        _l("%(actor)s changed the training needs %(object)s"),
    ),
    (
        "needs.submitted",
        "training_needs",
        _l("Training needs submitted"),
        _l("%(actor)s submitted the training needs %(object)s"),
    ),
    (
        "needs.returned",
        "training_needs",
        _l("Training needs returned"),
        _l("%(actor)s returned the training needs %(object)s to their unit"),
    ),
    (
        "plan.consolidated",
        "training_plan",
        _l("Annual plan consolidated"),
        _l("%(actor)s consolidated the annual training plan %(object)s from the units' needs"),
    ),
    (
        "plan.classes_set",
        "training_plan",
        _l("Planned classes changed"),
        _l("%(actor)s changed the classes planned in the annual training plan %(object)s"),
    ),
    (
        "plan.approved",
        "training_plan",
        _l("Annual plan approved"),
        _l("%(actor)s approved the annual training plan %(object)s"),
    ),
    (
        "plan.reopened",
        "training_plan",
        _l("Annual plan reopened"),
        _l("%(actor)s reopened the annual training plan %(object)s"),
    ),
    (
        "place.requested",
        "official",
        _l("Place in a class requested"),
        _l("Official %(object)s asked for a place in a class (%(actor)s)"),
    ),
    (
        "place.approved",
        "official",
        _l("Request for a place approved"),
        _l("%(actor)s approved the request of official %(object)s for a place in a class"),
    ),
    (
        "place.declined",
        "official",
        _l("Request for a place declined"),
        _l("%(actor)s declined the request of official %(object)s for a place in a class"),
    ),
    (
        "place.withdrawn",
        "official",
        _l("Request for a place withdrawn"),
        _l("%(actor)s withdrew the request of official %(object)s for a place in a class"),
    ),
]
