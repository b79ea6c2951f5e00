"""The staff export: the import's columns, NIPs kept as text, and files that import back unchanged."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from perjumpaan.org.models import Employee, Government, Office, Unit
from perjumpaan.org.staff_table import STAFF_COLUMNS
from tests.base import PerjumpaanTestCase
from tests.org.staff_files import NIP_PPPK, NIP_RAHMAT, NIP_SITI, NIP_WAYAN


class StaffExportTests(PerjumpaanTestCase):
    bappeda: Office

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # An office of its own, with NIPs chosen by hand, so the round trip depends on nothing random.
        cls.bappeda = Office.objects.create(
            government=cls.government, code="BAPPEDA", name="Badan Perencanaan Pembangunan Daerah"
        )
        data = Unit.objects.create(office=cls.bappeda, name="Bidang Data, Statistik; dan Evaluasi")

        def employee(nip: str, name: str, gender: str, **extra: object) -> Employee:
            return Employee.objects.create(
                government=cls.government, office=cls.bappeda, nip=nip, name=name, gender=gender, **extra
            )

        employee(
            NIP_RAHMAT,
            "Rahmat Hidayat, S.Kom.",
            "L",
            position="Pranata Komputer",
            unit=data,
            phone="081234567890",
            email="rahmat@example.go.id",
            track="islam",
        )
        employee(NIP_SITI, 'Siti "Iti" Aminah', "P", unit=data, track="kristen")
        employee(NIP_PPPK, "Baiq Ratna Sari", "P", status="PPPK", phone="+6281339000111")
        employee(NIP_WAYAN, "I Wayan Sudiarta", "L", is_active=False)

    def setUp(self) -> None:
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def export(self, *args: str, **options: object) -> str:
        out, err = io.StringIO(), io.StringIO()
        call_command("export_staff", *args, stdout=out, stderr=err, **options)
        return out.getvalue()

    def import_(self, path: Path) -> str:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_staff", str(path), office="BAPPEDA", stdout=out, stderr=err)
        self.assertEqual(err.getvalue(), "")
        return out.getvalue()

    def test_it_writes_csv_to_standard_output_in_the_import_s_columns(self) -> None:
        rows = list(csv.reader(io.StringIO(self.export(office="BAPPEDA", format="csv"))))
        self.assertEqual(
            rows[0], ["NIP", "Nama", "Jabatan", "Unit", "Jenis Kelamin", "Status", "No HP", "Email", "Jalur"]
        )
        self.assertEqual(tuple(rows[0]), STAFF_COLUMNS)
        self.assertEqual(
            rows[1:],
            [
                [NIP_PPPK, "Baiq Ratna Sari", "", "", "P", "PPPK", "+6281339000111", "", ""],
                [
                    NIP_RAHMAT,
                    "Rahmat Hidayat, S.Kom.",
                    "Pranata Komputer",
                    "Bidang Data, Statistik; dan Evaluasi",
                    "L",
                    "PNS",
                    "081234567890",
                    "rahmat@example.go.id",
                    "Islam",
                ],
                [
                    NIP_SITI,
                    'Siti "Iti" Aminah',
                    "",
                    "Bidang Data, Statistik; dan Evaluasi",
                    "P",
                    "PNS",
                    "",
                    "",
                    "Kristen",
                ],
            ],
        )

    def test_it_leaves_inactive_employees_out(self) -> None:
        self.assertNotIn(NIP_WAYAN, self.export(office="BAPPEDA"))

    def test_xlsx_needs_an_output_file(self) -> None:
        with self.assertRaisesMessage(CommandError, "Format xlsx perlu --output"):
            self.export(office="BAPPEDA", format="xlsx")

    def test_xlsx_stores_nips_and_phone_numbers_as_text(self) -> None:
        path = Path(self.directory.name) / "pegawai.xlsx"
        self.export(office="BAPPEDA", format="xlsx", output=str(path))
        sheet = load_workbook(path).active
        assert sheet is not None
        self.assertEqual([cell.value for cell in sheet[1]], list(STAFF_COLUMNS))
        nips = [row[0] for row in sheet.iter_rows(min_row=2)]
        self.assertEqual([cell.value for cell in nips], [NIP_PPPK, NIP_RAHMAT, NIP_SITI])
        for cell in nips:
            self.assertEqual((cell.data_type, cell.number_format), ("s", "@"))
        self.assertEqual((sheet["G3"].value, sheet["G3"].number_format), ("081234567890", "@"))

    def test_it_refuses_an_office_it_does_not_know(self) -> None:
        with self.assertRaisesMessage(CommandError, "tidak ditemukan"):
            self.export(office="TIDAKADA")

    def test_a_csv_export_imports_back_unchanged(self) -> None:
        path = Path(self.directory.name) / "pegawai.csv"
        self.export(office="BAPPEDA", format="csv", output=str(path))
        self.assertIn("created 0, updated 0, unchanged 3", self.import_(path))

    def test_the_csv_written_to_standard_output_imports_back_unchanged(self) -> None:
        path = Path(self.directory.name) / "pegawai.csv"
        path.write_text(self.export(office="BAPPEDA"), encoding="utf-8", newline="")
        self.assertIn("created 0, updated 0, unchanged 3", self.import_(path))

    def test_an_xlsx_export_imports_back_unchanged(self) -> None:
        path = Path(self.directory.name) / "pegawai.xlsx"
        self.export(office="BAPPEDA", format="xlsx", output=str(path))
        self.assertIn("created 0, updated 0, unchanged 3", self.import_(path))

    def test_an_export_imported_into_an_empty_office_recreates_its_employees(self) -> None:
        path = Path(self.directory.name) / "pegawai.xlsx"
        self.export(office="BAPPEDA", format="xlsx", output=str(path))
        # An office of the same code in another government: the same NIPs are free to be created there.
        mataram = Government.objects.create(name="Kota Mataram", slug="kota-mataram")
        empty = Office.objects.create(government=mataram, code="BAPPEDA", name="Bappeda Kota Mataram")
        out = io.StringIO()
        call_command("import_staff", str(path), office="BAPPEDA", government="kota-mataram", stdout=out)
        self.assertIn("created 3, updated 0, unchanged 0, units created 1", out.getvalue())

        def facts(office: Office) -> set[tuple[str, ...]]:
            return {
                (
                    e.nip,
                    e.name,
                    e.position,
                    e.unit.name if e.unit else "",
                    e.gender,
                    e.status,
                    e.phone,
                    e.email,
                    e.track,
                )
                for e in Employee.objects.filter(office=office, is_active=True).select_related("unit")
            }

        self.assertEqual(facts(empty), facts(self.bappeda))
