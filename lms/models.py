"""Imports every domain's models module so SQLAlchemy metadata (and Alembic) see all tables."""

import importlib
import importlib.util

from lms.domains import DOMAINS

for _name in DOMAINS:
    if importlib.util.find_spec(f"lms.{_name}.models"):
        importlib.import_module(f"lms.{_name}.models")
