"""Browser fixtures: the session app served over HTTP by a live Werkzeug server, and a headless
Chromium driven by Playwright's sync API (axe-core checks live in tests/e2e/axe.py).

The tests skip (with a message) where no Chromium executable is installed. Playwright's sync API
marks an event loop as running in this thread while it is alive, so it lives in a module fixture
and is stopped at teardown, before the plain test-client tests of the suite run."""

import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


def chromium_executable() -> str | None:
    """The system Chromium (Debian's `chromium`), or None; never Playwright's own download."""
    found = shutil.which("chromium")
    if found:
        return found
    fallback = Path("/usr/bin/chromium")
    return str(fallback) if fallback.exists() else None


@pytest.fixture(autouse=True)
def first_logins(request):
    """In the browser every login is a real one: users made by a browser test have not
    acknowledged the privacy notice, so their first login shows it (tests.e2e.test_journey's
    `log_in` acknowledges it)."""
    if request.node.get_closest_marker("browser"):
        request.getfixturevalue("notice_unacknowledged")


@pytest.fixture(scope="session")
def live_server(app):
    """The session app served on a free local port in a daemon thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module; Playwright is stopped when the module ends."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip("no Chromium executable found (apt-get install chromium): browser tests skip")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page(width=…) → a page in a fresh Vietnamese context; all are closed after the test."""
    contexts = []

    def _new_page(width: int = 1280, height: int = 800):
        context = browser.new_context(
            base_url=live_server,
            locale="vi-VN",
            bypass_csp=True,  # axe-core is injected as an inline script
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        for page in context.pages:
            page.close()
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page in a fresh Vietnamese browser context."""
    return new_page()
