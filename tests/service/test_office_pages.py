"""The office's service pages: metrics with charts and tables, exports, the SKM page with the improvement
plan, the catalogue, the counter's entry form, complaints and the poster."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from openpyxl import load_workbook

from perjumpaan.org.models import Employee
from perjumpaan.service.models import (
    Complaint,
    ComplaintUpdate,
    ImprovementAction,
    Service,
    ServiceRecord,
    SurveySettings,
)
from perjumpaan.service.services import complaint_submit
from tests.service.helpers import ServiceTestCase, stored_answer, wita

NOW = dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)  # Friday 10.00 WITA
TODAY = dt.date(2026, 11, 27)


class OfficePageCase(ServiceTestCase):
    def setUp(self) -> None:
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def as_(self, persona: str) -> Client:
        client = Client()
        client.force_login(getattr(self, persona))
        return client

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"service:{name}", args=["DUKCAPIL", *args])


class DashboardTests(OfficePageCase):
    def setUp(self) -> None:
        super().setUp()
        self.record(dt.date(2026, 11, 23), "A1", wait=30, duration=10)
        self.record(dt.date(2026, 11, 24), "A1", wait=12, duration=6, service="KK")

    def test_it_shows_each_chart_beside_a_table_of_its_numbers(self) -> None:
        response = self.as_("koord_dukcapil").get(self.url("dashboard") + "?periode=2026-11")
        self.assertEqual(response.status_code, 200)
        page = response.content.decode()
        self.assertEqual(page.count('<svg class="chart"'), 4)
        self.assertEqual(page.count("chart-row"), 4)
        self.assertIn("21,0 mnt", page)  # median wait of 30 and 12 minutes
        self.assertIn("23 Nov", page)
        self.assertIn("Kartu Keluarga", page)

    def test_staff_of_the_office_see_it_and_a_bad_period_is_a_message_not_an_error(self) -> None:
        response = self.as_("staf_dukcapil").get(self.url("dashboard") + "?periode=kemarin")
        self.assertContains(response, "Periode")
        self.assertContains(response, "tidak dikenal")

    def test_an_empty_period_says_where_records_come_from(self) -> None:
        response = self.as_("koord_dukcapil").get(self.url("dashboard") + "?periode=2025-01")
        self.assertContains(response, "import_services")

    def test_the_export_has_a_row_per_day_the_total_and_each_service(self) -> None:
        response = self.as_("pimpinan").get(self.url("dashboard_export", "csv") + "?periode=2026-11")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:5], ["Layanan", "Periode", "Dari", "Sampai", "Jumlah layanan"])
        self.assertEqual(
            [(r[0], r[1], r[4]) for r in rows[1:]][:3],
            [
                ("Semua layanan", "23 Nov", "1"),
                ("Semua layanan", "24 Nov", "1"),
                ("Semua layanan", "November 2026", "2"),
            ],
        )
        self.assertEqual(rows[1][7], "30.0")
        xlsx = self.as_("pimpinan").get(self.url("dashboard_export", "xlsx") + "?periode=2026-11")
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        self.assertEqual(sheet.cell(4, 5).value, 2)

    def test_an_unknown_export_format_is_404(self) -> None:
        self.assertEqual(self.as_("koord_dukcapil").get(self.url("dashboard_export", "pdf")).status_code, 404)

    def test_the_poster_is_an_a4_pdf_with_the_survey_address(self) -> None:
        response = self.as_("koord_dukcapil").get(self.url("poster"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))


class SkmPageTests(OfficePageCase):
    def setUp(self) -> None:
        super().setUp()
        for values in ({"u1": 4, "u3": 2, "u8": 3, "u9": 1}, {"u1": 4, "u3": 2, "u8": 3, "u9": 2}):
            stored_answer(
                office=self.dukcapil,
                service=self.services["KK"],
                submitted_at=wita(TODAY, 9, 0),
                suggestion="Tambah kursi",
                **{f"u{i}": 4 for i in range(1, 10)} | values,
            )

    def test_it_shows_the_ikm_the_weight_the_lowest_elements_and_the_suggestions(self) -> None:
        response = self.as_("koord_dukcapil").get(self.url("skm") + "?periode=2026-11")
        self.assertContains(response, "1/9")
        self.assertContains(response, "U9 Penanganan Pengaduan")
        self.assertContains(response, "Tambah kursi")
        self.assertContains(response, "Tiga unsur terendah")
        self.assertContains(response, "Jadikan perangkat ini kios")

    def test_leadership_reads_it_without_the_forms(self) -> None:
        response = self.as_("pimpinan").get(self.url("skm"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Simpan bobot")
        self.assertNotContains(response, "Tambah rencana")

    def test_a_coordinator_changes_the_weight_and_every_result_says_so(self) -> None:
        response = self.as_("koord_dukcapil").post(
            self.url("skm_weight"), {"ikm_weight": "0.111", "next": "/\\evil.example/x"}
        )
        self.assertRedirects(response, self.url("skm"), fetch_redirect_response=False)
        self.assertEqual(SurveySettings.objects.get(office=self.dukcapil).ikm_weight, "0.111")
        self.assertContains(self.as_("koord_dukcapil").get(self.url("skm")), "0,111")

    def test_staff_cannot_change_the_weight(self) -> None:
        self.assertEqual(
            self.as_("staf_dukcapil").post(self.url("skm_weight"), {"ikm_weight": "0.11"}).status_code, 404
        )
        self.assertFalse(SurveySettings.objects.exists())

    def test_the_ikm_export_lists_each_element_and_the_index(self) -> None:
        response = self.as_("koord_dukcapil").get(self.url("skm_export", "csv") + "?periode=2026-11")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual([r[2] for r in rows[1:11]], [*(f"U{i}" for i in range(1, 10)), "IKM"])


class ImprovementPlanTests(OfficePageCase):
    def owner(self) -> Employee:
        return Employee.objects.get(name="Lalu Muhammad Zaini")

    def plan(self, **extra: Any) -> Any:
        data = {
            "period": "2026-S2",
            "element": "U3",
            "action": "Tambah dua loket perekaman KTP-el pada hari Senin.",
            "owner": self.owner().pk,
            "due_date": "2027-01-31",
            "next": self.url("skm") + "?periode=2026-S2",
        }
        data.update(extra)
        return self.as_("koord_dukcapil").post(self.url("action_create"), data)

    def test_a_coordinator_plans_an_action_and_tracks_it_to_completion(self) -> None:
        response = self.plan()
        self.assertRedirects(
            response, self.url("skm") + "?periode=2026-S2#rtl", fetch_redirect_response=False
        )
        action = ImprovementAction.objects.get()
        self.assertEqual(
            (action.period, action.element, action.status, action.owner),
            ("2026-S2", "U3", "rencana", self.owner()),
        )
        edit = self.url("action_edit", action.pk)
        data = {
            "action": action.action,
            "owner": self.owner().pk,
            "due_date": "2027-01-31",
            "status": "selesai",
            "note": "Loket 7 dan 8 dibuka.",
        }
        self.as_("koord_dukcapil").post(edit, data)
        action.refresh_from_db()
        self.assertEqual((action.status, action.completed_on), ("selesai", TODAY))
        self.as_("koord_dukcapil").post(edit, data | {"status": "berjalan"})
        action.refresh_from_db()
        self.assertEqual((action.status, action.completed_on), ("berjalan", None))

    def test_an_owner_from_another_office_or_a_bad_period_is_refused_with_a_message(self) -> None:
        pupr = Employee.objects.filter(office=self.pupr).first()
        assert pupr is not None
        self.plan(owner=pupr.pk)
        self.plan(period="2026-S9")
        self.plan(due_date="2026-01-01")
        self.assertFalse(ImprovementAction.objects.exists())

    def test_staff_and_other_coordinators_cannot_plan(self) -> None:
        for persona in ("staf_dukcapil", "koord_pupr", "pimpinan"):
            response = self.as_(persona).post(self.url("action_create"), {"element": "U1"})
            self.assertEqual(response.status_code, 404, persona)


class CatalogueTests(OfficePageCase):
    def test_a_coordinator_adds_and_renames_a_service(self) -> None:
        client = self.as_("koord_dukcapil")
        client.post(
            self.url("catalogue"),
            {"code": "ktp-hilang", "name": "KTP-el Hilang", "order": "9", "active": "on"},
        )
        service = Service.objects.get(code="KTP-HILANG")
        client.post(
            self.url("service_edit", service.pk), {"code": "X", "name": "KTP-el Rusak/Hilang", "order": "9"}
        )
        service.refresh_from_db()
        self.assertEqual(
            (service.code, service.name, service.active), ("KTP-HILANG", "KTP-el Rusak/Hilang", False)
        )

    def test_a_duplicate_code_is_a_message_on_the_form(self) -> None:
        response = self.as_("koord_dukcapil").post(self.url("catalogue"), {"code": "KK", "name": "Lain"})
        self.assertContains(response, "sudah dipakai")

    def test_staff_see_the_catalogue_but_cannot_add(self) -> None:
        client = self.as_("staf_dukcapil")
        self.assertContains(client.get(self.url("catalogue")), "Kartu Keluarga")
        self.assertEqual(client.post(self.url("catalogue"), {"code": "X", "name": "X"}).status_code, 403)


class RecordEntryTests(OfficePageCase):
    def entry(self, persona: str = "staf_dukcapil", **extra: Any) -> Any:
        data = {
            "service": self.services["KIA"].pk,
            "ticket": "f001",
            "arrival": "08.15",
            "called": "08:40",
            "finished": "09:00",
            "counter": "3",
            "result": "selesai",
        }
        data.update(extra)
        return self.as_(persona).post(self.url("record_entry"), data)

    def test_an_officer_records_a_citizen_served_today_and_is_its_officer(self) -> None:
        response = self.entry()
        self.assertEqual(response.status_code, 302)
        record = ServiceRecord.objects.get()
        self.assertEqual(
            (record.date, record.ticket, record.arrival, record.source),
            (TODAY, "F001", wita(TODAY, 8, 15), "loket"),
        )
        self.assertEqual(record.officer, Employee.objects.get(user=self.staf_dukcapil))
        self.assertContains(self.as_("staf_dukcapil").get(self.url("record_entry")), "F001")

    def test_the_same_ticket_twice_a_day_and_times_out_of_order_are_refused(self) -> None:
        self.entry()
        self.assertContains(self.entry(), "sudah dicatat hari ini")
        self.assertContains(self.entry(ticket="F002", called="08.00"), "lebih awal dari jam datang")
        self.assertContains(self.entry(ticket="F003", arrival="jam delapan"), "Tulis jam seperti 08.15")
        self.assertEqual(ServiceRecord.objects.count(), 1)

    def test_a_coordinator_records_without_being_the_officer(self) -> None:
        self.entry(persona="koord_dukcapil")
        self.assertIsNone(ServiceRecord.objects.get().officer)

    def test_facilitators_leadership_and_other_offices_cannot(self) -> None:
        self.assertEqual(self.entry(persona="fasilitator").status_code, 403)
        self.assertEqual(self.entry(persona="pimpinan").status_code, 403)
        self.assertEqual(self.entry(persona="staf_pupr").status_code, 404)
        self.assertFalse(ServiceRecord.objects.exists())


class ComplaintHandlingTests(OfficePageCase):
    def setUp(self) -> None:
        super().setUp()
        self.complaint = complaint_submit(
            office=self.dukcapil, category="waktu", description="Antrian lama sekali.", contact="0812999"
        )
        self.handler = Employee.objects.get(user=self.staf_dukcapil)

    def respond(self, persona: str = "koord_dukcapil", **data: Any) -> Any:
        return self.as_(persona).post(self.url("complaint_detail", self.complaint.pk), data)

    def test_it_moves_received_in_progress_resolved_with_response_times(self) -> None:
        with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
            self.respond(status="diproses", note="Sedang kami periksa.", handler=self.handler.pk)
        with time_machine.travel(NOW + dt.timedelta(hours=27), tick=False):
            self.respond(status="selesai", note="Loket ditambah.")
        self.complaint.refresh_from_db()
        self.assertEqual(self.complaint.status, "selesai")
        self.assertEqual(self.complaint.time_to_first_response, dt.timedelta(hours=3))
        self.assertEqual(self.complaint.time_to_close, dt.timedelta(hours=27))
        self.assertEqual(
            list(ComplaintUpdate.objects.values_list("status_from", "status_to")),
            [("diterima", "diproses"), ("diproses", "selesai")],
        )
        page = self.as_("koord_dukcapil").get(self.url("complaint_list"))
        self.assertContains(page, "3,0 jam")

    def test_skipping_a_step_closing_without_a_note_and_changing_a_closed_complaint_are_refused(self) -> None:
        self.assertContains(self.respond(status="selesai", note="x"), "pilihan yang valid")
        self.respond(status="diproses", note="")
        self.complaint.refresh_from_db()
        self.assertEqual(self.complaint.status, "diproses")
        self.assertContains(self.respond(status="ditolak", note=""), "Tulis tanggapan")
        self.respond(status="ditolak", note="Di luar kewenangan.")
        response = self.respond(status="diproses", note="buka lagi")
        self.assertEqual(response.status_code, 200)
        self.complaint.refresh_from_db()
        self.assertEqual(self.complaint.status, "ditolak")

    def test_a_step_recorded_by_nobody_in_particular_shows_a_dash(self) -> None:
        ComplaintUpdate.objects.create(
            complaint=self.complaint, status_from="diterima", status_to="diproses", note="Diteruskan."
        )
        response = self.as_("koord_dukcapil").get(self.url("complaint_detail", self.complaint.pk))
        self.assertContains(response, "Diteruskan.")
        self.assertContains(response, "Diterima → Diproses")

    def test_staff_see_only_the_complaints_they_handle(self) -> None:
        staff = self.as_("staf_dukcapil")
        self.assertEqual(staff.get(self.url("complaint_detail", self.complaint.pk)).status_code, 404)
        self.assertNotContains(staff.get(self.url("complaint_list")), self.complaint.reference)
        Complaint.objects.filter(pk=self.complaint.pk).update(handler=self.handler)
        self.assertContains(
            staff.get(self.url("complaint_detail", self.complaint.pk)), "Antrian lama sekali."
        )
        staff.post(
            self.url("complaint_detail", self.complaint.pk), {"status": "diproses", "note": "Saya tangani."}
        )
        self.complaint.refresh_from_db()
        self.assertEqual(self.complaint.status, "diproses")

    def test_the_facilitator_does_not_see_complaints(self) -> None:
        self.assertNotContains(
            self.as_("fasilitator").get(self.url("complaint_list")), self.complaint.reference
        )

    def test_the_list_filters_by_status_and_the_export_leaves_contacts_out(self) -> None:
        client = self.as_("koord_dukcapil")
        self.assertNotContains(
            client.get(self.url("complaint_list") + "?status=selesai"), self.complaint.reference
        )
        self.assertContains(
            client.get(self.url("complaint_list") + "?status=terbuka"), self.complaint.reference
        )
        self.assertContains(client.get(self.url("complaint_list") + "?status=zzz&since=kemarin"), "Pengaduan")
        export = client.get(self.url("complaint_export", "csv")).content.decode("utf-8-sig")
        self.assertIn(self.complaint.reference, export)
        self.assertNotIn("0812999", export)

    def test_a_coordinator_enters_a_complaint_that_came_by_phone(self) -> None:
        response = self.as_("koord_dukcapil").post(
            self.url("complaint_create"),
            {
                "category": "petugas",
                "channel": "telepon",
                "description": "Petugas kurang ramah.",
                "received_on": "2026-11-26",
                "received_time": "14.30",
            },
        )
        complaint = Complaint.objects.exclude(pk=self.complaint.pk).get()
        self.assertRedirects(
            response, self.url("complaint_detail", complaint.pk), fetch_redirect_response=False
        )
        self.assertEqual(
            (complaint.channel, complaint.received_at), ("telepon", wita(dt.date(2026, 11, 26), 14, 30))
        )


class QueryCountTests(OfficePageCase):
    """The pages' query counts do not grow with the data shown (no query per record, service or answer)."""

    def queries(self, client: Client, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(client.get(url).status_code, 200)
        return len(captured.captured_queries)

    def add(self, count: int, start: int = 0) -> None:
        codes = list(self.services)
        for index in range(start, start + count):
            day = dt.date(2026, 11, 2 + index % 20)
            self.record(day, f"Q{index}", service=codes[index % len(codes)])
            stored_answer(
                office=self.dukcapil,
                service=self.services[codes[index % len(codes)]],
                submitted_at=wita(day, 10, 0),
                suggestion=f"saran {index}",
                **{f"u{i}": 1 + (index + i) % 4 for i in range(1, 10)},
            )
            complaint_submit(office=self.dukcapil, category="waktu", description=f"Pengaduan {index}")

    def test_the_service_skm_and_complaint_pages_and_the_public_results_do_not_grow_with_the_data(
        self,
    ) -> None:
        client = self.as_("koord_dukcapil")
        public = Client()
        urls = [
            (client, self.url("dashboard") + "?periode=2026-11"),
            (client, self.url("skm") + "?periode=2026-11"),
            (client, self.url("complaint_list")),
            (public, "/skm/DUKCAPIL/hasil/?pemda=lombok-barat&periode=2026-11"),
        ]
        self.add(1)
        before = [self.queries(c, url) for c, url in urls]
        self.add(30, start=1)
        self.assertEqual([self.queries(c, url) for c, url in urls], before)


class StaffFormsNeverCrashTests(OfficePageCase, HypothesisTestCase):
    values = st.one_of(st.text(max_size=40), st.integers(-5, 10**6).map(str), st.just(""))

    @settings(max_examples=40, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["service", "ticket", "arrival", "called", "finished", "counter", "result"]),
            values,
        )
    )
    def test_any_counter_entry_is_saved_or_refused(self, data: dict[str, str]) -> None:
        response = self.as_("staf_dukcapil").post(self.url("record_entry"), data)
        self.assertIn(response.status_code, (200, 302))

    @settings(max_examples=30, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["period", "element", "action", "owner", "due_date", "status", "note", "next"]),
            values,
        )
    )
    def test_any_improvement_plan_post_is_saved_or_refused(self, data: dict[str, str]) -> None:
        response = self.as_("koord_dukcapil").post(self.url("action_create"), data)
        self.assertEqual(response.status_code, 302)

    @settings(max_examples=30, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(
                ["category", "channel", "description", "service", "contact", "received_on", "received_time"]
            ),
            values,
        )
    )
    def test_any_staff_complaint_post_is_saved_or_refused(self, data: dict[str, str]) -> None:
        response = self.as_("koord_dukcapil").post(self.url("complaint_create"), data)
        self.assertIn(response.status_code, (200, 302))

    @settings(max_examples=30, deadline=None)
    @given(st.dictionaries(st.sampled_from(["code", "name", "order", "active"]), values))
    def test_any_catalogue_post_is_saved_or_refused(self, data: dict[str, str]) -> None:
        response = self.as_("koord_dukcapil").post(self.url("catalogue"), data)
        self.assertIn(response.status_code, (200, 302))

    @settings(max_examples=30, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["periode", "layanan", "status", "category", "since", "until", "page"]), values
        )
    )
    def test_any_query_string_on_the_office_pages_is_answered(self, query: dict[str, str]) -> None:
        client = self.as_("koord_dukcapil")
        for name in ("dashboard", "skm", "complaint_list"):
            self.assertEqual(client.get(self.url(name), query).status_code, 200)

    @settings(max_examples=30, deadline=None)
    @given(st.dictionaries(st.sampled_from(["status", "note", "handler"]), values))
    def test_any_complaint_response_is_saved_or_refused(self, data: dict[str, str]) -> None:
        complaint = complaint_submit(office=self.dukcapil, category="waktu", description="Antrian lama.")
        response = self.as_("koord_dukcapil").post(self.url("complaint_detail", complaint.pk), data)
        self.assertIn(response.status_code, (200, 302))

    @settings(max_examples=20, deadline=None)
    @given(st.dictionaries(st.sampled_from(["ikm_weight", "next"]), values))
    def test_any_weight_post_is_saved_or_refused(self, data: dict[str, str]) -> None:
        self.assertEqual(self.as_("koord_dukcapil").post(self.url("skm_weight"), data).status_code, 302)

    @settings(max_examples=20, deadline=None)
    @given(
        st.dictionaries(st.sampled_from(["action", "owner", "due_date", "status", "note", "element"]), values)
    )
    def test_any_improvement_edit_is_saved_or_refused(self, data: dict[str, str]) -> None:
        owner = Employee.objects.get(name="Lalu Muhammad Zaini")
        action = ImprovementAction.objects.create(
            office=self.dukcapil, period="2026-S2", element="U3", action="x", owner=owner, due_date=TODAY
        )
        response = self.as_("koord_dukcapil").post(self.url("action_edit", action.pk), data)
        self.assertIn(response.status_code, (200, 302))
