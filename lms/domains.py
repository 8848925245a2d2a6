"""The domain packages in dependency order (shared/STYLE.md) and how to find their parts
(models, cli, jobs, route modules), in the package or in its sub-packages. Imports nothing of
the application, so the app factory, lms.models and the job registry all read it."""

import importlib
import pkgutil

# Domain packages in dependency order (shared/STYLE.md) → the URL prefix of their blueprint
# (None: the routes carry full paths). Each package exposes `bp` (or holds it in
# `blueprint.py`); `cli.py`, when present, lists its click groups in `COMMANDS`; `models.py` holds
# its tables — in the package or in its sub-packages (`domain_modules`).
DOMAINS = {
    "main": None,
    "auth": None,
    "organisation": "/officials",
    "catalog": "/courses",
    "curricula": None,
    "assessments": None,
    "certificates": None,
    "programmes": None,
    "compliance": None,
    "teams": None,
    "surveys": None,
    "recruitment": None,
    "privacy": None,
    "api": "/api/v1",
    "jobs": None,
}


def domain_modules(name: str, leaf: str) -> list[str]:
    """The modules of domain `name` called `leaf` (e.g. "models", "cli", "jobs"):
    `lms.<name>.<leaf>` and `lms.<name>.<sub>.<leaf>` of each sub-package (curricula's cycles,
    ledger…), those that exist, in name order. `leaf` "routes" also matches the route modules
    named routes_* or *_routes."""
    found = []
    package = importlib.import_module(f"lms.{name}")
    places = [(package.__name__, package.__path__)]
    for info in pkgutil.iter_modules(package.__path__):
        if info.ispkg:
            sub = importlib.import_module(f"{package.__name__}.{info.name}")
            places.append((sub.__name__, sub.__path__))
    for prefix, path in places:
        for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
            if info.ispkg:
                continue
            routes = leaf == "routes" and (
                info.name.startswith("routes_") or info.name.endswith("_routes")
            )
            if info.name == leaf or routes:
                found.append(f"{prefix}.{info.name}")
    return found
