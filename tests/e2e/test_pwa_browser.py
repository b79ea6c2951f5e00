"""First run and the installable app, in a real Chromium against the live server: the /mulai/ wizard on an
empty database, the web app manifest, the service worker, and the offline page when the network is gone."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from perjumpaan.org.models import Employee, Government, Office, User
from perjumpaan.org.nip import nip_compose
from perjumpaan.program.services import gathering_add
from tests.browser import Recorder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-uji-123"
ADMIN_PASSWORD = "Giri-Menang-2026!"
Screenshot = Callable[[Page, str], Path]


def staff_member() -> Employee:
    gov = Government.objects.create(name="Kabupaten Lombok Barat", slug="lombok-barat")
    office = Office.objects.create(
        government=gov, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
    )
    user = User.objects.create_user(username="baiq.nurul", password=PASSWORD)
    employee = Employee.objects.create(
        government=gov,
        office=office,
        user=user,
        nip=nip_compose(birth=dt.date(1990, 5, 17), tmt=dt.date(2015, 3, 1), gender="P", serial=1),
        name="Baiq Nurul Aini",
        gender="P",
        track="islam",
    )
    gathering_add(office=office, start=timezone.now() + dt.timedelta(hours=2), minutes=45)
    return employee


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []

    def seen(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            found.append(message.text[:300])

    page.on("console", seen)
    return found


def worker_ready(page: Page) -> dict[str, str]:
    """Wait for the service worker to be active and in control of the page; its script URL and scope."""
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=15_000
    )
    return page.evaluate(
        "navigator.serviceWorker.ready.then(r => ({script: r.active.scriptURL, scope: r.scope}))"
    )


def test_a_new_regency_sets_itself_up_in_the_browser(
    phone: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    violations = csp_violations(phone)
    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/mulai/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Penyiapan awal Sekolah Perjumpaan")
    screenshot(phone, "setup-wizard-empty")

    phone.get_by_label("Nama pemerintah daerah").fill("Kabupaten Lombok Barat")
    phone.get_by_label("Lintang").fill("8,6936")  # the minus sign forgotten
    phone.get_by_label("Bujur").fill("116,1230")
    phone.get_by_label("Alamat untuk kop surat").fill("Jl. Soekarno-Hatta No. 1, Giri Menang, Gerung")
    phone.get_by_label("Nama lengkap admin").fill("Lalu Ahmad Zaini")
    phone.get_by_label("Nama pengguna admin").fill("admin.lobar")
    phone.get_by_label("Kata sandi admin").fill(ADMIN_PASSWORD)
    phone.get_by_label("Ulangi kata sandi").fill(ADMIN_PASSWORD)
    # A regency without a marine affairs office unticks it; it adds its kecamatan.
    phone.get_by_label(re.compile("Dinas Kelautan dan Perikanan")).uncheck()
    phone.get_by_label(re.compile("^Kecamatan")).fill("Gerung\nBatu Layar")
    phone.get_by_role("button", name="Simpan dan mulai").click()

    expect(phone.locator(".msg-error")).to_contain_text("tidak ada yang disimpan")
    expect(phone.locator("main")).to_contain_text("Lintang 8,6936 berada di luar wilayah Indonesia")
    expect(phone.get_by_label("Nama pemerintah daerah")).to_have_value("Kabupaten Lombok Barat")
    expect(phone.get_by_label(re.compile("Dinas Kelautan dan Perikanan"))).not_to_be_checked()
    screenshot(phone, "setup-wizard-mistake")
    assert Government.objects.count() == 0

    phone.get_by_label("Lintang").fill("-8,6936")
    phone.get_by_label("Kata sandi admin").fill(ADMIN_PASSWORD)  # passwords are never sent back
    phone.get_by_label("Ulangi kata sandi").fill(ADMIN_PASSWORD)
    phone.get_by_role("button", name="Simpan dan mulai").click()

    expect(phone).to_have_url(re.compile(r"/mulai/selesai/$"))
    expect(phone.locator(".msg-success")).to_contain_text("Pemerintah Kabupaten Lombok Barat siap dipakai")
    table = phone.locator("main .import-list")
    expect(table).to_contain_text("Kecamatan Batu Layar")
    expect(table).not_to_contain_text("Dinas Kelautan dan Perikanan")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    screenshot(phone, "setup-wizard-done")

    phone.get_by_role("link", name="Impor pegawai DUKCAPIL").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Impor pegawai DUKCAPIL")

    # Closed for good: a second visitor finds nothing to set up.
    phone.context.clear_cookies()
    response = phone.goto("/mulai/")
    assert response is not None and response.status == 404
    assert violations == []
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]


def test_the_manifest_is_found_and_valid(desktop: Page, live_server: object) -> None:
    desktop.goto("/masuk/")
    cdp = desktop.context.new_cdp_session(desktop)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest["errors"] == [], manifest["errors"]
    data = json.loads(manifest["data"])
    assert data["name"] == "Sekolah Perjumpaan"
    assert data["start_url"] == "/hari-ini/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#0f766e"
    # Every icon the manifest names arrives as a PNG of the size it claims.
    for icon in data["icons"]:
        response = desktop.request.get(icon["src"])
        assert response.ok, icon["src"]
        body = response.body()
        assert body.startswith(b"\x89PNG"), icon["src"]
        width, height = int.from_bytes(body[16:20], "big"), int.from_bytes(body[20:24], "big")
        assert f"{width}x{height}" == icon["sizes"], icon


def test_offline_a_page_shows_the_offline_page_and_nothing_personal_is_stored(
    phone: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    employee = staff_member()
    violations = csp_violations(phone)
    log_in(phone, "baiq.nurul")
    phone.goto("/hari-ini/")
    worker = worker_ready(phone)
    assert worker["script"] == f"{live_server.url}/sw.js"  # type: ignore[attr-defined]
    assert worker["scope"] == f"{live_server.url}/"  # type: ignore[attr-defined]
    # Personal pages visited online, under the worker's control: none of them may be stored.
    phone.reload()
    expect(phone.locator("main")).to_contain_text("Baiq Nurul Aini")
    phone.goto("/saya/")

    phone.context.set_offline(True)
    try:
        phone.goto("/hari-ini/")
        expect(phone.get_by_role("heading", level=1)).to_have_text("Tidak ada sambungan internet")
        expect(phone.locator("body")).not_to_contain_text(employee.name)
        screenshot(phone, "offline-page")
        # The stylesheet came from the worker's cache: the offline page keeps the app's look.
        colour = phone.evaluate("getComputedStyle(document.querySelector('.topbar')).backgroundColor")
        assert colour == "rgb(15, 118, 110)"
    finally:
        phone.context.set_offline(False)

    stored: list[str] = phone.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(request.method + " " + request.url);
            }
            return urls;
        }"""
    )
    base = live_server.url  # type: ignore[attr-defined]
    assert f"GET {base}/luring/" in stored
    assert any(url.endswith("/perjumpaan/app.css") for url in stored)
    personal = [
        url for url in stored if not (url.startswith(f"GET {base}/static/") or url == f"GET {base}/luring/")
    ]
    assert personal == []
    assert violations == []
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]
