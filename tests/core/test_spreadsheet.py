"""Reading and writing tables: formats, encodings, delimiters, headers and row numbers."""

from __future__ import annotations

import codecs
import io
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook, load_workbook

from perjumpaan.core import spreadsheet
from perjumpaan.core.spreadsheet import SpreadsheetError, normalise_header, read_table, xlsx_bytes

ALIASES = {"NIP": ["NIP Baru"], "Nama": ["Nama Lengkap"], "No HP": ["HP"], "Jenis Kelamin": ["L/P"]}


def read(data: bytes, filename: str = "pegawai.csv", **kwargs: object) -> spreadsheet.Table:
    return read_table(data, filename=filename, aliases=ALIASES, **kwargs)  # type: ignore[arg-type]


def workbook_bytes(*sheets: list[list[object]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets):
        sheet = workbook.create_sheet(f"Lembar{index + 1}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class HeaderTests(SimpleTestCase):
    def test_it_ignores_case_spaces_and_punctuation_in_headers(self) -> None:
        self.assertEqual(normalise_header("  No. HP "), "no hp")
        self.assertEqual(normalise_header("NAMA_LENGKAP"), "nama lengkap")
        self.assertEqual(normalise_header("\ufeffNIP"), "nip")
        self.assertEqual(normalise_header("L/P"), "l/p")

    def test_it_maps_variants_to_the_canonical_column_and_reports_the_unknown(self) -> None:
        table = read(b" nama lengkap ;NIP BARU;Tempat Lahir;hp\nAni;1;Mataram;0812\n")
        self.assertEqual(table.columns, ("Nama", "NIP", "No HP"))
        self.assertEqual(table.ignored, ("Tempat Lahir",))
        self.assertEqual(dict(table.rows[0].values), {"Nama": "Ani", "NIP": "1", "No HP": "0812"})

    def test_it_refuses_a_file_without_a_required_column_and_lists_what_it_found(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "Kolom wajib tidak ditemukan: NIP. Baris judul"):
            read(b"Nama,Alamat\nAni,Gerung\n", required=["NIP", "Nama"])

    def test_it_refuses_a_column_that_appears_twice(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "Kolom Nama muncul lebih dari sekali"):
            read(b"Nama,Nama Lengkap\nAni,Ani\n")


class CsvTests(SimpleTestCase):
    def test_it_reads_commas(self) -> None:
        table = read(b"NIP,Nama\r\n1,Ani\r\n2,Budi\r\n")
        self.assertEqual([row.values["Nama"] for row in table.rows], ["Ani", "Budi"])
        self.assertEqual(table.encoding, "utf-8")

    def test_it_reads_semicolons_as_indonesian_excel_writes_them(self) -> None:
        table = read(b"NIP;Nama\r\n1;Ani, S.Pd.\r\n")
        self.assertEqual(table.rows[0].values["Nama"], "Ani, S.Pd.")

    def test_it_finds_the_delimiter_below_a_title_line(self) -> None:
        table = read(b"DAFTAR PEGAWAI\nNIP;Nama\n1;Ani, S.Pd.\n")
        self.assertEqual((table.header_row, table.rows[0].values["Nama"]), (2, "Ani, S.Pd."))

    def test_it_reads_tabs(self) -> None:
        table = read(b"NIP\tNama\n1\tAni\n")
        self.assertEqual(table.rows[0].values["Nama"], "Ani")

    def test_it_honours_excel_s_sep_line(self) -> None:
        table = read(b"sep=;\r\nNIP;Nama\r\n1;Ani,Budi\r\n")
        self.assertEqual(table.rows[0].values["Nama"], "Ani,Budi")
        self.assertEqual(table.header_row, 1)
        self.assertEqual(table.rows[0].number, 2)

    def test_it_drops_a_utf8_byte_order_mark(self) -> None:
        table = read(codecs.BOM_UTF8 + b"NIP;Nama\n1;Baiq Nurul\n")
        self.assertEqual(table.columns, ("NIP", "Nama"))
        self.assertEqual(table.encoding, "utf-8-sig")

    def test_it_reads_windows_1252_when_the_file_is_not_utf8(self) -> None:
        table = read("NIP;Nama\n1;José Ramos’\n".encode("cp1252"))
        self.assertEqual(table.rows[0].values["Nama"], "José Ramos’")
        self.assertEqual(table.encoding, "cp1252")

    def test_it_reads_bytes_undefined_in_windows_1252_as_latin_1(self) -> None:
        table = read(b"NIP;Nama\n1;A\x81B\n")
        self.assertEqual(table.rows[0].values["Nama"], "A\x81B")

    def test_it_reads_excel_unicode_text_in_utf16(self) -> None:
        table = read("NIP\tNama\r\n1\tAni\r\n".encode("utf-16"), filename="pegawai.txt")
        self.assertEqual(table.rows[0].values["Nama"], "Ani")

    def test_it_numbers_rows_as_the_spreadsheet_shows_them(self) -> None:
        table = read(b'\n\nNIP,Nama\n1,Ani\n,\n2,"Budi\nSantoso"\n3,Citra\n')
        self.assertEqual(table.header_row, 3)
        # The blank row 5 is skipped but keeps its number; a quoted line break stays inside one row.
        self.assertEqual([row.number for row in table.rows], [4, 6, 7])
        self.assertEqual(table.rows[1].values["Nama"], "Budi\nSantoso")

    def test_it_skips_rows_with_only_unknown_columns_filled(self) -> None:
        table = read(b"No,NIP,Nama\n1,11,Ani\n2,,\n3,,\n")
        self.assertEqual(len(table.rows), 1)

    def test_it_refuses_a_file_with_a_header_and_no_data(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "tidak berisi data di bawah baris judul"):
            read(b"NIP,Nama\n\n")

    def test_it_refuses_an_empty_file(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "Berkas kosong."):
            read(b"")

    def test_it_refuses_more_rows_than_the_limit(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "lebih dari 2 baris data"):
            read(b"NIP,Nama\n1,A\n2,B\n3,C\n", max_rows=2)

    def test_it_refuses_binary_content_in_a_csv(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "bukan berkas teks CSV"):
            read(b"NIP,Nama\x00\x00\x01\x02")


class FormatTests(SimpleTestCase):
    def test_it_refuses_an_xlsx_name_on_a_file_that_is_not_a_zip(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "bukan berkas Excel .xlsx yang sah"):
            read(b"NIP,Nama\n1,Ani\n", filename="pegawai.xlsx")

    def test_it_refuses_a_zip_that_is_not_a_workbook(self) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "bukan excel")
        with self.assertRaisesMessage(SpreadsheetError, "bukan berkas Excel .xlsx yang sah"):
            read(buffer.getvalue(), filename="pegawai.xlsx")

    def test_it_refuses_an_old_xls_with_advice(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "Excel lama (.xls)"):
            read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, filename="pegawai.xls")

    def test_it_refuses_other_kinds_of_file(self) -> None:
        with self.assertRaisesMessage(SpreadsheetError, "tidak didukung"):
            read(b"%PDF-1.4", filename="pegawai.pdf")

    def test_it_refuses_a_damaged_workbook(self) -> None:
        data = bytearray(workbook_bytes([["NIP", "Nama"], ["1", "Ani"]]))
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as source, zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename.startswith("xl/worksheets/"):
                    content = content[: len(content) // 2]
                target.writestr(info, content)
        with self.assertRaisesMessage(SpreadsheetError, "rusak atau tidak dapat dibaca"):
            read(buffer.getvalue(), filename="pegawai.xlsx")


class XlsxTests(SimpleTestCase):
    def test_it_keeps_the_type_of_each_cell(self) -> None:
        table = read(workbook_bytes([["NIP", "Nama"], [42, "Ani"], ["42", True]]), filename="a.xlsx")
        self.assertEqual(
            [dict(row.values) for row in table.rows],
            [{"NIP": 42, "Nama": "Ani"}, {"NIP": "42", "Nama": True}],
        )
        self.assertEqual(table.format, "xlsx")

    def test_an_18_digit_number_cell_comes_back_without_its_last_digits(self) -> None:
        # Why a number NIP cell can never be trusted: a spreadsheet number is a double.
        table = read(workbook_bytes([["NIP", "Nama"], [197906122005011003, "Ani"]]), filename="a.xlsx")
        self.assertNotEqual(table.rows[0].values["NIP"], 197906122005011003)

    def test_it_uses_the_first_sheet_that_has_the_required_columns(self) -> None:
        data = workbook_bytes(
            [["Petunjuk pengisian"], ["Isi lembar berikutnya"]], [["NIP", "Nama"], ["1", "Ani"]]
        )
        table = read(data, filename="a.xlsx", required=["NIP", "Nama"])
        self.assertEqual(table.rows[0].values["Nama"], "Ani")

    def test_it_numbers_rows_below_a_title_as_excel_does(self) -> None:
        data = workbook_bytes([["DAFTAR PEGAWAI"], [], ["NIP", "Nama"], ["1", "Ani"]])
        table = read(data, filename="a.xlsx")
        self.assertEqual((table.header_row, table.rows[0].number), (3, 4))


class WritingTests(SimpleTestCase):
    def test_csv_bytes_round_trip_through_the_reader(self) -> None:
        data = spreadsheet.csv_bytes(["NIP", "Nama"], [["0001", 'Ani; "Ibu"\nBaris dua']])
        self.assertTrue(data.startswith(codecs.BOM_UTF8))
        table = read(data)
        self.assertEqual(dict(table.rows[0].values), {"NIP": "0001", "Nama": 'Ani; "Ibu"\nBaris dua'})

    def test_xlsx_text_columns_are_text_cells_in_text_format(self) -> None:
        data = xlsx_bytes(["NIP", "Nama"], [["197906122005011003", "Ani"]], text_columns=["NIP"])
        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        cell = sheet["A2"]
        self.assertEqual((cell.value, cell.data_type, cell.number_format), ("197906122005011003", "s", "@"))
        self.assertTrue(sheet["B1"].font.bold)

    def test_xlsx_never_stores_text_as_a_formula(self) -> None:
        data = xlsx_bytes(["Nama"], [['=HYPERLINK("http://contoh.invalid","klik")']])
        sheet = load_workbook(io.BytesIO(data)).active
        assert sheet is not None
        self.assertEqual(sheet["A2"].data_type, "s")
        self.assertEqual(sheet["A2"].value, '=HYPERLINK("http://contoh.invalid","klik")')
