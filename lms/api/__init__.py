"""JSON API /api/v1 for integrators: bearer tokens, scoped answers, the OpenAPI document."""

from flask import Blueprint

bp = Blueprint("api", __name__)
