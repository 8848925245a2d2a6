"""Personal data under Law 91/2025/QH15: the privacy notice every user acknowledges, the
officials' requests to correct, restrict or delete their data, and the retention periods the
nightly run applies."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

from lms.privacy import request_routes, routes  # noqa: E402,F401
