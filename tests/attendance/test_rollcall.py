"""The roll call: one tap per status, flags to judge, closing, reasons after closing, history; who sees it."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from perjumpaan.attendance import services
from perjumpaan.attendance.models import Attendance
from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program.models import Gathering
from tests.attendance.helpers import a_gathering, at, code_for
from tests.base import PerjumpaanTestCase, make_employee


@time_machine.travel(at(2, 12, 20), tick=False)
class RollCallTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.gathering = a_gathering(self.dukcapil)
        self.url = reverse("attendance:rollcall", args=["DUKCAPIL", self.gathering.pk])
        self.me = Employee.objects.get(user=self.staf_dukcapil)
        self.other = Employee.objects.get(name="Lalu Muhammad Zaini")

    def test_the_coordinator_sees_everyone_expected_with_marks_and_flags_to_judge(self) -> None:
        code = code_for(self.gathering, at(2, 12, 20))
        services.checkin(employee=self.me, code=code, now=at(2, 12, 20), device="hp-1", ip="8.8.8.8")
        services.checkin(employee=self.other, code=code, now=at(2, 12, 20), device="hp-1")
        self.client.force_login(self.koord_dukcapil)
        page = self.client.get(self.url)
        self.assertContains(page, "Baiq Nurul Aini")
        self.assertContains(page, "Lalu Muhammad Zaini")
        self.assertContains(page, "Terlambat")
        self.assertContains(page, "perangkat sama")
        self.assertContains(page, "satu perangkat dengan Baiq Nurul Aini")
        self.assertContains(page, "Tutup presensi")
        self.assertContains(page, 'name="status" value="TK"')

    def test_one_tap_marks_someone_who_has_no_phone(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(self.url, {"employee": self.other.pk, "status": "H"})
        self.assertRedirects(response, f"{self.url}#p{self.other.pk}", fetch_redirect_response=False)
        mark = Attendance.objects.get(gathering=self.gathering, employee=self.other)
        self.assertEqual((mark.status, mark.source, mark.updated_by), ("H", "rollcall", self.koord_dukcapil))

    def test_after_closing_every_change_needs_a_reason_and_its_history_is_shown(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        closing = self.client.post(reverse("attendance:rollcall_close", args=["DUKCAPIL", self.gathering.pk]))
        self.assertRedirects(closing, self.url, fetch_redirect_response=False)
        self.assertEqual(Attendance.objects.filter(gathering=self.gathering, status="TK").count(), 2)
        page = self.client.get(self.url)
        self.assertContains(page, "wajib disertai alasan")
        self.assertContains(page, 'name="reason" maxlength="500" required')
        self.assertNotContains(page, "Tutup presensi</button>")

        refused = self.client.post(self.url, {"employee": self.other.pk, "status": "S"}, follow=True)
        self.assertContains(refused, "wajib disertai alasan")
        self.assertEqual(Attendance.objects.get(gathering=self.gathering, employee=self.other).status, "TK")

        self.client.post(
            self.url, {"employee": self.other.pk, "status": "S", "reason": "Surat dokter menyusul"}
        )
        self.assertEqual(Attendance.objects.get(gathering=self.gathering, employee=self.other).status, "S")
        self.assertTrue(AuditEntry.objects.filter(reason="Surat dokter menyusul").exists())
        page = self.client.get(self.url)
        self.assertContains(page, "Riwayat perubahan (1)")
        self.assertContains(page, "TK → S")
        self.assertContains(page, "“Surat dokter menyusul”")

    def test_a_cancelled_or_not_yet_started_gathering_is_neither_marked_nor_closed(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        later = a_gathering(self.dukcapil, day=3)
        close = reverse("attendance:rollcall_close", args=["DUKCAPIL", later.pk])
        self.assertContains(self.client.post(close, follow=True), "setelah perjumpaan dimulai")
        later.refresh_from_db()
        self.assertEqual(later.status, "scheduled")
        Gathering.objects.filter(pk=self.gathering.pk).update(status="cancelled")
        response = self.client.post(self.url, {"employee": self.other.pk, "status": "H"}, follow=True)
        self.assertContains(response, "dibatalkan")
        self.assertNotContains(response, 'name="status"')
        self.assertFalse(Attendance.objects.exists())

    def test_bad_input_gets_a_message_not_an_error(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        for data in ({}, {"employee": "x", "status": "H"}, {"employee": self.other.pk, "status": "ZZ"}):
            response = self.client.post(self.url, data, follow=True)
            self.assertEqual(response.status_code, 200, data)
            self.assertContains(response, "msg-error")
        stranger = Employee.objects.get(user=self.staf_pupr)
        response = self.client.post(self.url, {"employee": stranger.pk, "status": "H"}, follow=True)
        self.assertContains(response, "tidak ditemukan")
        self.assertFalse(Attendance.objects.exists())

    def test_leadership_reads_the_roll_call_but_cannot_mark(self) -> None:
        self.client.force_login(self.pimpinan)
        page = self.client.get(self.url)
        self.assertContains(page, "Lalu Muhammad Zaini")
        self.assertNotContains(page, 'name="status"')
        self.assertNotContains(page, "Tutup presensi")
        self.assertEqual(
            self.client.post(self.url, {"employee": self.other.pk, "status": "H"}).status_code, 404
        )
        close = reverse("attendance:rollcall_close", args=["DUKCAPIL", self.gathering.pk])
        self.assertEqual(self.client.post(close).status_code, 404)
        self.assertFalse(Attendance.objects.exists())

    def test_other_offices_staff_and_facilitators_get_404(self) -> None:
        for persona in ("koord_pupr", "staf_pupr", "staf_dukcapil", "fasilitator", "outsider", "other_admin"):
            self.client.force_login(getattr(self, persona))
            self.assertEqual(self.client.get(self.url).status_code, 404, persona)
            self.assertEqual(
                self.client.post(self.url, {"employee": self.other.pk, "status": "H"}).status_code,
                404,
                persona,
            )
        self.assertFalse(Attendance.objects.exists())

    def test_the_roll_call_takes_as_many_queries_for_ten_people_as_for_thirty(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.koord_dukcapil)
        counts = []
        for batch in (10, 20):
            for i in range(batch):
                employee = make_employee(self.dukcapil, name=f"Pegawai {batch}-{i:02d}", track="islam")
                services.rollcall_mark(
                    actor=self.koord_dukcapil, gathering=self.gathering, employee=employee, status="TK"
                )
                services.rollcall_mark(
                    actor=self.koord_dukcapil, gathering=self.gathering, employee=employee, status="H"
                )
            with CaptureQueriesContext(connection) as queries:
                self.assertContains(self.client.get(self.url), "Riwayat perubahan (1)")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
