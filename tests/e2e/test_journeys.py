"""Each role's day, end to end in Chromium, with the screenshots the user guide (docs/panduan/) uses.

With PERJUMPAAN_GUIDE_SHOTS set, the screenshots are also copied to docs/screenshots/ (that is how the
committed ones were made); otherwise they stay in the test's temporary directory. The citizen's journey is
tests/service/test_survey_browser.py; the leadership's, tests/impact/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from perjumpaan.attendance import services as attendance
from perjumpaan.attendance.codes import code_make
from perjumpaan.attendance.models import Attendance, LeaveRequest
from perjumpaan.core.timeutil import local_today, zone
from perjumpaan.evaluation import services as evaluation
from perjumpaan.evaluation.models import Assignment, EvaluationPolicy, InstrumentVersion, Round
from perjumpaan.org.models import Employee, Office, Role, User
from perjumpaan.program.models import AgendaItem, Enrollment, RolloutWave
from perjumpaan.program.services import gathering_add, gathering_schedule
from tests.browser import Recorder, for_the_guide
from tests.e2e.test_login_browser import PASSWORD, log_in, regency
from tests.org.staff_files import RAHMAT, SITI, csv_file
from tests.program.helpers import enrol_with_templates

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[Page, str], Path]


def open_round_of_the_latest_friday(office: Office, now: dt.datetime, seed: int) -> Round:
    """The evaluation round of the latest Friday, open until the Thursday after it, so that a journey holds
    on any day of the week."""
    EvaluationPolicy.objects.create(office=office, close_days_after=6, close_time=dt.time(23, 59))
    today = local_today(zone())
    friday = today - dt.timedelta(days=(today.weekday() - 4) % 7)
    round_ = evaluation.round_open(office=office, friday=friday, now=now, rng=random.Random(seed))
    assert round_ is not None
    return round_


def staff_day() -> dict[str, object]:
    """DUKCAPIL enrolled a month ago, a gathering that started five minutes ago, and the evaluation round
    of the latest Friday, open until the Thursday after it (so the test holds on any day of the week)."""
    data = regency()
    office = data["dukcapil"]
    today = local_today(zone())
    Enrollment.objects.create(office=office, enrolled_on=today - dt.timedelta(days=30))  # type: ignore[misc]
    now = timezone.now()
    gathering = gathering_add(office=office, start=now - dt.timedelta(minutes=5), minutes=45)  # type: ignore[arg-type]
    round_ = open_round_of_the_latest_friday(office, now, seed=3)  # type: ignore[arg-type]
    return {**data, "gathering": gathering, "round": round_}


def test_a_staff_member_s_day_on_a_phone(
    phone: Page, requests_seen: Recorder, screenshot: Screenshot, live_server: object
) -> None:
    data = staff_day()
    staff: Employee = data["staff"]  # type: ignore[assignment]
    gathering = data["gathering"]

    # Log in on a 360 px phone; the first page is the home page with today's gathering a tap away.
    log_in(phone, "baiq.nurul")
    phone.get_by_role("link", name="Hari ini").first.click()
    expect(phone).to_have_url(re.compile(r"/hari-ini/$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Baiq Nurul Aini")
    for_the_guide(screenshot(phone, "pegawai-1-hari-ini"))

    # The screen's QR code is a link; the phone opens it and checks in with one tap.
    code, _expires = code_make(
        gathering_id=gathering.pk, moment=timezone.now(), seconds=gathering.rules.code_seconds
    )  # type: ignore[attr-defined]
    phone.goto(f"/c/{code}/")
    for_the_guide(screenshot(phone, "pegawai-2-presensi"))
    phone.get_by_role("button", name="Saya hadir").click()
    expect(phone.locator("main")).to_contain_text("Hadir")
    for_the_guide(screenshot(phone, "pegawai-3-tercatat"))
    mark = Attendance.objects.get(gathering=gathering, employee=staff)  # type: ignore[misc]
    assert mark.status == "H"

    # Leave for next week, with a reason.
    phone.get_by_role("link", name="Izin saya").first.click()
    start = local_today(zone()) + dt.timedelta(days=7)
    phone.get_by_label("Jenis").select_option("C")
    phone.get_by_label("Dari tanggal").fill(start.isoformat())
    phone.get_by_label("Sampai tanggal").fill((start + dt.timedelta(days=1)).isoformat())
    phone.get_by_label("Alasan").fill("Menghadiri pernikahan adik di Praya.")
    phone.get_by_role("button", name="Kirim permohonan").click()
    expect(phone.locator("main")).to_contain_text("Menghadiri pernikahan adik di Praya.")
    for_the_guide(screenshot(phone, "pegawai-4-izin"))
    leave = LeaveRequest.objects.get(employee=staff)
    assert (leave.kind, leave.start_date, leave.status) == ("C", start, LeaveRequest.Status.PENDING)

    # The Friday evaluation: the self-assessment first, every scale item answered.
    phone.get_by_role("link", name="Evaluasi Jumat").first.click()
    for_the_guide(screenshot(phone, "pegawai-5-evaluasi"))
    own = Assignment.objects.get(round=data["round"], rater=staff, subject=staff)
    phone.goto(f"/evaluasi/{own.pk}/")
    scales = phone.locator("input[type=radio][value='4']")
    assert scales.count() >= 20
    for index in range(scales.count()):
        scales.nth(index).check()
    for_the_guide(screenshot(phone, "pegawai-6-penilaian-diri"))
    phone.get_by_role("button", name="Kirim penilaian").click()
    own.refresh_from_db()
    assert own.done

    # Her own recap counts held gatherings: once the coordinator has closed today's, it shows her mark.
    attendance.gathering_close(gathering=gathering)  # type: ignore[arg-type]
    phone.get_by_role("link", name="Kehadiran saya").first.click()
    expect(phone.locator("main")).to_contain_text("Hadir")
    for_the_guide(screenshot(phone, "pegawai-7-kehadiran-saya"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"
    assert requests_seen.failed == []
    assert requests_seen.foreign(phone.url.split("/c/")[0]) == []


def coordinator_week() -> dict[str, object]:
    """DUKCAPIL with its templates, next week scheduled, a gathering under way and this week's round."""
    data = regency()
    office = data["dukcapil"]
    today = local_today(zone())
    enrol_with_templates(office, since=today - dt.timedelta(days=30))  # type: ignore[arg-type]
    monday = today + dt.timedelta(days=7 - today.weekday())
    gathering_schedule(office=office, start=monday, end=monday + dt.timedelta(days=6))  # type: ignore[arg-type]
    now = timezone.now()
    gathering = gathering_add(office=office, start=now - dt.timedelta(minutes=5), minutes=45)  # type: ignore[arg-type]
    round_ = open_round_of_the_latest_friday(office, now, seed=5)  # type: ignore[arg-type]
    return {**data, "gathering": gathering, "round": round_, "monday": monday}


