"""Curricula: training cycles, position curricula, obligations and targets, completions, the
credit ledger, in-person classes and external training."""

from flask import Blueprint

bp = Blueprint("curricula", __name__)

from lms.curricula import classes_routes, completions_routes, external_routes, ledger_routes  # noqa: E402,F401,I001

# isort: split
from lms.curricula import obligations, routes_manage, routes_me  # noqa: E402,F401  (engine, pages)
