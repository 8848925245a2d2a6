"""Generator, part 3: five cycles of training history per official — targets, obligations,
completions, the hash-chained credit ledger, test attempts, certificates — written in batches
of officials with bulk inserts.

Per official and cycle: the pro-rated target, one obligation per mandatory course of the
position (most done, some open: overdue, due soon or later in the current cycle), six to
twelve other courses completed (online with a passed attempt and sometimes a failed one, in a
class, or a historical record), sometimes external training (now and then reversed), and a
certificate for each online or class completion of a course that gives one.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import select

from bench.bulk import Writer, table_exists
from bench.courses import BENCH_TEST, LOAD_TEST, CourseFact
from bench.people import Person
from lms.certificates.rules import format_serial
from lms.common import integrity, sealing
from lms.curricula.cycles.models import Curriculum, CurriculumCourse, Cycle
from lms.curricula.ledger.services import GENESIS, entry_hash
from lms.extensions import db

YEARS = 5
BATCH = 1500
ISSUER = "DN"


@dataclass
class Counters:
    """Ids and numbers carried from batch to batch."""

    completion: int = 0
    ledger: int = 0
    obligation: int = 0
    target: int = 0
    attempt: int = 0
    certificate: int = 0
    enrolment: int = 0
    serial: dict = field(default_factory=dict)  # year → last certificate number
    attempt_number: dict = field(default_factory=dict)  # (quiz, official) → last number


def cycles(today: date) -> list[Cycle]:
    """The calendar-year cycles ending with the current year."""
    made = []
    for year in range(today.year - YEARS + 1, today.year + 1):
        cycle = Cycle(year=year, starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
        db.session.add(cycle)
        made.append(cycle)
    db.session.commit()
    return made


def curricula_by_position() -> dict[int, tuple[Decimal, list[int]]]:
    result = {}
    for curriculum in db.session.scalars(select(Curriculum)):
        courses = db.session.scalars(
            select(CurriculumCourse.course_id).where(
                CurriculumCourse.curriculum_id == curriculum.id
            )
        )
        result[curriculum.position_id] = (Decimal(curriculum.target_credits), list(courses))
    return result


class History:
    """Builds the rows of a batch of officials and writes them."""

    def __init__(
        self,
        writer: Writer,
        courses: list[CourseFact],
        cycle_rows: list[Cycle],
        today: date,
        rng: random.Random,
    ) -> None:
        self.writer, self.today, self.rng = writer, today, rng
        self.key = integrity.ledger_key()  # the entries are hashed as the application does
        self.courses = {c.id: c for c in courses}
        # The benchmark and load-test courses start with no history: their takers start fresh.
        self.pickable = [c.id for c in courses if c.code not in (BENCH_TEST, LOAD_TEST)]
        self.test_courses = [c.id for c in courses if c.code in (BENCH_TEST, LOAD_TEST)]
        self.cycles = [(c.id, c.year) for c in cycle_rows]
        self.curricula = curricula_by_position()
        self.n = Counters()
        self.with_attempts = table_exists("attempts")
        self.with_certificates = table_exists("certificates")
        self.stamp = datetime(today.year, 1, 2, 1, 0)
        self.chains: dict[int, tuple[int, str]] = {}  # official → (last seq, last hash)
        self.enrolled: dict[int, set[int]] = {}  # official → courses enrolled (current cycle)
        self._reset()

    def _reset(self) -> None:
        self.rows: dict[str, list[dict]] = {
            "completions": [],
            "ledger_entries": [],
            "audit_entries": [],
            "obligations": [],
            "official_targets": [],
            "attempts": [],
            "certificates": [],
            "enrolments": [],
        }

    def run(self, people: list[Person], progress=None) -> None:
        """Cycle after cycle, as the rows arrive in production: a cycle's rows lie together
        on disk, which is what the compliance queries of one cycle read."""
        for cycle_id, year in self.cycles:
            for start in range(0, len(people), BATCH):
                for person in people[start : start + BATCH]:
                    self.official(person, cycle_id, year)
                self.flush()
            if progress:
                progress(year)

    def flush(self) -> None:
        from lms.extensions import db as _db

        tables = _db.metadata.tables
        for name in (
            "completions",
            "ledger_entries",
            "audit_entries",
            "obligations",
            "official_targets",
            "attempts",
            "certificates",
            "enrolments",
        ):
            if name in tables:
                self.writer.insert(tables[name], self.rows[name])
        self.writer.commit()
        self._reset()

    # --- one official ---------------------------------------------------------------------

    def official(self, person: Person, cycle_id: int, year: int) -> None:
        """One official's cycle; the ledger entries continue the official's hash chain."""
        ledger: list[dict] = []
        self.cycle(person, cycle_id, year, ledger, self.enrolled.setdefault(person.id, set()))
        seq, previous = self.chains.get(person.id, (0, GENESIS))
        for entry in ledger:
            seq += 1
            entry["seq"] = seq
            entry["prev_hash"] = previous
            entry["created_at"] = datetime.combine(
                entry["earned_on"], datetime.min.time()
            ) + timedelta(hours=2, seconds=seq)
            del entry["_year"]
            entry["entry_hash"] = previous = entry_hash(SimpleNamespace(**entry), year, self.key)
            self.rows["audit_entries"].append(self._audited(entry))
        self.chains[person.id] = (seq, previous)
        self.rows["ledger_entries"].extend(ledger)

    @staticmethod
    def _audited(entry: dict) -> dict:
        """The audit entry `ledger.append` (or `ledger.reverse`) the application writes with
        each entry: `ledger verify` checks that every entry has its own."""
        reversal = entry["reverses_id"] is not None
        row = {
            "at": entry["created_at"],
            "actor_id": None,
            "action": "ledger.reverse" if reversal else "ledger.append",
            "object_type": "ledger_entry",
            "object_id": str(entry["reverses_id"] if reversal else entry["id"]),
            "before": None,
            "after": {"seq": entry["seq"], "system": entry["system_source"]},
            "address": None,
            "seal_seq": 0,
        }
        row["row_mac"] = sealing.row_mac(sealing.AUDIT, row)  # signed as the application does
        return row

    def cycle(self, person: Person, cycle_id: int, year: int, ledger: list, enrolled: set) -> None:
        rng = self.rng
        starts, ends = date(year, 1, 1), date(year, 12, 31)
        current = year == self.today.year
        last = min(ends, self.today)
        first = max(starts, person.employed_since)
        if first > last:
            return
        base, mandatory = self.curricula.get(person.position_id, (Decimal(3), []))
        months = sum(1 for m in range(1, 13) if date(year, m, 15) >= person.employed_since)
        target = Decimal(math.ceil(base * months / 12 * 2)) / 2
        self.n.target += 1
        self.rows["official_targets"].append(
            {
                "id": self.n.target,
                "official_id": person.id,
                "cycle_id": cycle_id,
                "target_credits": target,
                "months": months,
                "computed_at": self.stamp,
            }
        )
        share = months / 12 * (((last - starts).days + 1) / 365 if current else 1)
        picks: list[tuple[date, int | None]] = []
        obligations = []
        for course_id in mandatory:
            if person.employed_since >= starts:
                due = min(person.employed_since + timedelta(days=180), ends)
            elif current:
                due = rng.choice((date(year, 6, 30), date(year, 12, 15), ends, ends))
            else:
                due = ends
            done = rng.random() < (0.72 if current else 0.96)
            day = _day(rng, first, min(max(due, first), last)) if done else None
            obligations.append((course_id, due, day))
            if day:
                picks.append((day, course_id))
        others = [c for c in self.pickable if c not in mandatory]
        count = round(rng.randint(5, 10) * share)
        for course_id in rng.sample(others, min(count, len(others))):
            picks.append((_day(rng, first, last), course_id))
        if rng.random() < 0.5:
            picks.append((_day(rng, first, last), None))
        picks.sort(key=lambda p: p[0])
        completion_of: dict[int, int] = {}
        for day, course_id in picks:
            if course_id is None:
                self.external(person, day, year, cycle_id, ledger)
            else:
                completion_of[course_id] = self.completion(
                    person, day, year, cycle_id, self.courses[course_id], ledger, current, enrolled
                )
        for course_id, due, day in obligations:
            self.n.obligation += 1
            self.rows["obligations"].append(
                {
                    "id": self.n.obligation,
                    "official_id": person.id,
                    "cycle_id": cycle_id,
                    "course_id": course_id,
                    "kind": "mandatory",
                    "position_id": person.position_id,
                    "due_on": due,
                    "arose_on": first,
                    "status": "done" if day else "open",
                    "completion_id": completion_of.get(course_id) if day else None,
                    "created_at": self.stamp,
                    "updated_at": self.stamp,
                }
            )

    def external(self, person, day, year, cycle_id, ledger) -> None:
        credits = self.rng.choice((Decimal("0.5"), Decimal(1)))
        entry = self._entry(
            person,
            day,
            year,
            cycle_id,
            None,
            "Hội thảo chuyên đề bên ngoài",
            credits,
            8,
            "external",
            f"external:{self.n.ledger + 1}",
            None,
        )
        ledger.append(entry)
        if self.rng.random() < 0.06:  # approved in error, reversed by HR
            reversal = self._entry(
                person,
                day,
                year,
                cycle_id,
                None,
                entry["title"],
                -credits,
                -8,
                "external",
                entry["source_ref"],
                None,
            )
            reversal["reverses_id"] = entry["id"]
            reversal["reason"] = "Duyệt nhầm minh chứng"
            ledger.append(reversal)

    def completion(
        self, person, day, year, cycle_id, course: CourseFact, ledger, current, enrolled
    ) -> int:
        rng = self.rng
        self.n.completion += 1
        cid = self.n.completion
        roll = rng.random()
        if course.quiz_id and roll < 0.52 and self.with_attempts:
            source, attempt = "online", self.attempts(person, day, course)
            ref = f"attempt:{attempt}"
        elif roll < 0.88:
            source, ref = "in_person", f"member:bench-{cid}"
        else:
            source, ref = "historical", f"import:bench-{cid}"
        expires = None
        if course.validity_months:
            expires = day + timedelta(days=course.validity_months * 30)
        certified = course.certificate != "none" and source != "historical"
        score = Decimal(rng.randint(55, 100))
        self.rows["completions"].append(
            {
                "id": cid,
                "official_id": person.id,
                "course_id": course.id,
                "completed_on": day,
                "expires_on": expires,
                "score": score,
                "source": source,
                "source_ref": ref,
                "original_certificate_number": None,
                "certificate_state": "issued" if certified and self.with_certificates else "none",
                "actor_id": None,
                "created_at": self.stamp,
                "revoked_at": None,
                "revoked_reason": None,
            }
        )
        ledger.append(
            self._entry(
                person,
                day,
                year,
                cycle_id,
                course.id,
                course.title,
                course.credits,
                course.periods,
                source,
                ref,
                cid,
            )
        )
        if certified and self.with_certificates:
            self.certificate(person, day, course, cid, expires, score)
        if current and source == "online" and course.id not in enrolled:
            enrolled.add(course.id)
            self.n.enrolment += 1
            moment = datetime.combine(day, datetime.min.time())
            self.rows["enrolments"].append(
                {
                    "id": self.n.enrolment,
                    "official_id": person.id,
                    "course_id": course.id,
                    "source": "self",
                    "enrolled_at": moment,
                    "lessons_done_at": moment,
                }
            )
        return cid

    def _entry(
        self,
        person,
        day,
        year,
        cycle_id,
        course_id,
        title,
        credits,
        periods,
        source,
        ref,
        completion_id,
    ) -> dict:
        self.n.ledger += 1
        return {
            "id": self.n.ledger,
            "official_id": person.id,
            "cycle_id": cycle_id,
            "earned_on": day,
            "course_id": course_id,
            "title": title,
            "credits": credits,
            "periods": periods,
            "source": source,
            "source_ref": ref,
            "completion_id": completion_id,
            "reverses_id": None,
            "reason": "",
            "actor_id": None,
            "system_source": "bench",
            "hash_version": 2,
            "seal_seq": 0,
            "_year": year,
        }

    def attempts(self, person, day, course: CourseFact) -> int:
        """A passed attempt (after a failed one, a third of the time); the passed one's id."""
        rng = self.rng
        key = (course.quiz_id, person.id)
        tries = 2 if rng.random() < 0.33 else 1
        for number in range(tries):
            self.n.attempt += 1
            self.n.attempt_number[key] = self.n.attempt_number.get(key, 0) + 1
            started = datetime.combine(day, datetime.min.time()) + timedelta(
                hours=1 + number, minutes=rng.randrange(50)
            )
            done = started + timedelta(minutes=8 + rng.randrange(10))
            passed = number == tries - 1
            self.rows["attempts"].append(
                {
                    "id": self.n.attempt,
                    "quiz_id": course.quiz_id,
                    "official_id": person.id,
                    "number": self.n.attempt_number[key],
                    "status": "graded",
                    "started_at": started,
                    "deadline_at": started + timedelta(minutes=20),
                    "submitted_at": done,
                    "graded_at": done,
                    "auto_submitted": False,
                    "percent": Decimal(rng.randint(50, 100) if passed else rng.randint(10, 45)),
                    "passed": passed,
                    "saved_at": done,
                }
            )
        return self.n.attempt

    def certificate(self, person, day, course: CourseFact, completion_id, expires, score) -> None:
        self.n.certificate += 1
        year = day.year
        number = self.n.serial[year] = self.n.serial.get(year, 0) + 1
        self.rows["certificates"].append(
            {
                "id": self.n.certificate,
                "completion_id": completion_id,
                "edition": 1,
                "official_id": person.id,
                "course_id": course.id,
                "kind": course.certificate,
                "issuer_code": ISSUER,
                "year": year,
                "number": number,
                "serial": format_serial(ISSUER, year, number),
                "verification_code": f"{self.n.certificate:08x}{self.rng.getrandbits(64):016x}",
                "language": "vi",
                "issued_on": day,
                "completed_on": day,
                "expires_on": expires,
                "holder_name": person.full_name,
                "holder_birth_date": person.birth,
                "holder_unit": person.unit_name,
                "course_code": course.code,
                "course_title": course.title,
                "credits": course.credits,
                "periods": course.periods,
                "score": score,
                "issuer_name": "Sở Nội vụ thành phố Đà Nẵng",
                "issuer_parent": "Ủy ban nhân dân thành phố Đà Nẵng",
                "place": "Đà Nẵng",
                "signer_title": "Giám đốc",
                "signer_name": "Nguyễn Văn A",
                "created_at": datetime.combine(day, datetime.min.time()),
            }
        )

    def test_enrolments(self, people: list[Person], count: int) -> None:
        """The first `count` officials enrolled in the benchmark and load-test courses."""
        rows = []
        for person in people[:count]:
            for course_id in self.test_courses:
                self.n.enrolment += 1
                rows.append(
                    {
                        "id": self.n.enrolment,
                        "official_id": person.id,
                        "course_id": course_id,
                        "source": "self",
                        "enrolled_at": self.stamp,
                        "lessons_done_at": None,
                    }
                )
        self.writer.insert(db.metadata.tables["enrolments"], rows)
        self.writer.commit()

    def serial_counters(self) -> None:
        """The issuer's counters, so certificates issued later continue the numbers."""
        if "certificate_serials" in db.metadata.tables:
            rows = [
                {"issuer_code": ISSUER, "year": y, "last_number": n}
                for y, n in sorted(self.n.serial.items())
            ]
            self.writer.insert(db.metadata.tables["certificate_serials"], rows)
            self.writer.commit()


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))
