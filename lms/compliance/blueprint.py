"""The compliance blueprint and what its registration installs: its answer to curricula's
`cycle_closures` signal and the template filters of its labels."""

from flask import Blueprint

bp = Blueprint("compliance", __name__)


def _connect(_state) -> None:
    """Curricula asks, through its signal, which cycles are closed for which units."""
    from lms.compliance.queries import closure_rows
    from lms.curricula.obligations.closures import cycle_closures

    cycle_closures.connect(closure_rows)


def _install_filters(state) -> None:
    """`user|can_close_cycle` (`status|compliance_status` is a state filter, lms.web)."""
    from lms.compliance.permissions import can_close

    state.app.jinja_env.filters["can_close_cycle"] = can_close


bp.record_once(_connect)
bp.record_once(_install_filters)
