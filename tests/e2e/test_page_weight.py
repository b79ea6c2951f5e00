"""Page weight on a phone over slow 3G: the bytes the main pages of a staff member's day transfer on a
first visit (nothing cached), measured in Chromium through the DevTools protocol with the network
throttled to DevTools' "Slow 3G" profile.

The budget is on bytes, which are deterministic; the load time under throttling is recorded (set
PERJUMPAAN_WEIGHT_REPORT=/path/to/file.json to keep the figures) but never asserted: speed is for
benchmarks, not tests. The figures are written down in docs/performance-mobile.md.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page

from perjumpaan.attendance.codes import code_make
from perjumpaan.org.models import Employee, Government, Office, User
from perjumpaan.org.nip import nip_compose
from perjumpaan.program.services import gathering_add

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# DevTools' "Slow 3G": 400 kbit/s down and up (50,000 bytes a second), 2 s of round-trip latency.
SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
    "connectionType": "cellular3g",
}
# Issue 11 sets 300 KB transferred for "Hari ini" as the ceiling. The pages weigh about 45 KB today
# (docs/performance-mobile.md), so the budget held is 100 KB: a regression shows long before the ceiling.
CEILING_BYTES = 300_000
BUDGET_BYTES = 100_000


class Weighing:
    """Every response the page received over the network, with the bytes it took (headers included)."""

    def __init__(self, page: Page) -> None:
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        self.cdp.on("Network.requestWillBeSent", self.sent)
        self.cdp.on("Network.loadingFinished", self.finished)

    def sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def finished(self, event: dict[str, Any]) -> None:
        self.bytes[event["requestId"]] = int(event["encodedDataLength"])

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    def by_url(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for request_id, size in self.bytes.items():
            url = self.urls.get(request_id, request_id)
            sizes[url] = sizes.get(url, 0) + size
        return sizes


@pytest.fixture
def weigh(browser: Browser, live_server: Any) -> Iterator[Any]:
    """weigh(path, session=None): load `path` once, cold, on a 360 × 800 phone over slow 3G."""
    contexts = []

    def load(path: str, session: str | None = None) -> dict[str, Any]:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 360, "height": 800},
            locale="id-ID",
            timezone_id="Asia/Makassar",
            service_workers="block",  # a first visit: nothing installed yet
        )
        contexts.append(context)
        context.set_default_timeout(90_000)
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        weighing = Weighing(page)
        response = page.goto(path, wait_until="load")
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        return {
            "path": path,
            "bytes": weighing.total,
            "requests": len(weighing.bytes),
            "load_ms": round(load_ms),
            "resources": weighing.by_url(),
        }

    yield load
    for context in contexts:
        context.close()


def staff_day() -> tuple[str, str]:
    """A staff member with a gathering today; their session cookie and today's check-in path."""
    gov = Government.objects.create(name="Kabupaten Lombok Barat", slug="lombok-barat")
    office = Office.objects.create(
        government=gov, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
    )
    user = User.objects.create_user(username="baiq.nurul", password="rahasia-uji-123")
    Employee.objects.create(
        government=gov,
        office=office,
        user=user,
        nip=nip_compose(birth=dt.date(1990, 5, 17), tmt=dt.date(2015, 3, 1), gender="P", serial=1),
        name="Baiq Nurul Aini",
        gender="P",
        track="islam",
        position="Pengadministrasi Kependudukan",
    )
    now = timezone.now()
    gathering = gathering_add(office=office, start=now - dt.timedelta(minutes=5), minutes=45)
    code, _expires = code_make(gathering_id=gathering.pk, moment=now, seconds=gathering.rules.code_seconds)
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value, f"/c/{code}/"


def test_the_main_pages_stay_within_the_budget_on_slow_3g(weigh: Any) -> None:
    session, checkin = staff_day()
    pages = {
        "login": weigh("/masuk/"),
        "today": weigh("/hari-ini/", session),
        "checkin": weigh(checkin, session),
    }
    report = os.environ.get("PERJUMPAAN_WEIGHT_REPORT")
    if report:
        Path(report).write_text(json.dumps(pages, indent=2), encoding="utf-8")

    stylesheet = finders.find("perjumpaan/app.css")
    assert isinstance(stylesheet, str)
    css_size = Path(stylesheet).stat().st_size
    for name, figures in pages.items():
        resources = figures["resources"]
        # The counting counts: the stylesheet arrived whole (its bytes and the response headers).
        css = [size for url, size in resources.items() if url.endswith("/perjumpaan/app.css")]
        assert css and css[0] >= css_size, f"{name}: app.css counted as {css}, the file is {css_size} bytes"
        assert figures["bytes"] <= BUDGET_BYTES, (
            f"{name}: {figures['bytes']} bytes > {BUDGET_BYTES}: {resources}"
        )
    assert any(url.endswith("/perjumpaan/checkin.js") for url in pages["checkin"]["resources"])
