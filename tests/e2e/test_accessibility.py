"""WCAG 2.1 AA on the main pages, checked in Chromium with axe-core (from the npm registry, pinned in
package.json / package-lock.json at the repository root; `npm ci` installs it into node_modules/).

axe is injected with page.evaluate (Chrome DevTools' Runtime.evaluate, which the site's strict CSP does not
govern), run with the WCAG 2.0/2.1 A and AA rules, and every violation of impact "serious" or "critical"
fails the test. Each role's pages are set up as in tests/e2e/test_journeys.py and
tests/impact/test_browser.py.
Keyboard navigation (Tab reaches the fields and the button, the focus is visible) is checked on the login and
check-in pages, and the main buttons' tap targets (at least 44 × 44 px) on a 360 px phone.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from perjumpaan.attendance.codes import code_make
from perjumpaan.evaluation.models import Assignment
from perjumpaan.org.models import Employee, Office
from perjumpaan.service.models import Service
from tests.browser import Recorder
from tests.e2e.test_journeys import coordinator_week, staff_day
from tests.e2e.test_login_browser import log_in, regency
from tests.impact.test_browser import dashboard_data, no_sideways_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
MIN_TARGET = 44  # px: WCAG 2.5.5 (AAA) and Android's guideline; the main buttons meet it on a phone


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        reason = f"axe-core is not installed ({AXE} missing): run `npm ci` at the repository root"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the accessibility checks cannot be skipped in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, source: str) -> list[dict[str, Any]]:
    """Every WCAG A/AA violation axe finds on the page as it is now, as {id, impact, help, targets}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    return page.evaluate(
        """async (tags) => {
            const options = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
            const result = await axe.run(document, options);
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            }));
        }""",
        TAGS,
    )


def assert_accessible(page: Page, source: str) -> list[dict[str, Any]]:
    """No serious or critical violation; the minor and moderate ones are returned for the record."""
    found = axe_violations(page, source)
    print(f"axe {page.url}: {found}")  # the record for docs/accessibility.md (pytest -s shows it)
    blocking = [v for v in found if v["impact"] in BLOCKING]
    assert blocking == [], f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}: {v['help']}) at {v['targets']}" for v in blocking
    )
    return [v for v in found if v["impact"] not in BLOCKING]


def failed_loads(recorder: Recorder) -> list[str]:
    """Requests that failed (the recorder leaves out those the browser cancelled, net::ERR_ABORTED)."""
    return recorder.failed


def tab_until(page: Page, selector: str, limit: int = 40) -> int:
    """Press Tab until the element matching selector has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement === document.querySelector(sel)", selector):
            return presses
    raise AssertionError(f"{page.url}: {limit} presses of Tab never reached {selector}")


def focus_is_visible(page: Page) -> None:
    """The focused element shows a ring: an outline or a box shadow that differs from its unfocused look."""
    ring = page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                tag: el.tagName, focusVisible: el.matches(':focus-visible'),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
                shadow: style.boxShadow !== 'none',
            };
        }"""
    )
    assert ring["focusVisible"], f"{page.url}: the focused {ring['tag']} does not match :focus-visible"
    assert ring["outline"] or ring["shadow"], f"{page.url}: the focused {ring['tag']} shows no focus ring"


def keyboard_reaches(page: Page, selectors: list[str]) -> None:
    page.locator("body").focus()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for selector in selectors:
        tab_until(page, selector)
        focus_is_visible(page)


def large_enough(page: Page, selector: str) -> None:
    targets = page.locator(selector)
    assert targets.count() > 0, f"{page.url}: nothing matches {selector}"
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box is not None
        assert box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (
            f"{page.url}: {selector} #{index} is {box['width']:.0f}×{box['height']:.0f} px"
        )


