"""Imports every domain's models modules (sub-packages' too) so SQLAlchemy metadata (and
Alembic) see all tables."""

import importlib

from lms.domains import DOMAINS, domain_modules

for _name in DOMAINS:
    for _module in domain_modules(_name, "models"):
        importlib.import_module(_module)
