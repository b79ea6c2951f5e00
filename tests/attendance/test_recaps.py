"""Recaps: the rate as Indonesians write it, periods, the office's, one's own and every office's
recap, and the same figures in CSV, XLSX and PDF."""

from __future__ import annotations

import datetime as dt
import io
from fractions import Fraction

import time_machine
from django.test import SimpleTestCase
from django.urls import reverse
from openpyxl import load_workbook

from perjumpaan.attendance import services
from perjumpaan.attendance.exports import month_period, percent_label, percent_number, period_from_query
from perjumpaan.org.models import Employee
from tests.attendance.helpers import WITA, a_gathering
from tests.base import PerjumpaanTestCase


class RateAndPeriodTests(SimpleTestCase):
    def test_the_rate_is_written_with_a_decimal_comma_rounded_half_up(self) -> None:
        self.assertEqual(percent_label(Fraction(7, 8)), "87,5 %")
        self.assertEqual(percent_label(Fraction(5, 6)), "83,3 %")
        self.assertEqual(percent_label(Fraction(2, 3)), "66,7 %")
        self.assertEqual(percent_label(Fraction(1, 2000)), "0,1 %")  # 0.05 % rounds up
        self.assertEqual(percent_label(Fraction(1)), "100 %")
        self.assertEqual(percent_label(Fraction(0)), "0 %")
        self.assertEqual(percent_label(None), "–")
        self.assertEqual(percent_number(Fraction(5, 8)), 62.5)

    def test_a_month_or_a_period_is_read_and_bad_input_falls_back_to_this_month(self) -> None:
        today = dt.date(2026, 12, 9)
        self.assertEqual(
            period_from_query({"bulan": "2026-11"}, today), (month_period(dt.date(2026, 11, 1)), "")
        )
        period, error = period_from_query({"dari": "2026-11-15", "sampai": "2026-12-05"}, today)
        self.assertEqual(
            (period.start, period.end, period.month, error),
            (dt.date(2026, 11, 15), dt.date(2026, 12, 5), "", ""),
        )
        self.assertEqual(period.label, "15 November – 5 Desember 2026")
        self.assertEqual(
            period_from_query({"dari": "2026-02-01", "sampai": "2026-02-28"}, today)[0].month, "2026-02"
        )
        for bad in (
            {"bulan": "November"},
            {"bulan": "2026-13"},
            {"dari": "x", "sampai": "2026-01-01"},
            {"dari": "2026-12-05", "sampai": "2026-12-01"},
            {"dari": "2020-01-01", "sampai": "2026-01-01"},
        ):
            period, error = period_from_query(bad, today)
            self.assertEqual(period, month_period(today), bad)
            self.assertTrue(error, bad)
        self.assertEqual(month_period(dt.date(2028, 2, 10)).end, dt.date(2028, 2, 29))


