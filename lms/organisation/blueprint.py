"""The organisation blueprint: `bp`, its record_once hooks and the modules holding its views
(`ROUTES`, imported by the app factory)."""

from flask import Blueprint

bp = Blueprint("organisation", __name__)

ROUTES = ("account_routes", "import_routes", "routes")
