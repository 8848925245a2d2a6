"""The privacy blueprint: `bp`, its record_once hooks and the modules holding its views
(`ROUTES`, imported by the app factory)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)

ROUTES = ("request_routes", "routes")
