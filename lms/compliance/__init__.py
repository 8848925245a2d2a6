"""Compliance: dashboards by scope and cycle, cycle close with frozen statements, the
performance-review view and its exports."""

from flask import Blueprint

bp = Blueprint("compliance", __name__)