def test_a_coordinator_s_week_on_a_desktop(
    desktop: Page, requests_seen: Recorder, screenshot: Screenshot, live_server: object
) -> None:
    data = coordinator_week()
    staff: Employee = data["staff"]  # type: ignore[assignment]
    gathering = data["gathering"]
    monday: dt.date = data["monday"]  # type: ignore[assignment]
    log_in(desktop, "koordinator.dukcapil")
    desktop.get_by_role("link", name="Kantor DUKCAPIL").first.click()
    for_the_guide(screenshot(desktop, "koordinator-1-kantor"))

    # Next week's schedule: give Monday's kultum to Baiq.
    year, week, _day = monday.isocalendar()
    desktop.goto(f"/opd/DUKCAPIL/pekan/?w={year}-W{week:02d}")
    kultum = AgendaItem.objects.filter(
        gathering__office=staff.office, gathering__date=monday, kind=AgendaItem.Kind.KULTUM
    ).first()
    assert kultum is not None, "the template gives Monday a kultum"
    desktop.locator(f"#who-{kultum.pk}").select_option(str(staff.pk))
    desktop.locator(f"#who-{kultum.pk}").locator("xpath=..").get_by_role("button", name="Simpan").click()
    expect(desktop.locator(f"#who-{kultum.pk}")).to_have_value(str(staff.pk))
    for_the_guide(screenshot(desktop, "koordinator-2-jadwal-pekan"))
    kultum.refresh_from_db()
    assert kultum.employee_id == staff.pk

    # Today's check-in screen shows a live QR code.
    desktop.goto(f"/opd/DUKCAPIL/perjumpaan/{gathering.pk}/layar/")  # type: ignore[attr-defined]
    expect(desktop.locator("#screen-qr svg")).to_be_visible()
    for_the_guide(screenshot(desktop, "koordinator-3-layar-presensi"))

    # Roll call: Baiq came without her phone; then the coordinator closes the attendance.
    desktop.goto(f"/opd/DUKCAPIL/perjumpaan/{gathering.pk}/presensi/")  # type: ignore[attr-defined]
    desktop.get_by_role("group", name=f"Status {staff.name}").get_by_role("button", name="Hadir").click()
    expect(
        desktop.get_by_role("group", name=f"Status {staff.name}").get_by_role("button", name="Hadir")
    ).to_have_attribute("aria-pressed", "true")
    for_the_guide(screenshot(desktop, "koordinator-4-presensi-manual"))
    desktop.get_by_role("button", name="Tutup presensi").click()
    marks = dict(Attendance.objects.filter(gathering=gathering).values_list("employee__name", "status"))  # type: ignore[misc]
    assert marks == {"Baiq Nurul Aini": "H", "Lalu Muhammad Zaini": "TK"}

    # The week's evaluation report for the head of office, as a PDF.
    round_ = data["round"]
    desktop.goto(f"/opd/DUKCAPIL/evaluasi/{round_.week}/")  # type: ignore[attr-defined]
    for_the_guide(screenshot(desktop, "koordinator-5-evaluasi-pekan"))
    link = desktop.get_by_role("link", name="Laporan mingguan (PDF)")
    report = desktop.context.request.get(str(link.get_attribute("href")))  # with the session's cookies
    assert report.status == 200 and report.headers["content-type"] == "application/pdf"
    assert report.body().startswith(b"%PDF-")
    assert requests_seen.failed == []


