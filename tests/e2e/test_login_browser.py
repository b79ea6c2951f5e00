"""Logging in and finding one's way, in a real Chromium against the live server."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from perjumpaan.org.models import Employee, Government, Office, Role, User
from perjumpaan.org.nip import nip_compose
from tests.browser import Recorder

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-uji-123"
Screenshot = Callable[[Page, str], Path]


def regency() -> dict[str, object]:
    """Two offices of one regency, a staff member and a coordinator of DUKCAPIL, a colleague in PUPR."""
    gov = Government.objects.create(name="Kabupaten Lombok Barat", slug="lombok-barat")
    dukcapil = Office.objects.create(
        government=gov, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
    )
    pupr = Office.objects.create(government=gov, code="PUPR", name="Dinas Pekerjaan Umum dan Penataan Ruang")

    def employee(
        office: Office, name: str, gender: str, birth: dt.date, serial: int, **extra: object
    ) -> Employee:
        nip = nip_compose(birth=birth, tmt=dt.date(birth.year + 25, 3, 1), gender=gender, serial=serial)
        return Employee.objects.create(
            government=gov, office=office, nip=nip, name=name, gender=gender, **extra
        )

    staff_user = User.objects.create_user(username="baiq.nurul", password=PASSWORD)
    staff = employee(
        dukcapil,
        "Baiq Nurul Aini",
        "P",
        dt.date(1990, 5, 17),
        1,
        user=staff_user,
        track="islam",
        position="Pengadministrasi Kependudukan",
    )
    employee(dukcapil, "Lalu Muhammad Zaini", "L", dt.date(1985, 2, 3), 2, track="islam")
    employee(pupr, "I Made Sudarsana", "L", dt.date(1982, 8, 9), 3, track="hindu")
    coordinator = User.objects.create_user(
        username="koordinator.dukcapil", password=PASSWORD, first_name="Hj. Siti", last_name="Rohmah"
    )
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, government=gov, office=dukcapil)
    return {"staff": staff, "dukcapil": dukcapil, "pupr": pupr}


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna atau NIP").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    assert len(data) > 1000, f"{path} is suspiciously small ({len(data)} bytes)"


def test_a_staff_member_logs_in_on_a_phone_with_their_nip(
    phone: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    data = regency()
    staff = data["staff"]
    assert isinstance(staff, Employee)
    log_in(phone, staff.nip)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Baiq Nurul Aini")
    expect(phone.locator("main")).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    # Nothing wider than the phone: no sideways scrolling on a 360 px screen.
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]
    assert requests_seen.failed == []
    assert_png(screenshot(phone, "staff-phone-home"))


def test_a_coordinator_opens_their_office_and_sees_its_employees(
    desktop: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    regency()
    log_in(desktop, "koordinator.dukcapil")
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Hj. Siti Rohmah")
    desktop.locator("main").get_by_role("link", name=re.compile("Dinas Kependudukan")).first.click()
    expect(desktop).to_have_url(re.compile(r"/opd/DUKCAPIL/$"))
    table = desktop.locator("main table")
    expect(table).to_contain_text("Baiq Nurul Aini")
    expect(table).to_contain_text("Lalu Muhammad Zaini")
    expect(table).not_to_contain_text("I Made Sudarsana")
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]
    assert requests_seen.failed == []
    assert_png(screenshot(desktop, "coordinator-office"))


def test_a_wrong_password_is_told_in_indonesian(
    phone: Page, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    regency()
    log_in(phone, "koordinator.dukcapil", "bukan-sandinya")
    expect(phone.locator("main")).to_contain_text("Nama pengguna/NIP atau kata sandi salah.")
    expect(phone.get_by_label("Nama pengguna atau NIP")).to_have_value("koordinator.dukcapil")
    expect(phone).to_have_url(re.compile(r"/masuk/$"))
    assert requests_seen.failed == []
    assert_png(screenshot(phone, "login-wrong-password"))


def test_the_api_docs_render_without_the_internet(
    desktop: Page, live_server: object, requests_seen: Recorder, screenshot: Screenshot
) -> None:
    desktop.goto("/api/v1/docs")
    expect(desktop.locator(".swagger-ui .info .title")).to_contain_text("Perjumpaan API")
    expect(desktop.locator(".swagger-ui")).to_contain_text("/api/v1/offices/{code}/employees")
    assert requests_seen.foreign(live_server.url) == []  # type: ignore[attr-defined]
    assert requests_seen.failed == []
    assert_png(screenshot(desktop, "api-docs"))
