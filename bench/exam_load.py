"""Load test of a recruitment exam session (issue 28): N candidates (default 500) take the same
timed computer paper at once against gunicorn on PostgreSQL, and no acknowledged answer may be
lost.

    python -m bench.exam_load --database-url postgresql+psycopg://…/bench_exam [--candidates 500]

1. Prepares the database (migrations, unit DN, a course EXAMBANK with a bank of 60 multiple-choice
   questions in three topics, recruitment BENCHEXAM with N candidates seated in one session open
   now, code BENCH1, a paper of `--questions` drawn by blueprint, 45 minutes). Accounts are
   hashed with PBKDF2 (1,000 rounds) so that making 500 of them takes seconds; the login is
   reported but judged apart, as in bench/loadtest.py.
2. Starts gunicorn (`--workers`, sync) with rate limits off (every simulated candidate comes
   from 127.0.0.1).
3. Each candidate (one thread each): logs in, opens /exam/, starts with the code, loads the
   paper, then every `--every` seconds answers one more question by the autosave (the whole form,
   as assessments.js sends it), and submits after the last, then opens the result.
4. Prints p50/p95/max per request kind, then reads every paper back: an answer the server
   acknowledged (HTTP 200 on the autosave) and not found stored is LOST; every paper must be
   submitted and the results log must verify.
"""

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import requests

PASSWORD = "Bench-exam-2026"  # noqa: S105 (a throw-away bench database)
CODE = "BENCH1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SLOT = re.compile(r'<input type="hidden" name="slots" value="(\d+)"')
RADIO = re.compile(r'<input type="radio" name="(r\d+)" value="([^"]*)"')


