"""The monthly report to the Bupati: the command and the dashboard's download render an A4 PDF whose first
page says what is known and what is not; bad input gets one clear line."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tempfile
from pathlib import Path

import time_machine
from django.core.cache import caches
from django.core.management import CommandError, call_command

from perjumpaan.impact import selectors
from perjumpaan.org.models import Office
from perjumpaan.program.models import Enrollment, RolloutWave
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.service.models import Service, ServiceRecord
from tests.base import PerjumpaanTestCase
from tests.rollup.helpers import wita

TODAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


def pdf_text(pdf: bytes, *, first: int | None = None, last: int | None = None) -> str:
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run(  # noqa: S603 -- fixed arguments, the test's own PDF on stdin
        ["/usr/bin/pdftotext", *pages, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def page_count(pdf: bytes) -> int:
    done = subprocess.run(["/usr/bin/pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(line for line in done.stdout.decode().splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


@time_machine.travel(TODAY, tick=False)
class MonthlyReportTests(PerjumpaanTestCase):
    """Sixteen offices with one citizen a week for a year; DUKCAPIL and PUPR enrolled on 1 June 2026 and
    their waits are 8 minutes shorter from then on, so the waiting-time analysis has something to report
    (120 pairs of offices for the randomisation test)."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        extra = [
            Office.objects.create(government=cls.government, code=code, name=f"Dinas {code}")
            for code in ["DIKBUD", "DINKES", *(f"KEC{n:02d}" for n in range(12))]
        ]
        cls.offices = [cls.dukcapil, cls.pupr, *extra]
        wave = RolloutWave.objects.create(government=cls.government, number=1, name="Percontohan")
        for office in (cls.dukcapil, cls.pupr):
            Enrollment.objects.create(office=office, wave=wave, enrolled_on=dt.date(2026, 6, 1))
        records = []
        for index, office in enumerate(cls.offices):
            service = Service.objects.create(office=office, code="S", name="Layanan")
            for period, week in enumerate(selectors.week_window(dt.date(2026, 11, 23))):
                day = week + dt.timedelta(days=1)
                wait = 20 + index + (period * (index + 2) + index) % 3
                if office in (cls.dukcapil, cls.pupr) and week >= dt.date(2026, 6, 1):
                    wait -= 8
                arrival = wita(day, 9)
                records.append(
                    ServiceRecord(
                        office=office,
                        service=service,
                        date=day,
                        ticket=f"T{period}",
                        arrival=arrival,
                        called=arrival + dt.timedelta(minutes=wait),
                        finished=arrival + dt.timedelta(minutes=wait + 5),
                        result=ServiceRecord.Result.DONE,
                    )
                )
        ServiceRecord.objects.bulk_create(records)
        rollup_rebuild(offices=cls.offices)

    def setUp(self) -> None:
        caches["figures"].clear()

    def test_the_command_writes_the_report_and_page_one_says_what_is_known_and_what_is_not(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "laporan.pdf"
            out = io.StringIO()
            call_command(
                "monthly_report",
                "--month",
                "2026-11",
                "--output",
                str(path),
                "--government",
                "lombok-barat",
                stdout=out,
            )
            pdf = path.read_bytes()
        self.assertIn("Laporan bulanan 2026-11 ditulis", out.getvalue())
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertGreaterEqual(page_count(pdf), 3)
        first = " ".join(pdf_text(pdf, first=1, last=1).split())
        self.assertIn("PEMERINTAH KABUPATEN LOMBOK BARAT", first)
        self.assertIn("LAPORAN BULANAN SEKOLAH PERJUMPAAN", first)
        self.assertIn("Bulan November 2026", first)
        self.assertIn("2 dari 16 perangkat daerah sudah ikut program", first)
        self.assertIn("Yang sudah diketahui", first)
        self.assertIn("Yang belum diketahui", first)
        # Waits fell by 8 minutes in the two enrolled offices: evidence, said in minutes.
        self.assertIn("Ada bukti bahwa program mengubah waktu tunggu", first)
        self.assertRegex(first, r"waktu tunggu turun rata-\s?rata [6-9],\d+ menit")
        # Nobody answered the SKM: the IKM cannot be estimated, and page one says so.
        self.assertIn("Kepuasan masyarakat (IKM): belum dapat dihitung", first)
        self.assertIn("Baru 2 dari 16 perangkat daerah yang ikut", first)
        everything = " ".join(pdf_text(pdf).split())
        for heading in ("Perluasan program", "Kehadiran di perjumpaan", "Evaluasi Jumat", "Layanan publik"):
            self.assertIn(heading, everything)
        self.assertIn("uji acak", everything)
        self.assertIn("Dinas DIKBUD", everything)

    def test_the_dashboard_download_is_the_same_report(self) -> None:
        self.client.force_login(self.pimpinan)
        response = self.client.get("/dasbor/laporan-bulanan.pdf?bulan=2026-10")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(pdf_text(response.content, first=1, last=1).split())
        self.assertIn("Bulan Oktober 2026", text)
        self.assertIn("Data sampai pekan 26 Oktober 2026", text)

    def test_the_command_refuses_bad_input_with_one_clear_line(self) -> None:
        cases = [
            (["--month", "11-2026"], "bukan bulan yang sah"),
            (["--month", "2027-02", "--government", "lombok-barat"], "belum dimulai"),
            (["--month", "2026-11", "--government", "atlantis"], "tidak ada pemerintah daerah"),
            (["--month", "2026-11"], "Ada beberapa pemerintah daerah"),
        ]
        for arguments, message in cases:
            with self.subTest(arguments=arguments), tempfile.TemporaryDirectory() as folder:
                with self.assertRaisesMessage(CommandError, message):
                    call_command("monthly_report", *arguments, "--output", str(Path(folder) / "x.pdf"))
                self.assertFalse((Path(folder) / "x.pdf").exists())

    def test_an_unwritable_output_is_a_command_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "Tidak dapat menulis"):
            call_command(
                "monthly_report",
                "--month",
                "2026-11",
                "--government",
                "lombok-barat",
                "--output",
                "/nonexistent-folder/x.pdf",
            )
