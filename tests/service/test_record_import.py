"""Importing the queue machine's export: odd headers, Indonesian dates and times, all or nothing,
idempotent."""

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
from perjumpaan.org.models import Employee
from perjumpaan.service.models import ServiceImportMapping, ServiceRecord, SurveyResponse
from perjumpaan.service.records_table import (
    BAD_TIME,
    HEADERS,
    ReadOptions,
    mapping_problems,
    parse_date_text,
    parse_record_row,
    parse_time_text,
    read_record_file,
)
from perjumpaan.service.services import RecordImportResult, service_record_import
from tests.service.helpers import WITA, ServiceTestCase, csv_file, wita, xlsx_file

DAY = dt.date(2026, 11, 27)


class ImportCase(ServiceTestCase):
    def run_import(
        self,
        data: bytes,
        filename: str = "antrian.csv",
        *,
        mapping: ServiceImportMapping | None = None,
        dry_run: bool = False,
    ) -> RecordImportResult:
        table = read_record_file(data, filename=filename, mapping=mapping.mapping if mapping else None)
        return service_record_import(office=self.dukcapil, table=table, mapping=mapping, dry_run=dry_run)


class ReadingExportsTests(ImportCase):
    def test_it_reads_a_real_export_with_dotted_times_and_slashed_dates(self) -> None:
        officer = Employee.objects.get(name="Baiq Nurul Aini")
        data = csv_file(
            [
                [
                    "A001",
                    "27/11/2026",
                    "KTP-el",
                    "08.15",
                    "08.41",
                    "08.52",
                    "Loket 2",
                    "Baiq Nurul Aini",
                    "Selesai",
                ],
                [
                    "B001",
                    "27/11/2026",
                    "Kartu Keluarga",
                    "08:15:32",
                    "08:20:00",
                    "08:31:10",
                    "3",
                    "",
                    "Ditunda",
                ],
            ]
        )
        result = self.run_import(data)
        self.assertEqual((result.created, result.updated, result.unchanged, result.errors), (2, 0, 0, []))
        first = ServiceRecord.objects.get(ticket="A001")
        self.assertEqual(
            (first.date, first.service.code, first.arrival, first.called, first.finished),
            (DAY, "KTP-EL", wita(DAY, 8, 15), wita(DAY, 8, 41), wita(DAY, 8, 52)),
        )
        self.assertEqual((first.counter, first.officer, first.result), ("Loket 2", officer, "selesai"))
        second = ServiceRecord.objects.get(ticket="B001")
        self.assertEqual(
            (second.arrival, second.result, second.officer), (wita(DAY, 8, 15, 32), "ditunda", None)
        )

    def test_it_stores_times_as_the_instants_they_are_in_wita(self) -> None:
        self.run_import(csv_file([["A001", "27/11/2026", "KTP-EL", "08.15", "08.20", "08.30", "", "", ""]]))
        arrival = ServiceRecord.objects.get().arrival
        self.assertEqual(arrival.astimezone(dt.UTC), dt.datetime(2026, 11, 27, 0, 15, tzinfo=dt.UTC))

    def test_it_reads_an_xlsx_with_a_title_above_the_header_and_real_time_cells(self) -> None:
        data = xlsx_file(
            [
                [
                    "A007",
                    dt.date(2026, 11, 27),
                    "KIA",
                    dt.time(9, 5),
                    dt.time(9, 30),
                    dt.time(9, 40),
                    4,
                    None,
                    "Selesai",
                ]
            ],
            title="LAPORAN ANTRIAN DISDUKCAPIL",
        )
        result = self.run_import(data, "laporan.xlsx")
        self.assertEqual(result.errors, [])
        record = ServiceRecord.objects.get()
        self.assertEqual((record.arrival, record.counter, record.service.code), (wita(DAY, 9, 5), "4", "KIA"))

    def test_it_takes_the_date_from_full_timestamps_when_there_is_no_date_column(self) -> None:
        header = ["Nomor Antrian", "Layanan", "Waktu Ambil Antrian", "Waktu Panggil", "Waktu Selesai"]
        data = csv_file(
            [["C010", "AKTA-LAHIR", "27/11/2026 10:00:05", "27/11/2026 10:12", "2026-11-27 10:20"]], header
        )
        result = self.run_import(data)
        self.assertEqual(result.errors, [])
        record = ServiceRecord.objects.get()
        self.assertEqual((record.date, record.arrival, record.result), (DAY, wita(DAY, 10, 0, 5), "selesai"))

    def test_it_reads_named_indonesian_dates_and_ignores_a_zone_suffix(self) -> None:
        data = csv_file(
            [["A1", "Jumat, 27 November 2026", "KK", "08.15 WITA", "08.30", "08.45", "", "", "dilayani"]]
        )
        self.assertEqual(self.run_import(data).errors, [])
        self.assertEqual(ServiceRecord.objects.get().arrival, wita(DAY, 8, 15))

    def test_it_lists_the_columns_it_ignores(self) -> None:
        header = [*["No. Antrian", "Tanggal", "Jenis Layanan", "Jam Datang"], "Nama Pemohon"]
        result = self.run_import(csv_file([["A1", "27/11/2026", "KK", "08.00", "x"]], header))
        self.assertEqual(result.ignored_columns, ["Nama Pemohon"])

    def test_it_refuses_a_file_without_a_ticket_column_naming_what_it_found(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "No. Antrian"):
            read_record_file(
                csv_file([["27/11/2026", "KK", "08.00"]], ["Tanggal", "Layanan", "Jam Datang"]),
                filename="a.csv",
            )


