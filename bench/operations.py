"""The benchmarked operations of bench/run.py, one function per section; each returns Results
(its runs, its raw-SQL floor's runs, its target)."""

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from bench import floors
from bench.courses import BENCH_TEST, COURSES_DIR
from bench.people import BIG_UNIT, PASSWORD
from bench.timing import Result, check, csrf_token, login, runs
from lms.common import clock
from lms.extensions import db
from lms.organisation.models import Official, OrgUnit

LEARNER = "dn000001"  # an official of the 2,000-official department, with five cycles
TAKER = "dn000002"  # enrolled in the 40-question test
RADIO = re.compile(r'<input type="radio" name="(r\d+)" value="([^"]*)"')
SLOT = re.compile(r'<input type="hidden" name="slots" value="(\d+)"')


@dataclass
class World:
    """What the operations share: the app, the cycle, the units, logged-in clients."""

    app: object
    counter: object
    cycle: object
    as_of: object
    unit: OrgUnit
    root: OrgUnit
    learner_id: int
    floor: floors.Floor
    clients: dict

    @classmethod
    def load(cls, app, counter) -> "World":
        from lms.compliance import queries

        cycle = queries.cycle_by_year(clock.today().year)
        assert cycle is not None, "no current cycle: run bench.generate first"
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == BIG_UNIT))
        root = db.session.scalar(select(OrgUnit).where(OrgUnit.parent_id.is_(None)))
        learner = db.session.scalar(
            select(Official.id).where(Official.employee_code == LEARNER.upper())
        )
        db.session.expunge_all()
        as_of = min(clock.today(), cycle.ends_on)
        return cls(app, counter, cycle, as_of, unit, root, learner, floors.Floor(), {})

    def client(self, username: str):
        if username not in self.clients:
            self.clients[username] = login(self.app, username, PASSWORD)
        return self.clients[username]

    def context(self):
        """An app context for direct calls of query functions (one per call, like a request)."""
        return self.app.app_context()

    def has(self, rule: str) -> bool:
        return any(r.rule == rule for r in self.app.url_map.iter_rules())

    def close(self) -> None:
        self.floor.close()


def _note(world: World, work) -> str:
    return f"{world.counter(work)} queries"


# --- /me --------------------------------------------------------------------------------------


def me(world: World, args) -> list[Result]:
    if not world.has("/me"):
        print("skip /me: the route is not there yet")
        return []
    client = world.client(LEARNER)

    def page():
        check(client.get("/me"))

    params = {"official": world.learner_id, "cycle": world.cycle.id}
    floor = runs(lambda: world.floor.rows(floors.ME, **params), args.repeat)
    return [
        Result(
            "/me (page, logged in)", runs(page, args.repeat), floor, 0.050, note=_note(world, page)
        )
    ]


# --- compliance -------------------------------------------------------------------------------


def _status_floor(world: World, prefix: str, sql: str = floors.STATUS_COUNTS):
    cycle, as_of = world.cycle, world.as_of
    params = floors.status_params(cycle, as_of, prefix)
    counts = dict(world.floor.rows(sql, **params))
    return runs(lambda: world.floor.rows(sql, **params), args_repeat(world)), counts


def args_repeat(world: World) -> int:
    return world.app.config.get("BENCH_REPEAT", 20)


def unit(world: World, args) -> list[Result]:
    from lms.compliance import queries

    world.app.config["BENCH_REPEAT"] = args.repeat
    client = world.client("bench-unit-hr")
    floor, expected = _status_floor(world, world.unit.path)

    def counts():
        with world.context():
            return queries.unit_counts(world.unit, world.cycle, world.as_of)

    got = counts()["by_status"]
    assert got == expected, f"unit counts differ from the floor: {got} vs {expected}"

    def page():
        check(client.get(f"/compliance/?cycle={world.cycle.year}"))

    total = sum(expected.values())
    return [
        Result(
            f"unit compliance page ({total:,} officials)",
            runs(page, args.repeat),
            floor,
            0.150,
            note=_note(world, page),
        ),
        Result("  queries.unit_counts (status + gender)", runs(counts, args.repeat), floor, 0.150),
    ]


