"""The estimators in `perjumpaan.impact.estimation`: our vectorised arithmetic is the library's estimator."""

from __future__ import annotations

import numpy as np
from django.test import SimpleTestCase

from perjumpaan.impact import estimation
from perjumpaan.impact.panel import NEVER, Panel
from perjumpaan.impact.simulate import RolloutDesign, simulate_panel

from .helpers import small_panel, staggered_panel


class GroupTimeCellsTests(SimpleTestCase):
    def test_it_compares_post_periods_with_the_period_before_enrolment_and_pre_periods_with_the_previous(
        self,
    ) -> None:
        cohort = np.array([2, NEVER, 3])
        cells = {(c.group, c.time): c for c in estimation.group_time_cells(cohort, 5, "notyet")}
        self.assertEqual(cells[(2, 4)].base, 1)
        self.assertEqual(cells[(3, 2)].base, 1)
        self.assertEqual(cells[(3, 1)].base, 0)
        self.assertNotIn((2, 0), cells)

    def test_it_takes_not_yet_enrolled_offices_as_controls_until_they_enrol(self) -> None:
        cohort = np.array([2, NEVER, 3])
        cells = {(c.group, c.time): c for c in estimation.group_time_cells(cohort, 5, "notyet")}
        self.assertEqual(cells[(2, 2)].controls, (NEVER, 3))
        self.assertEqual(cells[(2, 3)].controls, (NEVER,))
        never = {(c.group, c.time): c for c in estimation.group_time_cells(cohort, 5, "never")}
        self.assertEqual(never[(2, 2)].controls, (NEVER,))

    def test_it_leaves_out_cells_with_no_office_to_compare(self) -> None:
        cohort = np.array([2, 2, 3, 3])
        cells = estimation.group_time_cells(cohort, 5, "notyet")
        self.assertTrue(all(cell.time < 3 for cell in cells))
        self.assertEqual(estimation.group_time_cells(cohort, 5, "never"), [])


class LibraryAgreementTests(SimpleTestCase):
    """`group_time_batch` and `imputation_batch` exist for randomisation inference; they must give the
    library's numbers, or the placebo comparison would test another estimator."""

    def test_the_group_time_effects_and_aggregations_equal_the_librarys(self) -> None:
        for panel in (staggered_panel(), small_panel(effect=1.0)):
            for control in ("notyet", "never"):
                own = estimation.group_time_estimates(panel, control)
                library = estimation.callaway_santanna(panel, control=control)
                for cell, value in zip(own.cells, own.group_time, strict=True):
                    self.assertAlmostEqual(library.group_time[(cell.group, cell.time)].att, value, places=10)
                self.assertAlmostEqual(library.overall.att, own.simple, places=10)
                library_events = {effect.e: effect.att for effect in library.event_study}
                for event, value in zip(own.events, own.event_study, strict=True):
                    self.assertAlmostEqual(library_events[int(event)], value, places=10)

    def test_the_imputation_estimate_equals_the_librarys(self) -> None:
        for panel in (staggered_panel(), small_panel(effect=1.0)):
            own = estimation.imputation_batch([panel.y], panel.cohort[None, :])[0, 0]
            self.assertAlmostEqual(estimation.imputation(panel).att, own, places=10)

    def test_the_batch_gives_each_assignment_what_it_would_give_alone(self) -> None:
        panel = staggered_panel()
        rng = np.random.default_rng(1)
        rows = np.vstack([panel.cohort, *(rng.permutation(panel.cohort) for _ in range(4))])
        cells = estimation.group_time_cells(panel.cohort, panel.n_periods, "notyet")
        batch = estimation.group_time_batch(panel.y, rows, cells)
        imputed = estimation.imputation_batch([panel.y], rows)[0]
        for index, row in enumerate(rows):
            alone = Panel(panel.units, panel.periods, panel.y, row)
            self.assertTrue(
                np.allclose(batch[index], estimation.group_time_batch(panel.y, row[None], cells)[0])
            )
            self.assertAlmostEqual(
                estimation.group_time_estimates(alone, "notyet").simple,
                float(batch[index] @ estimation.simple_weights(cells, estimation.cohort_sizes(row))),
            )
            self.assertAlmostEqual(imputed[index], estimation.imputation(alone).att, places=10)

    def test_the_estimators_recover_a_constant_effect_without_noise(self) -> None:
        panel = small_panel(effect=0.0)
        flat = panel.with_outcome(np.add.outer(np.arange(panel.n_units), np.arange(panel.n_periods)) * 1.0)
        shifted = flat.with_outcome(flat.y + 2.5 * flat.treatment())
        self.assertAlmostEqual(estimation.group_time_estimates(shifted, "notyet").simple, 2.5)
        self.assertAlmostEqual(estimation.imputation_batch([shifted.y], shifted.cohort[None])[0, 0], 2.5)


class RecoveryTests(SimpleTestCase):
    def test_a_known_effect_lies_within_the_analytic_interval_when_many_offices_enrol(self) -> None:
        # Twenty of forty offices enrolled: analytic intervals are trustworthy; each should hold the
        # true effect with probability 95 %, so at least eight of ten seeded panels.
        design = RolloutDesign(offices=40, weeks=20, pilots=20, enrol_week=11)
        held = {"callaway_santanna": 0, "imputation": 0}
        for seed in range(10):
            panel = simulate_panel(design, 3.0, np.random.default_rng(seed))
            for name, effect in (
                ("callaway_santanna", estimation.callaway_santanna(panel, control="notyet").overall),
                ("imputation", estimation.imputation(panel)),
            ):
                assert effect.ci_low is not None and effect.ci_high is not None
                self.assertTrue(effect.excludes_zero)
                held[name] += effect.ci_low <= 3.0 <= effect.ci_high
        self.assertGreaterEqual(min(held.values()), 8, held)
