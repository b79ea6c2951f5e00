"""The Content-Security-Policy breaks nothing: real Chromium opens the pages of each kind of user, the API
docs and a page with charts, and the browser reports no violation of the policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import ConsoleMessage, Page, expect

from perjumpaan.org.models import Employee, Government, Office, Role, Unit, User
from perjumpaan.org.nip import nip_compose
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.service.models import SurveyResponse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-uji-123"
Screenshot = Callable[[Page, str], Path]


def regency() -> Office:
    gov = Government.objects.create(name="Kabupaten Lombok Barat", slug="lombok-barat")
    office = Office.objects.create(
        government=gov, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
    )
    unit = Unit.objects.create(office=office, name="Bidang Pelayanan")
    staff = User.objects.create_user(username="staf", password=PASSWORD)
    Employee.objects.create(
        government=gov,
        office=office,
        unit=unit,
        user=staff,
        nip=nip_compose(birth=dt.date(1990, 5, 17), tmt=dt.date(2015, 3, 1), gender="P", serial=1),
        name="Baiq Nurul Aini",
        gender="P",
        track="islam",
    )
    coordinator = User.objects.create_user(username="koordinator", password=PASSWORD)
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, government=gov, office=office)
    User.objects.create_superuser(username="admin", password=PASSWORD)
    now = timezone.now()
    for i in range(12):
        SurveyResponse.objects.create(
            office=office,
            submitted_at=now - dt.timedelta(hours=i),
            **{f"u{n}": 1 + (i + n) % 4 for n in range(1, 10)},
        )
    rollup_rebuild(offices=[office])  # the IKM pages and their charts read the aggregates
    return office


class Violations:
    """Console messages in which the browser reports a blocked script, style, image or frame."""

    def __init__(self, page: Page) -> None:
        self.found: list[str] = []
        page.on("console", self.seen)

    def seen(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.found.append(f"{message.location.get('url', '')}: {text[:300]}")


def log_in(page: Page, username: str) -> None:
    page.goto("/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def visit(page: Page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 500, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")


def test_the_login_page_and_its_privacy_notice(desktop: Page, screenshot: Screenshot) -> None:
    violations = Violations(desktop)
    desktop.goto("/masuk/")
    desktop.get_by_text("Pemberitahuan privasi").click()
    expect(desktop.locator(".privacy-notice")).to_contain_text("Undang-Undang No. 27 Tahun 2022")
    screenshot(desktop, "login-privacy-notice")
    desktop.goto("/tidak-ada-halaman-ini/")
    expect(desktop.locator("h1")).to_contain_text("Halaman tidak ditemukan")
    assert violations.found == []


def test_staff_pages_run_under_the_policy(phone: Page) -> None:
    regency()
    violations = Violations(phone)
    log_in(phone, "staf")
    visit(phone, ["/", "/saya/", "/saya/kehadiran/", "/izin/", "/giliran/", "/hari-ini/"])
    assert violations.found == []


def test_coordinator_and_admin_pages_run_under_the_policy(desktop: Page) -> None:
    regency()
    violations = Violations(desktop)
    log_in(desktop, "koordinator")
    visit(desktop, ["/", "/opd/", "/opd/DUKCAPIL/", "/opd/DUKCAPIL/impor/", "/opd/DUKCAPIL/layanan/skm/"])
    desktop.context.clear_cookies()
    log_in(desktop, "admin")
    visit(desktop, ["/admin/", "/admin/org/employee/", "/admin/org/auditentry/"])
    assert violations.found == []


def test_charts_keep_their_colours_under_the_policy(desktop: Page, screenshot: Screenshot) -> None:
    regency()
    violations = Violations(desktop)
    visit(desktop, ["/skm/DUKCAPIL/hasil/"])
    bar = desktop.locator("svg.chart path[fill^='#']:not([fill='#ffffff'])").first
    expect(bar).to_be_attached()
    # The drawn colour is the one the chart gave, not the black a blocked style attribute would leave.
    colour = bar.get_attribute("fill") or ""
    rgb = f"rgb({int(colour[1:3], 16)}, {int(colour[3:5], 16)}, {int(colour[5:7], 16)})"
    assert rgb != "rgb(0, 0, 0)"
    assert bar.evaluate("element => getComputedStyle(element).fill") == rgb
    screenshot(desktop, "skm-results-chart")
    assert violations.found == []


def test_the_api_docs_run_under_the_policy(desktop: Page, screenshot: Screenshot) -> None:
    violations = Violations(desktop)
    desktop.goto("/api/v1/docs")
    expect(desktop.locator(".swagger-ui .opblock").first).to_be_visible()
    # Try an operation from the page: Swagger UI calls the API and shows the answer (401: not logged in).
    operation = desktop.locator(".swagger-ui .opblock-get").filter(has_text="/api/v1/offices").first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table .response .response-col_status").first).to_contain_text(
        "401"
    )
    screenshot(desktop, "api-docs-csp")
    assert violations.found == []
