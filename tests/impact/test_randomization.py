"""Randomisation inference: assignments, p-values, the inverted interval, and its behaviour without effect."""

from __future__ import annotations

import math

import numpy as np
from django.test import SimpleTestCase

from perjumpaan.impact import randomization
from perjumpaan.impact.panel import NEVER

from .helpers import small_panel, staggered_panel


class AssignmentTests(SimpleTestCase):
    def test_two_pilots_among_forty_offices_give_every_pair_of_offices(self) -> None:
        cohort = np.full(40, NEVER)
        cohort[[3, 17]] = 26
        self.assertEqual(randomization.assignment_count(cohort), 780)
        rows, exact = randomization.assignments(cohort)
        self.assertTrue(exact)
        self.assertEqual(rows.shape, (780, 40))
        self.assertTrue((rows[0] == cohort).all())
        self.assertEqual(len({tuple(row) for row in rows}), 780)
        self.assertTrue(((rows == 26).sum(axis=1) == 2).all())

    def test_it_keeps_the_size_of_every_cohort(self) -> None:
        cohort = np.array([NEVER, NEVER, NEVER, 2, 2, 4])
        rows, exact = randomization.assignments(cohort)
        self.assertTrue(exact)
        self.assertEqual(len(rows), 6 * 5 // 2 * 4)  # C(6,2) pairs for cohort 2, then 4 offices for 4
        for row in rows:
            self.assertEqual(sorted(row.tolist()), sorted(cohort.tolist()))

    def test_past_the_limit_it_draws_a_seeded_sample_with_the_real_assignment_first(self) -> None:
        cohort = np.full(40, NEVER)
        cohort[:10] = 5
        rows, exact = randomization.assignments(cohort, limit=500, seed=3)
        again, _ = randomization.assignments(cohort, limit=500, seed=3)
        self.assertFalse(exact)
        self.assertEqual(rows.shape, (500, 40))
        self.assertTrue((rows[0] == cohort).all())
        self.assertTrue((rows == again).all())
        self.assertTrue(((rows == 5).sum(axis=1) == 10).all())


class IntervalTests(SimpleTestCase):
    def test_the_exact_interval_is_what_a_fine_grid_of_tests_accepts(self) -> None:
        rng = np.random.default_rng(0)
        for _ in range(20):
            count = int(rng.integers(20, 200))
            a = rng.normal(size=count)
            b = np.r_[1.0, rng.choice([0.0, 0.5, -0.05, 0.25], size=count - 1)]
            low, high = randomization.interval(a, b, alpha=0.1)
            self.assertTrue(math.isfinite(low) and math.isfinite(high))
            grid = np.linspace(low - 1, high + 1, 4001)
            accepted = grid[randomization.p_values(a, b, grid) > 0.1]
            step = grid[1] - grid[0]
            self.assertAlmostEqual(accepted.min(), low, delta=step)
            self.assertAlmostEqual(accepted.max(), high, delta=step)
            self.assertLessEqual(low, a[0])
            self.assertGreaterEqual(high, a[0])

    def test_the_p_value_counts_the_real_assignment_and_ties(self) -> None:
        a = np.array([2.0, 2.0, -2.0, 1.0, 0.5])
        self.assertEqual(randomization.p_value(a, np.zeros(5)), 3 / 5)
        self.assertEqual(randomization.p_value(np.array([5.0, 1.0, 1.0, 1.0]), np.zeros(4)), 1 / 4)


class InferenceTests(SimpleTestCase):
    def test_without_an_effect_the_interval_holds_zero_in_a_seeded_case(self) -> None:
        result = randomization.randomization_inference(small_panel(effect=0.0, seed=2))
        self.assertTrue(result.exact)
        self.assertEqual(result.assignments, 66)
        assert result.overall.ci_low is not None and result.overall.ci_high is not None
        self.assertLess(result.overall.ci_low, 0)
        self.assertGreater(result.overall.ci_high, 0)
        assert result.overall.p_value is not None
        self.assertGreater(result.overall.p_value, 0.05)
        self.assertEqual(len(result.placebo.estimates), 65)
        assert result.placebo.offices is not None
        self.assertEqual(len(result.placebo.offices[0]), 2)

    def test_a_large_effect_is_found_and_held_by_its_interval(self) -> None:
        result = randomization.randomization_inference(small_panel(effect=8.0, seed=4))
        assert result.overall.ci_low is not None and result.overall.ci_high is not None
        self.assertTrue(result.overall.excludes_zero)
        self.assertLess(result.overall.ci_low, 8.0)
        self.assertGreater(result.overall.ci_high, 8.0)
        assert result.imputation is not None and result.imputation.ci_low is not None
        self.assertLess(result.imputation.ci_low, 8.0)
        post = [effect for effect in result.event_study if effect.e >= 0]
        self.assertTrue(all(effect.att > 4 for effect in post))

    def test_the_p_value_is_roughly_uniform_when_nothing_happens(self) -> None:
        # Exact in theory; a cheap look at 40 replications (a p-value of at most 0.05 about twice).
        p_values = np.array(
            [
                randomization.randomization_inference(
                    small_panel(0.0, seed), imputation=False
                ).overall.p_value
                for seed in range(100, 140)
            ]
        )
        self.assertLessEqual((p_values <= 0.05).sum(), 6)
        self.assertTrue(10 <= (p_values <= 0.5).sum() <= 30)
        self.assertTrue(p_values.min() < 0.3 and p_values.max() > 0.7)

    def test_several_cohorts_are_permuted_together_and_pretrends_are_tested(self) -> None:
        result = randomization.randomization_inference(staggered_panel(), limit=400)
        self.assertFalse(result.exact)
        self.assertEqual(result.assignments, 400)
        self.assertIsNone(result.placebo.offices)
        assert result.pretrend_p_value is not None
        self.assertGreater(result.pretrend_p_value, 0.0)
        self.assertEqual(
            [effect.e for effect in result.event_study], sorted(effect.e for effect in result.event_study)
        )
