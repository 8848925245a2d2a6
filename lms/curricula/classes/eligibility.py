"""Who may be put on a class by a head or HR, and when: the class's positions and units (the
official's current post; a unit covers its subtree) with the reason named when they do not
match, and the sign-up period, which binds officials signing up themselves and lets a head or
HR add outside it only when they say so (Totara's managers add outside the sign-up period;
never silently)."""

from lms.curricula.classes.models import TrainingClass
from lms.errors import RuleViolation
from lms.extensions import db
from lms.i18n import _
from lms.organisation.models import OrgUnit, Position
from lms.organisation.queries import current_post_of


def why_ineligible(klass: TrainingClass, official_id: int) -> str | None:
    """Why the official's current post does not match the class's positions and units (empty
    lists: anyone; a unit covers its subtree), naming what the class asks and what the
    official holds; None when it matches."""
    if not klass.positions and not klass.units:
        return None
    return why_post_ineligible(klass, current_post_of(official_id))


def why_post_ineligible(klass: TrainingClass, post) -> str | None:
    """`why_ineligible` for a post already read (None: no current post), so that a list of
    classes is checked against one post."""
    if not klass.positions and not klass.units:
        return None
    if post is None:
        return _("they hold no current post, and this class is open only to some posts.")
    if klass.positions and post.position_id not in {p.id for p in klass.positions}:
        position = db.session.get(Position, post.position_id)
        return _(
            "their position (%(position)s) is not among those this class is open to: "
            "%(positions)s.",
            position=position.name,
            positions=", ".join(p.name for p in klass.positions),
        )
    if klass.units:
        unit = db.session.get(OrgUnit, post.unit_id)
        if not any(unit.path.startswith(u.path) for u in klass.units):
            return _(
                "their unit (%(unit)s) is not among those this class is open to: %(units)s.",
                unit=unit.name,
                units=", ".join(u.name for u in klass.units),
            )
    return None


def ineligible_error(klass: TrainingClass, official) -> RuleViolation | None:
    """The refusal of a head or HR adding an official the class is not open to, naming them
    and why; None when they may join."""
    why = why_ineligible(klass, official.id)
    if why is None:
        return None
    return RuleViolation(
        _("%(name)s cannot join this class: %(why)s", name=official.full_name, why=why),
        "eligible",
    )


def outside_window(klass: TrainingClass, today) -> str | None:
    """When `today` lies outside the class's sign-up period, the notice saying so (it opens
    on …, it closed on …); None inside it."""
    if klass.enrol_opens_on is not None and today < klass.enrol_opens_on:
        return _(
            "Sign-up for this class opens on %(day)s.",
            day=klass.enrol_opens_on.strftime("%d/%m/%Y"),
        )
    if klass.enrol_closes_on is not None and today > klass.enrol_closes_on:
        return _(
            "Sign-up for this class closed on %(day)s.",
            day=klass.enrol_closes_on.strftime("%d/%m/%Y"),
        )
    return None


def window_error(notice: str) -> RuleViolation:
    """The refusal of a head or HR adding officials outside the sign-up period without saying
    they mean to."""
    return RuleViolation(
        notice
        + " "
        + _('To add officials all the same, tick "Add outside the sign-up period" and send again.'),
        "window_closed",
    )
