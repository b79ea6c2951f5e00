""" "Data saya": an employee downloads everything the system holds about them, and nothing about others."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile

from django.core.files.base import ContentFile
from django.test import override_settings

from perjumpaan.attendance.models import Attendance, LeaveRequest
from perjumpaan.core.audit import audit_record
from perjumpaan.core.mydata import person_relations
from perjumpaan.org.models import ApiToken, Employee
from tests.attendance.helpers import a_gathering
from tests.base import PerjumpaanTestCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="perjumpaan-mydata-"))
class MyDataTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.me = Employee.objects.get(user=cls.staf_dukcapil)
        cls.colleague = Employee.objects.get(name="Lalu Muhammad Zaini")
        gathering = a_gathering(cls.dukcapil, day=2)
        mark = Attendance.objects.create(gathering=gathering, employee=cls.me, status="H", source="qr")
        Attendance.objects.create(gathering=gathering, employee=cls.colleague, status="TK", source="close")
        audit_record(
            actor=cls.koord_dukcapil,
            office=cls.dukcapil,
            action="attendance.change",
            obj=mark,
            old={"status": "TK"},
            new={"status": "H"},
            reason="Lupa memindai",
        )
        ApiToken.objects.create(user=cls.staf_dukcapil, digest="f" * 64, name="HP saya")

    def download(self) -> zipfile.ZipFile:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get("/saya/data/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertIn('attachment; filename="data-saya-staf.dukcapil-', response["Content-Disposition"])
        self.assertIn("no-store", response["Cache-Control"])
        return zipfile.ZipFile(io.BytesIO(response.content))

    def test_the_zip_holds_the_profile_the_marks_the_audit_trail_and_the_attachments(self) -> None:
        leave = LeaveRequest(
            employee=self.me,
            kind="S",
            start_date=a_gathering(self.dukcapil, day=3).date,
            end_date=a_gathering(self.dukcapil, day=4).date,
            reason="Demam",
        )
        leave.attachment.save("surat-dokter.pdf", ContentFile(PDF), save=False)
        leave.save()
        archive = self.download()
        names = archive.namelist()
        self.assertIn("BACA-SAYA.txt", names)
        self.assertIn("csv/attendance.Attendance.csv", names)
        attachment = [name for name in names if name.startswith("lampiran/attendance.LeaveRequest/")]
        self.assertEqual(len(attachment), 1)
        self.assertEqual(archive.read(attachment[0]), PDF)

        document = json.loads(archive.read("data.json"))
        tables = document["tabel"]
        self.assertEqual(tables["org.Employee"][0]["nip"], self.me.nip)
        self.assertEqual([row["employee"] for row in tables["attendance.Attendance"]], [self.me.pk])
        self.assertEqual(tables["org.AuditEntry"][0]["reason"], "Lupa memindai")
        self.assertEqual(tables["org.ApiToken"][0]["name"], "HP saya")
        self.assertEqual(tables["attendance.LeaveRequest"][0]["reason"], "Demam")

    def test_nothing_secret_and_nothing_about_colleagues(self) -> None:
        archive = self.download()
        everything = b"".join(archive.read(name) for name in archive.namelist())
        self.assertNotIn(self.colleague.nip.encode(), everything)
        self.assertNotIn(self.colleague.name.encode(), everything)
        self.assertNotIn(b"f" * 64, everything)  # the token's digest
        self.assertNotIn(self.staf_dukcapil.password.encode(), everything)
        self.assertNotIn(b'"password"', everything)

    def test_a_login_without_an_employee_record_gets_its_account_data(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        archive = zipfile.ZipFile(io.BytesIO(self.client.get("/saya/data/").content))
        tables = json.loads(archive.read("data.json"))["tabel"]
        self.assertEqual(tables["org.User"][0]["username"], "koordinator.dukcapil")
        self.assertEqual([row["kind"] for row in tables["org.Role"]], ["coordinator"])
        # The coordinator's change to a staff member's mark is about that staff member, not exported here.
        self.assertNotIn("org.AuditEntry", tables)

    def test_only_for_a_logged_in_person(self) -> None:
        response = self.client.get("/saya/data/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/masuk/", response["Location"])


class RelationsTests(PerjumpaanTestCase):
    def test_every_relation_to_a_login_is_classified(self) -> None:
        _found, unclassified = person_relations()
        self.assertEqual(
            unclassified,
            [],
            "A new foreign key to the user: add it to SUBJECT_USER_RELATIONS (rows about that login) or "
            "ACTOR_RELATIONS (rows the login acted on) in perjumpaan/core/mydata.py, or name it *_by.",
        )

    def test_who_rates_whom_is_never_exported_to_the_person_rated(self) -> None:
        found, _unclassified = person_relations()
        relations = {(relation.model._meta.label, relation.field) for relation in found}
        self.assertIn(("evaluation.Assignment", "rater"), relations)
        self.assertNotIn(("evaluation.Assignment", "subject"), relations)