class AllOrNothingTests(ImportCase):
    def test_one_bad_row_writes_nothing_and_every_problem_has_its_row_number(self) -> None:
        data = csv_file(
            [
                ["A001", "27/11/2026", "KTP-el", "08.15", "08.41", "08.52", "", "", "Selesai"],
                ["A002", "27/11/2026", "Paspor", "08.16", "08.42", "08.53", "", "", "Selesai"],
                ["A003", "31/11/2026", "KK", "25.00", "08.10", "08.00", "", "", "Entah"],
                ["A001", "27/11/2026", "KK", "09.00", "09.10", "09.20", "", "", "Selesai"],
            ]
        )
        result = self.run_import(data)
        self.assertFalse(result.written)
        self.assertEqual(ServiceRecord.objects.count(), 0)
        rows = {error.row for error in result.errors}
        self.assertEqual(rows, {3, 4, 5})
        messages = "\n".join(str(error) for error in result.errors)
        self.assertIn('Baris 3: Jenis layanan "Paspor" tidak ada di katalog DUKCAPIL', messages)
        self.assertIn("Baris 4: Tanggal '31/11/2026' bukan tanggal", messages)
        self.assertIn('Baris 4: Status "Entah" tidak dikenal', messages)
        self.assertIn("Baris 5: No. Antrian A001 tanggal 27/11/2026 sudah muncul di baris 2.", messages)

    def test_times_out_of_order_are_errors(self) -> None:
        data = csv_file(
            [
                ["A1", "27/11/2026", "KK", "08.30", "08.10", "08.40", "", "", ""],
                ["A2", "27/11/2026", "KK", "08.30", "08.40", "08.35", "", "", ""],
                ["A3", "27/11/2026", "KK", "08.30", "", "08.35", "", "", ""],
                ["A4", "27/11/2026", "KK", "08.30", "08.40", "", "", "", "Selesai"],
            ]
        )
        messages = [str(error) for error in self.run_import(data).errors]
        self.assertIn("Baris 2: Jam Panggil (08.10) lebih awal dari Jam Datang (08.30).", messages)
        self.assertIn("Baris 3: Jam Selesai (08.35) lebih awal dari Jam Panggil (08.40).", messages)
        self.assertIn("Baris 4: Jam Selesai diisi tetapi Jam Panggil kosong.", messages)
        self.assertIn("Baris 5: Status selesai tetapi Jam Selesai kosong.", messages)

    def test_a_dry_run_counts_but_writes_nothing(self) -> None:
        data = csv_file([["A1", "27/11/2026", "KK", "08.30", "08.40", "08.50", "", "", ""]])
        result = self.run_import(data, dry_run=True)
        self.assertEqual((result.created, result.written), (1, False))
        self.assertFalse(ServiceRecord.objects.exists())

    def test_an_unknown_officer_is_a_note_not_an_error(self) -> None:
        data = csv_file([["A1", "27/11/2026", "KK", "08.30", "08.40", "08.50", "2", "Petugas Magang", ""]])
        result = self.run_import(data)
        self.assertEqual((result.created, result.errors), (1, []))
        self.assertEqual(
            [str(note) for note in result.notes],
            ['Baris 2: Petugas "Petugas Magang" tidak dikenali di DUKCAPIL; disimpan tanpa petugas.'],
        )
        self.assertIsNone(ServiceRecord.objects.get().officer)

    def test_an_officer_is_matched_by_nip_too(self) -> None:
        officer = Employee.objects.get(name="Lalu Muhammad Zaini")
        data = csv_file([["A1", "27/11/2026", "KK", "08.30", "08.40", "08.50", "2", officer.nip, ""]])
        self.run_import(data)
        self.assertEqual(ServiceRecord.objects.get().officer, officer)


