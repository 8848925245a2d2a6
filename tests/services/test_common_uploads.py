"""lms.common.uploads, the job folders and the flow every import and the certificate bulk
download run on: the one token rule (no path can be named), the state a folder goes through,
the one failure rule (state "failed" with the reason, nothing half-written, a run taken over
leaves the state alone), and a step re-run after a dead worker doing nothing twice."""

import json
import os
import stat
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from lms.audit import services as audit
from lms.audit.models import AuditEntry
from lms.common import uploads
from lms.errors import RuleViolation
from lms.i18n import _
from lms.jobs.lease import LeaseLost

STORE = uploads.JobStore("test_uploads", "test_folders", "test folders")
uploads._STORES.remove(STORE)  # not one of the application's (retention counts)


@pytest.fixture
def instance(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    with app.test_request_context():
        yield Path(app.instance_path)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


BAD_TOKENS = [
    "",
    "short",
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "../" + "a" * 22,
    "a" * 22 + "/..",
    "/etc/passwd" + "a" * 10,
    "/" + "a" * 21,
    "C:\\Windows\\system32xx",
    "a" * 21 + "\x00",
    "a" * 11 + "\x00" + "a" * 10,
    "a" * 65,
    "A" * 300,
    "a" * 22 + "\n",
    "aaaaaaaaaaaaaaaaaaaaa.",
    None,
    12345678901234567890,
    ["a" * 22],
]


@pytest.mark.parametrize("token", BAD_TOKENS, ids=repr)
def test_the_token_rule_refuses_what_could_be_a_path(token, instance):
    assert not uploads.valid_token(token)
    assert STORE.find(token) is None
    assert STORE.owned(token, 1, "x") is None


def test_no_folder_outside_the_store_is_found_even_if_it_exists(instance):
    outside = instance / "secret"
    outside.mkdir(parents=True)
    (outside / "meta.json").write_text(json.dumps({"user_id": 1, "kind": "x"}))
    (STORE.root()).mkdir(parents=True)
    for token in ("../secret", "..%2Fsecret", str(outside), "./../secret"):
        assert STORE.find(token) is None
    folder = STORE.create(1, "x", "busy")
    assert uploads.valid_token(folder.name) and STORE.find(folder.name) == folder


def test_a_new_folder_is_private_and_records_owner_kind_scope_and_state(instance, freeze):
    from datetime import datetime

    freeze(datetime(2026, 3, 1, 3, 0))
    previous = os.umask(0o022)
    try:
        folder = STORE.create(7, "things", "busy", scope=["DN.SNV"], payload={"a.csv": b"x"}, n=3)
    finally:
        os.umask(previous)
    assert folder.parent == STORE.root() == instance / "test_uploads"
    assert mode(STORE.root()) == mode(folder) == 0o700
    assert mode(folder / "meta.json") == mode(folder / "a.csv") == 0o600
    meta = uploads.read_meta(folder)
    assert {k: meta[k] for k in ("user_id", "kind", "scope", "state", "done", "n")} == {
        "user_id": 7,
        "kind": "things",
        "scope": ["DN.SNV"],
        "state": "busy",
        "done": 0,
        "n": 3,
    }
    assert str(uploads.created_on(folder)) == "2026-03-01"
    assert STORE.owned(folder.name, 7, "things") == folder
    assert STORE.owned(folder.name, 8, "things") is None  # another user's
    assert STORE.owned(folder.name, 7, "other") is None  # another flow's
    assert list(STORE.folders()) == [folder]
    assert sorted(p.name for p in folder.iterdir()) == ["a.csv", "meta.json"]  # no temporary


def test_a_folder_without_a_kind_is_of_the_stores_legacy_kind(instance):
    folder = uploads.IMPORTS.create(3, "officials", "ready")
    meta = uploads.read_meta(folder)
    del meta["kind"]
    uploads.write_json(folder / "meta.json", meta)
    assert uploads.IMPORTS.owned(folder.name, 3, "officials") == folder
    assert uploads.IMPORTS.owned(folder.name, 3, "completions") is None


# --- steps and the failure rule --------------------------------------------------------------


class FakeContext:
    """What a job sees of its run: an actor, progress, a lease that may be lost."""

    def __init__(self, actor_id, lost=False):
        self.actor = type("Actor", (), {"id": actor_id})()
        self.lost, self.reports = lost, []

    def progress(self, done, total=None, message=None):
        if self.lost:
            raise LeaseLost("taken over")
        self.reports.append((done, total, message))

    def check_lease(self):
        if self.lost:
            raise LeaseLost("taken over")


def work(step, queued=None):
    def enqueue(name, actor=None, key=None, **params):
        queued.append((name, key, params))
        return type("Run", (), {"id": 41})()

    spec = uploads.StepSpec(step, ("busy",), "Working")
    return uploads.Work(STORE, "things", "tests.things", {"go": spec}, enqueue)


def _audited(db) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.object_id == "uploads-test")
    )


