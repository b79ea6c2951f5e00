"""The coordinator's programme tools in a real Chromium: templates, an ad-hoc gathering with a clash,
moving one gathering, the curriculum progress; on a desktop and on a 360 px phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.org.models import Employee, Office
from perjumpaan.program.models import AgendaItem, Gathering, Lesson, Module
from perjumpaan.program.services import gathering_schedule
from tests.browser import Recorder
from tests.e2e.test_login_browser import log_in, regency
from tests.program.helpers import enrol_with_templates

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[Page, str], Path]


def programme() -> Office:
    """DUKCAPIL with the usual templates, a small curriculum, three weeks back and two ahead."""
    dukcapil = regency()["dukcapil"]
    assert isinstance(dukcapil, Office)
    today = local_today(zone())
    enrol_with_templates(dukcapil, since=today - dt.timedelta(days=21))
    for order, (title, lessons) in enumerate(
        [
            ("Akhlak kepada diri sendiri", ["Niat dan keikhlasan", "Disiplin waktu", "Menjaga lisan"]),
            ("Akhlak kepada rekan kerja", ["Saling menghargai", "Bekerja sama"]),
            ("Kejujuran", ["Jujur dalam melayani warga", "Menolak gratifikasi", "Amanah atas kewenangan"]),
        ],
        1,
    ):
        module = Module.objects.create(government=dukcapil.government, order=order, title=title)
        for lesson_order, lesson in enumerate(lessons, 1):
            Lesson.objects.create(module=module, order=lesson_order, title=lesson)
    gathering_schedule(
        office=dukcapil, start=today - dt.timedelta(days=10), end=today + dt.timedelta(days=14)
    )
    past = Gathering.objects.filter(office=dukcapil, date__lt=today)
    past.update(status=Gathering.Status.HELD)
    lessons = list(Lesson.objects.order_by("module__order", "order"))
    for lesson, item in zip(
        lessons,
        AgendaItem.objects.filter(gathering__in=past, kind="materi").order_by("gathering__start"),
        strict=False,
    ):
        item.lesson = lesson
        item.save()
    gathering_schedule(office=dukcapil, start=today, end=today + dt.timedelta(days=14))
    return dukcapil


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


def next_regular(office: Office) -> Gathering:
    tomorrow = local_today(zone()) + dt.timedelta(days=1)
    gathering = (
        Gathering.objects.filter(office=office, kind="regular", date__gte=tomorrow, status="scheduled")
        .exclude(date__week_day=6)  # not a Friday: the regular 12.30 template
        .order_by("start")
        .first()
    )
    assert gathering is not None
    return gathering


def test_a_coordinator_edits_a_template_and_adds_a_gathering_on_a_desktop(
    desktop: Page, requests_seen: Recorder, live_server: object, screenshot: Screenshot
) -> None:
    dukcapil = programme()
    log_in(desktop, "koordinator.dukcapil")
    desktop.goto("/opd/DUKCAPIL/")
    desktop.get_by_role("link", name="Templat perjumpaan").click()
    expect(desktop.get_by_role("heading", name="Islam · Hari biasa")).to_be_visible()
    screenshot(desktop, "program-templat-daftar-desktop")

    desktop.get_by_role("link", name="Ubah (versi baru)").first.click()
    desktop.get_by_label("Jam mulai").fill("13:00")
    desktop.get_by_label("Tempat", exact=True).fill("Aula lantai 2")
    screenshot(desktop, "program-templat-ubah-desktop")
    desktop.get_by_role("button", name="Simpan templat").click()
    expect(desktop.get_by_text("Templat tersimpan. Jadwal disesuaikan")).to_be_visible()
    expect(desktop.get_by_text("Perubahan yang akan berlaku")).to_be_visible()
    screenshot(desktop, "program-templat-tersimpan-desktop")
    changed = next_regular(dukcapil)
    assert changed.start.astimezone(zone()).time() == dt.time(13, 0)
    assert changed.place == "Aula lantai 2"

    # An ad-hoc tausiah that clashes with the next regular gathering: refused, and nothing typed is lost.
    local_start = changed.start.astimezone(zone())
    desktop.goto("/opd/DUKCAPIL/pekan/")
    desktop.get_by_role("link", name="Tambah perjumpaan khusus").click()
    desktop.get_by_label("Judul").fill("Tausiah Maulid Nabi")
    desktop.get_by_label("Tanggal").fill(local_start.date().isoformat())
    desktop.get_by_label("Jam mulai").fill("13:15")
    desktop.get_by_role("button", name="Tambahkan").click()
    expect(desktop.get_by_role("alert")).to_contain_text("Bertabrakan dengan perjumpaan jalur Islam")
    expect(desktop.get_by_label("Judul")).to_have_value("Tausiah Maulid Nabi")
    screenshot(desktop, "program-perjumpaan-khusus-bentrok-desktop")
    desktop.get_by_label("Jam mulai").fill("14:00")
    desktop.get_by_role("button", name="Tambahkan").click()
    expect(desktop.get_by_text("Perjumpaan khusus ditambahkan.")).to_be_visible()
    expect(desktop.get_by_text("Tausiah Maulid Nabi")).to_be_visible()
    screenshot(desktop, "program-pekan-dengan-khusus-desktop")

    desktop.goto("/opd/DUKCAPIL/kurikulum/")
    expect(desktop.get_by_text("Materi berikutnya")).to_be_visible()
    screenshot(desktop, "program-kurikulum-desktop")
    assert requests_seen.failed == []
    assert requests_seen.foreign(desktop.url) == []


def test_a_coordinator_moves_a_gathering_on_a_phone(
    phone: Page, requests_seen: Recorder, live_server: object, screenshot: Screenshot
) -> None:
    dukcapil = programme()
    log_in(phone, "koordinator.dukcapil")
    for url, name in (
        ("/opd/DUKCAPIL/templat/", "program-templat-daftar-hp"),
        ("/opd/DUKCAPIL/templat/baru/", "program-templat-baru-hp"),
        ("/opd/DUKCAPIL/perjumpaan/baru/", "program-perjumpaan-khusus-hp"),
        ("/opd/DUKCAPIL/kurikulum/", "program-kurikulum-hp"),
    ):
        phone.goto(url)
        expect(phone.get_by_role("heading", level=1)).to_be_visible()
        no_sideways_scroll(phone)
        screenshot(phone, name)

    gathering = next_regular(dukcapil)
    phone.goto(f"/opd/DUKCAPIL/perjumpaan/{gathering.pk}/pindah/")
    no_sideways_scroll(phone)
    phone.get_by_label("Jam mulai").fill("14:00")
    phone.get_by_label("Alasan pemindahan").fill("Rapat koordinasi")
    screenshot(phone, "program-pindah-hp")
    phone.get_by_role("button", name="Pindahkan").click()
    expect(phone.get_by_text("Perjumpaan dipindah ke")).to_be_visible()
    no_sideways_scroll(phone)
    screenshot(phone, "program-pekan-setelah-pindah-hp")
    gathering.refresh_from_db()
    assert gathering.status == "cancelled"
    assert Gathering.objects.filter(office=dukcapil, kind="adhoc", date=gathering.date).count() == 1
    assert requests_seen.failed == []


def test_hari_ini_on_a_phone_shows_the_next_gathering_and_my_part(
    phone: Page, requests_seen: Recorder, live_server: object, screenshot: Screenshot
) -> None:
    dukcapil = programme()
    gathering = (
        Gathering.objects.filter(office=dukcapil, end__gt=timezone.now(), status="scheduled")
        .order_by("start")
        .first()
    )
    assert gathering is not None
    staff = Employee.objects.get(name="Baiq Nurul Aini")
    AgendaItem.objects.filter(gathering=gathering, kind="kultum").update(employee=staff)
    log_in(phone, "baiq.nurul")
    phone.goto("/hari-ini/")
    expect(phone.locator("main")).to_contain_text("Musala kantor")
    expect(phone.locator("main")).to_contain_text(gathering.start.astimezone(zone()).strftime("%H.%M"))
    expect(phone.locator("main")).to_contain_text("Kultum")
    no_sideways_scroll(phone)
    screenshot(phone, "program-hari-ini-hp")
    assert requests_seen.failed == []
