"""`perjumpaan purge`: raw and personal data past its retention goes, the aggregates stay, and a second run
changes nothing."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command
from django.db.models import Avg, Count
from django.test import override_settings
from django.utils import timezone

from perjumpaan.core.purge import purge_run
from perjumpaan.org.models import AuditEntry, StaffImportUpload
from perjumpaan.service.models import Complaint, Service, SurveyResponse
from tests.base import PerjumpaanTestCase

NOW = dt.datetime(2026, 12, 4, 4, 0, tzinfo=dt.UTC)
ELEMENTS = [f"u{i}" for i in range(1, 10)]


def aggregates() -> dict[str, object]:
    """What the index is computed from: per service, the number of answers and each element's mean."""
    rows = SurveyResponse.objects.values("office_id", "service_id").annotate(
        n=Count("pk"), **{f"avg_{name}": Avg(name) for name in ELEMENTS}
    )
    return {
        f"{row['office_id']}/{row['service_id']}": row for row in rows.order_by("office_id", "service_id")
    }


@override_settings(
    PERJUMPAAN_SURVEY_RETENTION_DAYS=365,
    PERJUMPAAN_AUDIT_RETENTION_DAYS=730,
    PERJUMPAAN_LOGIN_LOG_RETENTION_DAYS=90,
)
class PurgeTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        service = Service.objects.create(office=cls.dukcapil, code="KTP-EL", name="KTP-el")
        for days, suggestion in ((400, "Petugas Pak Budi ramah, HP saya 0812..."), (30, "Antrian cepat")):
            for i in range(3):
                SurveyResponse.objects.create(
                    office=cls.dukcapil,
                    service=service,
                    ticket=f"A{days}{i}",
                    ticket_date=(NOW - dt.timedelta(days=days)).date(),
                    submitted_at=NOW - dt.timedelta(days=days),
                    sex="P",
                    age=30 + i,
                    education="S1",
                    occupation="SWASTA",
                    suggestion=suggestion,
                    **{name: 1 + (i + index) % 4 for index, name in enumerate(ELEMENTS)},
                )
        for days in (800, 10):
            AuditEntry.objects.create(
                at=NOW - dt.timedelta(days=days),
                office=cls.dukcapil,
                action="x",
                object_type="y",
                object_id="1",
            )
        received = NOW - dt.timedelta(days=500)
        Complaint.objects.create(
            office=cls.dukcapil,
            reference="ADU-1",
            category="waktu",
            description="Lama",
            contact="0812-0000-0000",
            status="selesai",
            received_at=received,
            first_response_at=received + dt.timedelta(days=1),
            closed_at=received + dt.timedelta(days=2),
        )
        StaffImportUpload.objects.create(
            office=cls.dukcapil,
            uploaded_by=cls.koord_dukcapil,
            filename="pegawai.csv",
            content=b"NIP,Nama",
            created_at=NOW - dt.timedelta(days=3),
        )

    def test_old_answer_sheets_keep_only_what_the_index_needs(self) -> None:
        before = aggregates()
        result = purge_run(now=NOW)
        self.assertEqual(result.counts["survey_answers_reduced"], 3)
        self.assertEqual(aggregates(), before)  # every IKM computes as before
        old = SurveyResponse.objects.filter(submitted_at__lt=NOW - dt.timedelta(days=365))
        self.assertEqual(old.count(), 3)
        for answer in old:
            self.assertEqual(
                (
                    answer.suggestion,
                    answer.ticket,
                    answer.ticket_date,
                    answer.sex,
                    answer.age,
                    answer.education,
                ),
                ("", "", None, "", None, ""),
            )
        recent = SurveyResponse.objects.filter(submitted_at__gte=NOW - dt.timedelta(days=365))
        self.assertEqual(set(recent.values_list("suggestion", flat=True)), {"Antrian cepat"})

    def test_old_audit_entries_contacts_and_uploads_go(self) -> None:
        result = purge_run(now=NOW)
        self.assertEqual(result.counts["audit_entries_deleted"], 1)
        self.assertEqual(AuditEntry.objects.count(), 1)
        self.assertEqual(result.counts["complaint_contacts_erased"], 1)
        complaint = Complaint.objects.get(reference="ADU-1")
        self.assertEqual(
            (complaint.contact, complaint.status, complaint.description), ("", "selesai", "Lama")
        )
        self.assertEqual(result.counts["staff_uploads_deleted"], 1)

    def test_running_it_twice_changes_nothing_the_second_time(self) -> None:
        purge_run(now=NOW)
        self.assertEqual(purge_run(now=NOW).total, 0)

    def test_zero_days_keeps_for_ever(self) -> None:
        result = purge_run(now=NOW, survey_days=0, audit_days=0, login_days=0)
        self.assertNotIn("survey_answers_reduced", result.counts)
        self.assertEqual(AuditEntry.objects.count(), 2)

    def test_the_command_reports_and_a_dry_run_changes_nothing(self) -> None:
        out = io.StringIO()
        call_command("purge", "--dry-run", stdout=out)
        self.assertIn("Uji coba", out.getvalue())
        self.assertEqual(AuditEntry.objects.count(), 2)
        out = io.StringIO()
        call_command("purge", stdout=out)
        self.assertIn("Pembersihan selesai", out.getvalue())
        self.assertLess(AuditEntry.objects.filter(at__lt=timezone.now() - dt.timedelta(days=730)).count(), 1)
