"""The certificates blueprint (`bp`); its labels' filters are registered from their enums in
lms/web.py. The app factory imports the domain's route modules (routes*.py, *_routes.py) and
registers it."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
