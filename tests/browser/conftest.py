"""Playwright against Debian's Chromium, with axe-core on every page a journey visits.

In CI (PORTAL_REQUIRE_BROWSER=1) a missing browser fails the run. Elsewhere the browser tests
are skipped with a loud notice at the end of the run, never silently.
"""

import os
import shutil
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests import summary

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package."
        if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        summary.add("BROWSER TESTS DID NOT RUN", message, warning=True)
        summary.add("BROWSER TESTS DID NOT RUN",
                    "Accessibility (axe) and browser journeys were NOT checked.", warning=True)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Run axe (WCAG 2.0-2.2 A and AA) on the page as it is now; fail on any violation."""
    checked: list[str] = []

    def check(page):
        from playwright.sync_api import Error

        # A click that navigates returns before the next page is there: axe run while the old
        # document is being replaced finds no document (or loses its context). Wait for the page
        # that is loading, then check that one.
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                results = axe.run(page, options={
                    "runOnly": {"type": "tag", "values": WCAG_TAGS},
                    "resultTypes": ["violations"]})
                break
            except Error as error:
                navigating = ("documentElement" in error.message
                              or "Execution context was destroyed" in error.message)
                if not navigating or attempt == 2:
                    raise
        assert results.violations_count == 0, (
            f"Accessibility violations on {page.url}:\n{results.generate_report()}")
        checked.append(page.url)

    check.pages = checked
    return check


# The time step each secret last signed in with during this test. The portal refuses a code
# that was used already (a replayed code), so a second sign-in as the same person within one
# 30-second step waits for the next step, as a person with an authenticator app would.
_steps_used: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _fresh_totp_steps():
    _steps_used.clear()


def totp_code(secret: str) -> str:
    step = int(time.time()) // 30
    if _steps_used.get(secret, -1) >= step:
        step = _steps_used[secret] + 1
        time.sleep(max(0.0, step * 30 - time.time()) + 0.2)
    _steps_used[secret] = step
    return format_hotp_value(hotp_value(secret, step))