@time_machine.travel(dt.datetime(2026, 12, 20, 9, 0, tzinfo=WITA), tick=False)
class RecapPageTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # The case worked by hand in test_checkin: Baiq H H H T T I S C DL TK → 5 / (10 − 2) = 62,5 %;
        # Lalu present at all ten → 100 %; office (5 + 10) / (20 − 2) = 83,3 %.
        me = Employee.objects.get(user=cls.staf_dukcapil)
        other = Employee.objects.get(name="Lalu Muhammad Zaini")
        for day, status in enumerate(["H", "H", "H", "T", "T", "I", "S", "C", "DL", "TK"], 1):
            gathering = a_gathering(cls.dukcapil, day=day)
            services.rollcall_mark(actor=cls.koord_dukcapil, gathering=gathering, employee=me, status=status)
            services.rollcall_mark(actor=cls.koord_dukcapil, gathering=gathering, employee=other, status="H")
            services.gathering_close(gathering=gathering)
        pupr = a_gathering(cls.pupr, day=2, track="hindu")
        services.gathering_close(gathering=pupr)  # both PUPR staff TK

    def test_the_office_recap_matches_the_case_worked_by_hand(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        page = self.client.get(reverse("attendance:recap_office", args=["DUKCAPIL"]) + "?bulan=2026-12")
        self.assertContains(page, "Desember 2026")
        self.assertContains(page, "62,5 %")
        self.assertContains(page, "100 %")
        self.assertContains(page, "83,3 %")
        self.assertContains(page, "(H + T) ÷ (perjumpaan yang diharapkan − C − DL)")
        november = self.client.get(reverse("attendance:recap_office", args=["DUKCAPIL"]) + "?bulan=2026-11")
        self.assertContains(november, "Belum ada perjumpaan")

    def test_a_bad_period_shows_this_month_with_a_warning(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        url = reverse("attendance:recap_office", args=["DUKCAPIL"])
        for query in ("?bulan=kemarin", "?dari=2026-12-10&sampai=2026-12-01", "?dari=&sampai=x"):
            page = self.client.get(url + query)
            self.assertContains(page, "msg-warning")
            self.assertContains(page, "62,5 %")

    def test_the_spreadsheet_says_what_the_page_says(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(
            reverse("attendance:recap_office_export", args=["DUKCAPIL", "xlsx"]) + "?bulan=2026-12"
        )
        self.assertIn("rekap-kehadiran-dukcapil-2026-12.xlsx", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(
            rows[0][3:12], ["Diharapkan", "H", "T", "I", "S", "C", "DL", "TK", "Persentase kehadiran (%)"]
        )
        baiq = next(row for row in rows if row[1] == "Baiq Nurul Aini")
        self.assertEqual(baiq[3:], [10, 3, 2, 1, 1, 1, 1, 1, 62.5])
        self.assertIsInstance(baiq[2], str)  # the NIP stays text
        self.assertEqual(rows[-1][1:], ["Jumlah", None, 20, 13, 2, 1, 1, 1, 1, 1, 83.3])
        csv = self.client.get(
            reverse("attendance:recap_office_export", args=["DUKCAPIL", "csv"]) + "?bulan=2026-12"
        )
        self.assertIn("Baiq Nurul Aini", csv.content.decode("utf-8-sig"))

    def test_the_pdf_is_a_pdf(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(
            reverse("attendance:recap_office_export", args=["DUKCAPIL", "pdf"]) + "?bulan=2026-12"
        )
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))
        self.client.force_login(self.pimpinan)
        response = self.client.get(reverse("attendance:recap_offices") + "?bulan=2026-12&unduh=pdf")
        self.assertTrue(response.content.startswith(b"%PDF-"))

    def test_an_unknown_export_format_is_404(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        self.assertEqual(
            self.client.get(reverse("attendance:recap_office_export", args=["DUKCAPIL", "doc"])).status_code,
            404,
        )

    def test_leadership_sees_every_office_in_one_table(self) -> None:
        self.client.force_login(self.pimpinan)
        page = self.client.get(reverse("attendance:recap_offices") + "?bulan=2026-12")
        self.assertContains(page, "Dinas Kependudukan dan Pencatatan Sipil")
        self.assertContains(page, "Dinas Pekerjaan Umum dan Penataan Ruang")
        self.assertContains(page, "83,3 %")
        self.assertContains(page, '<td class="num strong">0 %</td>', html=False)  # PUPR: both absent
        # (15 present) / (22 expected − 2 excused) = 75 %
        self.assertContains(page, "75 %")
        sheet = load_workbook(
            io.BytesIO(
                self.client.get(reverse("attendance:recap_offices") + "?bulan=2026-12&unduh=xlsx").content
            )
        ).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[1][1:4], ["DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", 20])
        self.assertEqual(rows[-1][-1], 75.0)

    def test_leadership_reads_an_office_recap_but_other_coordinators_and_staff_do_not(self) -> None:
        url = reverse("attendance:recap_office", args=["DUKCAPIL"])
        self.client.force_login(self.pimpinan)
        self.assertContains(self.client.get(url), "62,5 %")
        for persona in ("koord_pupr", "staf_dukcapil", "fasilitator", "outsider"):
            self.client.force_login(getattr(self, persona))
            self.assertEqual(self.client.get(url).status_code, 404, persona)
            export = reverse("attendance:recap_office_export", args=["DUKCAPIL", "xlsx"])
            self.assertEqual(self.client.get(export).status_code, 404, persona)
        for persona in ("koord_dukcapil", "staf_dukcapil", "outsider"):
            self.client.force_login(getattr(self, persona))
            self.assertEqual(self.client.get(reverse("attendance:recap_offices")).status_code, 404, persona)

    def test_staff_see_their_own_recap_and_nobody_else_s(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        page = self.client.get(reverse("attendance:recap_mine") + "?bulan=2026-12")
        self.assertContains(page, "62,5 %")
        self.assertContains(page, "5 / 10")
        self.assertContains(page, "Dinas Luar")
        self.assertNotContains(page, "Lalu Muhammad Zaini")
        self.client.force_login(self.pimpinan)
        self.assertEqual(self.client.get(reverse("attendance:recap_mine")).status_code, 404)

    def test_the_office_recap_takes_as_many_queries_for_two_people_as_for_twelve(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.base import make_employee

        self.client.force_login(self.koord_dukcapil)
        url = reverse("attendance:recap_office", args=["DUKCAPIL"]) + "?bulan=2026-12"
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for i in range(10):
            make_employee(self.dukcapil, name=f"Pegawai {i}", track="islam")
        services.gathering_close(gathering=a_gathering(self.dukcapil, day=14))
        with CaptureQueriesContext(connection) as after:
            self.assertContains(self.client.get(url), "Pegawai 9")
        self.assertEqual(len(before), len(after))