def _bank(n: int) -> str:
    lines = []
    for topic in ("Luật", "Hành chính", "Tin học"):
        lines.append(f"$CATEGORY: EXAMBANK/{topic}\n")
        for i in range(n // 3):
            level = ("easy", "medium", "hard")[i % 3]
            lines.append(
                f"// [tag:{level}]\n::{topic[:2]}{i}::Câu hỏi {topic} số {i}?"
                f"{{=Đúng {i} ~Sai A{i} ~Sai B{i} ~Sai C{i}}}\n"
            )
    return "\n".join(lines)


def prepare(url: str, candidates: int, questions: int) -> None:
    """Build the bench database from scratch (see the module docstring)."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from lms import create_app
    from lms.assessments import bank
    from lms.catalog import services as catalog
    from lms.common import clock
    from lms.extensions import db
    from lms.organisation import services as org
    from lms.privacy import services as privacy
    from lms.recruitment import services as recruitment
    from lms.recruitment.models import CandidateSource
    from lms.recruitment.queries import unseated

    app = create_app(
        "development",
        {"SQLALCHEMY_DATABASE_URI": url, "LMS_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"},
    )
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        org.upsert_unit("DN", "Ủy ban nhân dân thành phố Đà Nẵng", "UBND", "tinh", None)
        db.session.flush()
        course = catalog.create_course(
            catalog.CourseData(
                "EXAMBANK",
                "Ngân hàng đề thi tuyển",
                Decimal(0),
                0,
                "ND1",
                "elective",
                "online",
                "none",
            ),
            None,
            None,
        )
        parsed = bank.parse_upload(_bank(60).encode(), "gift")
        bank.import_questions(course, parsed)
        item = recruitment.create_recruitment("BENCHEXAM", "Thi tuyển (bench)", 2026, "DN", None)
        recruitment.add_position(item, "VT01", "Chuyên viên", "DN", 50, None)
        room = recruitment.add_room(item, "Hội trường", candidates, None)
        now = clock.now()
        per_topic = [questions // 3 + (1 if i < questions % 3 else 0) for i in range(3)]
        blueprint = tuple(
            {"category": f"EXAMBANK/{t}", "difficulty": "", "count": n}
            for t, n in zip(("Luật", "Hành chính", "Tin học"), per_topic, strict=True)
        )
        session = recruitment.create_session(
            item,
            recruitment.SessionData(
                room_id=room.id,
                starts_at=now - timedelta(minutes=5),
                ends_at=now + timedelta(hours=3),
                duration_minutes=45,
                bank_course_id=course.id,
                blueprint=blueprint,
                code=CODE,
            ),
            None,
        )
        for n in range(1, candidates + 1):
            data = recruitment.NewCandidate(
                "VT01",
                "Thí Sinh Bench",
                clock.today().replace(year=1998),
                f"{n:012d}",
                source=CandidateSource.MANUAL,
                password=PASSWORD,
                username=f"ts{n:05d}",
            )
            person = recruitment.register_candidate(item, data, None)
            privacy.acknowledge(person.user)
        recruitment.seat_candidates(session, unseated(session), None)
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()


class Stats:
    """Latencies (ms) per request kind, and the answers the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []
        self.acknowledged: dict[str, dict[str, str]] = defaultdict(dict)

    def timed(self, kind: str, call, *args, **kwargs):
        start = time.perf_counter()
        try:
            reply = call(*args, timeout=120, allow_redirects=False, **kwargs)
        except requests.RequestException as error:
            with self.lock:
                self.failures.append(f"{kind}: {error.__class__.__name__}")
            raise
        elapsed = (time.perf_counter() - start) * 1000
        with self.lock:
            self.times[kind].append(elapsed)
            if reply.status_code >= 400 and not (kind == "autosave" and reply.status_code == 409):
                self.failures.append(f"{kind}: HTTP {reply.status_code}")
        return reply


def candidate(base: str, number: int, stats: Stats, every: float, start_at: float) -> None:
    """One candidate's session (see the module docstring)."""
    web = requests.Session()
    username = f"ts{number:05d}"
    time.sleep(max(start_at - time.time(), 0))
    page = stats.timed("login page", web.get, base + "/auth/login")
    token = CSRF.search(page.text).group(1)
    stats.timed(
        "login",
        web.post,
        base + "/auth/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
    )
    home = stats.timed("exam home", web.get, base + "/exam/")
    token = CSRF.search(home.text).group(1)
    stats.timed("start", web.post, base + "/exam/start", data={"code": CODE, "csrf_token": token})
    paper = stats.timed("paper", web.get, base + "/exam/paper")
    token = CSRF.search(paper.text).group(1)
    slots = SLOT.findall(paper.text)
    choices: dict[str, list[str]] = defaultdict(list)
    for name, value in RADIO.findall(paper.text):
        choices[name].append(value)
    rng = random.Random(number)
    answers: dict[str, str] = {}
    for slot in slots:
        time.sleep(every * rng.uniform(0.8, 1.2))
        answers[f"r{slot}"] = rng.choice(choices[f"r{slot}"])
        form = [("csrf_token", token)] + [("slots", s) for s in slots] + list(answers.items())
        reply = stats.timed("autosave", web.post, base + "/exam/paper/save", data=form)
        if reply.status_code == 200:
            with stats.lock:
                stats.acknowledged[username] = dict(answers)
    stats.timed(
        "submit", web.post, base + "/exam/paper", data=[("csrf_token", token), ("action", "finish")]
    )
    stats.timed("result", web.get, base + "/exam/result")


def check(url: str, stats: Stats) -> tuple[int, int, int, list]:
    """(answers acknowledged, answers lost, papers not submitted, results log problems)."""
    from sqlalchemy import select

    from lms import create_app
    from lms.assessments.attempts import read_response
    from lms.auth.models import User
    from lms.extensions import db
    from lms.recruitment import results_log
    from lms.recruitment.models import Candidate, ExamAttempt

    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    sent = lost = open_papers = 0
    with app.app_context():
        users = dict(db.session.execute(select(User.username, User.id)).all())
        for username, answers in stats.acknowledged.items():
            cand = db.session.scalar(select(Candidate).where(Candidate.user_id == users[username]))
            attempt = db.session.scalar(
                select(ExamAttempt).where(ExamAttempt.candidate_id == cand.id)
            )
            open_papers += attempt.status != "submitted"
            for slot in attempt.slots:
                key = f"r{slot.id}"
                if key in answers:
                    sent += 1
                    wanted = read_response(
                        slot.question.kind, slot.id, slot.shown, {key: [answers[key]]}
                    )
                    lost += slot.response != wanted
        return sent, lost, open_papers, results_log.verify()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--candidates", type=int, default=500)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--every", type=float, default=6.0, help="seconds between answers")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which they arrive")
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--port", type=int, default=8077)
    args = parser.parse_args(argv)

    began = time.time()
    prepare(args.database_url, args.candidates, args.questions)
    print(f"prepared {args.candidates} candidates in {time.time() - began:.0f} s", flush=True)
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        GUNICORN_APP='lms:create_app("development", {"RATELIMIT_ENABLED": False})',
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                requests.get(base + "/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.5)
        stats = Stats()
        start = time.time() + 1
        threads = [
            threading.Thread(
                target=candidate,
                args=(base, n, stats, args.every, start + args.ramp * (n - 1) / args.candidates),
                daemon=True,
            )
            for n in range(1, args.candidates + 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.time() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{args.candidates} candidates, {args.questions} questions, one answer every "
        f"{args.every:g} s, arriving over {args.ramp:g} s; {args.workers} gunicorn workers; "
        f"{took:.0f} s"
    )
    print(f"{'request':<12} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in sorted(stats.times.items()):
        values = sorted(values)
        p95 = values[max(int(len(values) * 0.95) - 1, 0)]
        print(
            f"{kind:<12} {len(values):>6} {statistics.median(values):>8.0f} {p95:>8.0f} "
            f"{values[-1]:>8.0f}"
        )
    sent, lost, open_papers, problems = check(args.database_url, stats)
    print(f"failures: {len(stats.failures)} {sorted(set(stats.failures))[:5]}")
    print(
        f"answers acknowledged: {sent}; lost: {lost}; papers not submitted: {open_papers}; "
        f"results log problems: {len(problems)}"
    )
    if lost or open_papers or problems or stats.failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
