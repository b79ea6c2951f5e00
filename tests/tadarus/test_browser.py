"""The tadarus pages in a real Chromium: on a 360 px phone nothing runs off the side, every asset loads,
and a member reports their juz with one tap."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.models import Role, User
from perjumpaan.program.models import Gathering
from perjumpaan.program.services import gathering_schedule
from perjumpaan.tadarus import services
from perjumpaan.tadarus.models import ReadingReport
from perjumpaan.tadarus.quran import Ref
from tests.browser import Recorder
from tests.e2e.test_login_browser import PASSWORD, log_in, regency
from tests.program.helpers import enrol_with_templates

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[Page, str], Path]


def tadarus_data() -> dict[str, object]:
    """DUKCAPIL reading two pages a gathering for two weeks, an ODOJ group and a tadabbur note."""
    data = regency()
    dukcapil = data["dukcapil"]
    today = local_today(zone())
    enrol_with_templates(dukcapil, since=today - dt.timedelta(days=21))  # type: ignore[arg-type]
    gathering_schedule(
        office=dukcapil,  # type: ignore[arg-type]
        start=today - dt.timedelta(days=21),
        end=today + dt.timedelta(days=10),
    )
    Gathering.objects.filter(office=dukcapil, date__lt=today).update(status=Gathering.Status.HELD)
    coordinator = User.objects.get(username="koordinator.dukcapil")
    services.khatam_plan_set(
        actor=coordinator,
        office=dukcapil,  # type: ignore[arg-type]
        valid_from=today - dt.timedelta(days=21),
        unit="pages",
        amount=2,
        start=Ref(1, 1),
    )
    staff = User.objects.get(username="baiq.nurul")
    group = services.reading_group_create(actor=staff, name="ODOJ Loket Pelayanan")
    leader = User.objects.create_user(username="pimpinan", password=PASSWORD)
    Role.objects.create(user=leader, kind=Role.Kind.LEADERSHIP, government=dukcapil.government)  # type: ignore[attr-defined]
    return {"group": group, **data}


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def test_a_member_reports_today_s_juz_on_a_phone(
    phone: Page, requests_seen: Recorder, live_server: object, screenshot: Screenshot
) -> None:
    data = tadarus_data()
    group = data["group"]
    log_in(phone, "baiq.nurul")
    phone.goto("/hari-ini/")
    expect(phone.get_by_text("Bacaan tadarus")).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "tadarus-hari-ini")
    phone.goto(f"/tadarus/grup/{group.pk}/")  # type: ignore[attr-defined]
    expect(phone.get_by_role("heading", name="Bacaan saya hari ini")).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "tadarus-grup")
    phone.get_by_role("button", name="Sudah saya baca").first.click()
    expect(phone.get_by_text("Alhamdulillah, laporan tercatat")).to_be_visible()
    assert ReadingReport.objects.filter(done=True).count() == 1
    for url, name in (("/tadarus/grup/", "tadarus-grup-saya"), ("/tadarus/tadabbur/", "tadarus-tadabbur")):
        phone.goto(url)
        no_sideways_scroll(phone)
        screenshot(phone, name)
    assert requests_seen.failed == []
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]


def test_the_office_tadarus_page_on_a_phone_and_the_summary_on_a_desktop(
    phone: Page, desktop: Page, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    tadarus_data()
    log_in(phone, "koordinator.dukcapil")
    phone.goto("/opd/DUKCAPIL/tadarus/")
    expect(phone.get_by_role("heading", name="Tadarus bersama DUKCAPIL")).to_be_visible()
    expect(phone.locator("progress.progress").first).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "tadarus-opd")
    log_in(desktop, "pimpinan")
    desktop.goto("/tadarus/ringkasan/")
    expect(desktop.get_by_role("heading", name="Ringkasan tadarus")).to_be_visible()
    screenshot(desktop, "tadarus-ringkasan")
    assert requests_seen.failed == []
