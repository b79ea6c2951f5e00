"""Leave requests: the staff form and its checked attachment, the coordinator's decisions, the
attachment served only to those who may see it."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from perjumpaan.attendance import services
from perjumpaan.attendance.forms import ATTACHMENT_MAX_BYTES
from perjumpaan.attendance.models import Attendance, LeaveRequest
from perjumpaan.org.models import Employee
from tests.attendance.helpers import WITA, a_gathering
from tests.base import PerjumpaanTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@time_machine.travel(dt.datetime(2026, 12, 1, 8, 0, tzinfo=WITA), tick=False)
class LeaveTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        media = tempfile.mkdtemp(prefix="perjumpaan-media-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        settings = override_settings(MEDIA_ROOT=media)
        settings.enable()
        self.addCleanup(settings.disable)
        self.me = Employee.objects.get(user=self.staf_dukcapil)
        self.url = reverse("attendance:leave_mine")

    def ask(self, **data: object) -> object:
        self.client.force_login(self.staf_dukcapil)
        form = {
            "kind": "I",
            "start_date": "2026-12-03",
            "end_date": "2026-12-03",
            "reason": "Urusan keluarga",
        }
        form.update(data)  # type: ignore[arg-type]
        return self.client.post(self.url, form)

    def test_staff_ask_for_leave_and_see_it_pending(self) -> None:
        response = self.ask()
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        leave = LeaveRequest.objects.get(employee=self.me)
        self.assertEqual((leave.kind, leave.status, leave.start_date), ("I", "pending", dt.date(2026, 12, 3)))
        page = self.client.get(self.url)
        self.assertContains(page, "Menunggu persetujuan")
        self.assertContains(page, "Batalkan permohonan")

    def test_sick_leave_needs_a_letter_and_a_failed_form_keeps_what_was_typed(self) -> None:
        response = self.ask(kind="S", reason="Demam tinggi")
        self.assertContains(response, "wajib melampirkan surat keterangan", status_code=400)
        self.assertContains(response, "Demam tinggi", status_code=400)
        self.assertFalse(LeaveRequest.objects.exists())

    def test_only_real_pdf_jpeg_or_png_up_to_five_megabytes_are_accepted(self) -> None:
        refused = {
            "a script named as a PDF": upload("surat.pdf", b"#!/bin/sh\necho hi\n", "application/pdf"),
            "HTML sent as an image": upload("surat.png", b"<html><script>", "image/png"),
            "a PDF declared as an image": upload("surat.png", PDF, "image/png"),
            "too large": upload("surat.pdf", PDF + b"0" * ATTACHMENT_MAX_BYTES, "application/pdf"),
        }
        for label, file in refused.items():
            with self.subTest(label):
                response = self.ask(kind="S", attachment=file)
                self.assertEqual(response.status_code, 400, label)
                self.assertFalse(LeaveRequest.objects.exists(), label)
        for content, content_type, suffix in (
            (PDF, "application/pdf", ".pdf"),
            (PNG, "image/png", ".png"),
            (JPEG, "application/octet-stream", ".jpg"),
        ):
            self.ask(kind="S", attachment=upload("foto dari hp", content, content_type))
            leave = LeaveRequest.objects.latest("pk")
            self.assertTrue(leave.attachment.name.endswith(suffix), leave.attachment.name)
            self.assertNotIn("foto", leave.attachment.name)

    def test_the_attachment_is_served_to_the_requester_and_their_coordinators_only(self) -> None:
        self.ask(kind="S", reason="Tifus", attachment=upload("surat.pdf", PDF, "application/pdf"))
        leave = LeaveRequest.objects.get()
        url = reverse("attendance:leave_attachment", args=[leave.pk])
        for persona in ("staf_dukcapil", "koord_dukcapil", "admin"):
            self.client.force_login(getattr(self, persona))
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, persona)
            self.assertEqual(response["Content-Type"], "application/pdf")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            self.assertEqual(b"".join(response.streaming_content), PDF)
        for persona in ("koord_pupr", "pimpinan", "fasilitator", "staf_pupr", "outsider", "other_admin"):
            self.client.force_login(getattr(self, persona))
            self.assertEqual(self.client.get(url).status_code, 404, persona)
        colleague = Employee.objects.get(name="Lalu Muhammad Zaini")
        colleague.user = self.outsider
        colleague.save()
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_the_coordinator_approves_and_the_marks_follow(self) -> None:
        gathering = a_gathering(self.dukcapil, day=3)
        services.gathering_close(gathering=gathering)
        self.ask()
        leave = LeaveRequest.objects.get()
        self.client.force_login(self.koord_dukcapil)
        listing = self.client.get(reverse("attendance:leave_office", args=["DUKCAPIL"]))
        self.assertContains(listing, "Baiq Nurul Aini")
        self.assertContains(listing, "Urusan keluarga")
        decide = reverse("attendance:leave_decide", args=["DUKCAPIL", leave.pk])
        self.client.post(decide, {"decision": "approve"})
        leave.refresh_from_db()
        self.assertEqual((leave.status, leave.decided_by), ("approved", self.koord_dukcapil))
        self.assertEqual(Attendance.objects.get(gathering=gathering, employee=self.me).status, "I")
        again = self.client.post(decide, {"decision": "reject", "note": "x"}, follow=True)
        self.assertContains(again, "sudah diputuskan")

    def test_a_rejection_needs_a_note_for_the_requester(self) -> None:
        self.ask()
        leave = LeaveRequest.objects.get()
        self.client.force_login(self.koord_dukcapil)
        decide = reverse("attendance:leave_decide", args=["DUKCAPIL", leave.pk])
        response = self.client.post(decide, {"decision": "reject"}, follow=True)
        self.assertContains(response, "Tuliskan alasan penolakan")
        self.client.post(decide, {"decision": "reject", "note": "Ada pemeriksaan BPK hari itu"})
        leave.refresh_from_db()
        self.assertEqual((leave.status, leave.decision_note), ("rejected", "Ada pemeriksaan BPK hari itu"))
        self.client.force_login(self.staf_dukcapil)
        self.assertContains(self.client.get(self.url), "Ada pemeriksaan BPK hari itu")

    def test_staff_withdraw_their_own_pending_request_only(self) -> None:
        self.ask()
        leave = LeaveRequest.objects.get()
        withdraw = reverse("attendance:leave_withdraw", args=[leave.pk])
        self.client.force_login(self.koord_dukcapil)
        self.assertEqual(self.client.post(withdraw).status_code, 404)
        self.client.force_login(self.staf_dukcapil)
        self.client.post(withdraw)
        leave.refresh_from_db()
        self.assertEqual(leave.status, "withdrawn")
        self.assertContains(self.client.post(withdraw, follow=True), "masih menunggu")

    def test_another_office_s_coordinator_cannot_see_or_decide(self) -> None:
        self.ask()
        leave = LeaveRequest.objects.get()
        self.client.force_login(self.koord_pupr)
        self.assertEqual(
            self.client.get(reverse("attendance:leave_office", args=["DUKCAPIL"])).status_code, 404
        )
        listing = self.client.get(reverse("attendance:leave_office", args=["PUPR"]))
        self.assertNotContains(listing, "Baiq Nurul Aini")
        decide = reverse("attendance:leave_decide", args=["PUPR", leave.pk])
        self.assertEqual(self.client.post(decide, {"decision": "approve"}).status_code, 404)
        leave.refresh_from_db()
        self.assertEqual(leave.status, "pending")

    def test_people_without_an_employee_record_get_404_on_the_staff_page(self) -> None:
        self.client.force_login(self.pimpinan)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_impossible_dates_are_refused_with_a_message(self) -> None:
        response = self.ask(start_date="2026-12-05", end_date="2026-12-03")
        self.assertContains(response, "tidak boleh sebelum", status_code=400)
        response = self.ask(start_date="kemarin", end_date="")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(LeaveRequest.objects.exists())
