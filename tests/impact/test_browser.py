"""The leadership dashboard in a real Chromium: on a desktop and a 360 px phone nothing runs off the side,
every asset loads from the server itself, the heatmap drills down to an office and a table exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.models import Office, Role, User
from perjumpaan.program.models import Enrollment, RolloutWave
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.service.models import Service, ServiceRecord
from tests.browser import Recorder, for_the_guide
from tests.e2e.test_login_browser import PASSWORD, assert_png, log_in, regency
from tests.rollup.helpers import wita

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[Page, str], Path]


def dashboard_data() -> None:
    """DUKCAPIL enrolled ten weeks ago, serving two citizens a day for twenty weeks; a leadership login."""
    data = regency()
    dukcapil, pupr = data["dukcapil"], data["pupr"]
    assert isinstance(dukcapil, Office) and isinstance(pupr, Office)
    today = local_today(zone())
    monday = today - dt.timedelta(days=today.weekday())
    wave = RolloutWave.objects.create(government=dukcapil.government, number=1, name="Percontohan")
    Enrollment.objects.create(office=dukcapil, wave=wave, enrolled_on=monday - dt.timedelta(weeks=10))
    records = []
    for office in (dukcapil, pupr):
        service = Service.objects.create(office=office, code="S", name="Layanan")
        for week in range(1, 21):
            day = monday - dt.timedelta(weeks=week) + dt.timedelta(days=1)
            for n, wait in enumerate((12, 18)):
                arrival = wita(day, 9, n)
                records.append(
                    ServiceRecord(
                        office=office,
                        service=service,
                        date=day,
                        ticket=f"A{n}",
                        arrival=arrival,
                        called=arrival + dt.timedelta(minutes=wait),
                        finished=arrival + dt.timedelta(minutes=wait + 6),
                        result=ServiceRecord.Result.DONE,
                    )
                )
    ServiceRecord.objects.bulk_create(records)
    rollup_rebuild(offices=[dukcapil, pupr])
    leader = User.objects.create_user(username="pimpinan", password=PASSWORD)
    Role.objects.create(user=leader, kind=Role.Kind.LEADERSHIP, government=dukcapil.government)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def test_leadership_reads_the_dashboard_on_a_desktop_and_drills_down(
    desktop: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    dashboard_data()
    log_in(desktop, "pimpinan")
    desktop.get_by_role("link", name="Dasbor", exact=True).first.click()
    expect(desktop.get_by_role("heading", level=1)).to_have_text("Dasbor Sekolah Perjumpaan")
    expect(desktop.locator("table.heatmap")).to_be_visible()
    expect(desktop.locator("svg.chart").first).to_be_visible()
    no_sideways_scroll(desktop)
    assert_png(for_the_guide(screenshot(desktop, "pimpinan-1-dasbor")))
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Ekspor CSV: Waktu tunggu rata-rata per pekan (menit)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "Pekan (Senin),Peserta,Belum ikut"
    # Two citizens waiting 12 and 18 minutes every week: 15 on average, in both groups.
    assert ",15,15" in text
    desktop.locator("table.heatmap").get_by_role("link", name="DUKCAPIL").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(desktop.locator("main")).to_contain_text("Ikut program sejak")
    no_sideways_scroll(desktop)
    assert_png(for_the_guide(screenshot(desktop, "pimpinan-2-rincian-opd")))
    # The impact page says which inference it used and what the numbers allow one to say.
    desktop.goto("/dasbor/dampak/")
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    no_sideways_scroll(desktop)
    assert_png(for_the_guide(screenshot(desktop, "pimpinan-3-dampak")))
    # The monthly report for the Bupati, from the dashboard's form.
    desktop.goto("/dasbor/")
    month = desktop.locator("#bulan").input_value()
    report = desktop.context.request.get(f"/dasbor/laporan-bulanan.pdf?bulan={month}")
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF-")
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]
    # Chromium reports a navigation that became a download as aborted; nothing else may fail.
    assert [url for url in requests_seen.failed if "/dasbor/ekspor.csv" not in url] == []


def test_the_dashboard_fits_a_phone(
    phone: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    dashboard_data()
    log_in(phone, "pimpinan")
    for url, name in (
        ("/dasbor/", "dasbor-phone"),
        ("/dasbor/opd/DUKCAPIL/", "dasbor-opd-phone"),
        ("/dasbor/panel/", "dasbor-panel-phone"),
        ("/dasbor/dampak/", "dasbor-dampak-phone"),
    ):
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        no_sideways_scroll(phone)
        assert_png(screenshot(phone, name))
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]
    assert requests_seen.failed == []
