"""The recruitment blueprint (`bp`) and what its registration installs: the guard that keeps a
candidate account inside its exam (permissions.candidate_guard). The app factory imports the
domain's route modules (routes*.py, *_routes.py) and registers it."""

from flask import Blueprint

from lms.recruitment.permissions import candidate_guard

bp = Blueprint("recruitment", __name__)
bp.before_app_request(candidate_guard)
