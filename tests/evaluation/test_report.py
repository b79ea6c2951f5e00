"""The weekly report (A4 PDF, from the page and from the command) and the week's data as XLSX."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from perjumpaan.evaluation import services
from perjumpaan.evaluation.exports import head_title
from perjumpaan.evaluation.models import Part
from perjumpaan.org.models import Office
from tests.base import make_employee
from tests.evaluation.helpers import AFTER_CLOSE, NOW, WEEK, EvaluationTestCase

PDF = f"/opd/DUKCAPIL/evaluasi/{WEEK}/laporan.pdf"
XLSX = f"/opd/DUKCAPIL/evaluasi/{WEEK}/data.xlsx"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return " ".join(result.stdout.decode().split())


def pdf_pages(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)  # noqa: S607
    return int(
        next(line for line in result.stdout.decode().splitlines() if line.startswith("Pages:")).split()[1]
    )


@time_machine.travel(AFTER_CLOSE, tick=False)
class WeeklyReportTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.kadis = make_employee(cls.dukcapil, name="Drs. H. Lalu Sahnan, M.Si.", position="Kepala Dinas")
        with time_machine.travel(NOW, tick=False):
            previous = cls.open_round(friday=NOW.date().replace(day=27, month=11))
            cls.fill_everything(previous, 3)
            round_ = cls.open_round()
            for assignment in round_.assignments.select_related("round__instrument_version", "rater"):
                texts = {"BAIK": "Tadarus dimulai tepat waktu."} if assignment.part == Part.SELF else None
                cls.submit(assignment, 4, texts=texts if assignment.rater_id == cls.baiq.pk else None)
            services.action_create(
                office=cls.dukcapil,
                week=WEEK,
                user=cls.koord_dukcapil,
                text="Menyediakan kursi tunggu tambahan",
                owner_id=cls.head.pk,
            )

    def get(self, url: str, persona: str = "koord_dukcapil") -> bytes:
        client = Client()
        client.force_login(getattr(self, persona))
        response = client.get(url)
        self.assertEqual(response.status_code, 200)
        return response.content  # type: ignore[no-any-return]

    def test_the_report_is_a_signed_a4_document_with_everything_the_head_needs(self) -> None:
        client = Client()
        client.force_login(self.koord_dukcapil)
        response = client.get(PDF)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn('filename="evaluasi-dukcapil-2026-W49.pdf"', response["Content-Disposition"])
        pdf = response.content
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertLessEqual(pdf_pages(pdf), 2)
        text = pdf_text(pdf)
        for expected in (
            "PEMERINTAH KABUPATEN LOMBOK BARAT",
            "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
            "LAPORAN EVALUASI JUMAT",
            "Pekan 49 (30 November – 4 Desember 2026)",
            "Partisipasi",
            "Penilaian atasan 4 4 100%",
            "Kehadiran perjumpaan pekan ini",
            "Berorientasi Pelayanan",
            "Sikap melayani warga",
            "Tadarus dimulai tepat waktu.",
            "Menyediakan kursi tunggu tambahan",
            "Hj. Rabiatul Adawiyah",
            "Mengetahui,",
            "Kepala Dinas Kependudukan dan Pencatatan Sipil",
            "Drs. H. Lalu Sahnan, M.Si.",
            f"NIP. {self.kadis.nip}",
            "Koordinator Sekolah Perjumpaan",
        ):
            self.assertIn(expected, text)
        # Peers gave 4 this week against 3 the week before: +1,00 on every value.
        self.assertIn("4,00 3,00 +1,00", text)
        with tempfile.TemporaryDirectory() as directory:
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-png", "-r", "40", "-", f"{directory}/page"],  # noqa: S607
                input=pdf,
                capture_output=True,
                check=True,
            )
            self.assertTrue(all(p.read_bytes().startswith(b"\x89PNG") for p in Path(directory).glob("*.png")))

    def test_the_command_writes_the_same_report(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "laporan.pdf"
            out = io.StringIO()
            call_command(
                "weekly_report",
                "--office",
                "lombok-barat/dukcapil",
                "--week",
                WEEK,
                "--output",
                str(path),
                stdout=out,
            )
            self.assertIn("ditulis ke", out.getvalue())
            text = pdf_text(path.read_bytes())
        self.assertIn("LAPORAN EVALUASI JUMAT", text)
        self.assertIn("Menyediakan kursi tunggu tambahan", text)

    def test_the_command_refuses_bad_input_in_one_clear_line(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            output = str(Path(directory) / "x.pdf")
            with self.assertRaisesMessage(CommandError, "bukan pekan ISO"):
                call_command(
                    "weekly_report",
                    "--office",
                    "lombok-barat/DUKCAPIL",
                    "--week",
                    "2026-48",
                    "--output",
                    output,
                )
            with self.assertRaisesMessage(CommandError, "tidak ada"):
                call_command("weekly_report", "--office", "NOPE", "--week", WEEK, "--output", output)
            with self.assertRaisesMessage(CommandError, "lebih dari satu pemda"):
                call_command("weekly_report", "--office", "DUKCAPIL", "--week", WEEK, "--output", output)
            missing = str(Path(directory) / "tidak-ada" / "x.pdf")
            with self.assertRaisesMessage(CommandError, "Tidak dapat menulis"):
                call_command("weekly_report", "--office", "PUPR", "--week", WEEK, "--output", missing)
            self.assertFalse(Path(output).exists())

    def test_a_week_without_a_round_still_prints(self) -> None:
        text = pdf_text(self.get("/opd/DUKCAPIL/evaluasi/2026-W30/laporan.pdf"))
        self.assertIn("Belum ada putaran evaluasi pada pekan ini.", text)

    def test_only_those_who_read_the_summary_may_print_it(self) -> None:
        for persona in ("staf_dukcapil", "fasilitator", "koord_pupr"):
            client = Client()
            client.force_login(getattr(self, persona))
            with self.subTest(persona=persona):
                self.assertEqual(client.get(PDF).status_code, 404)
                self.assertEqual(client.get(XLSX).status_code, 404)

    def test_the_workbook_holds_the_scores_and_the_answers_without_identities(self) -> None:
        workbook = load_workbook(io.BytesIO(self.get(XLSX)))
        self.assertEqual(
            workbook.sheetnames,
            [
                "Ringkasan",
                "Skor nilai",
                "Rekan per unit",
                "Jawaban (anonim)",
                "Jawaban terbuka",
                "Tindak lanjut",
            ],
        )
        scores = list(workbook["Skor nilai"].iter_rows(min_row=2, values_only=True))
        self.assertIn(("BP", "Berorientasi Pelayanan", "Penilaian rekan", 27, 9, 4), scores)
        self.assertIn(
            ("BP", "Berorientasi Pelayanan", "Penilaian atasan", 4, 1, ""),
            [tuple("" if v is None else v for v in row) for row in scores],
        )
        opened = list(workbook["Jawaban terbuka"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            opened, [("Apa yang sudah baik di kantor kita pekan ini?", "Tadarus dimulai tepat waktu.")]
        )
        actions = list(workbook["Tindak lanjut"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(actions[0][:2], ("Menyediakan kursi tunggu tambahan", "Hj. Rabiatul Adawiyah"))

    def test_a_text_that_looks_like_a_formula_stays_text(self) -> None:
        services.action_create(
            office=self.dukcapil, week=WEEK, user=self.koord_dukcapil, text='=HYPERLINK("x")'
        )
        workbook = load_workbook(io.BytesIO(self.get(XLSX)))
        cell = next(
            c for row in workbook["Tindak lanjut"].iter_rows() for c in row if str(c.value).startswith("=")
        )
        self.assertEqual(cell.data_type, "s")


class HeadTitleTests(EvaluationTestCase):
    def test_the_head_s_title_names_the_office_once(self) -> None:
        dinkes = Office(name="Dinas Kesehatan", code="DINKES")
        gerung = Office(name="Kecamatan Gerung", code="GERUNG")
        rsud = Office(name="Rumah Sakit Umum Daerah Patut Patuh Patju", code="RSUD")
        self.assertEqual(head_title(dinkes, "Kepala Dinas"), "Kepala Dinas Kesehatan")
        self.assertEqual(head_title(dinkes, "Kepala Dinas Kesehatan"), "Kepala Dinas Kesehatan")
        self.assertEqual(head_title(gerung, "Camat"), "Camat Gerung")
        self.assertEqual(head_title(rsud, "Direktur"), "Direktur Rumah Sakit Umum Daerah Patut Patuh Patju")
        self.assertEqual(head_title(dinkes, ""), "Kepala Dinas Kesehatan")
