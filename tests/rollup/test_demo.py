"""After `perjumpaan demo` the dashboards' aggregates agree with the demo's raw rows."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from perjumpaan.org.demo import demo_load
from perjumpaan.org.models import Office, User
from perjumpaan.rollup import selectors
from perjumpaan.rollup.models import AttendanceDay, ServiceDay
from perjumpaan.rollup.services import rollup_rebuild
from tests.rollup.helpers import snapshot


class DemoRollupTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        demo_load()

    def test_the_demo_has_its_aggregates_and_a_second_rebuild_changes_nothing(self) -> None:
        self.assertTrue(AttendanceDay.objects.exists())
        self.assertTrue(ServiceDay.objects.exists())
        before = snapshot()
        rollup_rebuild()
        self.assertEqual(snapshot(), before)

    def test_leadership_reads_the_same_weeks_from_the_aggregates_as_from_the_raw_rows(self) -> None:
        leadership = User.objects.get(username="pimpinan")
        office = Office.objects.get(code="DUKCAPIL")
        last = AttendanceDay.objects.filter(office=office).latest("date").date
        start = last - dt.timedelta(weeks=8)
        kept = selectors.office_week_series(user=leadership, office=office, start=start, end=last)
        raw = selectors.office_week_series_raw(user=leadership, office=office, start=start, end=last)
        self.assertTrue(any(point.attendance.expected for point in kept))
        for kept_week, raw_week in zip(kept, raw, strict=True):
            self.assertEqual(kept_week.attendance, raw_week.attendance)
            self.assertTrue(kept_week.service.same_counts(raw_week.service))
            self.assertEqual(kept_week.skm, raw_week.skm)
            self.assertEqual(kept_week.complaints, raw_week.complaints)
            self.assertEqual(kept_week.evaluation, raw_week.evaluation)
