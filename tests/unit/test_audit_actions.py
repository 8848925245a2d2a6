"""Every audit action the code base writes has its words (lms/audit/actions_people.py and
actions_training.py): the source is scanned for the codes passed to `record` (and for the rows a
bulk import inserts), so an engineer who adds an action without a label and a sentence fails
here, not in front of an administrator."""

import ast
import re
from pathlib import Path

import pytest

from lms.audit import actions

LMS = Path(__file__).resolve().parents[2] / "lms"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class _Module:
    """One source file: which names call lms.audit's `record`, and whether it inserts audit rows
    itself (a bulk import building AuditEntry dictionaries)."""

    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        self.record_names: set[str] = set()
        self.audit_modules: set[str] = set()
        self.inserts_rows = False
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            names = {alias.name: alias.asname or alias.name for alias in node.names}
            if node.module == "lms.audit.services" and names.keys() & {"record", "record_many"}:
                # record_many(actor, action, …) takes the code where record does
                self.record_names |= {names[n] for n in ("record", "record_many") if n in names}
            elif node.module == "lms.audit" and "services" in names:
                self.audit_modules.add(names["services"])
            elif node.module == "lms.audit.models" and "AuditEntry" in names:
                self.inserts_rows = any(  # insert(AuditEntry): rows written in bulk
                    isinstance(call, ast.Call)
                    and getattr(call.func, "id", None) == "insert"
                    and [getattr(a, "id", None) for a in call.args] == [names["AuditEntry"]]
                    for call in ast.walk(self.tree)
                )
        self.parents = {
            child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)
        }
        self.dicts = {
            target.id: node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        # Local helpers taking an `action` argument (e.g. a bulk import's row builder).
        self.helpers = {
            node.name: [a.arg for a in node.args.args].index("action")
            for node in ast.walk(self.tree)
            if isinstance(node, ast.FunctionDef) and "action" in [a.arg for a in node.args.args]
        }
        self.unresolved: list[str] = []

    def _function(self, node):
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def resolve(self, expr, where) -> set[str]:
        """The string constants an action expression can take."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.resolve(expr.body, where) | self.resolve(expr.orelse, where)
        if isinstance(expr, ast.Subscript) and getattr(expr.value, "id", None) in self.dicts:
            values = self.dicts[expr.value.id].values
            return set().union(*(self.resolve(value, where) for value in values))
        if isinstance(expr, ast.Name) and (function := self._function(where)) is not None:
            if expr.id == "action" and function.name in self.helpers:
                return set()  # its callers pass the code, and they are scanned
            found = set()
            for node in ast.walk(function):
                targets = getattr(node, "targets", [])
                if isinstance(node, ast.Assign) and any(
                    getattr(t, "id", None) == expr.id for t in targets
                ):
                    found |= self.resolve(node.value, node)
            if found:
                return found
        self.unresolved.append(f"{self.path}:{expr.lineno}: {ast.unparse(expr)}")
        return set()

    def _shadowed(self, name: str, node) -> bool:
        function = self._function(node)
        return function is not None and name in [a.arg for a in function.args.args]

    def _action_argument(self, call: ast.Call):
        func = call.func
        if isinstance(func, ast.Name) and func.id in self.record_names:
            index = None if self._shadowed(func.id, call) else 1
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "record"
            and getattr(func.value, "id", None) in self.audit_modules
        ):
            index = 1
        elif isinstance(func, ast.Name) and self.inserts_rows and func.id in self.helpers:
            index = self.helpers[func.id]
        else:
            return None
        if index is None:
            return None
        keyword = [k.value for k in call.keywords if k.arg == "action"]
        return keyword[0] if keyword else call.args[index] if len(call.args) > index else None

    def codes(self) -> set[str]:
        """Every action code this file writes."""
        found: set[str] = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and (expr := self._action_argument(node)) is not None:
                found |= self.resolve(expr, node)
            elif self.inserts_rows and isinstance(node, ast.Dict):
                row = {
                    key.value: value
                    for key, value in zip(node.keys, node.values, strict=True)
                    if isinstance(key, ast.Constant)
                }
                if {"action", "object_type"} <= set(row):  # an audit row for a bulk insert
                    found |= self.resolve(row["action"], node)
        return found


def written_codes() -> tuple[set[str], list[str]]:
    """(every action code written under lms/, expressions the scan could not resolve)."""
    codes, unresolved = set(), []
    for path in sorted(LMS.rglob("*.py")):
        if path.parent.name == "audit":
            continue
        module = _Module(path)
        codes |= module.codes()
        unresolved += module.unresolved
    return codes, unresolved


def test_every_action_the_code_writes_has_a_label_and_a_sentence():
    codes, unresolved = written_codes()
    assert not unresolved, (
        "write audit action codes as string literals (or a module-level dict of them) so this "
        f"scan can check them: {unresolved}"
    )
    assert len(codes) >= 55, sorted(codes)  # the scan still finds the writers
    missing = sorted(codes - set(actions.ACTIONS))
    assert not missing, f"add these actions to lms/audit/actions_*.py: {missing}"


def test_the_scan_finds_the_ways_codes_are_written():
    codes, _unresolved = written_codes()
    # a literal, a conditional, a local variable, a dict of codes, a bulk row builder, a row
    assert {"certificate.revoked", "user.enabled", "user.disabled", "class.created"} <= codes
    assert {"unit.updated", "rank.updated", "official.imported", "official.marked_left"} <= codes


@pytest.mark.parametrize("code", sorted(actions.ACTIONS))
def test_each_sentence_names_only_the_actor_and_the_object(code):
    action = actions.ACTIONS[code]
    assert action.object_type in actions.OBJECT_TYPES
    names = set(PLACEHOLDER.findall(action.sentence._args[0]))
    assert names <= {"actor", "object"} and names, code


def test_record_refuses_an_action_without_words(app):
    from lms.audit.services import record

    with app.app_context(), pytest.raises(ValueError, match="not registered"):
        record(None, "certificate.burned", "certificate", "DN-2026-000001")
