"""The analyst's command `perjumpaan did FILE.csv --unit --time --cohort --outcome [...]`."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from .helpers import long_frame, small_panel

COLUMNS = ("--unit", "office", "--time", "week", "--cohort", "enrolled", "--outcome", "score")


class DidCommandTestCase(SimpleTestCase):
    def setUp(self) -> None:
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def write(self, content: str, name: str = "panel.csv") -> Path:
        path = self.directory / name
        path.write_text(content, encoding="utf-8")
        return path

    def pilot_csv(self, effect: float = 0.0) -> Path:
        return self.write(long_frame(small_panel(effect=effect, seed=1)).to_csv(index=False))

    def run_did(self, path: Path, *args: str) -> str:
        out = io.StringIO()
        call_command("did", str(path), *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def error(self, path: Path, *args: str) -> str:
        with self.assertRaises(CommandError) as caught:
            self.run_did(path, *args)
        return str(caught.exception)


class OutputTests(DidCommandTestCase):
    def test_json_has_exactly_the_documented_shape(self) -> None:
        data = json.loads(self.run_did(self.pilot_csv(), *COLUMNS, "--json"))
        self.assertEqual(set(data), {"att", "se", "ci", "event_study", "n_units", "n_periods"})
        self.assertEqual((data["n_units"], data["n_periods"]), (12, 16))
        self.assertEqual(len(data["ci"]), 2)
        self.assertLess(data["ci"][0], data["att"])
        self.assertGreater(data["ci"][1], data["att"])
        self.assertEqual(set(data["event_study"][0]), {"e", "att", "se"})
        self.assertEqual([row["e"] for row in data["event_study"]], list(range(-7, 8)))

    def test_each_inference_can_be_chosen(self) -> None:
        analytic = json.loads(self.run_did(self.pilot_csv(), *COLUMNS, "--json"))
        randomized = json.loads(
            self.run_did(self.pilot_csv(), *COLUMNS, "--json", "--inference", "randomization")
        )
        bootstrapped = json.loads(
            self.run_did(self.pilot_csv(), *COLUMNS, "--json", "--inference", "bootstrap")
        )
        self.assertAlmostEqual(analytic["att"], randomized["att"])
        self.assertAlmostEqual(analytic["att"], bootstrapped["att"])
        # Three different measures of uncertainty: analytic, placebo spread, bootstrap.
        self.assertEqual(len({analytic["se"], randomized["se"], bootstrapped["se"]}), 3)
        self.assertNotEqual(randomized["ci"], analytic["ci"])

    def test_the_report_names_the_inference_warns_about_few_offices_and_lists_the_event_study(self) -> None:
        output = self.run_did(self.pilot_csv(), *COLUMNS, "--control", "never")
        self.assertIn("ATT keseluruhan (simple):", output)
        self.assertIn("Interval 95%:", output)
        self.assertIn("kantor yang tidak pernah ikut program", output)
        self.assertIn("Inferensi: analitik", output)
        self.assertIn("Peringatan: Baru 2 kantor", output)
        self.assertIn("Estimasi imputasi", output)
        self.assertEqual(output.count(" … "), 15)

    def test_a_semicolon_file_with_decimal_commas_is_read(self) -> None:
        frame = long_frame(small_panel(seed=1))
        comma = self.write(frame.to_csv(index=False))
        semicolon = self.write(frame.to_csv(index=False, sep=";", decimal=","), "id.csv")
        self.assertEqual(
            json.loads(self.run_did(comma, *COLUMNS, "--json"))["att"],
            json.loads(self.run_did(semicolon, *COLUMNS, "--json"))["att"],
        )

    def test_an_office_with_a_missing_week_is_left_out_and_said_so(self) -> None:
        frame = long_frame(small_panel(seed=1))
        frame.loc[5, "score"] = None
        output = self.run_did(self.write(frame.to_csv(index=False)), *COLUMNS)
        self.assertIn("Catatan: 1 kantor tidak diikutkan karena datanya tidak lengkap", output)
        self.assertIn("Kantor: 11 (2 ikut program)", output)


class ErrorTests(DidCommandTestCase):
    def test_a_missing_column_is_named_with_the_columns_there_are(self) -> None:
        message = self.error(self.pilot_csv(), "--unit", "kantor", *COLUMNS[2:])
        self.assertEqual(
            message, "Kolom kantor tidak ditemukan. Kolom yang ada: office, week, enrolled, score."
        )

    def test_text_in_a_number_column_is_shown_with_its_row(self) -> None:
        path = self.write("office,week,enrolled,score\nA,1,0,80\nA,2,0,baik\nB,1,2,81\nB,2,2,82\n")
        message = self.error(path, *COLUMNS)
        self.assertEqual(message, "Kolom score harus berisi angka, tetapi berisi «baik» (baris 3).")

    def test_no_enrolled_office_is_refused(self) -> None:
        path = self.write("office,week,enrolled,score\nA,1,0,80\nA,2,0,81\nB,1,0,81\nB,2,0,82\n")
        self.assertIn("Tidak ada kantor yang ikut program", self.error(path, *COLUMNS))

    def test_no_office_to_compare_is_refused(self) -> None:
        path = self.write("office,week,enrolled,score\nA,1,2,80\nA,2,2,81\nB,1,2,81\nB,2,2,82\n")
        self.assertIn("Tidak ada kantor pembanding", self.error(path, *COLUMNS))
        staggered = self.write(
            "office,week,enrolled,score\nA,1,2,80\nA,2,2,81\nA,3,2,80\nB,1,3,81\nB,2,3,82\nB,3,3,82\n"
        )
        self.assertIn("tidak pernah ikut program", self.error(staggered, *COLUMNS, "--control", "never"))

    def test_duplicate_rows_and_a_changing_cohort_are_refused(self) -> None:
        path = self.write("office,week,enrolled,score\nA,1,0,80\nA,1,0,81\nB,1,2,81\nB,2,3,82\n")
        message = self.error(path, *COLUMNS)
        self.assertIn("Ada lebih dari satu baris untuk kantor dan periode yang sama: A / 1.", message)
        self.assertIn("berbeda untuk B", message)

    def test_a_missing_or_empty_file_gives_one_clear_line(self) -> None:
        self.assertIn("tidak ditemukan", self.error(self.directory / "nothing.csv", *COLUMNS))
        self.assertIn("bukan tabel CSV", self.error(self.write(""), *COLUMNS))

    def test_bad_choices_are_refused_by_the_parser(self) -> None:
        with self.assertRaises(CommandError):
            self.run_did(self.pilot_csv(), *COLUMNS, "--control", "sometimes")
        with self.assertRaises(CommandError):
            self.run_did(self.pilot_csv(), *COLUMNS, "--inference", "guess")
