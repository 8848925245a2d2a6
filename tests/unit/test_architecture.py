"""The house's dependency rules (shared/STYLE.md), read from the source with `ast`: no import
circle between lms modules (imports inside functions count), and no domain imports a later one.

Order: the base (extensions, i18n, errors, common, signing, the domains table) imports no domain;
the machinery (audit, jobs) imports only the base and auth's accounts (EXCEPTIONS); then auth →
organisation → catalog → curricula → assessments → certificates → programmes → compliance → teams →
surveys, each importing only earlier ones; the domains on top (privacy, api, main, demo) and the
composition (the app factory, models, web, security) may import anything below them.
A lower domain that needs a later one uses a blinker signal or a registry the later domain (or
the composition) fills.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

LMS = Path(__file__).resolve().parents[2] / "lms"

# Rank of each top-level part of lms: a module may import parts of lower or equal rank. Equal
# rank is allowed only where the circle check is protection enough (the base, the machinery,
# the domains on top); the ordered domains each have a rank of their own.
RANKS = {
    "extensions": 0,
    "i18n": 0,
    "errors": 0,
    "common": 0,
    "domains": 0,
    "signing": 0,  # machinery: keys, signing and verifying PDFs (issue 27); imports no domain
    "audit": 1,
    "jobs": 1,
    "auth": 2,
    "organisation": 3,
    "catalog": 4,
    "curricula": 5,
    "assessments": 6,
    "certificates": 7,
    "programmes": 8,
    "compliance": 9,
    "teams": 10,
    "surveys": 11,
    "recruitment": 12,
    "privacy": 13,
    "api": 13,
    "main": 13,
    "demo": 13,
    "translate_cli": 13,
    "models": 14,
    "web": 14,
    "security": 14,
    "lms": 15,  # lms/__init__.py: the app factory
}

# (importing module, imported module) pairs allowed against the order, each with its reason.
EXCEPTIONS = {
    # The machinery knows accounts (auth's User and the administrator predicate), nothing else
    # of auth: audit entries, job runs and notices belong to user accounts, and auth (rank 2)
    # itself writes audit entries and notices, so the machinery cannot sit above it.
    ("lms.audit.queries", "lms.auth.models"): "the audit list names, and filters by, each "
    "entry's actor (a join to User)",
    ("lms.jobs.notifications", "lms.auth.models"): "a notice goes to a user account: enabled "
    "or not, its address and language; notify_official finds an official's account",
    ("lms.jobs.queries", "lms.auth.models"): "the runs list names, and filters by, who started "
    "each run (a join to User)",
    ("lms.jobs.queue", "lms.auth.models"): "a run is done as the user who started it: the "
    "actor its job gets, and that user's language",
    ("lms.jobs.routes", "lms.auth.permissions"): "the runs pages: an administrator sees every "
    "run, a user their own; who may choose the staff notices (gets_staff_notices)",
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in LMS.rglob("*.py"):
        parts = path.relative_to(LMS.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


MODULES = _modules()


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The lms modules an import statement names (a `from package import name` names the
    submodule when there is one, else the package)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    return [
        f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
        for alias in node.names
    ]


def _edges() -> dict[str, dict[str, int]]:
    """module → {imported lms module: line of the first import}."""
    edges: dict[str, dict[str, int]] = defaultdict(dict)
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(module, node):
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != module and target.split(".")[0] == "lms":
                    edges[module].setdefault(target, node.lineno)
    return edges


EDGES = _edges()


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else module


def _circles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(MODULES):
        if root in index:
            continue
        work = [(root, iter(sorted(EDGES[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(EDGES[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_every_part_of_lms_has_a_place_in_the_order():
    unknown = sorted({_part(m) for m in MODULES} - set(RANKS))
    assert not unknown, f"add these to RANKS (tests/unit/test_architecture.py): {unknown}"


def test_no_import_circle():
    assert _circles() == []


def test_no_domain_imports_a_later_one():
    wrong = []
    for module, targets in sorted(EDGES.items()):
        for target, line in sorted(targets.items()):
            if (module, target) in EXCEPTIONS:
                continue
            if RANKS[_part(target)] > RANKS[_part(module)]:
                wrong.append(f"{MODULES[module].relative_to(LMS.parent)}:{line} imports {target}")
    assert wrong == []


@pytest.mark.parametrize("pair", sorted(EXCEPTIONS))
def test_each_exception_is_still_needed(pair):
    module, target = pair
    assert target in EDGES.get(module, {}), f"{pair} no longer happens: drop the exception"


def test_the_checks_find_what_they_look_for():
    """The walker sees function-level and relative imports (a check that reads nothing would
    pass)."""
    assert "lms.domains" in EDGES["lms.models"]
    assert EDGES["lms"]  # the factory imports its parts
    assert _part("lms.curricula.models") == "curricula" and _part("lms") == "lms"
