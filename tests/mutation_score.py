"""The mutation score of make mutation, per module: read mutmut's results in ./mutants.

    python tests/mutation_score.py [PATTERN ...]

PATTERNs are mutmut mutant-name globs (as given to `mutmut run`); only the mutants they match
are counted (all, without one). Killed and timed-out mutants count as killed; a survivor named
in docs/testing.md (its "equivalent mutants" table) counts as explained. Exits 1 when a
survivor is not explained, so a new survivor is noticed (docs/testing.md "Mutation testing")."""

import fnmatch
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
DOC = ROOT / "docs" / "testing.md"

KILLED = {1, 3, 36, 24, -24, 152, 255, 37}  # failed tests, pytest error, timeouts, type check
SURVIVED = {0}
NO_TESTS = {5, 33}


def results(patterns: list[str]) -> dict[str, dict[str, int | None]]:
    """{module: {mutant name: exit code}} for the mutants matching the patterns."""
    found: dict[str, dict[str, int | None]] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        module = ".".join(meta.relative_to(MUTANTS).with_suffix("").with_suffix("").parts)
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            if not patterns or any(fnmatch.fnmatch(name, p) for p in patterns):
                found.setdefault(module, {})[name] = code
    return found


def explained() -> set[str]:
    """Mutant names listed in docs/testing.md (the equivalent survivors)."""
    return set(re.findall(r"`([\w.ǁ]+__mutmut_\d+)`", DOC.read_text(encoding="utf-8")))


def main(patterns: list[str]) -> int:
    found = results(patterns)
    if not found:
        print("no mutmut results in ./mutants: run make mutation first")
        return 2
    known = explained()
    unexplained: list[str] = []
    print(f"{'module':40} {'killed':>7} {'total':>6} {'score':>7}  survivors (explained)")
    for module, codes in found.items():
        count = Counter(
            "killed"
            if code in KILLED
            else "survived"
            if code in SURVIVED
            else "no tests"
            if code in NO_TESTS
            else "not checked"
            if code is None
            else "other"
            for code in codes.values()
        )
        survivors = sorted(name for name, code in codes.items() if code in SURVIVED)
        unexplained += [name for name in survivors if name not in known]
        total = len(codes)
        score = 100 * count["killed"] / total if total else 0.0
        extra = "".join(
            f", {count[k]} {k}" for k in ("no tests", "not checked", "other") if count[k]
        )
        print(
            f"{module:40} {count['killed']:>7} {total:>6} {score:>6.1f}%  "
            f"{len(survivors)} ({len(survivors) - len([n for n in survivors if n not in known])})"
            f"{extra}"
        )
    if unexplained:
        print("\nsurvivors not explained in docs/testing.md (kill them or list them there):")
        for name in unexplained:
            print(f"    {name}    (mutmut show {name})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
