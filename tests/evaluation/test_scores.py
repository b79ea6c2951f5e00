"""The arithmetic of scores, worked by hand, and the rule of three for breakdowns."""

from __future__ import annotations

from fractions import Fraction

from django.test import SimpleTestCase

from perjumpaan.evaluation.scores import (
    OVERALL,
    Group,
    Scored,
    change,
    publishable_groups,
    score_of,
    value_means,
)

# Item ids of a small version: three behaviours of BP, three of AK, one of JUJUR.
VALUE_OF = {1: "BP", 2: "BP", 3: "BP", 4: "AK", 5: "AK", 6: "AK", 7: "JUJUR"}


def scored(bp: Fraction | int, part: str = "peer", subject: int = 1) -> Scored:
    return Scored(part, subject, {"BP": Fraction(bp), OVERALL: Fraction(bp)})


class ResponseArithmeticTests(SimpleTestCase):
    def test_a_value_is_the_mean_of_its_behaviours_and_overall_the_mean_of_the_values(self) -> None:
        means = value_means({"1": 5, "2": 4, "3": 3, "4": 2, "5": 2, "6": 5, "7": 4}, VALUE_OF)
        # BP = (5 + 4 + 3) / 3 = 4; AK = (2 + 2 + 5) / 3 = 3; JUJUR = 4 (one behaviour).
        self.assertEqual(means["BP"], 4)
        self.assertEqual(means["AK"], 3)
        self.assertEqual(means["JUJUR"], 4)
        # Overall = (4 + 3 + 4) / 3 = 11/3 ≈ 3,67 — not the mean of the seven items, (5+4+3+2+2+5+4)/7 = 25/7.
        self.assertEqual(means[OVERALL], Fraction(11, 3))

    def test_every_value_weighs_the_same_whatever_its_number_of_behaviours(self) -> None:
        means = value_means({"1": 5, "2": 5, "3": 5, "7": 1}, VALUE_OF)
        # BP = 5, JUJUR = 1: overall (5 + 1) / 2 = 3, where the four items would average (5+5+5+1)/4 = 4.
        self.assertEqual(means[OVERALL], 3)

    def test_keys_and_scores_that_are_not_answers_are_ignored(self) -> None:
        means = value_means(
            {"1": 4, "x": 5, "99": 5, "2": 0, "3": 6, "4": True, "5": "5", "6": None}, VALUE_OF
        )
        self.assertEqual(means, {"BP": 4, OVERALL: 4})
        self.assertEqual(value_means({}, VALUE_OF), {})


class GroupScoreTests(SimpleTestCase):
    def test_a_group_score_is_the_mean_over_its_responses(self) -> None:
        # Three colleagues' BP scores 4, 4 and 3 (e.g. items 5/4/3, 4/4/4, 3/3/3): (4 + 4 + 3) / 3 = 11/3.
        score = score_of([scored(4), scored(4), scored(3)], "BP", raters=3)
        self.assertEqual(score.mean, Fraction(11, 3))
        self.assertEqual((score.responses, score.raters, score.withheld), (3, 3, False))

    def test_fewer_than_three_raters_or_responses_withhold_the_score(self) -> None:
        two_raters = score_of([scored(5), scored(1), scored(3)], "BP", raters=2)
        self.assertIsNone(two_raters.mean)
        self.assertTrue(two_raters.withheld)
        two_responses = score_of([scored(5), scored(1)], "BP", raters=3)
        self.assertIsNone(two_responses.mean)
        self.assertTrue(two_responses.withheld)

    def test_nothing_is_not_withheld_it_is_nothing(self) -> None:
        score = score_of([], "BP", raters=0)
        self.assertIsNone(score.mean)
        self.assertFalse(score.withheld)

    def test_one_s_own_score_needs_no_threshold(self) -> None:
        self.assertEqual(
            score_of([scored(Fraction(7, 2), "self")], "BP", raters=1, threshold=1).mean, Fraction(7, 2)
        )

    def test_the_change_is_the_difference_of_two_shown_scores(self) -> None:
        now = score_of([scored(4), scored(4), scored(4)], "BP", raters=3)
        before = score_of([scored(3), scored(4), scored(4)], "BP", raters=3)
        # 4 − 11/3 = 1/3.
        self.assertEqual(change(now, before), Fraction(1, 3))
        self.assertIsNone(change(now, score_of([scored(3)], "BP", raters=1)))
        self.assertIsNone(change(now, None))


def group(label: str, subjects: int, raters: int | None = None, responses: int | None = None) -> Group:
    start = sum(ord(c) for c in label) * 100
    return Group(
        labels=(label,),
        subjects=frozenset(range(start, start + subjects)),
        raters=frozenset(range(start + 50, start + 50 + (subjects if raters is None else raters))),
        responses=3 * subjects if responses is None else responses,
    )


class BreakdownTests(SimpleTestCase):
    def test_safe_groups_are_shown_as_they_are(self) -> None:
        rows = publishable_groups([group("B", 4), group("A", 5)])
        self.assertEqual([r.labels for r in rows], [("A",), ("B",)])

    def test_a_unit_of_two_is_merged_with_the_smallest_other_unit_so_it_cannot_be_subtracted_out(
        self,
    ) -> None:
        rows = publishable_groups([group("A", 5), group("C", 4), group("Dua", 2)])
        self.assertEqual([r.labels for r in rows], [("A",), ("Dua", "C")])
        merged = rows[-1]
        self.assertTrue(merged.merged)
        self.assertEqual(len(merged.subjects), 6)

    def test_two_small_units_that_are_safe_together_are_merged_with_each_other_only(self) -> None:
        rows = publishable_groups([group("A", 5), group("C", 4), group("Dua", 2), group("Satu", 1)])
        self.assertEqual([r.labels for r in rows], [("A",), ("C",), ("Dua", "Satu")])

    def test_too_few_raters_make_a_unit_unsafe_even_with_enough_people(self) -> None:
        rows = publishable_groups([group("A", 5), group("B", 4), group("Tiga", 3, raters=2)])
        self.assertEqual([r.labels for r in rows], [("A",), ("Tiga", "B")])

    def test_when_everything_would_be_merged_there_is_no_breakdown(self) -> None:
        self.assertEqual(publishable_groups([group("A", 5), group("Dua", 2)]), [])
        self.assertEqual(publishable_groups([group("Dua", 2), group("Satu", 1)]), [])

    def test_units_nobody_rated_are_left_out(self) -> None:
        rows = publishable_groups([group("A", 5), group("B", 3), group("Kosong", 2, raters=0, responses=0)])
        self.assertEqual([r.labels for r in rows], [("A",), ("B",)])
