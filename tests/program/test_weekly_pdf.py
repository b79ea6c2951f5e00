"""The printable A4 weekly schedule for the notice board."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

import time_machine
from django.urls import reverse

from perjumpaan.program.models import Closure, Gathering
from perjumpaan.program.services import gathering_cancel
from tests.base import PerjumpaanTestCase
from tests.program.calendars_out import BEFORE_WEEK, LESSONS, build_week


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it, lines kept in reading order."""
    command = ["pdftotext", "-layout", "-", "-"]
    result = subprocess.run(command, input=pdf, capture_output=True, check=True)  # noqa: S603
    return result.stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    line = next(line for line in result.stdout.decode().splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


@time_machine.travel(BEFORE_WEEK, tick=False)
class WeeklySchedulePdfTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.url = reverse("program:week_pdf", args=["DUKCAPIL"]) + "?w=2026-W49"

    def get_pdf(self) -> bytes:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn('filename="jadwal-dukcapil-2026-W49.pdf"', response["Content-Disposition"])
        return response.content

    def test_a_normal_week_is_one_page_that_poppler_reads_and_renders(self) -> None:
        build_week(self.dukcapil)
        pdf = self.get_pdf()
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertEqual(pdf_pages(pdf), 1)
        with tempfile.TemporaryDirectory() as directory:
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-png", "-r", "40", "-", f"{directory}/page"],  # noqa: S607
                input=pdf,
                capture_output=True,
                check=True,
            )
            pngs = sorted(Path(directory).glob("page*.png"))
            self.assertEqual(len(pngs), 1)
            self.assertTrue(pngs[0].read_bytes().startswith(b"\x89PNG"))

    def test_it_shows_the_letterhead_days_times_places_and_who_does_what(self) -> None:
        build_week(self.dukcapil)
        text = pdf_text(self.get_pdf())
        for expected in [
            "PEMERINTAH KABUPATEN LOMBOK BARAT",
            "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
            "JADWAL PERJUMPAAN",
            "Pekan 30 November – 4 Desember 2026",
            "Senin, 30 November 2026",
            "Jumat, 4 Desember 2026",
            "20 Jumadilakhir 1448 H",  # Monday
            "24 Jumadilakhir 1448 H",  # Friday
            "12.30",
            "– 13.15 WITA",
            "09.00",
            "Musala kantor",
            "Baiq Nurul Aini",
            "Lalu Muhammad Zaini",
            "Prof. Dr. H. Ahmad Fauzi, M.Ag. (UIN Mataram)",
            *LESSONS,
            "Pindai untuk jadwal",
            "Halaman 1 dari 1",
        ]:
            self.assertIn(expected, text)

    def test_a_cancelled_gathering_and_a_closed_day_say_why(self) -> None:
        Closure.objects.create(
            government=self.government, date=dt.date(2026, 12, 2), reason="Hari jadi Kabupaten Lombok Barat"
        )
        gatherings = build_week(self.dukcapil)
        self.assertFalse(Gathering.objects.filter(date=dt.date(2026, 12, 2)).exists())
        thursday = next(g for g in gatherings if g.date == dt.date(2026, 12, 3))
        gathering_cancel(actor=self.koord_dukcapil, gathering=thursday, reason="Rapat pimpinan")
        text = pdf_text(self.get_pdf())
        self.assertIn("Hari jadi Kabupaten Lombok Barat", text)
        self.assertIn("DIBATALKAN: Rapat pimpinan", text)

    def test_an_empty_week_still_prints(self) -> None:
        text = pdf_text(self.get_pdf())
        self.assertIn("Senin, 30 November 2026", text)
        self.assertIn("Tidak ada perjumpaan", text)

    def test_staff_may_print_their_office_s_week_and_nobody_else_s(self) -> None:
        build_week(self.dukcapil)
        self.client.force_login(self.staf_dukcapil)
        self.assertEqual(self.client.get(self.url).status_code, 200)
        # (Lombok Timur's admin would get Lombok Timur's own DUKCAPIL: office codes are per government.)
        for persona in (self.koord_pupr, self.staf_pupr, self.outsider):
            self.client.force_login(persona)
            self.assertEqual(self.client.get(self.url).status_code, 404, persona.username)
        self.client.logout()
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_the_week_page_offers_the_pdf(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("program:week", args=["DUKCAPIL"]) + "?w=2026-W49")
        self.assertContains(response, f'href="{self.url}"')
