"""Background jobs and notifications: the queue (embedded or Redis), reminders, the in-app
inbox and email."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)
