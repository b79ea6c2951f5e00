"""The office's import pages (upload → preview → confirm) and export downloads, and who may use them."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from perjumpaan.org.forms import STAFF_UPLOAD_MAX_BYTES
from perjumpaan.org.models import AuditEntry, Employee, StaffImportUpload, Unit
from tests.base import PerjumpaanTestCase

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

from tests.org.staff_files import NIP_PPPK, NIP_RAHMAT, NIP_SITI, PPPK, RAHMAT, SITI, csv_file, xlsx_file


class StaffImportViewCase(PerjumpaanTestCase):
    def upload_url(self, code: str = "DUKCAPIL") -> str:
        return reverse("org:staff_import_upload", args=[code])

    def preview_url(self, upload: StaffImportUpload, code: str = "DUKCAPIL") -> str:
        return reverse("org:staff_import_preview", args=[code, upload.pk])

    def confirm_url(self, upload: StaffImportUpload, code: str = "DUKCAPIL") -> str:
        return reverse("org:staff_import_confirm", args=[code, upload.pk])

    def upload(self, data: bytes, name: str = "pegawai.csv", code: str = "DUKCAPIL") -> Response:
        return self.client.post(self.upload_url(code), {"file": SimpleUploadedFile(name, data)})

    def kept_upload(self, data: bytes, *, by: Any = None, name: str = "pegawai.csv") -> StaffImportUpload:
        """An upload of DUKCAPIL's, as the coordinator would have left it at the preview."""
        return StaffImportUpload.objects.create(
            office=self.dukcapil, uploaded_by=by or self.koord_dukcapil, filename=name, content=data
        )


