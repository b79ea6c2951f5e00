"""The browser fixtures every browser test uses, registered once in tests/conftest.py so that one
Chromium serves the whole session: Debian's Chromium driven through Playwright's sync API against
Django's live server.

Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls from a thread
with a running loop unless told that this is safe; here it is, because the test and the browser take
turns and never touch the database at the same time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where the lead looks at screenshots when PERJUMPAAN_SHOTS is set; a fixed, agreed place.
SHOTS_DIR = Path("/tmp/perjumpaan-shots")  # noqa: S108
# The user guide's screenshots (docs/panduan/ shows them), refreshed by running the browser tests with
# PERJUMPAAN_GUIDE_SHOTS set.
GUIDE_SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def for_the_guide(path: Path) -> Path:
    """Copy a screenshot to docs/screenshots/ when PERJUMPAAN_GUIDE_SHOTS is set."""
    if os.environ.get("PERJUMPAAN_GUIDE_SHOTS"):
        GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, GUIDE_SHOTS / path.name)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("PERJUMPAAN_CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = (
            f"no Chromium at {executable}: install Debian's (apt-get install chromium) "
            "or point PERJUMPAAN_CHROMIUM at one"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests cannot be skipped in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Recorder:
    """Every URL the page requested and every one that failed, so a test can assert that nothing left
    the live server and that every stylesheet, script and image arrived."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.failed: list[str] = []

    def foreign(self, base_url: str) -> list[str]:
        origin = urlsplit(base_url).netloc
        return [
            url
            for url in self.urls
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != origin
        ]


@pytest.fixture
def requests_seen() -> Recorder:
    return Recorder()


def _page(browser: Browser, base_url: str, recorder: Recorder, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        locale="id-ID",
        timezone_id="Asia/Makassar",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("request", lambda request: recorder.urls.append(request.url))
    # A load the browser cancelled because the page moved on (net::ERR_ABORTED: a navigation, a download, the
    # service worker still caching) is not a failure; a missing asset answers 404 and is caught below.
    page.on(
        "requestfailed",
        lambda request: (
            recorder.failed.append(f"{request.url} ({request.failure})")
            if "net::ERR_ABORTED" not in str(request.failure)
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            recorder.failed.append(f"{response.url} ({response.status})")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone(browser: Browser, live_server: Any, requests_seen: Recorder) -> Iterator[Page]:
    """A fresh page the size of a 360 px wide phone, in Indonesian and WITA."""
    yield from _page(browser, live_server.url, requests_seen, 360, 800)


@pytest.fixture
def desktop(browser: Browser, live_server: Any, requests_seen: Recorder) -> Iterator[Page]:
    """A fresh page the size of an office desktop."""
    yield from _page(browser, live_server.url, requests_seen, 1280, 800)


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[Page, str], Path]:
    """Save a full-page PNG of a page; a copy goes to /tmp/perjumpaan-shots/ when PERJUMPAAN_SHOTS is set."""

    def take(page: Page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if os.environ.get("PERJUMPAAN_SHOTS"):
            SHOTS_DIR.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, SHOTS_DIR / path.name)
        return path

    return take
