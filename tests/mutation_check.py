"""Check by hand whether tests kill given mutants of the last `make mutation` (docs/testing.md).

    cd mutants && ../.venv/bin/python ../tests/mutation_check.py NAMES_FILE TEST_FILE...

NAMES_FILE lists mutant names, one a line (as `mutmut results` prints them). For each, a forked
child runs the test files with that mutant switched on (MUTANT_UNDER_TEST, read by mutmut's
trampolines at every call) and the line "KILLED name" or "SURVIVED name" is printed. The parent
imports the app once, so a check costs the tests' own time only. Run it inside ./mutants, after
copying there any test file written since the run. A mutant named "none" switches nothing on:
it must survive, or the test files fail on their own.
"""

import os
import sys

os.environ.setdefault("LMS_SHARED_DIR", os.path.abspath("../../shared"))
os.environ["TEST_DATABASE_URL"] = ""  # SQLite, as make mutation
sys.path.insert(0, os.getcwd())

import pytest  # noqa: E402  (after the environment it reads)

import lms  # noqa: E402, F401  (imported once, before the children fork)


def main(names_file: str, tests: list[str]) -> int:
    with open(names_file, encoding="utf-8") as lines:
        names = [line.strip() for line in lines if line.strip()]
    for name in names:
        child = os.fork()
        if child == 0:
            os.environ["MUTANT_UNDER_TEST"] = name
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            os._exit(int(pytest.main(["-x", "-q", "-n", "0", "-p", "no:cacheprovider", *tests])))
        _pid, status = os.waitpid(child, 0)
        verdict = "SURVIVED" if os.waitstatus_to_exitcode(status) == 0 else "KILLED"
        print(verdict, name, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