class ImportFlowTests(StaffImportViewCase):
    def test_the_office_page_offers_import_and_export_to_its_coordinator(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("org:office_detail", args=["DUKCAPIL"]))
        self.assertContains(response, f'href="{self.upload_url()}"')
        self.assertContains(response, "Impor pegawai")
        self.assertContains(response, reverse("org:staff_export", args=["DUKCAPIL", "csv"]))
        self.assertContains(response, reverse("org:staff_export", args=["DUKCAPIL", "xlsx"]))

    def test_the_office_page_offers_leadership_the_export_but_not_the_import(self) -> None:
        self.client.force_login(self.pimpinan)
        response = self.client.get(reverse("org:office_detail", args=["DUKCAPIL"]))
        self.assertNotContains(response, self.upload_url())
        self.assertContains(response, "Ekspor XLSX")

    def test_the_office_page_offers_staff_neither(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("org:office_detail", args=["DUKCAPIL"]))
        self.assertNotContains(response, "Impor pegawai")
        self.assertNotContains(response, "Ekspor CSV")

    def test_upload_preview_and_confirm_import_the_file(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        self.assertContains(self.client.get(self.upload_url()), 'enctype="multipart/form-data"')

        response = self.upload(xlsx_file([RAHMAT, SITI, PPPK]), "pegawai.xlsx")
        upload = StaffImportUpload.objects.get()
        self.assertRedirects(response, self.preview_url(upload))
        self.assertEqual(
            (upload.office, upload.uploaded_by, upload.filename),
            (self.dukcapil, self.koord_dukcapil, "pegawai.xlsx"),
        )
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

        preview = self.client.get(self.preview_url(upload))
        self.assertContains(preview, NIP_RAHMAT)
        self.assertContains(preview, "Baiq Ratna Sari")
        self.assertContains(
            preview, '<div class="stat">3</div><div class="stat-label">pegawai baru</div>', html=True
        )
        self.assertContains(preview, "Bidang Data")
        self.assertContains(preview, f'action="{self.confirm_url(upload)}"')
        self.assertNotContains(preview, "row-error")

        response = self.client.post(self.confirm_url(upload), follow=True)
        self.assertRedirects(response, reverse("org:office_detail", args=["DUKCAPIL"]))
        self.assertContains(response, "Impor selesai: 3 pegawai baru, 0 diperbarui, 0 tidak berubah.")
        self.assertEqual(
            set(Employee.objects.filter(office=self.dukcapil).values_list("nip", flat=True))
            & {NIP_RAHMAT, NIP_SITI, NIP_PPPK},
            {NIP_RAHMAT, NIP_SITI, NIP_PPPK},
        )
        self.assertTrue(Unit.objects.filter(office=self.dukcapil, name="Bidang Data").exists())
        self.assertFalse(StaffImportUpload.objects.exists())

    def test_the_preview_shows_updates_with_old_and_new_values(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        colleague = Employee.objects.get(name="Lalu Muhammad Zaini")
        row = [colleague.nip, "Lalu Muhammad Zaini", "Kepala Seksi", "", "L", "PNS", "", "", "Islam"]
        upload = self.kept_upload(csv_file([row]))
        preview = self.client.get(self.preview_url(upload))
        self.assertContains(preview, "Diperbarui")
        self.assertContains(preview, "<li>Jabatan: — → <strong>Kepala Seksi</strong></li>", html=True)

        self.client.post(self.confirm_url(upload))
        colleague.refresh_from_db()
        self.assertEqual(colleague.position, "Kepala Seksi")
        entry = AuditEntry.objects.get(action="employee.import_update")
        self.assertEqual((entry.actor, entry.new), (self.koord_dukcapil, {"position": "Kepala Seksi"}))

    def test_the_preview_highlights_every_bad_row_and_offers_no_confirmation(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        upload = self.kept_upload(
            csv_file([RAHMAT, ["1.97906E+17", *SITI[1:]], [*PPPK[:4], "", *PPPK[5:]]], delimiter=";")
        )
        preview = self.client.get(self.preview_url(upload))
        self.assertContains(preview, 'class="row-error"', count=2)
        self.assertContains(preview, 'id="baris-3" class="row-error"')
        self.assertContains(preview, 'id="baris-4" class="row-error"')
        self.assertContains(preview, "Baris 3: NIP tertulis dalam notasi ilmiah (1.97906E+17)")
        self.assertContains(preview, "Baris 4: Jenis Kelamin wajib diisi.")
        self.assertNotContains(preview, self.confirm_url(upload))

    def test_confirming_a_file_with_bad_rows_writes_nothing(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        upload = self.kept_upload(csv_file([RAHMAT, [NIP_SITI, "", *SITI[2:]]]))
        response = self.client.post(self.confirm_url(upload))
        self.assertContains(response, "tidak ada yang disimpan")
        self.assertContains(response, "Baris 3: Nama wajib diisi.")
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())
        self.assertTrue(StaffImportUpload.objects.filter(pk=upload.pk).exists())

    def test_cancelling_forgets_the_upload(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        upload = self.kept_upload(csv_file([RAHMAT]))
        response = self.client.post(reverse("org:staff_import_cancel", args=["DUKCAPIL", upload.pk]))
        self.assertRedirects(response, reverse("org:office_detail", args=["DUKCAPIL"]))
        self.assertFalse(StaffImportUpload.objects.exists())
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

    def test_a_new_upload_replaces_the_user_s_earlier_one(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        earlier = self.kept_upload(csv_file([RAHMAT]))
        self.upload(csv_file([SITI]))
        self.assertEqual(StaffImportUpload.objects.exclude(pk=earlier.pk).count(), 1)
        self.assertFalse(StaffImportUpload.objects.filter(pk=earlier.pk).exists())

    def test_the_programme_admin_may_import_into_any_office(self) -> None:
        self.client.force_login(self.admin)
        response = self.upload(csv_file([RAHMAT]), code="PUPR")
        upload = StaffImportUpload.objects.get()
        self.assertRedirects(response, self.preview_url(upload, "PUPR"))
        self.client.post(self.confirm_url(upload, "PUPR"))
        self.assertEqual(Employee.objects.get(nip=NIP_RAHMAT).office, self.pupr)


class FailedUploadTests(StaffImportViewCase):
    def setUp(self) -> None:
        self.client.force_login(self.koord_dukcapil)

    def assertRefused(self, response: Response, message: str) -> None:
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertContains(response, 'class="errorlist"')
        self.assertFalse(StaffImportUpload.objects.exists())

    def test_it_refuses_an_xlsx_that_is_not_really_one(self) -> None:
        self.assertRefused(
            self.upload(b"NIP,Nama\n1,Ani\n", "pegawai.xlsx"), "bukan berkas Excel .xlsx yang sah"
        )

    def test_it_refuses_other_kinds_of_file(self) -> None:
        self.assertRefused(self.upload(b"%PDF-1.4 ...", "pegawai.pdf"), "Jenis berkas tidak didukung")

    def test_it_refuses_a_file_over_the_size_limit(self) -> None:
        self.assertRefused(
            self.upload(b"x" * (STAFF_UPLOAD_MAX_BYTES + 1)), "Berkas terlalu besar (paling besar 5 MB)."
        )

    def test_it_refuses_a_file_without_the_required_columns(self) -> None:
        self.assertRefused(
            self.upload(b"Nama;Alamat\nAni;Gerung\n"),
            "Kolom wajib tidak ditemukan: NIP, Jenis Kelamin, Status.",
        )

    def test_it_asks_for_a_file_when_none_was_chosen(self) -> None:
        self.assertRefused(
            self.client.post(self.upload_url(), {}), "Pilih berkas .xlsx atau .csv yang akan diimpor."
        )

    def test_it_refuses_an_empty_file(self) -> None:
        self.assertRefused(self.upload(b""), "Berkas yang dipilih kosong.")


class ImportIsolationTests(StaffImportViewCase):
    def test_another_office_s_coordinator_cannot_reach_the_upload_form(self) -> None:
        self.client.force_login(self.koord_pupr)
        self.assertEqual(self.client.get(self.upload_url()).status_code, 404)
        self.assertEqual(self.upload(csv_file([RAHMAT])).status_code, 404)
        self.assertFalse(StaffImportUpload.objects.exists())

    def test_another_office_s_coordinator_cannot_preview_or_confirm_its_upload(self) -> None:
        upload = self.kept_upload(csv_file([RAHMAT]))
        self.client.force_login(self.koord_pupr)
        for code in ("DUKCAPIL", "PUPR"):
            self.assertEqual(self.client.get(self.preview_url(upload, code)).status_code, 404)
            self.assertEqual(self.client.post(self.confirm_url(upload, code)).status_code, 404)
            cancel = reverse("org:staff_import_cancel", args=[code, upload.pk])
            self.assertEqual(self.client.post(cancel).status_code, 404)
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())
        self.assertTrue(StaffImportUpload.objects.filter(pk=upload.pk).exists())

    def test_staff_cannot_import_even_into_their_own_office(self) -> None:
        upload = self.kept_upload(csv_file([RAHMAT]))
        self.client.force_login(self.staf_dukcapil)
        self.assertEqual(self.client.get(self.upload_url()).status_code, 404)
        self.assertEqual(self.upload(csv_file([RAHMAT])).status_code, 404)
        self.assertEqual(self.client.get(self.preview_url(upload)).status_code, 404)
        self.assertEqual(self.client.post(self.confirm_url(upload)).status_code, 404)
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

    def test_leadership_facilitators_and_outsiders_cannot_import(self) -> None:
        upload = self.kept_upload(csv_file([RAHMAT]))
        for persona in ("pimpinan", "fasilitator", "outsider"):
            with self.subTest(persona):
                self.client.force_login(getattr(self, persona))
                self.assertEqual(self.client.get(self.upload_url()).status_code, 404)
                self.assertEqual(self.client.post(self.confirm_url(upload)).status_code, 404)
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

    def test_another_government_s_admin_reaches_only_their_own_office_of_the_same_code(self) -> None:
        upload = self.kept_upload(csv_file([RAHMAT]))
        self.client.force_login(self.other_admin)
        self.assertContains(self.client.get(self.upload_url()), "Disdukcapil Lombok Timur")
        self.assertEqual(self.client.get(self.preview_url(upload)).status_code, 404)
        self.assertEqual(self.client.post(self.confirm_url(upload)).status_code, 404)
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

    def test_an_anonymous_visitor_is_sent_to_log_in(self) -> None:
        response = self.client.get(self.upload_url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_confirming_needs_a_post(self) -> None:
        upload = self.kept_upload(csv_file([RAHMAT]))
        self.client.force_login(self.koord_dukcapil)
        self.assertEqual(self.client.get(self.confirm_url(upload)).status_code, 405)
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())


class ExportViewTests(StaffImportViewCase):
    def export(self, fmt: str, code: str = "DUKCAPIL") -> Response:
        return self.client.get(reverse("org:staff_export", args=[code, fmt]))

    def test_the_coordinator_downloads_the_office_s_employees_as_csv(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.export("csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="pegawai-dukcapil-', response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        self.assertTrue(text.startswith("NIP,Nama,Jabatan,Unit,Jenis Kelamin,Status,No HP,Email,Jalur\r\n"))
        self.assertIn("Baiq Nurul Aini", text)
        self.assertIn("Lalu Muhammad Zaini", text)
        self.assertNotIn("I Made Sudarsana", text)

    def test_the_coordinator_downloads_an_xlsx_with_nips_as_text(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.export("xlsx")
        self.assertEqual(
            response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        nips = {cell.value for (cell,) in sheet.iter_rows(min_row=2, max_col=1)}
        self.assertEqual(
            nips, set(Employee.objects.filter(office=self.dukcapil).values_list("nip", flat=True))
        )

    def test_a_downloaded_export_uploads_back_with_nothing_to_change(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt):
                content = self.export(fmt).content
                response = self.upload(content, f"pegawai.{fmt}")
                upload = StaffImportUpload.objects.get()
                self.assertRedirects(response, self.preview_url(upload))
                preview = self.client.get(self.preview_url(upload))
                self.assertContains(
                    preview, '<div class="stat">2</div><div class="stat-label">tidak berubah</div>', html=True
                )
                self.client.post(reverse("org:staff_import_cancel", args=["DUKCAPIL", upload.pk]))

    def test_another_office_s_coordinator_cannot_export_it(self) -> None:
        self.client.force_login(self.koord_pupr)
        self.assertEqual(self.export("csv").status_code, 404)
        self.assertEqual(self.export("xlsx").status_code, 404)

    def test_another_government_s_admin_cannot_export_it(self) -> None:
        self.client.force_login(self.other_admin)
        # Lombok Timur has a DUKCAPIL of its own: the admin gets theirs, never Lombok Barat's.
        response = self.export("csv")
        self.assertNotIn("Baiq Nurul Aini", response.content.decode("utf-8-sig"))

    def test_a_staff_member_s_export_holds_only_their_own_record(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        text = self.export("csv").content.decode("utf-8-sig")
        self.assertIn("Baiq Nurul Aini", text)
        self.assertNotIn("Lalu Muhammad Zaini", text)

    def test_an_unknown_format_is_not_found(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        self.assertEqual(self.export("pdf").status_code, 404)
