"""Hari ini, the office week and the programme overview."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.program.services import gathering_schedule
from tests.base import PerjumpaanTestCase
from tests.program.helpers import enrol_with_templates

WITA = ZoneInfo("Asia/Makassar")


@time_machine.travel(dt.datetime(2026, 12, 2, 8, 0, tzinfo=WITA), tick=False)
class ProgrammePagesTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.government.latitude, self.government.longitude = -8.6936, 116.1230
        self.government.save()
        enrol_with_templates(self.dukcapil)
        gathering_schedule(office=self.dukcapil, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 11))
        self.me = Employee.objects.get(user=self.staf_dukcapil)

    def test_staff_see_today_s_gathering_with_time_place_and_dates(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("program:today"))
        self.assertContains(response, "Rabu, 2 Desember 2026")
        self.assertContains(response, "Jumadilakhir 1448 H")
        self.assertContains(response, "Perjumpaan hari ini")
        self.assertContains(response, "12.30")
        self.assertContains(response, "Musala kantor")
        self.assertContains(response, "Dzuhur hari ini")

    def test_staff_see_their_own_part_today(self) -> None:
        item = AgendaItem.objects.get(kind="kultum", gathering__date=dt.date(2026, 12, 2))
        item.employee = self.me
        item.save()
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("program:today"))
        self.assertContains(response, "Bagian saya")
        self.assertContains(response, "Anda bertugas: <strong>Kultum</strong>", html=False)

    def test_a_staff_member_s_home_is_hari_ini(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        self.assertRedirects(self.client.get(reverse("home")), reverse("program:today"))

    def test_the_coordinator_s_week_lists_each_working_day(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("program:week", args=["DUKCAPIL"]) + "?w=2026-W49")
        self.assertContains(response, "Senin, 30 November 2026")
        self.assertContains(response, "Jumat, 4 Desember 2026")
        self.assertContains(response, "09.00–09.30")
        self.assertContains(response, "Batalkan perjumpaan ini")

    def test_a_malformed_week_falls_back_to_this_week(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("program:week", args=["DUKCAPIL"]) + "?w=minggu-depan")
        self.assertContains(response, "2026-W49")

    def test_leadership_can_read_the_week_but_not_edit_it(self) -> None:
        self.client.force_login(self.pimpinan)
        response = self.client.get(reverse("program:week", args=["DUKCAPIL"]))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Batalkan perjumpaan ini")
        item = AgendaItem.objects.filter(kind="kultum").first()
        assert item is not None
        response = self.client.post(
            reverse("program:agenda_assign", args=["DUKCAPIL", item.pk]), {"employee": self.me.pk}
        )
        self.assertEqual(response.status_code, 404)

    def test_changing_the_kultum_giver_is_audited(self) -> None:
        item = AgendaItem.objects.filter(kind="kultum", gathering__date=dt.date(2026, 12, 3)).get()
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            reverse("program:agenda_assign", args=["DUKCAPIL", item.pk]), {"employee": self.me.pk}
        )
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual(item.employee, self.me)
        entry = AuditEntry.objects.get(action="agenda.assign")
        self.assertEqual(entry.actor, self.koord_dukcapil)
        self.assertEqual(entry.new, {"employee": self.me.pk})

    def test_a_coordinator_cannot_give_a_kultum_to_someone_of_another_office(self) -> None:
        item = AgendaItem.objects.filter(kind="kultum", gathering__date=dt.date(2026, 12, 3)).get()
        stranger = Employee.objects.get(user=self.staf_pupr)
        self.client.force_login(self.koord_dukcapil)
        self.client.post(
            reverse("program:agenda_assign", args=["DUKCAPIL", item.pk]), {"employee": stranger.pk}
        )
        item.refresh_from_db()
        self.assertNotEqual(item.employee_id, stranger.pk)

    def test_cancelling_needs_a_reason_and_is_audited(self) -> None:
        gathering = Gathering.objects.get(date=dt.date(2026, 12, 3))
        self.client.force_login(self.koord_dukcapil)
        self.client.post(
            reverse("program:gathering_cancel", args=["DUKCAPIL", gathering.pk]), {"reason": " "}
        )
        gathering.refresh_from_db()
        self.assertEqual(gathering.status, "scheduled")
        self.client.post(
            reverse("program:gathering_cancel", args=["DUKCAPIL", gathering.pk]), {"reason": "Rapat pimpinan"}
        )
        gathering.refresh_from_db()
        self.assertEqual((gathering.status, gathering.cancel_reason), ("cancelled", "Rapat pimpinan"))
        self.assertTrue(
            AuditEntry.objects.filter(action="gathering.cancel", object_id=str(gathering.pk)).exists()
        )

    def test_another_office_s_coordinator_cannot_cancel(self) -> None:
        gathering = Gathering.objects.get(date=dt.date(2026, 12, 3))
        self.client.force_login(self.koord_pupr)
        response = self.client.post(
            reverse("program:gathering_cancel", args=["DUKCAPIL", gathering.pk]), {"reason": "x"}
        )
        self.assertEqual(response.status_code, 404)
        gathering.refresh_from_db()
        self.assertEqual(gathering.status, "scheduled")

    def test_the_overview_shows_enrolment_to_admin_and_leadership_only(self) -> None:
        self.client.force_login(self.pimpinan)
        response = self.client.get(reverse("program:overview"))
        self.assertContains(response, "Dinas Kependudukan dan Pencatatan Sipil")
        self.assertContains(response, "5 Januari 2026")
        self.assertContains(response, "belum ikut")  # PUPR
        self.client.force_login(self.koord_dukcapil)
        self.assertEqual(self.client.get(reverse("program:overview")).status_code, 404)