def test_an_admin_s_setup_work_on_a_desktop(
    desktop: Page, requests_seen: Recorder, screenshot: Screenshot, live_server: object
) -> None:
    data = regency()
    office = data["pupr"]
    government = office.government  # type: ignore[attr-defined]
    admin_user = User.objects.create_user(username="admin.program", password=PASSWORD)
    Role.objects.create(user=admin_user, kind=Role.Kind.ADMIN, government=government)
    wave = RolloutWave.objects.create(government=government, number=2, name="Gelombang 2")
    default = evaluation.instrument_version_current(government=government)
    log_in(desktop, "admin.program")

    # Add PUPR to the second wave from next Monday.
    today = local_today(zone())
    monday = today + dt.timedelta(days=7 - today.weekday())
    desktop.goto("/admin/program/enrollment/add/")
    desktop.locator("#id_office").select_option(str(office.pk))  # type: ignore[attr-defined]
    desktop.locator("#id_wave").select_option(str(wave.pk))
    desktop.locator("#id_enrolled_on").fill(monday.isoformat())
    for_the_guide(screenshot(desktop, "admin-1-gelombang"))
    desktop.locator("input[name=_save]").click()
    expect(desktop.locator(".messagelist")).to_be_visible()
    enrollment = Enrollment.objects.get(office=office)
    assert (enrollment.wave_id, enrollment.enrolled_on, enrollment.recorded_by) == (
        wave.pk,
        monday,
        admin_user,
    )

    # Import PUPR's staff from the personnel office's spreadsheet: preview first, then save.
    desktop.goto("/opd/PUPR/impor/")
    desktop.locator("input[type=file]").set_input_files(
        {"name": "pegawai-pupr.csv", "mimeType": "text/csv", "buffer": csv_file([RAHMAT, SITI])}
    )
    desktop.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    expect(desktop.locator("main")).to_contain_text("Siti Aminah")
    for_the_guide(screenshot(desktop, "admin-2-impor-pratinjau"))
    before = Employee.objects.filter(office=office).count()
    desktop.get_by_role("button", name="Simpan impor").click()
    expect(desktop.locator("main")).to_contain_text("2")
    assert Employee.objects.filter(office=office).count() == before + 2

    # Edit the instrument: a draft copy of the newest version, one item reworded, then published.
    desktop.goto("/admin/evaluation/instrument/")
    desktop.locator("input[name=_selected_action]").first.check()
    desktop.locator("select[name=action]").select_option("make_draft")
    desktop.locator("button[name=index]").click()
    draft = InstrumentVersion.objects.get(instrument=default.instrument, published_at__isnull=True)
    desktop.goto(f"/admin/evaluation/instrumentversion/{draft.pk}/change/")
    first_text = desktop.locator("textarea[name$='-0-text']")
    first_text.fill("Saya menyapa dan melayani warga dengan ramah sejak mereka datang.")
    for_the_guide(screenshot(desktop, "admin-3-instrumen-draf"))
    desktop.locator("input[name=_save]").click()
    desktop.goto("/admin/evaluation/instrumentversion/")
    desktop.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    desktop.locator("select[name=action]").select_option("publish")
    desktop.locator("button[name=index]").click()
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert draft.items.filter(text__startswith="Saya menyapa dan melayani warga").count() == 1
    assert not default.items.filter(text__startswith="Saya menyapa").exists()  # the old version is as it was
    assert evaluation.instrument_version_current(government=government).pk == draft.pk
    assert requests_seen.failed == []