class IdempotenceTests(ImportCase):
    ROWS = [
        ["A001", "27/11/2026", "KTP-el", "08.15", "08.41", "08.52", "1", "", "Selesai"],
        ["A002", "27/11/2026", "KK", "08.16", "08.42", "08.53", "1", "", "Selesai"],
    ]

    def test_importing_the_same_file_twice_changes_nothing_the_second_time(self) -> None:
        self.run_import(csv_file(self.ROWS))
        before = list(ServiceRecord.objects.order_by("pk").values())
        result = self.run_import(csv_file(self.ROWS))
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 0, 2))
        self.assertEqual(list(ServiceRecord.objects.order_by("pk").values()), before)

    def test_a_corrected_row_updates_its_record_and_counts_as_updated(self) -> None:
        self.run_import(csv_file(self.ROWS))
        corrected = [self.ROWS[0], [*self.ROWS[1][:5], "09.10", "1", "", "Ditolak"]]
        result = self.run_import(csv_file(corrected))
        self.assertEqual((result.created, result.updated, result.unchanged), (0, 1, 1))
        record = ServiceRecord.objects.get(ticket="A002")
        self.assertEqual((record.finished, record.result), (wita(DAY, 9, 10), "ditolak"))
        self.assertEqual(ServiceRecord.objects.count(), 2)

    def test_the_same_ticket_on_another_day_is_another_record(self) -> None:
        self.run_import(csv_file(self.ROWS))
        next_day = [["A001", "28/11/2026", "KTP-el", "08.15", "08.41", "08.52", "1", "", "Selesai"]]
        self.assertEqual(self.run_import(csv_file(next_day)).created, 1)

    def test_an_answer_given_with_a_ticket_before_the_import_is_linked_to_its_record(self) -> None:
        answer = SurveyResponse.objects.create(office=self.dukcapil, ticket="A001", ticket_date=DAY, u1=4)
        self.run_import(csv_file(self.ROWS))
        answer.refresh_from_db()
        self.assertEqual(answer.record, ServiceRecord.objects.get(ticket="A001"))


class MappingTests(ImportCase):
    def test_a_saved_mapping_reads_a_machine_with_headers_of_its_own(self) -> None:
        mapping = ServiceImportMapping.objects.create(
            office=self.dukcapil,
            name="antrian-v2",
            mapping={
                "ticket": "Kode",
                "service": "Keperluan",
                "arrival": "In",
                "called": "Call",
                "finished": "Out",
                "result": "Keterangan",
            },
            value_map={"service": {"Rekam KTP": "KTP-EL"}, "result": {"OK": "selesai", "Lewat": "ditunda"}},
            date_format="%Y%m%d",
            time_format="%Y%m%d %H%M",
        )
        header = ["Kode", "Keperluan", "In", "Call", "Out", "Keterangan"]
        rows = [
            ["X1", "Rekam KTP", "20261127 0815", "20261127 0820", "20261127 0830", "OK"],
            ["X2", "KK", "20261127 0816", "20261127 0821", "20261127 0831", "Lewat"],
        ]
        result = self.run_import(csv_file(rows, header), mapping=mapping)
        self.assertEqual(result.errors, [])
        self.assertEqual(
            list(
                ServiceRecord.objects.order_by("ticket").values_list(
                    "ticket", "service__code", "result", "arrival"
                )
            ),
            [("X1", "KTP-EL", "selesai", wita(DAY, 8, 15)), ("X2", "KK", "ditunda", wita(DAY, 8, 16))],
        )

    def test_a_mapping_with_unknown_fields_or_results_is_refused(self) -> None:
        problems = mapping_problems({"nik": "NIK", "ticket": ""}, {"result": {"OK": "mantap"}, "x": {}})
        self.assertEqual(len(problems), 4, problems)


