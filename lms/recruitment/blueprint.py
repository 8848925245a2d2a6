"""The recruitment blueprint (`bp`). The app factory imports the domain's route modules
(routes*.py, *_routes.py) and registers it."""

from flask import Blueprint

bp = Blueprint("recruitment", __name__)