def city(world: World, args) -> list[Result]:
    from lms.compliance import queries

    world.app.config["BENCH_REPEAT"] = max(5, args.repeat // 3)
    client = world.client("bench-hr")
    floor, expected = _status_floor(world, world.root.path, floors.CITY_STATUS_COUNTS)
    filters = queries.Filters()

    def counts():
        with world.context():
            sub = queries.filtered(world.cycle, world.as_of, None, filters)
            return dict(queries.status_counts(sub))

    def dashboard():
        with world.context():
            sub = queries.filtered(world.cycle, world.as_of, None, filters)
            queries.status_counts(sub)
            queries.by_child_unit(sub, None)
            queries.status_counts(sub, "position_code", "position_name")
            queries.status_counts(sub, "rank_code", "rank_name")
            queries.status_counts(sub, "gender")

    got = counts()
    assert got == expected, f"city counts differ from the floor: {got} vs {expected}"

    def page():
        check(client.get(f"/compliance/?cycle={world.cycle.year}"))

    def listing():
        check(client.get(f"/compliance/officials?cycle={world.cycle.year}"))

    repeat = max(5, args.repeat // 3)
    total = sum(expected.values())
    return [
        Result(
            f"city compliance page ({total:,} officials)",
            runs(page, repeat),
            floor,
            1.0,
            3.0,
            note=_note(world, page),
        ),
        Result("  queries: status counts", runs(counts, repeat), floor, 1.0, 3.0),
        Result("  queries: the dashboard's five groupings", runs(dashboard, repeat), floor, 1.0),
        Result(
            "city officials list, page 1", runs(listing, repeat), floor, note=_note(world, listing)
        ),
    ]


# --- exports ----------------------------------------------------------------------------------


def export(world: World, args) -> list[Result]:
    client = world.client("bench-hr")
    year = world.cycle.year - 1
    from lms.compliance import queries

    with world.context():
        closed = queries.cycle_by_year(year)
    token = csrf_token(client, f"/compliance/export?cycle={year}")
    results = []
    floor = runs(lambda: world.floor.rows(floors.STATEMENT_ROWS, cycle=closed.id), 3, 1)
    for fmt in ("xlsx", "csv"):
        size = 0

        def download(fmt=fmt):
            nonlocal size
            # The CSV is streamed without stream_with_context: once the view returns, the
            # context is gone and reading the rows fails ("Working outside of application
            # context") — under gunicorn too. A fresh context around the request (as
            # stream_with_context would keep) lets the benchmark time it; reported to the lead.
            with world.context():
                reply = client.post(
                    f"/compliance/export?cycle={year}",
                    data={"reason": "Đánh giá cuối năm", "fmt": fmt, "csrf_token": token},
                )
                size = len(check(reply).get_data())

        times = runs(download, 3, 1)
        results.append(
            Result(
                f"city statement {year} export, {fmt.upper()}",
                times,
                floor,
                note=f"{size / 1e6:.1f} MB",
            )
        )
    return results


# --- online tests -----------------------------------------------------------------------------


def _start(client, code: str) -> tuple[int, str, list[str], dict[str, list[str]]]:
    """Start (or resume) an attempt: its id, the page's CSRF token, slot ids and choices."""
    token = csrf_token(client, f"/courses/{code}/test")
    reply = client.post(f"/courses/{code}/test/start", data={"csrf_token": token})
    assert reply.status_code == 302, f"start: HTTP {reply.status_code}"
    attempt_id = int(reply.headers["Location"].rstrip("/").split("/")[-1].split("?")[0])
    html = check(client.get(f"/attempts/{attempt_id}")).get_data(as_text=True)
    choices: dict[str, list[str]] = {}
    for name, value in RADIO.findall(html):
        choices.setdefault(name, []).append(value)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return attempt_id, token, SLOT.findall(html), choices


def _answers(token: str, slots: list[str], choices: dict, pick: int, changed: int = -1) -> dict:
    """The whole page's answers (as assessments.js sends them): choice `pick` everywhere, and
    the next choice for question number `changed` (one answer changed since the last save)."""
    data = {"csrf_token": token, "slots": slots}
    for number, (name, values) in enumerate(choices.items()):
        data[name] = values[(pick + (number == changed)) % len(values)]
    return data


def test(world: World, args) -> list[Result]:
    if not world.has("/attempts/<int:attempt_id>/save"):
        print("skip tests: lms.assessments has no attempt routes yet")
        return []
    client = world.client(TAKER)
    attempt_id, token, slots, choices = _start(client, BENCH_TEST)
    turn = 0

    def autosave():
        nonlocal turn
        turn += 1
        data = _answers(token, slots, choices, 0, turn % len(choices))
        reply = client.post(f"/attempts/{attempt_id}/save", data=data)
        check(reply)

    check(client.post(f"/attempts/{attempt_id}/save", data=_answers(token, slots, choices, 0)))
    save_runs = runs(autosave, args.repeat * 2)
    save_note = _note(world, autosave)
    slot_id = int(slots[0])

    def save_floor():
        world.floor.execute(
            "UPDATE attempt_slots SET response = :r WHERE id = :s", r='{"choice": 1}', s=slot_id
        )

    submit_runs = []
    note = ""
    for number in range(max(5, args.repeat // 3)):
        if number:
            attempt_id, token, slots, choices = _start(client, BENCH_TEST)
        data = _answers(token, slots, choices, number) | {"action": "finish"}
        began = time.perf_counter()
        reply = client.post(f"/attempts/{attempt_id}", data=data)
        submit_runs.append(time.perf_counter() - began)
        assert reply.status_code == 302, f"submit: HTTP {reply.status_code}"
    data = _answers(token, slots, choices, 1)
    return [
        Result(
            f"autosave of a {len(slots)}-question page",
            save_runs,
            runs(save_floor, args.repeat),
            0.030,
            note=save_note,
        ),
        Result(f"submit + grade ({len(slots)} questions)", submit_runs, None, 0.200, note=note),
    ]


# --- certificates -----------------------------------------------------------------------------


def certificate(world: World, args) -> list[Result]:
    if not world.has("/certificates/<serial>.pdf"):
        print("skip certificate PDF: lms.certificates has no PDF route yet")
        return []
    from lms.certificates.models import Certificate

    with world.context():
        serial = db.session.scalar(
            select(Certificate.serial).where(Certificate.official_id == world.learner_id).limit(1)
        )
    client = world.client(LEARNER)

    def pdf():
        reply = check(client.get(f"/certificates/{serial}.pdf"))
        assert reply.mimetype == "application/pdf"

    floor = runs(lambda: world.floor.rows(floors.CERTIFICATE, serial=serial), args.repeat)
    return [
        Result(
            "certificate PDF (signed)",
            runs(pdf, max(10, args.repeat // 2)),
            floor,
            0.100,
            note=_note(world, pdf),
        )
    ]


# --- imports ----------------------------------------------------------------------------------


def courses(world: World, args) -> list[Result]:
    runner = world.app.test_cli_runner()

    def again():
        result = runner.invoke(args=["courses", "import", str(COURSES_DIR)])
        assert result.exit_code == 0, result.output

    files = sum(1 for p in Path(COURSES_DIR).rglob("*") if p.is_file())
    return [
        Result(
            f"`courses import courses/` ({files} files, unchanged)",
            runs(again, 3, 1),
            note="re-import on the city database",
        )
    ]


def officials_import(world: World, args) -> list[Result]:
    command = [sys.executable, "-m", "bench.import_officials"]
    if args.import_database_url:
        command += ["--database-url", args.import_database_url]
    began = time.perf_counter()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    wall = time.perf_counter() - began
    print(output)
    total = float(re.search(r"first import, total\s+([\d.]+) s", output).group(1))
    floor = float(re.search(r"raw-SQL floor[^\d]+([\d.]+) s", output).group(1))
    return [
        Result(
            "officials import, 30,000 rows (XLSX)",
            [total],
            [floor],
            60.0,
            note=f"process {wall:.0f} s",
        )
    ]


SECTIONS = {
    "me": me,
    "unit": unit,
    "city": city,
    "export": export,
    "test": test,
    "certificate": certificate,
    "courses": courses,
    "import": officials_import,
}
