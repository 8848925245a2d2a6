"""The evaluation report as a table to hand out (lms.common.exporter): one line per item of each
group shown, one line with the count and the reason for a group under the smallest size."""

from collections.abc import Iterator

from lms.common.exporter import Export
from lms.i18n import _, format_day, get_locale
from lms.surveys.evaluation.models import HEAD, SELF
from lms.surveys.evaluation.reports import Group


def too_few(least: int) -> str:
    """What a group under the smallest size says instead of its results."""
    return _("Fewer than %(count)d respondents: not shown", count=least)


def role_label(role: str) -> str:
    """Who answered: the learners, the official themself or their head."""
    return {
        SELF: _("The official (self-evaluation)"),
        HEAD: _("Their head"),
    }.get(role, _("Learners"))


def group_rows(groups: list[Group], least: int, vi: bool = True) -> Iterator[list]:
    """Group, responses, item, answers, mean, then the count of each answer 1–5 (choices: each
    option as "option: count" in the last column); a small group: its count and why. A group of
    the officials or of their heads (effectiveness) is named with who answered."""
    for group in groups:
        label = group.label
        if group.role in (SELF, HEAD):
            label = f"{group.label} — {role_label(group.role)}"
        if not group.shown:
            yield [label, group.responses, too_few(least), None, None]
            continue
        for item in group.items:
            text = item.text_vi if vi else item.text_en
            mean = None if item.mean is None else round(item.mean, 2)
            if item.kind == "likert":
                counts = list(item.counts)
            else:
                counts = [
                    "; ".join(
                        f"{(o.get('vi') if vi else o.get('en')) or ''}: {n}"
                        for o, n in zip(item.labels, item.counts, strict=False)
                    )
                ]
            yield [label, group.responses, text, item.answers, mean, *counts]


def groups_export(groups: list[Group], chosen: dict, least: int) -> Export:
    """The report of `groups` for the chosen subject, grouping and period."""
    period = chosen["period"]
    header = [_("Group"), _("Responses"), _("Question"), _("Answers"), _("Mean")] + [
        _("Answered %(score)d", score=s) for s in range(1, 6)
    ]
    title = _(
        "Training evaluation %(start)s – %(end)s",
        start=format_day(period.start),
        end=format_day(period.end),
    )
    vi = str(get_locale() or "vi") == "vi"
    return Export(
        stem=f"evaluation-{chosen['subject']}-{chosen['by']}-{period.start.isoformat()}",
        sheet=_("Evaluation"),
        title=title,
        header=header,
        rows=group_rows(groups, least, vi),
    )
