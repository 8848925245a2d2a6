"""The demo as `make run` sets it up, for scenario and browser tests: the Makefile's `run`
target after `db upgrade` (the tests build the schema), in its order."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "Demo@2026"
MAKE_RUN = (
    ["demo", "load"],
    ["courses", "import", str(ROOT / "courses")],
    ["questions", "sync"],
    ["demo", "satisfaction"],
    ["curricula", "demo"],
    ["demo", "history"],
    ["demo", "activity"],
    ["certificates", "issue"],
    ["demo", "close-past"],
)


def set_up_like_make_run(app, runner, monkeypatch, assets: Path) -> None:
    """Run `make run`'s set-up commands on the test database (course assets under `assets`);
    the caller freezes the clock first."""
    monkeypatch.setitem(app.config, "LMS_COURSE_ASSETS_DIR", str(assets))
    # The demo's external training evidence goes beside the assets, not into instance/.
    monkeypatch.setattr("lms.curricula.external.evidence.instance", lambda: assets.parent)
    for args in MAKE_RUN:
        result = runner.invoke(args=args)
        assert result.exit_code == 0, (args, result.output)
