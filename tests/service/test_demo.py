"""The demo's public-service year: volumes as the brief says, answers linked to tickets, and the simulated
effects of enrolment findable in the data (and absent where nobody enrolled)."""

from __future__ import annotations

import datetime as dt
import math
import statistics

from django.db.models import Count
from django.test import TestCase

from perjumpaan.org import demo as org_demo
from perjumpaan.org.demo import DemoContext, DemoSummary
from perjumpaan.org.models import Government
from perjumpaan.program.calendar import national_holidays
from perjumpaan.service import demo
from perjumpaan.service.models import Complaint, ServiceRecord, SurveyResponse
from perjumpaan.service.skm import ELEMENT_CODES

PILOT = dt.date(2026, 3, 2)


class ServiceDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.government = Government.objects.create(
            name="Pemerintah Kabupaten Lombok Barat", slug="lombok-barat"
        )
        cls.ctx = DemoContext(government=cls.government, summary=DemoSummary())
        org_demo.offices_step(cls.ctx)
        org_demo.employees_step(cls.ctx)
        # No programme enrolment rows here: the step's own dates apply.
        demo.service_demo(cls.ctx)

    def records(self, code: str) -> object:
        return ServiceRecord.objects.filter(office__code=code, office__government=self.government)

    def test_disdukcapil_serves_300_to_400_citizens_on_every_working_day_and_nobody_on_other_days(
        self,
    ) -> None:
        per_day = dict(
            self.records("DUKCAPIL").values("date").annotate(n=Count("pk")).values_list("date", "n")
        )  # type: ignore[attr-defined]
        holidays = set(national_holidays(2025)) | set(national_holidays(2026))
        self.assertEqual(set(per_day), set(demo.working_days(demo.FIRST_DAY, demo.LAST_DAY)))
        self.assertTrue(
            all(300 <= n <= 400 for n in per_day.values()), (min(per_day.values()), max(per_day.values()))
        )
        self.assertFalse(any(day.weekday() >= 5 or day in holidays for day in per_day))
        self.assertGreater(len(per_day), 230)

    def test_other_offices_serve_fewer(self) -> None:
        for code in ("PUPR", "DINKES", "NARMADA"):
            per_day = self.records(code).values("date").annotate(n=Count("pk")).values_list("n", flat=True)  # type: ignore[attr-defined]
            with self.subTest(code=code):
                self.assertLess(max(per_day), 100)

    def test_answers_come_from_a_fraction_of_citizens_and_are_linked_to_their_tickets(self) -> None:
        answers = SurveyResponse.objects.filter(office__code="DUKCAPIL", office__government=self.government)
        share = answers.count() / self.records("DUKCAPIL").count()  # type: ignore[attr-defined]
        self.assertAlmostEqual(share, 0.05, delta=0.005)
        self.assertFalse(answers.filter(record__isnull=True).exists())
        linked = answers.select_related("record").first()
        assert linked is not None and linked.record is not None
        self.assertEqual((linked.ticket, linked.ticket_date), (linked.record.ticket, linked.record.date))
        self.assertGreaterEqual(linked.submitted_at, linked.record.finished)

    def test_complaints_are_received_answered_and_mostly_closed(self) -> None:
        complaints = Complaint.objects.filter(office__government=self.government)
        self.assertGreater(complaints.count(), 150)
        closed = complaints.filter(status__in=["selesai", "ditolak"]).count()
        self.assertGreater(closed / complaints.count(), 0.8)

    def wait_ratio(self, code: str, since: dt.date) -> float:
        """Median waiting time after `since` over the median before."""
        before: list[float] = []
        after: list[float] = []
        for day, arrival, called in self.records(code).values_list("date", "arrival", "called"):  # type: ignore[attr-defined]
            (after if day >= since else before).append((called - arrival).total_seconds())
        return statistics.median(after) / statistics.median(before)

    def answer_shift(self, code: str, since: dt.date) -> float:
        """The mean over the nine elements of (mean answer after − mean answer before)."""
        shifts = []
        answers = SurveyResponse.objects.filter(office__code=code, office__government=self.government)
        cutoff = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        for code_ in ELEMENT_CODES:
            column = code_.lower()
            before = [v for v in answers.filter(submitted_at__lt=cutoff).values_list(column, flat=True) if v]
            after = [v for v in answers.filter(submitted_at__gte=cutoff).values_list(column, flat=True) if v]
            shifts.append(statistics.fmean(after) - statistics.fmean(before))
        return statistics.fmean(shifts)

    def test_waiting_falls_about_ten_percent_after_the_pilot_and_not_where_nobody_enrolled(self) -> None:
        self.assertAlmostEqual(self.wait_ratio("DUKCAPIL", PILOT), demo.WAIT_FACTOR_AFTER, delta=0.05)
        self.assertAlmostEqual(self.wait_ratio("NARMADA", PILOT), 1.0, delta=0.08)

    def test_skm_answers_rise_about_a_tenth_after_the_pilot_and_not_where_nobody_enrolled(self) -> None:
        self.assertAlmostEqual(self.answer_shift("DUKCAPIL", PILOT), 2 * demo.ANSWER_SHIFT, delta=0.05)
        self.assertLess(abs(self.answer_shift("NARMADA", PILOT)), 0.12)

    def test_a_second_run_creates_nothing_and_changes_nothing(self) -> None:
        before = (ServiceRecord.objects.count(), SurveyResponse.objects.count(), Complaint.objects.count())
        ctx = DemoContext(government=self.government, summary=DemoSummary())
        demo.service_demo(ctx)
        self.assertEqual(ctx.created, 0)
        self.assertEqual(
            (ServiceRecord.objects.count(), SurveyResponse.objects.count(), Complaint.objects.count()), before
        )

    def test_a_deleted_day_is_put_back_exactly_as_it_was(self) -> None:
        day = dt.date(2026, 5, 4)
        records = ServiceRecord.objects.filter(office__code="DUKCAPIL", date=day)
        shape = sorted(
            records.values_list("ticket", "service__code", "arrival", "called", "finished", "result")
        )
        SurveyResponse.objects.filter(record__in=records).delete()
        records.delete()
        demo.service_demo(DemoContext(government=self.government, summary=DemoSummary()))
        self.assertEqual(
            sorted(records.values_list("ticket", "service__code", "arrival", "called", "finished", "result")),
            shape,
        )

    def test_the_effect_sizes_in_the_docstring_are_the_constants_used(self) -> None:
        doc = demo.__doc__ or ""
        self.assertIn("× 0,90", doc)
        self.assertIn("+ 0,10", doc)
        self.assertIn("× 0,80", doc)
        self.assertEqual(
            (demo.WAIT_FACTOR_AFTER, demo.ANSWER_SHIFT * 2, demo.COMPLAINT_FACTOR_AFTER), (0.9, 0.1, 0.8)
        )
        self.assertTrue(math.isclose(25 * 2 * demo.ANSWER_SHIFT, 2.5))
