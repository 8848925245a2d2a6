"""The domain packages in dependency order (shared/STYLE.md), each with the URL prefix of its
blueprint (None: the routes carry full paths). A table only: it imports nothing, so the app
factory, the models registry and the job registry can all read it.

A domain's blueprint is `lms/<domain>/blueprint.py` (`bp`, its record_once hooks and `ROUTES`,
the names of the modules holding its views, which the app factory imports); `lms/<domain>/cli.py`,
when present, lists its click groups in `COMMANDS`; `lms/<domain>/models.py` holds its tables.
"""

DOMAINS = {
    "main": None,
    "auth": None,
    "organisation": "/officials",
    "catalog": "/courses",
    "curricula": None,
    "assessments": None,
    "certificates": None,
    "compliance": None,
    "privacy": None,
    "api": "/api/v1",
    "jobs": None,
}