class CommandTests(ImportCase):
    def write(self, data: bytes, name: str = "antrian.csv") -> str:
        directory = tempfile.mkdtemp()
        path = Path(directory) / name
        path.write_bytes(data)
        return str(path)

    def test_it_prints_created_updated_unchanged_and_a_second_run_changes_nothing(self) -> None:
        path = self.write(csv_file(IdempotenceTests.ROWS))
        out = io.StringIO()
        call_command(
            "import_services", path, "--office", "lombok-barat/DUKCAPIL", stdout=out, stderr=io.StringIO()
        )
        self.assertIn("created 2, updated 0, unchanged 0", out.getvalue())
        out = io.StringIO()
        call_command(
            "import_services", path, "--office", "lombok-barat/DUKCAPIL", stdout=out, stderr=io.StringIO()
        )
        self.assertIn("created 0, updated 0, unchanged 2", out.getvalue())

    def test_it_exits_non_zero_with_row_errors_on_stderr(self) -> None:
        path = self.write(csv_file([["A1", "27/11/2026", "Paspor", "08.00", "", "", "", "", "Ditolak"]]))
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "1 baris bermasalah"):
            call_command(
                "import_services", path, "--office", "lombok-barat/DUKCAPIL", stdout=io.StringIO(), stderr=err
            )
        self.assertIn("Baris 2:", err.getvalue())
        self.assertFalse(ServiceRecord.objects.exists())

    def test_a_dry_run_says_so_and_writes_nothing(self) -> None:
        path = self.write(csv_file(IdempotenceTests.ROWS))
        out = io.StringIO()
        call_command(
            "import_services",
            path,
            "--office",
            "lombok-barat/DUKCAPIL",
            "--dry-run",
            stdout=out,
            stderr=io.StringIO(),
        )
        self.assertIn("Uji coba", out.getvalue())
        self.assertFalse(ServiceRecord.objects.exists())

    def test_an_unknown_mapping_or_office_is_one_clear_line(self) -> None:
        path = self.write(csv_file(IdempotenceTests.ROWS))
        with self.assertRaisesMessage(CommandError, "Pemetaan impor lama tidak ada"):
            call_command("import_services", path, "--office", "lombok-barat/DUKCAPIL", "--mapping", "lama")
        with self.assertRaisesMessage(CommandError, "dipakai lebih dari satu pemda"):
            call_command("import_services", path, "--office", "DUKCAPIL")

    def test_an_unreadable_file_is_one_clear_line(self) -> None:
        path = self.write(b"PK\x03\x04broken", "antrian.xlsx")
        with self.assertRaisesMessage(CommandError, "antrian.xlsx"):
            call_command("import_services", path, "--office", "lombok-barat/DUKCAPIL")


class ParsingTests(ServiceTestCase):
    def test_dates_are_read_day_first(self) -> None:
        for text in (
            "28/11/2026",
            "28-11-2026",
            "28.11.2026",
            "28/11/26",
            "2026-11-28",
            "28 Nov 2026",
            "Sabtu, 28 Nopember 2026",
        ):
            with self.subTest(text=text):
                self.assertEqual(parse_date_text(text), dt.date(2026, 11, 28))

    def test_times_are_read_with_a_dot_or_a_colon(self) -> None:
        cases = (
            ("08.15", (8, 15, 0)), ("8:15", (8, 15, 0)), ("08:15:32", (8, 15, 32)), ("08.15.32", (8, 15, 32)),
            ("2:05 PM", (14, 5, 0)), ("12:00 am", (0, 0, 0)),
        )  # fmt: skip
        for text, expected in cases:
            with self.subTest(text=text):
                self.assertEqual(parse_time_text(text), dt.time(*expected))


