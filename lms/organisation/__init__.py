"""Organisation: units, ranks, positions, officials and the HR registry."""

from flask import Blueprint

bp = Blueprint("organisation", __name__)

from lms.organisation import account_routes, import_routes, routes  # noqa: E402,F401
