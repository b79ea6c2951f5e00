"""The staff import: files as spreadsheet programs write them, all or nothing, and the command."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.core.spreadsheet import Row, SpreadsheetError, Table
from perjumpaan.org import services, staff_table
from perjumpaan.org.models import AuditEntry, Employee, Government, Office, Unit
from perjumpaan.org.nip import GENDER_MISMATCH, nip_compose
from perjumpaan.org.services import StaffImportResult, staff_import
from perjumpaan.org.staff_table import STAFF_COLUMNS, read_staff_file
from tests.base import PerjumpaanTestCase
from tests.org.staff_files import (
    HEADER,
    NIP_PPPK,
    NIP_RAHMAT,
    NIP_SITI,
    NIP_WAYAN,
    PPPK,
    RAHMAT,
    SITI,
    WAYAN,
    csv_file,
    xlsx_file,
)


class StaffImportCase(PerjumpaanTestCase):
    def run_import(
        self,
        data: bytes,
        filename: str = "pegawai.csv",
        *,
        office: Office | None = None,
        dry_run: bool = False,
    ) -> StaffImportResult:
        table = read_staff_file(data, filename=filename)
        return staff_import(actor=self.admin, office=office or self.pupr, table=table, dry_run=dry_run)

    def pupr_nips(self) -> set[str]:
        return set(Employee.objects.filter(office=self.pupr).values_list("nip", flat=True))


class ReadingFilesTests(StaffImportCase):
    def test_it_creates_employees_from_a_comma_separated_csv(self) -> None:
        result = self.run_import(csv_file([RAHMAT, SITI, PPPK]))
        self.assertEqual((result.created, result.updated, result.unchanged, result.errors), (3, 0, 0, []))
        rahmat = Employee.objects.get(nip=NIP_RAHMAT)
        self.assertEqual(
            (
                rahmat.office,
                rahmat.government,
                rahmat.name,
                rahmat.position,
                rahmat.unit.name if rahmat.unit else None,
            ),
            (self.pupr, self.government, "Rahmat Hidayat, S.Kom.", "Pranata Komputer", "Bidang Data"),
        )
        self.assertEqual(
            (rahmat.gender, rahmat.status, rahmat.phone, rahmat.email, rahmat.track),
            ("L", "PNS", "081234567890", "rahmat@example.go.id", "islam"),
        )
        pppk = Employee.objects.get(nip=NIP_PPPK)
        self.assertEqual((pppk.status, pppk.unit), ("PPPK", None))

    def test_it_reads_a_semicolon_separated_csv_with_a_byte_order_mark(self) -> None:
        data = csv_file([RAHMAT, [*SITI[:1], "Siti Aminah; S.E.", *SITI[2:]]], delimiter=";", bom=True)
        result = self.run_import(data)
        self.assertEqual(result.created, 2)
        self.assertEqual(Employee.objects.get(nip=NIP_SITI).name, "Siti Aminah; S.E.")

    def test_it_reads_a_windows_1252_csv(self) -> None:
        row = [NIP_WAYAN, "I Wayan Sudiarta, S.T., M.Sc. – Kepala", *WAYAN[2:]]
        result = self.run_import(csv_file([row], delimiter=";", encoding="cp1252"))
        self.assertEqual(result.created, 1)
        self.assertEqual(Employee.objects.get(nip=NIP_WAYAN).name, "I Wayan Sudiarta, S.T., M.Sc. – Kepala")

    def test_it_matches_headers_whatever_their_case_spacing_and_common_variant(self) -> None:
        header = [
            "NIP Baru",
            " nama lengkap ",
            "JABATAN",
            "Unit Kerja",
            "L/P",
            "status",
            "No. HP",
            "E-mail",
            "Agama",
        ]
        result = self.run_import(csv_file([RAHMAT], header=header))
        self.assertEqual(result.created, 1)
        rahmat = Employee.objects.get(nip=NIP_RAHMAT)
        self.assertEqual(
            (rahmat.name, rahmat.phone, rahmat.track), ("Rahmat Hidayat, S.Kom.", "081234567890", "islam")
        )

    def test_it_accepts_gender_and_faith_written_out(self) -> None:
        row = [NIP_SITI, "Maria Goreti", "", "", "Perempuan", "pns", "", "", "Kristen Katolik"]
        other = [NIP_RAHMAT, "Yohanes", "", "", "laki-laki", "PNS", "", "", "Kristen Protestan"]
        self.run_import(csv_file([row, other]))
        self.assertEqual(Employee.objects.get(nip=NIP_SITI).track, "katolik")
        self.assertEqual(Employee.objects.get(nip=NIP_RAHMAT).track, "kristen")

    def test_it_reads_an_xlsx_with_the_nip_as_text(self) -> None:
        result = self.run_import(xlsx_file([RAHMAT, SITI]), "pegawai.xlsx")
        self.assertEqual(result.created, 2)
        self.assertEqual(self.pupr_nips() & {NIP_RAHMAT, NIP_SITI}, {NIP_RAHMAT, NIP_SITI})

    def test_it_accepts_a_nip_written_in_groups_or_behind_an_apostrophe(self) -> None:
        grouped = [f"{NIP_RAHMAT[:8]} {NIP_RAHMAT[8:14]} {NIP_RAHMAT[14]} {NIP_RAHMAT[15:]}", *RAHMAT[1:]]
        quoted = [f"'{NIP_SITI}", *SITI[1:]]
        result = self.run_import(csv_file([grouped, quoted]))
        self.assertEqual(result.created, 2)
        self.assertTrue({NIP_RAHMAT, NIP_SITI} <= self.pupr_nips())

    def test_it_restores_the_leading_zero_a_number_cell_drops_from_a_phone_number(self) -> None:
        rows: list[list[object]] = [
            [NIP_RAHMAT, *RAHMAT[1:6], 81234567890, "", ""],
            [NIP_SITI, *SITI[1:6], "0812-3456 789", "", ""],
        ]
        self.run_import(xlsx_file(rows), "pegawai.xlsx")
        self.assertEqual(Employee.objects.get(nip=NIP_RAHMAT).phone, "081234567890")
        self.assertEqual(Employee.objects.get(nip=NIP_SITI).phone, "08123456789")

    def test_it_refuses_a_file_without_the_required_columns(self) -> None:
        with self.assertRaisesMessage(
            SpreadsheetError, "Kolom wajib tidak ditemukan: Jenis Kelamin, Status."
        ):
            read_staff_file(csv_file([RAHMAT[:2]], header=["NIP", "Nama"]), filename="pegawai.csv")


class NumbersForNipsTests(StaffImportCase):
    def test_it_refuses_every_numeric_nip_cell_in_an_xlsx_even_an_exact_looking_one(self) -> None:
        rows: list[list[object]] = [[int(NIP_RAHMAT), *RAHMAT[1:]], [float(NIP_SITI), *SITI[1:]], [*PPPK]]
        result = self.run_import(xlsx_file(rows, text_nip=False), "pegawai.xlsx")
        self.assertEqual(
            [(error.row, error.message) for error in result.errors],
            [(2, staff_table.NIP_NUMERIC), (3, staff_table.NIP_NUMERIC)],
        )
        self.assertIn("Format kolom NIP sebagai Teks", result.errors[0].message)
        self.assertFalse(Employee.objects.filter(nip=NIP_PPPK).exists())

    def test_it_refuses_a_nip_in_scientific_notation_from_a_csv(self) -> None:
        result = self.run_import(
            csv_file([["1.97906E+17", *RAHMAT[1:]], ["1,97906E+17", *SITI[1:]]], delimiter=";")
        )
        self.assertEqual(
            [str(error) for error in result.errors],
            [
                "Baris 2: " + staff_table.NIP_SCIENTIFIC.format(value="1.97906E+17"),
                "Baris 3: " + staff_table.NIP_SCIENTIFIC.format(value="1,97906E+17"),
            ],
        )
        self.assertFalse(Employee.objects.filter(name="Rahmat Hidayat, S.Kom.").exists())

    def test_it_refuses_a_pns_nip_whose_last_digits_a_spreadsheet_replaced_with_zeros(self) -> None:
        result = self.run_import(csv_file([[NIP_RAHMAT[:15] + "000", *RAHMAT[1:]]]))
        self.assertEqual([error.message for error in result.errors], [staff_table.NIP_SERIAL_ZERO])

    def test_it_refuses_a_nip_written_as_a_decimal(self) -> None:
        result = self.run_import(csv_file([[NIP_RAHMAT + ".0", *RAHMAT[1:]]]))
        self.assertEqual([error.message for error in result.errors], [staff_table.NIP_NUMERIC])


class AllOrNothingTests(StaffImportCase):
    def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported_with_its_number(self) -> None:
        before = (Employee.objects.count(), Unit.objects.count(), AuditEntry.objects.count())
        rows = [
            RAHMAT,  # row 2: fine, and names a new unit
            [NIP_SITI, *SITI[1:4], "L", *SITI[5:]],  # row 3: a woman's NIP for a man
            WAYAN,  # row 4: fine
            [NIP_PPPK, *PPPK[1:7], "bukan-email", "Islam"],  # row 5
            ["", "", "", "", "X", "Honorer", "", "", "Kejawen"],  # row 6: everything wrong
        ]
        result = self.run_import(csv_file(rows))
        self.assertFalse(result.ok)
        self.assertEqual(sorted({error.row for error in result.errors}), [3, 5, 6])
        self.assertIn(
            "Baris 3: " + GENDER_MISMATCH.format(digit="2", gender="laki-laki"),
            [str(e) for e in result.errors],
        )
        self.assertIn(
            "Baris 5: " + staff_table.EMAIL_INVALID.format(value="bukan-email"),
            [str(e) for e in result.errors],
        )
        row_six = [error.message for error in result.errors if error.row == 6]
        self.assertEqual(
            row_six,
            [
                staff_table.REQUIRED.format(column="Nama"),
                staff_table.GENDER_INVALID.format(value="X"),
                staff_table.STATUS_INVALID.format(value="Honorer"),
                staff_table.REQUIRED.format(column="NIP"),
                staff_table.TRACK_INVALID.format(
                    value="Kejawen", choices="Islam, Kristen, Katolik, Hindu, Buddha, Konghucu"
                ),
            ],
        )
        self.assertEqual((Employee.objects.count(), Unit.objects.count(), AuditEntry.objects.count()), before)

    def test_the_good_rows_still_say_what_they_would_have_done(self) -> None:
        result = self.run_import(csv_file([RAHMAT, [NIP_SITI, "", *SITI[2:]]]))
        self.assertEqual([row.action for row in result.rows], ["create", "error"])
        self.assertEqual((result.created, result.units_created), (1, ["Bidang Data"]))

    def test_it_refuses_a_nip_that_appears_twice_in_the_file(self) -> None:
        result = self.run_import(csv_file([RAHMAT, SITI, [NIP_RAHMAT, "Rahmat Lain", *RAHMAT[2:]]]))
        self.assertEqual(
            [str(error) for error in result.errors], ["Baris 4: " + staff_table.NIP_DUPLICATE.format(row=2)]
        )
        self.assertEqual(self.pupr_nips() & {NIP_RAHMAT, NIP_SITI}, set())

    def test_it_refuses_a_nip_registered_at_another_office_and_names_that_office(self) -> None:
        colleague = Employee.objects.get(office=self.dukcapil, name="Lalu Muhammad Zaini")
        row = [colleague.nip, "Lalu Muhammad Zaini", "", "", "L", "PNS", "", "", ""]
        result = self.run_import(csv_file([RAHMAT, row]))
        self.assertEqual(len(result.errors), 1)
        self.assertEqual(result.errors[0].row, 3)
        self.assertIn("Dinas Kependudukan dan Pencatatan Sipil (DUKCAPIL)", result.errors[0].message)
        colleague.refresh_from_db()
        self.assertEqual(colleague.office, self.dukcapil)
        self.assertNotIn(NIP_RAHMAT, self.pupr_nips())

    def test_a_nip_of_another_government_is_no_obstacle(self) -> None:
        lotim = Government.objects.get(slug="lombok-timur")
        Employee.objects.create(
            government=lotim, office=lotim.offices.get(), nip=NIP_RAHMAT, name="Orang Lain", gender="L"
        )
        result = self.run_import(csv_file([RAHMAT]))
        self.assertEqual(result.created, 1)
        self.assertEqual(Employee.objects.filter(nip=NIP_RAHMAT).count(), 2)

    def test_a_dry_run_counts_but_writes_nothing(self) -> None:
        result = self.run_import(csv_file([RAHMAT, SITI]), dry_run=True)
        self.assertEqual(
            (result.created, result.units_created, result.dry_run, result.written),
            (2, ["Bidang Data"], True, False),
        )
        self.assertFalse(Unit.objects.filter(name="Bidang Data").exists())
        self.assertEqual(self.pupr_nips() & {NIP_RAHMAT, NIP_SITI}, set())


class UpdatesTests(StaffImportCase):
    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        data = xlsx_file([RAHMAT, SITI, WAYAN, PPPK])
        first = self.run_import(data, "pegawai.xlsx")
        self.assertEqual((first.created, first.units_created), (4, ["Bidang Data", "Sekretariat"]))
        audits = AuditEntry.objects.count()
        second = self.run_import(data, "pegawai.xlsx")
        self.assertEqual(
            (second.created, second.updated, second.unchanged, second.units_created), (0, 0, 4, [])
        )
        self.assertEqual(second.summary(), "created 0, updated 0, unchanged 4")
        self.assertEqual(AuditEntry.objects.count(), audits)
        self.assertEqual(Unit.objects.filter(office=self.pupr).count(), 2)

    def test_it_updates_what_changed_and_audits_old_and_new(self) -> None:
        self.run_import(csv_file([RAHMAT, SITI]))
        changed = [
            NIP_RAHMAT,
            "Rahmat Hidayat, S.Kom., M.T.",
            "Kepala Seksi Data",
            *RAHMAT[3:6],
            "0817 000 111",
            *RAHMAT[7:],
        ]
        result = self.run_import(csv_file([changed, SITI]))
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 1))
        entry = AuditEntry.objects.get(action="employee.import_update")
        rahmat = Employee.objects.get(nip=NIP_RAHMAT)
        self.assertEqual(
            (entry.actor, entry.office, entry.object_id), (self.admin, self.pupr, str(rahmat.pk))
        )
        self.assertEqual(
            entry.old,
            {"name": "Rahmat Hidayat, S.Kom.", "position": "Pranata Komputer", "phone": "081234567890"},
        )
        self.assertEqual(
            entry.new,
            {"name": "Rahmat Hidayat, S.Kom., M.T.", "position": "Kepala Seksi Data", "phone": "0817000111"},
        )
        self.assertIn("pegawai.csv", entry.reason)
        self.assertEqual((rahmat.name, rahmat.position, rahmat.phone), (changed[1], changed[2], "0817000111"))

    def test_it_moves_an_employee_to_another_unit_and_audits_it_by_name(self) -> None:
        self.run_import(csv_file([RAHMAT]))
        self.run_import(csv_file([[*RAHMAT[:3], "Sekretariat", *RAHMAT[4:]]]))
        entry = AuditEntry.objects.get(action="employee.import_update")
        self.assertEqual((entry.old, entry.new), ({"unit": "Bidang Data"}, {"unit": "Sekretariat"}))

    def test_it_matches_an_existing_unit_whatever_its_case_and_spacing(self) -> None:
        existing = Unit.objects.get(office=self.dukcapil)
        row = [*RAHMAT[:3], "  pelayanan   PENDAFTARAN penduduk ", *RAHMAT[4:]]
        result = self.run_import(
            csv_file([row, [*SITI[:3], "Bidang Baru", *SITI[4:]], [*WAYAN[:3], "BIDANG BARU", *WAYAN[4:]]]),
            office=self.dukcapil,
        )
        self.assertEqual(result.units_created, ["Bidang Baru"])
        self.assertEqual(Employee.objects.get(nip=NIP_RAHMAT).unit, existing)
        self.assertEqual(Employee.objects.get(nip=NIP_WAYAN).unit, Employee.objects.get(nip=NIP_SITI).unit)

    def test_a_column_missing_from_the_file_is_left_alone(self) -> None:
        self.run_import(csv_file([RAHMAT]))
        header = ["NIP", "Nama", "Jenis Kelamin", "Status"]
        result = self.run_import(csv_file([[NIP_RAHMAT, "Rahmat Hidayat", "L", "PNS"]], header=header))
        self.assertEqual(result.updated, 1)
        rahmat = Employee.objects.get(nip=NIP_RAHMAT)
        self.assertEqual(
            (rahmat.name, rahmat.email, rahmat.unit.name if rahmat.unit else None),
            ("Rahmat Hidayat", "rahmat@example.go.id", "Bidang Data"),
        )

    def test_an_empty_cell_in_a_column_the_file_has_clears_the_field(self) -> None:
        self.run_import(csv_file([RAHMAT]))
        self.run_import(csv_file([[*RAHMAT[:3], "", *RAHMAT[4:6], "", "", ""]]))
        rahmat = Employee.objects.get(nip=NIP_RAHMAT)
        self.assertEqual((rahmat.unit, rahmat.phone, rahmat.email, rahmat.track), (None, "", "", ""))

    def test_it_does_not_deactivate_employees_missing_from_the_file(self) -> None:
        before = set(Employee.objects.filter(office=self.pupr, is_active=True).values_list("pk", flat=True))
        self.run_import(csv_file([RAHMAT]))
        after = set(Employee.objects.filter(office=self.pupr, is_active=True).values_list("pk", flat=True))
        self.assertEqual(after - before, {Employee.objects.get(nip=NIP_RAHMAT).pk})
        self.assertTrue(before <= after)

    def test_it_does_not_reactivate_an_inactive_employee_and_says_so(self) -> None:
        self.run_import(csv_file([RAHMAT]))
        rahmat = Employee.objects.get(nip=NIP_RAHMAT)
        services.employee_deactivate(actor=self.admin, employee=rahmat, reason="pensiun")
        result = self.run_import(csv_file([RAHMAT]))
        self.assertEqual(result.unchanged, 1)
        self.assertEqual(result.rows[0].notes, [services.IMPORT_INACTIVE_NOTE])
        rahmat.refresh_from_db()
        self.assertFalse(rahmat.is_active)


def _generated_staff(count: int) -> list[list[str]]:
    """`count` distinct valid staff rows, in STAFF_COLUMNS order, spread over 7 units and every track."""
    tracks = ("Islam", "Hindu", "Kristen", "Katolik", "Buddha", "Konghucu", "")
    rows = []
    for i in range(count):
        gender = "L" if i % 2 else "P"
        nip = nip_compose(
            birth=dt.date(1970, 1, 1) + dt.timedelta(days=i),
            tmt=dt.date(2000, 3, 1),
            gender=gender,
            serial=i % 999 + 1,
        )
        rows.append(
            [nip, f"Pegawai {i:04d}", "Analis" if i % 3 else "", f"Bidang {i % 7}", gender, "PNS",
             f"0812{i:08d}", f"p{i}@example.go.id" if i % 4 else "", tracks[i % len(tracks)]]
        )  # fmt: skip
    return rows


class BulkWritingTests(StaffImportCase):
    """Employees are written in bulk: every row must still land, and every update be audited on its own."""

    def stored(self, rows: list[list[str]]) -> dict[str, list[str]]:
        nips = [row[0] for row in rows]
        employees = Employee.objects.filter(office=self.pupr, nip__in=nips).select_related("unit")
        return {
            e.nip: [e.nip, e.name, e.position, e.unit.name if e.unit else "", e.gender, e.status, e.phone,
                    e.email, str(Employee.Track(e.track).label) if e.track else ""]
            for e in employees
        }  # fmt: skip

    def test_a_large_file_is_created_updated_and_audited_row_by_row(self) -> None:
        rows = _generated_staff(1203)  # more than one batch of the bulk writes
        first = self.run_import(csv_file(rows))
        self.assertEqual((first.created, first.errors), (1203, []))
        self.assertEqual(sorted(first.units_created), [f"Bidang {n}" for n in range(7)])
        self.assertEqual(self.stored(rows), {row[0]: row for row in rows})
        self.assertFalse(AuditEntry.objects.filter(action="employee.import_update").exists())

        changed = [list(row) for row in rows]
        expected: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        for i, row in enumerate(changed):
            old: dict[str, str] = {}
            new: dict[str, str] = {}
            if i % 3 == 0:
                old["name"], new["name"] = row[1], row[1] + " S.E."
                row[1] = new["name"]
            if i % 5 == 0:
                old["phone"], new["phone"] = row[6], "0813" + row[6][4:]
                row[6] = new["phone"]
            if i % 7 == 0:
                old["unit"], new["unit"] = row[3], "Bidang Baru"
                row[3] = "Bidang Baru"
            if old:
                expected[row[0]] = (old, new)
        second = self.run_import(csv_file(changed))
        self.assertEqual(
            (second.created, second.updated, second.unchanged), (0, len(expected), 1203 - len(expected))
        )
        self.assertEqual(second.units_created, ["Bidang Baru"])
        self.assertEqual(self.stored(changed), {row[0]: row for row in changed})
        nip_of = dict(Employee.objects.filter(office=self.pupr).values_list("pk", "nip"))
        entries = AuditEntry.objects.filter(action="employee.import_update")
        self.assertEqual(
            {nip_of[int(entry.object_id)]: (entry.old, entry.new) for entry in entries}, expected
        )
        self.assertEqual(entries.count(), len(expected))
        self.assertTrue(all(e.actor == self.admin and e.office == self.pupr for e in entries))

        third = self.run_import(csv_file(changed))
        self.assertEqual((third.updated, third.unchanged), (0, 1203))
        self.assertEqual(AuditEntry.objects.filter(action="employee.import_update").count(), len(expected))


# Cell values as they come from CSV (text) and XLSX (numbers, dates, booleans, empty cells).
cell_values = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(
        ["L", "P", "PNS", "PPPK", "Islam", "Hindu", NIP_RAHMAT, NIP_SITI, "a@b.co", "0812345678"]
    ),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)),
    st.dates(),
)


@st.composite
def staff_rows(draw: st.DrawFn) -> dict[str, object]:
    """A row of arbitrary cells, or a valid row with one cell made arbitrary."""
    if draw(st.booleans()):
        return draw(st.fixed_dictionaries({column: cell_values for column in STAFF_COLUMNS}))
    row: dict[str, object] = dict(
        zip(STAFF_COLUMNS, draw(st.sampled_from([RAHMAT, SITI, WAYAN, PPPK])), strict=True)
    )
    row[draw(st.sampled_from(STAFF_COLUMNS))] = draw(cell_values)
    return row


class ArbitraryCellsTests(HypothesisTestCase, StaffImportCase):
    """Each example runs in its own transaction, rolled back after it (Hypothesis' Django test case)."""

    @settings(max_examples=60, derandomize=True, database=None, deadline=None)
    @given(st.lists(staff_rows(), min_size=1, max_size=4))
    def test_arbitrary_cell_content_only_ever_ends_in_row_errors(self, rows: list[dict[str, object]]) -> None:
        table = Table(
            columns=STAFF_COLUMNS,
            rows=tuple(Row(number=index + 2, values=values) for index, values in enumerate(rows)),  # type: ignore[arg-type]
            source="acak.xlsx",
        )
        employees = Employee.objects.count()
        result = staff_import(actor=self.admin, office=self.pupr, table=table)
        if result.errors:
            self.assertEqual(Employee.objects.count(), employees)
            self.assertTrue({error.row for error in result.errors} <= {row.number for row in table.rows})
            self.assertTrue(all(error.message.strip() for error in result.errors))
        else:
            self.assertEqual(Employee.objects.count(), employees + result.created)

    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(
        st.lists(
            st.lists(
                st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
                min_size=9,
                max_size=9,
            ),
            min_size=1,
            max_size=3,
        ),
        st.sampled_from([",", ";"]),
    )
    def test_arbitrary_text_in_a_csv_only_ever_ends_in_row_errors(
        self, rows: list[list[str]], delimiter: str
    ) -> None:
        try:
            table = read_staff_file(csv_file(rows, delimiter=delimiter), filename="acak.csv")
        except SpreadsheetError:
            return  # only rows of blank cells: "no data", a file-level message
        employees = Employee.objects.count()
        result = staff_import(actor=self.admin, office=self.pupr, table=table)
        self.assertEqual(Employee.objects.count(), employees + (result.created if result.written else 0))


class ParsedRowsAreValidEmployeesTests(HypothesisTestCase, PerjumpaanTestCase):
    """The import writes employees without cleaning each one, relying on `parse_staff_rows`: whatever the
    parser accepts must pass the model's own validation."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A government of its own, so that no NIP is taken and the uniqueness check can run too.
        cls.other = Government.objects.create(name="Kabupaten Uji", slug="uji")
        cls.office = Office.objects.create(government=cls.other, code="UJI", name="Dinas Uji")

    @settings(max_examples=200, derandomize=True, database=None, deadline=None)
    @given(staff_rows())
    def test_every_row_the_parser_accepts_is_a_valid_employee(self, cells: dict[str, object]) -> None:
        table = Table(columns=STAFF_COLUMNS, rows=(Row(number=2, values=cells),), source="acak.xlsx")  # type: ignore[arg-type]
        (row,) = staff_table.parse_staff_rows(table)
        if row.problems:
            return
        fields = dict(row.values)
        unit_name = fields.pop("unit", "")
        if unit_name:
            Unit(office=self.office, name=unit_name).full_clean()
        employee = Employee(government=self.other, office=self.office, **fields)
        employee.full_clean()  # every field, the NIP constraint and uniqueness, as a one-by-one save would


class ImportCommandTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def write(self, name: str, data: bytes) -> str:
        path = Path(self.directory.name) / name
        path.write_bytes(data)
        return str(path)

    def command(self, *args: str, **options: object) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        call_command("import_staff", *args, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    def test_it_prints_what_it_created_updated_and_left_unchanged(self) -> None:
        path = self.write("pegawai.xlsx", xlsx_file([RAHMAT, SITI]))
        out, _err = self.command(path, office="pupr")
        self.assertIn("created 2, updated 0, unchanged 0, units created 1 (Bidang Data)", out)
        out, _err = self.command(path, "--office", "PUPR")
        self.assertIn("created 0, updated 0, unchanged 2", out)

    def test_it_exits_non_zero_after_printing_every_bad_row(self) -> None:
        path = self.write(
            "pegawai.csv", csv_file([RAHMAT, ["1.97906E+17", *SITI[1:]], [*WAYAN[:4], "", *WAYAN[5:]]])
        )
        out, err = io.StringIO(), io.StringIO()
        with self.assertRaisesMessage(
            CommandError, "Impor dibatalkan: 2 baris bermasalah (2 masalah); tidak ada data yang disimpan."
        ):
            call_command("import_staff", path, office="PUPR", stdout=out, stderr=err)
        lines = err.getvalue().splitlines()
        self.assertEqual(
            lines,
            [
                "Baris 3: " + staff_table.NIP_SCIENTIFIC.format(value="1.97906E+17"),
                "Baris 4: " + staff_table.REQUIRED.format(column="Jenis Kelamin"),
            ],
        )
        self.assertEqual(out.getvalue(), "")
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

    def test_a_dry_run_reports_and_writes_nothing(self) -> None:
        path = self.write("pegawai.csv", csv_file([RAHMAT]))
        out, _err = self.command(path, office="PUPR", dry_run=True)
        self.assertIn("tidak ada yang disimpan: created 1, updated 0, unchanged 0", out)
        self.assertFalse(Employee.objects.filter(nip=NIP_RAHMAT).exists())

    def test_it_refuses_an_office_code_two_governments_share_unless_told_which(self) -> None:
        path = self.write("pegawai.csv", csv_file([RAHMAT]))
        with self.assertRaisesMessage(CommandError, "--government"):
            self.command(path, office="DUKCAPIL")
        out, _err = self.command(path, office="DUKCAPIL", government="lombok-barat")
        self.assertIn("created 1", out)
        self.assertEqual(Employee.objects.get(nip=NIP_RAHMAT).office, self.dukcapil)

    def test_it_refuses_an_unknown_office(self) -> None:
        path = self.write("pegawai.csv", csv_file([RAHMAT]))
        with self.assertRaisesMessage(CommandError, "Perangkat daerah dengan kode BAPPEDA tidak ditemukan."):
            self.command(path, office="BAPPEDA")

    def test_it_refuses_a_missing_file_in_one_line(self) -> None:
        with self.assertRaisesMessage(CommandError, "tidak dapat dibuka"):
            self.command(str(Path(self.directory.name) / "tidak-ada.csv"), office="PUPR")

    def test_it_refuses_a_file_that_is_not_a_spreadsheet(self) -> None:
        path = self.write("pegawai.xlsx", b"NIP,Nama\n")
        with self.assertRaisesMessage(CommandError, "bukan berkas Excel .xlsx yang sah"):
            self.command(path, office="PUPR")

    def test_it_names_the_columns_it_ignored(self) -> None:
        path = self.write("pegawai.csv", csv_file([[*RAHMAT, "Mataram"]], header=[*HEADER, "Tempat Lahir"]))
        _out, err = self.command(path, office="PUPR")
        self.assertIn("Kolom diabaikan: Tempat Lahir", err)
