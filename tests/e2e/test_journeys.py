"""Each role's day, end to end in Chromium, with the screenshots the user guide (docs/panduan/) uses.

With PERJUMPAAN_GUIDE_SHOTS set, the screenshots are also copied to docs/screenshots/ (that is how the
committed ones were made); otherwise they stay in the test's temporary directory.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
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
from perjumpaan.evaluation.models import Assignment, EvaluationPolicy
from perjumpaan.org.models import Employee
from perjumpaan.program.models import Enrollment
from perjumpaan.program.services import gathering_add
from tests.browser import Recorder
from tests.e2e.test_login_browser import log_in, regency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

Screenshot = Callable[[Page, str], Path]
GUIDE_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def keep(path: Path) -> None:
    if os.environ.get("PERJUMPAAN_GUIDE_SHOTS"):
        GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, GUIDE_SHOTS / path.name)


def staff_day() -> dict[str, object]:
    """DUKCAPIL enrolled a month ago, a gathering that started five minutes ago, and the evaluation round
    of the latest Friday, open until the Thursday after it (so the test holds on any day of the week)."""
    data = regency()
    office = data["dukcapil"]
    today = local_today(zone())
    Enrollment.objects.create(office=office, enrolled_on=today - dt.timedelta(days=30))  # type: ignore[misc]
    now = timezone.now()
    gathering = gathering_add(office=office, start=now - dt.timedelta(minutes=5), minutes=45)  # type: ignore[arg-type]
    EvaluationPolicy.objects.create(office=office, close_days_after=6, close_time=dt.time(23, 59))
    friday = today - dt.timedelta(days=(today.weekday() - 4) % 7)
    round_ = evaluation.round_open(office=office, friday=friday, now=now, rng=random.Random(3))  # type: ignore[arg-type]
    assert round_ is not None
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
    keep(screenshot(phone, "pegawai-1-hari-ini"))

    # The screen's QR code is a link; the phone opens it and checks in with one tap.
    code, _expires = code_make(
        gathering_id=gathering.pk, moment=timezone.now(), seconds=gathering.rules.code_seconds
    )  # type: ignore[attr-defined]
    phone.goto(f"/c/{code}/")
    keep(screenshot(phone, "pegawai-2-presensi"))
    phone.get_by_role("button", name="Saya hadir").click()
    expect(phone.locator("main")).to_contain_text("Hadir")
    keep(screenshot(phone, "pegawai-3-tercatat"))
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
    keep(screenshot(phone, "pegawai-4-izin"))
    leave = LeaveRequest.objects.get(employee=staff)
    assert (leave.kind, leave.start_date, leave.status) == ("C", start, LeaveRequest.Status.PENDING)

    # The Friday evaluation: the self-assessment first, every scale item answered.
    phone.get_by_role("link", name="Evaluasi Jumat").first.click()
    keep(screenshot(phone, "pegawai-5-evaluasi"))
    own = Assignment.objects.get(round=data["round"], rater=staff, subject=staff)
    phone.goto(f"/evaluasi/{own.pk}/")
    scales = phone.locator("input[type=radio][value='4']")
    assert scales.count() >= 20
    for index in range(scales.count()):
        scales.nth(index).check()
    keep(screenshot(phone, "pegawai-6-penilaian-diri"))
    phone.get_by_role("button", name="Kirim penilaian").click()
    own.refresh_from_db()
    assert own.done

    # Her own recap counts held gatherings: once the coordinator has closed today's, it shows her mark.
    attendance.gathering_close(gathering=gathering)  # type: ignore[arg-type]
    phone.get_by_role("link", name="Kehadiran saya").first.click()
    expect(phone.locator("main")).to_contain_text("Hadir")
    keep(screenshot(phone, "pegawai-7-kehadiran-saya"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide on a 360 px phone"
    assert requests_seen.failed == []
    assert requests_seen.foreign(phone.url.split("/c/")[0]) == []
