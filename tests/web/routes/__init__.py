"""Route tables shared by the role × route access matrix and the hostile-input test.

Each domain adds a module here (tests/web/routes/<domain>.py) defining any of:

- `ACCESS`: (endpoint, method) → (URL template, {role: status}) rows of the access matrix
  (build the expectations with tests.web.routes.expect);
- `URLS`, `FORM_PAGES`, `QUERY_PAGES`, `HINTS`: entries of the hostile-input test's tables
  (see its docstring);
- `PROVIDERS`: name → function(scene) giving a value that URL templates name as `{name}`.

The tests merge every module's tables with their own, so a domain's routes are described next
to each other and helpers working on different domains never edit the same file.
"""

import pkgutil
from importlib import import_module

from tests.web.routes.scene import CORE_PROVIDERS, Scene  # noqa: F401


def _modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name not in {"scene", "expect"} and not info.name.startswith("_"):
            yield import_module(f"{__name__}.{info.name}")


def collect(name: str) -> dict:
    """The union of the dictionaries called `name` in every domain module (a key defined twice
    is an error, so two domains cannot silently claim the same route)."""
    merged: dict = {}
    for module in _modules():
        table = getattr(module, name, {})
        clash = set(table) & set(merged)
        assert not clash, f"{module.__name__}.{name} redefines {sorted(clash)}"
        merged.update(table)
    return merged


PROVIDERS = {**CORE_PROVIDERS, **collect("PROVIDERS")}
