"""The evaluation demo step: rounds since enrolment that show a slow improvement, written once."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import TestCase

from perjumpaan.evaluation import selectors
from perjumpaan.evaluation.models import Assignment, FollowUpAction, Narrative, Part, Response, Round
from perjumpaan.org import demo
from perjumpaan.org.demo import demo_load
from perjumpaan.org.models import Employee, Office, User
from perjumpaan.program.models import Enrollment
from tests.evaluation.helpers import WITA

NOW = dt.datetime(2026, 11, 28, 10, 0, tzinfo=WITA)  # Saturday: this week's round is open until Monday


def load_with(prefixes: tuple[str, ...]) -> demo.DemoSummary:
    demo.demo_steps()
    saved = dict(demo._steps)
    try:
        demo._steps.clear()
        demo._steps.update({name: step for name, step in saved.items() if name.startswith(prefixes)})
        return demo_load()
    finally:
        demo._steps.clear()
        demo._steps.update(saved)


@time_machine.travel(NOW, tick=False)
class EvaluationDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        # The programme's enrolments without its gatherings (which the evaluation does not need).
        from perjumpaan.program import demo as program_demo

        load_with(("org.",))
        government = Office.objects.get(code="DUKCAPIL").government
        for _number, _name, start, codes in program_demo.WAVES:
            for code in codes:
                Enrollment.objects.create(
                    office=Office.objects.get(government=government, code=code), enrolled_on=start
                )
        cls.summary = load_with(("org.", "evaluation."))

    def test_enrolled_offices_have_a_round_every_friday_since_enrolment_up_to_twenty_weeks(self) -> None:
        weeks = dict(Round.objects.filter(office__code="DUKCAPIL").values_list("week", "closed_at"))
        self.assertEqual(len(weeks), 20)
        self.assertEqual(max(weeks), "2026-W48")
        self.assertIsNone(weeks["2026-W48"])  # this week's, still open
        self.assertTrue(all(closed is not None for week, closed in weeks.items() if week != "2026-W48"))
        # Wave 3 enrolled on 5 October 2026: its first round is that week's Friday.
        self.assertEqual(
            min(Round.objects.filter(office__code="DINSOS").values_list("week", flat=True)), "2026-W41"
        )
        self.assertFalse(Round.objects.filter(office__code="BAPPEDA").exists())  # not enrolled

    def test_a_young_office_improves_slowly_week_after_week(self) -> None:
        admin = User.objects.get(username="admin")
        office = Office.objects.get(code="DINSOS")
        trend = selectors.office_trend(user=admin, office=office, column=Part.PEER)
        overall = [float(s.mean) for s in trend.scores["*"] if s.mean is not None]
        self.assertGreaterEqual(len(overall), 5)
        self.assertGreater(sum(overall[-3:]) / 3, sum(overall[:3]) / 3)
        self.assertTrue(all(2.5 < value < 4.6 for value in overall), overall)

    def test_the_open_round_is_half_filled_and_leaves_the_demo_staff_login_work_to_do(self) -> None:
        current = Round.objects.get(office__code="DUKCAPIL", week="2026-W48")
        staff = Employee.objects.get(user__username="staf.dukcapil")
        self.assertFalse(Assignment.objects.filter(round=current, rater=staff, done=True).exists())
        done = Assignment.objects.filter(round=current, done=True).count()
        total = Assignment.objects.filter(round=current).count()
        self.assertTrue(0.3 < done / total < 0.7, (done, total))
        self.assertEqual(Response.objects.filter(round=current).count(), done)
        self.assertFalse(Response.objects.filter(part=Part.PEER, rater__isnull=False).exists())

    def test_pilot_offices_have_narratives_and_follow_up_actions(self) -> None:
        self.assertTrue(Narrative.objects.filter(round__office__code="DUKCAPIL").exists())
        actions = FollowUpAction.objects.filter(office__code="DUKCAPIL")
        self.assertTrue(actions.filter(status=FollowUpAction.Status.DONE).exists())
        self.assertTrue(actions.exclude(status__in=FollowUpAction.CLOSED).exists())

    def test_loading_again_writes_nothing(self) -> None:
        counts = (Round.objects.count(), Response.objects.count(), Assignment.objects.count())
        again = load_with(("org.", "evaluation."))
        self.assertEqual(again.created, 0)
        self.assertEqual(
            (Round.objects.count(), Response.objects.count(), Assignment.objects.count()), counts
        )