def test_the_public_pages_login_and_the_skm_survey(
    phone: Page, axe_source: str, requests_seen: Recorder
) -> None:
    data = regency()
    dukcapil = data["dukcapil"]
    assert isinstance(dukcapil, Office)
    Service.objects.create(office=dukcapil, code="KTP-EL", name="KTP-el", order=0)
    phone.goto("/masuk/")
    assert_accessible(phone, axe_source)
    keyboard_reaches(phone, ["#id_username", "#id_password", "main button[type=submit]"])
    large_enough(phone, "main button[type=submit]")
    large_enough(phone, "main input:not([type=hidden]):not([type=checkbox])")
    phone.goto("/skm/DUKCAPIL/")
    expect(phone.get_by_role("heading", name="Survei Kepuasan Masyarakat")).to_be_visible()
    assert_accessible(phone, axe_source)
    large_enough(phone, "main button[type=submit]")
    large_enough(phone, "main label.answer")
    phone.goto("/skm/DUKCAPIL/hasil/")
    assert_accessible(phone, axe_source)
    assert failed_loads(requests_seen) == []


def test_a_staff_member_s_pages_on_a_phone(phone: Page, axe_source: str, requests_seen: Recorder) -> None:
    data = staff_day()
    staff = data["staff"]
    gathering = data["gathering"]
    assert isinstance(staff, Employee)
    log_in(phone, "baiq.nurul")
    phone.goto("/hari-ini/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Baiq Nurul Aini")
    assert_accessible(phone, axe_source)

    code, _expires = code_make(
        gathering_id=gathering.pk,  # type: ignore[attr-defined]
        moment=timezone.now(),
        seconds=gathering.rules.code_seconds,  # type: ignore[attr-defined]
    )
    phone.goto(f"/c/{code}/")
    expect(phone.get_by_role("button", name="Saya hadir")).to_be_visible()
    assert_accessible(phone, axe_source)
    keyboard_reaches(phone, ["main button[type=submit]"])
    large_enough(phone, "main button[type=submit]")

    phone.goto("/izin/")
    assert_accessible(phone, axe_source)
    large_enough(phone, "main button[type=submit]")

    own = Assignment.objects.get(round=data["round"], rater=staff, subject=staff)
    phone.goto(f"/evaluasi/{own.pk}/")
    assert_accessible(phone, axe_source)
    large_enough(phone, "main button[type=submit]")

    # The user guide (core/guide.py), its index and the staff page with its screenshots.
    phone.get_by_role("link", name="Panduan", exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Panduan Pengguna Perjumpaan")
    assert_accessible(phone, axe_source)
    phone.locator("article").get_by_role("link", name="Panduan pegawai").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Panduan pegawai")
    assert_accessible(phone, axe_source)
    no_sideways_scroll(phone)
    assert failed_loads(requests_seen) == []


def test_a_coordinator_s_pages_on_a_desktop(desktop: Page, axe_source: str, requests_seen: Recorder) -> None:
    data = coordinator_week()
    gathering = data["gathering"]
    monday = data["monday"]
    log_in(desktop, "koordinator.dukcapil")
    desktop.goto("/opd/DUKCAPIL/")
    assert_accessible(desktop, axe_source)
    year, week, _day = monday.isocalendar()  # type: ignore[attr-defined]
    desktop.goto(f"/opd/DUKCAPIL/pekan/?w={year}-W{week:02d}")
    assert_accessible(desktop, axe_source)
    desktop.goto(f"/opd/DUKCAPIL/perjumpaan/{gathering.pk}/presensi/")  # type: ignore[attr-defined]
    assert_accessible(desktop, axe_source)
    assert failed_loads(requests_seen) == []


def test_the_roll_call_on_a_phone(phone: Page, axe_source: str) -> None:
    data = coordinator_week()
    gathering = data["gathering"]
    log_in(phone, "koordinator.dukcapil")
    phone.goto(f"/opd/DUKCAPIL/perjumpaan/{gathering.pk}/presensi/")  # type: ignore[attr-defined]
    assert_accessible(phone, axe_source)
    large_enough(phone, "main [role=group] button")


def test_the_dashboard_for_leadership(desktop: Page, axe_source: str, requests_seen: Recorder) -> None:
    dashboard_data()
    log_in(desktop, "pimpinan")
    desktop.goto("/dasbor/")
    expect(desktop.locator("table.heatmap")).to_be_visible()
    assert_accessible(desktop, axe_source)
    assert failed_loads(requests_seen) == []
