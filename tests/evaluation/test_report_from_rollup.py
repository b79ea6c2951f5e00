"""The weekly summary (and so the report) takes the past weeks from the evaluation rollup: it must say
exactly what re-scoring every response of those weeks says.

The reference below is the old computation, kept here and not in src: every round of the trend loaded
from its responses and scored with exact fractions. Five weeks of rounds are filled at random (scores
per item, who fills in and who does not, so that some scores fall under the rule of three); the closing
of four of them is recorded (their weeks are in the rollup), one is closed only by its time (read from
its responses), and the report's own week is read from its responses as before.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from typing import Any

import time_machine
from django.apps import apps

from perjumpaan.evaluation import selectors, services
from perjumpaan.evaluation.exports import report_data
from perjumpaan.evaluation.models import Assignment, Round
from perjumpaan.evaluation.selectors import (
    ALL,
    COLUMNS,
    OPERATOR,
    TrendPoint,
    ValueRow,
    WeekSummary,
    values_of,
)
from perjumpaan.rollup.models import EvaluationWeek
from tests.evaluation.helpers import AFTER_CLOSE, FRIDAY, WEEK, EvaluationTestCase, at

upgrade = importlib.import_module("perjumpaan.rollup.migrations.0002_skm_service_day_evaluation_raters_all")
FRIDAYS = [FRIDAY - dt.timedelta(weeks=n) for n in (4, 3, 2, 1, 0)]


def reference_summary(*, user: Any, office: Any, week: str) -> WeekSummary:
    """`week_summary` as it was computed before the rollup: every round of the trend from its responses."""
    summary = selectors.week_summary(user=user, office=office, week=week)
    round_ = summary.round
    if round_ is None or not round_.is_closed:
        return summary
    history = list(
        Round.objects.filter(office=office, week__lte=week)
        .select_related("instrument_version")
        .order_by("-week")[: selectors.TREND_WEEKS]
    )
    data, items = selectors._load(user, history)
    current = data[round_.pk]
    closed = sorted((r for r in history if r.is_closed), key=lambda r: r.week)
    previous = next((r for r in reversed(closed) if r.week < week), None)
    summary.previous_week = previous.week if previous else None
    summary.trend = [
        TrendPoint(r.week, r.friday, {column: data[r.pk].score(column) for column in COLUMNS}) for r in closed
    ]
    summary.overall = {column: current.score(column) for column in COLUMNS}
    summary.values = [
        ValueRow(
            info=info,
            scores={column: current.score(column, info.code) for column in COLUMNS},
            previous=data[previous.pk].score(ALL, info.code) if previous else None,
            trend=[data[r.pk].score(ALL, info.code) for r in closed],
        )
        for info in values_of(round_.instrument_version, items)
    ]
    return summary


class ReportFromRollupTests(EvaluationTestCase):
    def fill(self, round_: Round, rng: random.Random, share: float) -> None:
        for assignment in Assignment.objects.filter(round=round_).select_related(
            "round__instrument_version", "rater"
        ):
            if rng.random() < share:
                self.submit(assignment, lambda _item: rng.randint(1, 5))

    def build(self, seed: int) -> None:
        rng = random.Random(seed)
        for index, friday in enumerate(FRIDAYS):
            with time_machine.travel(at(friday, 7), tick=False):
                round_ = self.open_round(friday=friday, seed=seed + index)
            # Some weeks almost everyone fills in, some few: scores withheld under the rule of three.
            self.fill(round_, rng, rng.choice([0.2, 0.5, 0.9, 1.0]))
            if index < 3:
                services.rounds_close_due(now=at(friday + dt.timedelta(days=4), 13))
        # The fourth week's closing is never recorded (closed by its time only); the fifth, the report's
        # week, is recorded. Both come from their responses.
        services.rounds_close_due(now=AFTER_CLOSE)
        Round.objects.filter(office=self.dukcapil, week="2026-W48").update(closed_at=None)
        EvaluationWeek.objects.filter(office=self.dukcapil, week=dt.date(2026, 11, 23)).delete()

    def check(self, seed: int) -> None:
        self.build(seed)
        self.assertEqual(EvaluationWeek.objects.values("week").distinct().count(), 4)
        with time_machine.travel(AFTER_CLOSE + dt.timedelta(days=1), tick=False):
            for user in (OPERATOR, self.koord_dukcapil, self.admin):
                new = selectors.week_summary(user=user, office=self.dukcapil, week=WEEK)
                old = reference_summary(user=user, office=self.dukcapil, week=WEEK)
                self.assertEqual(len(new.trend), 5)
                self.assertEqual(new.trend, old.trend)
                self.assertEqual(new.values, old.values)
                self.assertEqual(new.overall, old.overall)
                self.assertEqual(new.previous_week, old.previous_week)
                self.assertEqual(report_data(user=user, summary=new), report_data(user=user, summary=old))
            # An earlier week, whose previous week comes from the rollup too.
            new = selectors.week_summary(user=OPERATOR, office=self.dukcapil, week="2026-W47")
            old = reference_summary(user=OPERATOR, office=self.dukcapil, week="2026-W47")
            self.assertEqual((new.trend, new.values), (old.trend, old.values))

    def test_the_summary_and_the_report_say_what_the_responses_say(self) -> None:
        self.check(1)

    def test_so_they_do_with_other_scores_and_other_gaps(self) -> None:
        self.check(2)

    def test_the_pooled_score_counts_people_who_rated_in_any_part_once(self) -> None:
        # Two raters in each part but three different people in all: the pooled score shows, the parts'
        # are withheld. Only the rollup's `raters_all` knows the three.
        self.build(5)
        rolled = EvaluationWeek.objects.filter(office=self.dukcapil).order_by("week", "part", "value_code")
        for row in rolled:
            raters = (
                Assignment.objects.filter(
                    round__office=self.dukcapil,
                    round__week=f"{row.week.isocalendar()[0]}-W{row.week.isocalendar()[1]:02d}",
                    done=True,
                )
                .values("rater")
                .distinct()
                .count()
            )
            self.assertEqual(row.raters_all, raters)
        # The upgrade that added the column fills it the same way.
        written = list(rolled.values_list("raters_all", flat=True))
        self.assertTrue(all(written))
        EvaluationWeek.objects.update(raters_all=0)
        upgrade.fill(apps, None)
        self.assertEqual(list(rolled.values_list("raters_all", flat=True)), written)
        week = rolled.first().week  # type: ignore[union-attr]
        cells = {
            (r.part, r.value_code): (r.responses, r.score_sum, r.score_n, 2) for r in rolled.filter(week=week)
        }
        scores = selectors.RolledWeek(cells=cells, raters_all=3)
        code = next(iter(cells))[1]
        self.assertIsNone(scores.score("self", code).mean)
        self.assertIsNotNone(scores.score(ALL, code).mean)
        self.assertEqual(scores.score(ALL, code).raters, 3)