class NeverCrashTests(HypothesisTestCase):
    cells = st.one_of(
        st.none(),
        st.text(max_size=40),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.dates(),
        st.datetimes(),
        st.times(),
        st.timedeltas(),
    )

    @settings(max_examples=400, deadline=None)
    @given(st.dictionaries(st.sampled_from(list(HEADERS.values())), cells))
    def test_any_cell_content_becomes_values_or_problems_never_an_exception(self, values: dict) -> None:
        columns = tuple(HEADERS.values())
        row = parse_record_row(2, values, columns, ReadOptions(zone=WITA))
        if not row.problems:
            self.assertIsNotNone(row.arrival)
            self.assertTrue(row.ticket)

    @settings(max_examples=60, deadline=None)
    @given(st.binary(max_size=400), st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
    def test_any_bytes_are_a_table_or_a_clear_file_error(self, data: bytes, name: str) -> None:
        try:
            read_record_file(data, filename=name)
        except SpreadsheetError as error:
            self.assertTrue(str(error))

    def test_bad_time_message_names_the_column(self) -> None:
        row = parse_record_row(
            2, {"No. Antrian": "A1", "Jenis Layanan": "KK", "Jam Datang": "jam 8", "Tanggal": "27/11/2026"},
            ("No. Antrian", "Jenis Layanan", "Jam Datang", "Tanggal"), ReadOptions(zone=WITA),
        )  # fmt: skip
        self.assertIn(BAD_TIME.format(column="Jam Datang", value="'jam 8'"), row.problems)


def _table(rows: list[dict]) -> Table:
    return Table(columns=tuple(HEADERS.values()), rows=tuple(Row(i + 2, r) for i, r in enumerate(rows)))


class ImportServiceNeverCrashTests(ServiceTestCase, HypothesisTestCase):
    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(st.dictionaries(st.sampled_from(list(HEADERS.values())), st.text(max_size=20)), max_size=5)
    )
    def test_any_table_is_imported_or_refused_with_row_errors(self, rows: list[dict]) -> None:
        result = service_record_import(office=self.dukcapil, table=_table(rows), dry_run=True)
        self.assertEqual(result.created + result.updated + result.unchanged + result.error_rows, len(rows))


class FastWritingTests(ImportCase):
    """The import validates rows by parsing them and inserts them without the ORM's compiler: what it
    stores must be what the ORM stores, and what it accepts must be what the model accepts."""

    def test_an_imported_record_is_stored_exactly_as_the_orm_stores_the_same_values(self) -> None:
        officer = Employee.objects.get(name="Baiq Nurul Aini")
        rows = [
            ["A001", "27/11/2026", "KTP-el", "08.15", "08.41", "08.52", "Loket 2", officer.nip, "Selesai"],
            ["A002", "27/11/2026", "KK", "23:59:59", "", "", "", "", "Ditolak"],
            ["A003", "27/11/2026", "KIA", "00.00", "00.00", "", "3", "", "Ditunda"],
        ]
        self.assertEqual(self.run_import(csv_file(rows)).errors, [])
        imported = {r.ticket: r for r in ServiceRecord.objects.filter(office=self.dukcapil)}
        expected = {
            "A001": (self.services["KTP-EL"], wita(DAY, 8, 15), wita(DAY, 8, 41), wita(DAY, 8, 52), "Loket 2",
                     officer, "selesai"),
            "A002": (self.services["KK"], wita(DAY, 23, 59, 59), None, None, "", None, "ditolak"),
            "A003": (self.services["KIA"], wita(DAY, 0, 0), wita(DAY, 0, 0), None, "3", None, "ditunda"),
        }  # fmt: skip
        for ticket, (service, arrival, called, finished, counter, who, result) in expected.items():
            with self.subTest(ticket=ticket):
                orm = ServiceRecord.objects.create(
                    office=self.dukcapil, service=service, date=DAY, ticket=f"ORM-{ticket}", arrival=arrival,
                    called=called, finished=finished, counter=counter, officer=who, result=result,
                    source=ServiceRecord.Source.IMPORT, created_at=imported[ticket].created_at,
                    updated_at=imported[ticket].updated_at,
                )  # fmt: skip
                stored = ServiceRecord.objects.filter(pk__in=[orm.pk, imported[ticket].pk]).values()
                by_ticket = {row.pop("ticket"): row for row in stored}
                for row in by_ticket.values():
                    row.pop("id")
                self.assertEqual(by_ticket[ticket], by_ticket[f"ORM-{ticket}"])
                self.assertEqual(by_ticket[ticket]["arrival"], arrival)

    def test_a_time_is_read_by_the_format_of_each_import_not_one_read_before(self) -> None:
        text = "27/11/2026 08.15"
        fmt = ReadOptions(zone=WITA, time_format="%H.%M")
        plain = ReadOptions(zone=WITA)
        columns = ("No. Antrian", "Jenis Layanan", "Jam Datang")
        for options, arrival, problems in (
            (plain, wita(DAY, 8, 15), 0),
            (fmt, None, 1),
            (plain, wita(DAY, 8, 15), 0),
            (ReadOptions(zone=WITA, time_format="%d/%m/%Y %H.%M"), wita(DAY, 8, 15), 0),
            (fmt, None, 1),
        ):
            row = parse_record_row(
                2, {"No. Antrian": "A1", "Jenis Layanan": "KK", "Jam Datang": text}, columns, options
            )
            self.assertEqual(row.arrival, arrival)
            self.assertEqual(len([p for p in row.problems if "Jam Datang" in p]), problems)

    def test_every_row_with_the_same_unreadable_time_gets_its_own_error(self) -> None:
        rows = [[f"A{n}", "27/11/2026", "KK", "jam 8", "", "", "", "", "Ditolak"] for n in range(3)]
        result = self.run_import(csv_file(rows))
        self.assertEqual([e.row for e in result.errors if "Jam Datang" in e.message], [2, 3, 4])
        self.assertFalse(ServiceRecord.objects.exists())


