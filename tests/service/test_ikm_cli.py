"""The analyst's command `perjumpaan ikm FILE.csv [--weight exact|0.111|0.11] [--json]`."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perjumpaan.service.skm import ELEMENT_CODES

HEADER = ",".join(ELEMENT_CODES)
# The three respondents worked by hand in test_ikm.py: IKM 2300/27 = 85.185… → 85,19, B (Baik).
THREE = "\n".join([HEADER, "4,4,4,4,4,4,4,4,4", "3,3,3,4,3,3,3,3,3", "2,3,4,4,3,3,4,2,3"]) + "\n"


class IkmCommandTestCase(SimpleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def sheet(self, content: str | bytes, name: str = "skm.csv") -> Path:
        path = self.directory / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    def run_ikm(self, path: Path, *args: str) -> str:
        out = io.StringIO()
        call_command("ikm", str(path), *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def as_json(self, path: Path, *args: str) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.run_ikm(path, "--json", *args))
        return data

    def error(self, path: Path, *args: str) -> str:
        with self.assertRaises(CommandError) as caught:
            self.run_ikm(path, *args)
        return str(caught.exception)


class ReportTests(IkmCommandTestCase):
    def test_it_prints_each_element_with_its_name_the_ikm_its_mutu_the_weight_and_n(self) -> None:
        output = self.run_ikm(self.sheet(THREE))
        self.assertIn("Responden (n): 3", output)
        self.assertIn("1/9 tepat (exact)", output)
        self.assertRegex(output, r"U1\s+Persyaratan\s+3,0000\s+3")
        self.assertRegex(output, r"U3\s+Waktu Penyelesaian\s+3,6667\s+3")
        self.assertRegex(output, r"U8\s+Sarana dan Prasarana\s+3,0000")
        self.assertRegex(output, r"U9\s+Penanganan Pengaduan, Saran dan Masukan\s+3,3333")
        self.assertIn("IKM: 85,19", output)
        self.assertIn("Mutu pelayanan: B (Baik)", output)

    def test_the_json_has_exactly_the_agreed_shape(self) -> None:
        data = self.as_json(self.sheet(THREE))
        self.assertEqual(list(data), ["n", "weight", "nrr", "ikm", "mutu", "kinerja"])
        self.assertEqual(data["n"], 3)
        self.assertEqual(data["weight"], "exact")
        self.assertEqual(data["ikm"], 85.19)
        self.assertEqual((data["mutu"], data["kinerja"]), ("B", "Baik"))
        nrr = data["nrr"]
        assert isinstance(nrr, dict)
        self.assertEqual(list(nrr), list(ELEMENT_CODES))
        # Full precision, not the two decimals of a report: 10/3 and 11/3 as the nearest floats.
        self.assertEqual((nrr["U1"], nrr["U2"], nrr["U3"]), (3.0, 10 / 3, 11 / 3))

    def test_the_weight_option_changes_the_index_and_is_named_in_the_result(self) -> None:
        path = self.sheet(THREE)
        # 25 × w × 92/3: 85.185… (1/9), 85.1 (0,111), 84.333… (0,11).
        for weight, ikm in (("exact", 85.19), ("0.111", 85.1), ("0.11", 84.33)):
            with self.subTest(weight=weight):
                data = self.as_json(path, "--weight", weight)
                self.assertEqual((data["weight"], data["ikm"]), (weight, ikm))
        self.assertIn("0,111 (dibulatkan)", self.run_ikm(path, "--weight", "0.111"))
        self.assertIn("IKM: 85,10", self.run_ikm(path, "--weight", "0.111"))

    def test_an_unknown_weight_is_refused_by_the_argument_parser(self) -> None:
        with self.assertRaises(CommandError):
            self.run_ikm(self.sheet(THREE), "--weight", "0.1")

    def test_a_third_decimal_of_five_is_published_rounded_up(self) -> None:
        # 2661 respondents answer 4 everywhere, 2339 answer 3: each NRR is 17661/5000 = 3.5322, and the
        # IKM 25 × 3.5322 = 88.305 exactly, which is 88,31 and A (half-to-even would print 88,30 and B).
        rows = [HEADER] + ["4,4,4,4,4,4,4,4,4"] * 2661 + ["3,3,3,3,3,3,3,3,3"] * 2339
        path = self.sheet("\n".join(rows))
        output = self.run_ikm(path)
        self.assertIn("IKM: 88,31", output)
        self.assertIn("Mutu pelayanan: A (Sangat Baik)", output)
        self.assertEqual(self.as_json(path)["ikm"], 88.31)


class FileFormatTests(IkmCommandTestCase):
    def test_it_reads_semicolons_a_bom_loose_headers_reordered_and_extra_columns(self) -> None:
        header = "Nama; u3 ;Tanggal;U1;U2;u4;U5;U6;U7;U8;  U9  ;Saran"
        rows = [
            "Ani;4;2024-01-05;4;4;4;4;4;4;4;4;Bagus, cepat",
            "Budi;3;2024-01-06;3;3;4;3;3;3;3;3;",
            "Citra;4;2024-01-07;2;3;4;3;3;4;2;3;-",
        ]
        data = ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")
        self.assertEqual(self.as_json(self.sheet(data))["ikm"], 85.19)

    def test_it_reads_commas_with_quoted_cells_that_contain_separators(self) -> None:
        text = 'Saran,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"Ramah; cepat, rapi",4,4,4,4,4,4,4,4,4\n'
        self.assertEqual(self.as_json(self.sheet(text))["ikm"], 100.0)

    def test_a_windows_code_page_export_is_read_because_only_digits_matter(self) -> None:
        text = "U1;U2;U3;U4;U5;U6;U7;U8;U9;Nama\n4;4;4;4;4;4;4;4;4;José Ramírez\n"
        self.assertEqual(self.as_json(self.sheet(text.encode("cp1252")))["n"], 1)
        # A BOM in front of a file that is not UTF-8 after all is still not part of the first title.
        mixed = b"\xef\xbb\xbf" + text.encode("cp1252")
        self.assertEqual(self.as_json(self.sheet(mixed))["n"], 1)

    def test_blank_cells_and_blank_lines_are_not_answers(self) -> None:
        text = HEADER + "\n4,,3,3,3,3,3,3,3\n\n2,4,3,3,3,3,3,3,3\n,,,,,,,,\n"
        data = self.as_json(self.sheet(text))
        # U2 = 4/1, not 4/2; the blank line and the all-blank row are nobody.
        self.assertEqual(data["n"], 2)
        self.assertEqual(data["nrr"], {"U1": 3.0, "U2": 4.0} | dict.fromkeys(ELEMENT_CODES[2:], 3.0))
        self.assertEqual(data["ikm"], 77.78)


class BadInputTests(IkmCommandTestCase):
    def test_bad_values_are_reported_by_spreadsheet_row_and_column_and_nothing_is_computed(self) -> None:
        # Row 1 is the header; row 3 is blank and still counts as a spreadsheet row.
        text = HEADER + "\n4,4,4,4,4,4,4,4,4\n\n5,x,2.5,4,4,4,4,4,4\n4,4,4,4,4,4,4,4, 0 \n"
        message = self.error(self.sheet(text))
        self.assertIn("4 sel tidak sah", message)
        self.assertIn("Baris 4, kolom U1: nilai '5' tidak sah", message)
        self.assertIn("Baris 4, kolom U2: nilai 'x' tidak sah", message)
        self.assertIn("Baris 4, kolom U3: nilai '2.5' tidak sah", message)
        self.assertIn("Baris 5, kolom U9: nilai '0' tidak sah", message)
        self.assertNotIn("IKM:", message)

    def test_the_column_is_named_as_the_sheet_writes_it(self) -> None:
        text = "nama;u1;u2;u3;u4;u5;u6;u7;u8;u9\nAni;4;4;4;4;4;4;4;4;ya\n"
        self.assertIn("Baris 2, kolom u9: nilai 'ya'", self.error(self.sheet(text)))

    def test_a_long_list_of_bad_cells_is_cut_at_twenty_with_a_count_of_the_rest(self) -> None:
        text = HEADER + "\n" + "\n".join(["9,9,9,4,4,4,4,4,4"] * 10) + "\n"
        message = self.error(self.sheet(text))
        self.assertIn("30 sel tidak sah", message)
        self.assertEqual(message.count("tidak sah (harus"), 20)
        self.assertIn("… dan 10 sel lain yang juga tidak sah.", message)

    def test_a_missing_element_column_is_named(self) -> None:
        text = "U1,U2,U3,U4,U5,U6,U7,U8\n4,4,4,4,4,4,4,4\n"
        self.assertIn("Kolom U9 tidak ditemukan", self.error(self.sheet(text)))

    def test_a_duplicated_element_column_is_refused(self) -> None:
        text = HEADER + ",u1\n" + "4,4,4,4,4,4,4,4,4,3\n"
        self.assertIn("Kolom U1 muncul lebih dari sekali", self.error(self.sheet(text)))

    def test_an_empty_file_is_refused_clearly(self) -> None:
        for content in (b"", b"  \r\n \n"):
            with self.subTest(content=content):
                self.assertIn("Berkas kosong", self.error(self.sheet(content)))

    def test_a_header_without_answers_is_refused_clearly(self) -> None:
        self.assertIn("tidak memuat satu jawaban pun", self.error(self.sheet(HEADER + "\n,,,,,,,,\n")))

    def test_a_missing_file_is_refused_clearly(self) -> None:
        self.assertIn("tidak ditemukan", self.error(self.directory / "tidak-ada.csv"))

    def test_an_element_nobody_answered_prints_what_it_can_then_fails(self) -> None:
        path = self.sheet(HEADER + "\n4,4,4,4,4,4,4,4,\n3,3,3,3,3,3,3,3,\n")
        out = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("ikm", str(path), "--json", stdout=out)
        self.assertIn("U9 (Penanganan Pengaduan, Saran dan Masukan)", str(caught.exception))
        data = json.loads(out.getvalue())
        self.assertEqual((data["ikm"], data["mutu"], data["kinerja"]), (None, None, None))
        self.assertEqual((data["nrr"]["U1"], data["nrr"]["U9"]), (3.5, None))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=11), max_size=6))
    def test_arbitrary_cell_text_never_crashes_it(self, cells: list[list[str]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(ELEMENT_CODES)
        writer.writerows(cells)
        self.assert_only_command_errors(buffer.getvalue().encode("utf-8"))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        st.binary(max_size=200),
        st.sampled_from([b"", HEADER.encode() + b"\n", b"U1;U2;U3;U4;U5;U6;U7;U8;U9\n"]),
    )
    def test_arbitrary_bytes_never_crash_it(self, noise: bytes, prefix: bytes) -> None:
        self.assert_only_command_errors(prefix + noise)

    def assert_only_command_errors(self, content: bytes) -> None:
        path = self.sheet(content)
        for args in ((), ("--json",)):
            # Success or a CommandError are both fine; anything else escaping is the failure.
            with contextlib.suppress(CommandError):
                call_command("ikm", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())


class ConsoleScriptTests(IkmCommandTestCase):
    def run_script(self, *args: str) -> subprocess.CompletedProcess[str]:
        script = Path(sys.executable).with_name("perjumpaan")
        command = [str(script)] if script.exists() else [sys.executable, "-m", "perjumpaan"]
        return subprocess.run(  # noqa: S603 -- our own console script with fixed arguments
            [*command, "ikm", *args], capture_output=True, text=True, timeout=60, check=False
        )

    def test_the_console_script_prints_json_and_exits_zero(self) -> None:
        done = self.run_script(str(self.sheet(THREE)), "--json", "--weight", "0.11")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["ikm"], 84.33)

    def test_the_console_script_exits_non_zero_on_a_bad_cell(self) -> None:
        done = self.run_script(str(self.sheet(HEADER + "\n4,4,4,4,4,4,4,4,5\n")))
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("Baris 2, kolom U9", done.stderr)
        self.assertEqual(done.stdout, "")
