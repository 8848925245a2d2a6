"""The city generator of bench/ at a tiny scale, so a model change that breaks it fails here
rather than on the night someone runs `make bench`: the ledger it writes verifies, and the
compliance counts of lms.compliance.queries equal the benchmark's hand-written SQL floor."""

from sqlalchemy import select

from bench import floors
from bench.generate import bench_app, generate
from lms.common import clock
from lms.compliance import queries
from lms.curricula.ledger.seals import verify
from lms.extensions import db
from lms.organisation.models import OrgUnit


def test_generated_city_verifies_and_its_counts_equal_the_sql_floor(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'city.sqlite3'}"
    generate(url, officials=60, seed=7, check=False)
    assert "ledger_entries" in capsys.readouterr().out
    app = bench_app(url)
    with app.app_context():
        assert list(verify()) == []
        cycle = queries.cycle_by_year(clock.today().year)
        as_of = min(clock.today(), cycle.ends_on)
        floor = floors.Floor()
        for code, sql in (("DN", floors.CITY_STATUS_COUNTS), ("SGDDT", floors.STATUS_COUNTS)):
            unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
            params = floors.status_params(cycle, as_of, unit.path)
            expected = dict(floor.rows(sql, **params))
            assert sum(expected.values()) > 0
            assert queries.unit_counts(unit, cycle, as_of)["by_status"] == expected
        floor.close()
        db.session.remove()
        db.engine.dispose()


def test_the_load_test_reads_each_requests_time_in_gunicorn_from_the_access_log(
    tmp_path, monkeypatch
):
    """gunicorn.conf.py's access-log format ends with the milliseconds spent in the server;
    the load test sorts them by the locustfile's request names."""
    import runpy

    from bench import loadtest

    fmt = runpy.run_path("gunicorn.conf.py")["access_log_format"]
    atoms = {"h": "127.0.0.1", "l": "-", "u": "-", "t": "[27/Nov/2026:04:13:09 +0000]"}
    atoms |= {"f": "-", "a": "python/gevent-http-client-2.6.1", "b": "88", "s": "200"}
    requests = [
        ("POST /attempts/12/save HTTP/1.1", "7"),
        ("POST /attempts/12/save HTTP/1.1", "640"),
        ("GET /attempts/12?page=2 HTTP/1.1", "31"),
        ("POST /attempts/12 HTTP/1.1", "120"),
        ("POST /courses/BENCH30/test/start HTTP/1.1", "40"),
        ("GET /courses/BENCH30/test HTTP/1.1", "22"),
        ("POST /auth/login HTTP/1.1", "95"),
        ("GET /static/app.css HTTP/1.1", "1"),
    ]
    log = tmp_path / "access.log"
    log.write_text("".join(fmt % (atoms | {"r": r, "M": m}) + "\n" for r, m in requests))
    monkeypatch.setattr(loadtest, "ACCESS_LOG", log)
    times = loadtest.server_times(0)
    assert times == {
        "autosave": [7, 640],
        "attempt page": [31],
        "submit": [120],
        "start": [40],
        "test page": [22],
        "login": [95],
    }
    assert loadtest.server_times(2)["attempt page"] == [
        31
    ] and "autosave" not in loadtest.server_times(2)
    assert loadtest._p95([7, 640]) == 640


def test_the_load_test_reads_the_cpu_of_each_process_group_and_the_accept_queue():
    """What the load test prints about the hold: the cores a busy child process used (counted
    under "other", by process name) and the accept queue of a listening socket."""
    import socket
    import subprocess
    import sys
    import threading

    from bench import loadtest

    meter = loadtest.CpuMeter(step=0.1)
    sampler = threading.Thread(target=meter.run, args=(0.0, 600.0))
    sampler.start()
    busy = "import time\nend = time.process_time() + 1.0\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", busy], check=True)
    meter.stop()
    sampler.join()
    assert meter.used["other"] >= 0.8  # a second of CPU, less its last step before it ended
    assert meter.shares().startswith("cores used: other ")

    with socket.socket() as listener:  # two connections nobody accepted yet
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
        queue = loadtest.AcceptQueue(port)
        assert queue.read() == 2
        for client in clients:
            client.close()
    queue.samples = [0, 0, 0, 5]
    assert queue.summary() == "accept queue: empty in 75% of 4 readings, p95 5, max 5 connections"