# Cells close to valid, so that many rows are accepted and the edges (lengths, order of times) are hit.
_clock = st.times().map(lambda t: t.replace(microsecond=0))
_time_text = st.sampled_from(["%H.%M", "%H:%M:%S", "27/11/2026 %H:%M", "%I:%M %p", "%H.%M WITA"])


@st.composite
def _record_rows(draw: st.DrawFn) -> dict[str, object]:
    clocks = draw(st.lists(_clock, min_size=3, max_size=3))
    if draw(st.integers(0, 3)):
        clocks.sort()  # mostly in order, as a machine writes them
    times: list[object] = []
    for clock in clocks:
        kind = draw(st.integers(0, 9))
        if kind == 9:
            times.append(None)
        elif kind == 8:
            times.append(draw(st.text(max_size=12)))
        elif kind == 7:
            times.append(clock)  # an XLSX time cell
        else:
            times.append(clock.strftime(draw(_time_text)))
    return {
        "No. Antrian": draw(st.text("A0123456789 -=", min_size=1, max_size=34) | st.text(max_size=34)),
        "Tanggal": draw(st.sampled_from(["27/11/2026", "2026-11-27", "27 Nopember 2026", "", "31/02/2026"])),
        "Jenis Layanan": "KK",
        "Jam Datang": times[0],
        "Jam Panggil": times[1],
        "Jam Selesai": times[2],
        "Loket": draw(st.text(max_size=34)),
        "Petugas": "",
        "Status": draw(st.sampled_from(["Selesai", "", "ditunda", "DITOLAK", "batal"])),
    }


class ParsedRowsAreValidRecordsTests(ServiceTestCase, HypothesisTestCase):
    @settings(max_examples=300, deadline=None, derandomize=True, database=None)
    @given(_record_rows())
    def test_every_row_the_parser_accepts_makes_a_valid_record(self, cells: dict) -> None:
        row = parse_record_row(2, cells, tuple(HEADERS.values()), ReadOptions(zone=WITA))
        if row.problems:
            return
        record = ServiceRecord(
            office=self.dukcapil, service=self.services["KK"], date=row.date, ticket=row.ticket,
            arrival=row.arrival, called=row.called, finished=row.finished, counter=row.counter,
            result=row.result, source=ServiceRecord.Source.IMPORT,
        )  # fmt: skip
        record.full_clean()  # every field, and the constraints, as a one-by-one save would check
