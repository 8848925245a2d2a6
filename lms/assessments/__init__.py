"""Assessments: question banks, tests, attempts and grading."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)