def _writes_then(error):
    def step(s):
        audit.record(
            None, "files.expired_removed", "files", "uploads-test"
        )  # written, then rolled back
        if error is not None:
            raise error
        s.update(state="done", result=1)

    return step


def test_a_step_runs_from_its_state_and_a_repeat_does_nothing(instance, db):
    calls = []
    flow = work(lambda s: calls.append(s.params) or s.update(state="done"))
    folder = STORE.create(1, "things", "busy")
    user = type("U", (), {"id": 1})()
    flow.start(folder, "go", background=False, actor=user, a=1)
    flow.start(folder, "go", background=False, actor=user, a=2)  # done: not run again
    assert calls == [{"a": 1}] and uploads.read_meta(folder)["state"] == "done"
    assert flow.run_as_job(FakeContext(1), folder.name, "go") == {"state": "done"}
    assert calls == [{"a": 1}]


def test_a_queued_step_records_its_run_and_goes_out_with_its_parameters(instance, db):
    queued = []
    flow = work(None, queued)
    folder = STORE.create(1, "things", "busy")
    flow.start(folder, "go", background=True, actor=None, key="k", base="b")
    assert queued == [("tests.things", "k", {"token": folder.name, "base": "b"})]
    assert uploads.read_meta(folder)["run_id"] == 41


def test_an_inline_step_that_fails_is_marked_failed_and_writes_nothing(instance, db):
    folder = STORE.create(1, "things", "busy")
    work(_writes_then(RuntimeError("disk full"))).start(folder, "go", background=False, actor=None)
    meta = uploads.read_meta(folder)
    assert (meta["state"], meta["error"]) == ("failed", "disk full")
    assert _audited(db) == 0


def test_a_failure_keeps_the_reason_in_the_users_language(instance, db):
    folder = STORE.create(1, "things", "busy")
    with force_locale("vi"):
        reason = _("No certificate in your scope matches.")
        work(_writes_then(RuleViolation(reason))).start(folder, "go", background=False, actor=None)
    assert uploads.read_meta(folder)["error"] == reason != "No certificate in your scope matches."


def test_a_queued_step_that_fails_is_marked_failed_and_fails_its_run(instance, db):
    folder = STORE.create(1, "things", "busy")
    flow = work(_writes_then(ValueError("x" * 900)))
    with pytest.raises(ValueError):
        flow.run_as_job(FakeContext(1), folder.name, "go")
    meta = uploads.read_meta(folder)
    assert meta["state"] == "failed" and meta["error"] == "x" * uploads.MAX_REASON
    assert _audited(db) == 0


def test_a_run_taken_over_leaves_the_state_to_the_run_that_took_it(instance, db):
    folder = STORE.create(1, "things", "busy")

    def step(s):
        audit.record(None, "files.expired_removed", "files", "uploads-test")
        s.tell(1, 2)  # the lease is checked here

    with pytest.raises(LeaseLost):
        work(step).run_as_job(FakeContext(1, lost=True), folder.name, "go")
    meta = uploads.read_meta(folder)
    assert meta["state"] == "busy" and "error" not in meta
    assert _audited(db) == 0


def test_a_job_refuses_a_folder_of_another_owner_or_kind_and_a_bad_token(instance, db):
    flow = work(_writes_then(None))
    mine = STORE.create(1, "things", "busy")
    other = STORE.create(1, "other", "busy")
    with pytest.raises(PermissionError):
        flow.run_as_job(FakeContext(2), mine.name, "go")
    with pytest.raises(ValueError):
        flow.run_as_job(FakeContext(1), other.name, "go")
    with pytest.raises(ValueError):
        flow.run_as_job(FakeContext(1), mine.name, "../go")
    assert flow.run_as_job(FakeContext(1), "../" + mine.name, "go") == {
        "missing": "../" + mine.name
    }
    assert uploads.read_meta(mine)["state"] == uploads.read_meta(other)["state"] == "busy"
    assert flow.run_as_job(FakeContext(1), mine.name, "go") == {"state": "done"}


def test_row_progress_goes_to_the_folder_and_the_job_every_thousand_rows(instance, db):
    folder = STORE.create(1, "things", "busy", rows=2500)
    ctx = FakeContext(1)

    def step(s):
        for _row in range(2500):
            s.count_row()

    work(step).run_as_job(ctx, folder.name, "go")
    assert uploads.read_meta(folder)["done"] == 2000
    assert ctx.reports == [(1000, 2500, "Working"), (2000, 2500, "Working")]


def test_the_application_stores_are_the_imports_and_the_bulk_downloads(app):
    from lms.certificates import bulk

    names = [(s.name, s.counted_as) for s in uploads.stores()]
    assert names == [("imports", "uploads"), ("certificate_bulk", "bulk_zips")]
    assert bulk.WORK.store is bulk.STORE
