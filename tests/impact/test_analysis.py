"""Choosing the inference, the whole impact analysis, the panel rules, and the validation's plumbing."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase

from perjumpaan.impact.analysis import MIN_TREATED_FOR_ANALYTIC, choose_inference, estimate_impact
from perjumpaan.impact.panel import NEVER, PanelError, panel_from_frame
from perjumpaan.impact.simulate import Scenario, report, run_scenario

from .helpers import SMALL, long_frame, small_panel


class ChooseInferenceTests(SimpleTestCase):
    def test_few_enrolled_offices_get_randomisation_inference_with_the_reason(self) -> None:
        for count in (1, 2, MIN_TREATED_FOR_ANALYTIC - 1):
            method, reason = choose_inference(count)
            self.assertEqual(method, "randomization")
            self.assertIn(f"Baru {count} kantor", reason)
            self.assertIn("uji acak", reason)

    def test_from_ten_enrolled_offices_on_analytic_intervals_are_used(self) -> None:
        for count in (MIN_TREATED_FOR_ANALYTIC, 40):
            method, reason = choose_inference(count)
            self.assertEqual(method, "analytic")
            self.assertIn(f"Sudah {count} kantor", reason)
        self.assertEqual(MIN_TREATED_FOR_ANALYTIC, 10)

    def test_no_enrolled_office_is_a_programming_error(self) -> None:
        with self.assertRaises(ValueError):
            choose_inference(0)


class EstimateImpactTests(SimpleTestCase):
    def test_the_pilot_design_is_analysed_with_placebo_offices_and_says_so(self) -> None:
        result = estimate_impact(small_panel(effect=0.0, seed=3))
        self.assertEqual(result.inference, "randomization")
        self.assertIn("uji acak", result.inference_reason)
        self.assertEqual((result.n_units, result.n_periods, result.n_treated), (12, 16, 2))
        self.assertEqual(result.cohorts, {9.0: 2})
        assert result.placebo is not None and result.imputation is not None
        self.assertEqual(result.placebo.assignments, 66)
        self.assertIsNotNone(result.pretrend_p_value)
        self.assertEqual(result.att, result.overall.att)
        text = json.dumps(result.as_dict(), allow_nan=False)
        self.assertIn('"inference": "randomization"', text)

    def test_an_explicit_inference_is_kept_and_the_placebo_work_can_be_skipped(self) -> None:
        result = estimate_impact(small_panel(seed=3), inference="analytic", placebo=False)
        self.assertEqual(result.inference, "analytic")
        self.assertIsNone(result.placebo)
        self.assertIsNone(result.pretrend_p_value)
        self.assertIn("dipilih oleh pengguna", result.inference_reason)

    def test_a_panel_without_controls_is_refused_in_indonesian(self) -> None:
        panel = small_panel()
        everyone = panel.__class__(panel.units, panel.periods, panel.y, np.full(panel.n_units, 8))
        with self.assertRaises(PanelError) as caught:
            estimate_impact(everyone)
        self.assertIn("Tidak ada kantor pembanding", str(caught.exception))


class PanelRuleTests(SimpleTestCase):
    def frame(self) -> pd.DataFrame:
        return long_frame(small_panel(seed=1))

    def build(self, frame: pd.DataFrame) -> object:
        return panel_from_frame(frame, unit="office", time="week", cohort="enrolled", outcome="score")

    def test_an_office_enrolled_in_the_first_period_is_left_out(self) -> None:
        frame = self.frame()
        frame.loc[frame["office"] == "OPD-01", "enrolled"] = 1
        panel = self.build(frame)
        self.assertNotIn("OPD-01", panel.units)  # type: ignore[attr-defined]
        self.assertIn("sejak periode pertama", str(panel.notes[0]))  # type: ignore[attr-defined]

    def test_an_office_enrolling_after_the_data_counts_as_not_yet_enrolled(self) -> None:
        frame = self.frame()
        frame.loc[frame["office"] == "OPD-01", "enrolled"] = 99
        panel = self.build(frame)
        index = panel.units.index("OPD-01")  # type: ignore[attr-defined]
        self.assertEqual(panel.cohort[index], NEVER)  # type: ignore[attr-defined]
        self.assertIn("sesudah periode terakhir", str(panel.notes[0]))  # type: ignore[attr-defined]

    def test_an_enrolment_between_observed_periods_starts_at_the_next_one(self) -> None:
        frame = self.frame()
        frame = frame[frame["week"] != 5]
        frame.loc[frame["office"] == "OPD-01", "enrolled"] = 5
        panel = self.build(frame)
        index = panel.units.index("OPD-01")  # type: ignore[attr-defined]
        self.assertEqual(panel.periods[panel.cohort[index]], 6.0)  # type: ignore[attr-defined]

    def test_every_problem_is_reported_at_once(self) -> None:
        frame = self.frame().astype(str)
        frame.loc[0, "week"] = "minggu 1"
        frame.loc[1, "enrolled"] = ""
        frame.loc[2, "score"] = "n/a"
        with self.assertRaises(PanelError) as caught:
            self.build(frame)
        self.assertEqual(len(caught.exception.messages), 3)


class ValidationPlumbingTests(SimpleTestCase):
    def test_a_scenario_tallies_the_chosen_and_the_analytic_intervals(self) -> None:
        scenario = run_scenario(Scenario("tiny", SMALL, 0.0), 2, seed=1)
        self.assertEqual(
            set(scenario.tallies),
            {
                "randomization:callaway_santanna",
                "randomization:imputation",
                "analytic:callaway_santanna",
                "analytic:imputation",
            },
        )
        self.assertTrue(all(tally.runs == 2 for tally in scenario.tallies.values()))
        again = run_scenario(Scenario("tiny", SMALL, 0.0), 2, seed=1)
        self.assertEqual(report([scenario])["tiny"]["tallies"], report([again])["tiny"]["tallies"])

    def test_the_command_refuses_no_runs(self) -> None:
        with self.assertRaises(CommandError) as caught:
            call_command("validate_impact", "--runs", "0", stdout=io.StringIO(), stderr=io.StringIO())
        self.assertIn("paling sedikit 1", str(caught.exception))
