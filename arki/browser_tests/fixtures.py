"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Run with ``make test-browser`` (collects static files, then ``pytest -m browser``).
Fixtures: ``browser`` (one per session), ``page`` (a desktop context) and ``phone_page``
(a phone-sized one), ``login`` (fills the login form like a user does), ``axe`` (runs the
vendored axe-core and fails on any WCAG 2.1 A/AA violation) and ``world`` (the personas,
from ``arki/conftest.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ARKI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "correct horse battery"  # noqa: S105 (the test users' password, factories.py)
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    # Playwright is needed only by the browser tests (marker ``browser``), not by the suite.
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    # Playwright's sync API keeps an event loop in this thread; the test code itself is
    # synchronous, so Django's guard against ORM calls from async code does not apply here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        # launch() gives every run a fresh, temporary user-data directory.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_page(browser: Any, live_server: Any, viewport: dict, **options: Any) -> Any:
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        locale="fi-FI",
        accept_downloads=True,
        **options,
    )
    context.set_default_timeout(10_000)
    # A page that the server renders after a POST may take longer on a loaded CI machine (the
    # observation grouping runs on save); waiting for it is not what the tests check.
    context.set_default_navigation_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: _console_error(errors, message))
    page.js_errors = errors  # type: ignore[attr-defined]
    return page


def _console_error(errors: list[str], message: Any) -> None:
    # A 404 or 403 page under test logs "Failed to load resource"; anything else (a script
    # error, a CSP violation from an inline script or style) is a defect.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _close(page: Any) -> None:
    errors = list(page.js_errors)
    page.context.close()
    assert errors == [], "JavaScript or CSP errors in the browser:\n" + "\n".join(errors)


@pytest.fixture
def page(browser, live_server) -> Iterator[Any]:
    """A desktop-sized page in a fresh context (no cookies), Finnish like most users."""
    page = _new_page(browser, live_server, DESKTOP)
    yield page
    _close(page)


@pytest.fixture
def phone_page(browser, live_server) -> Iterator[Any]:
    """A phone-sized page (390×844, touch) in a fresh context."""
    page = _new_page(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    yield page
    _close(page)


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Any]]:
    """Make more pages (another user in another context) within one test."""
    pages: list[Any] = []

    def make(viewport: dict | None = None) -> Any:
        page = _new_page(browser, live_server, viewport or DESKTOP)
        pages.append(page)
        return page

    yield make
    for page in pages:
        _close(page)


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Open the login page and fill the form the way a user does."""
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def login() -> Callable[..., None]:
    return log_in


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def run_axe(page: Any, context: str | None = None) -> list[dict]:
    """Run axe-core on the current page; returns the WCAG 2.1 A/AA violations.

    The page's CSP allows only nonce'd scripts, so axe is evaluated through the DevTools
    protocol (page.evaluate), which CSP does not govern, rather than added as a script tag.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = page.evaluate(
        "([context, options]) => window.axe.run(context || document, options)",
        [context, options],
    )
    return results["violations"]


def assert_accessible(page: Any, context: str | None = None) -> None:
    violations = run_axe(page, context)
    assert not violations, (
        f"axe found {len(violations)} WCAG 2.1 A/AA violation(s) on {page.url}:\n"
        + format_violations(violations)
    )


@pytest.fixture
def axe() -> Callable[..., None]:
    """``axe(page)`` asserts that the page has no WCAG 2.1 A/AA violations."""
    return assert_accessible
