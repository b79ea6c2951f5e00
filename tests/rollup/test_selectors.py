"""The dashboards' selectors: who reads what, how many queries, and the same figures as the raw rows."""

from __future__ import annotations

import datetime as dt

from perjumpaan.attendance import services as attendance
from perjumpaan.core.scoping import access_for
from perjumpaan.program.services import gathering_add
from perjumpaan.rollup import selectors
from perjumpaan.service import services as service
from perjumpaan.service.models import Service
from perjumpaan.service.periods import make_period
from tests.base import PerjumpaanTestCase
from tests.rollup.helpers import wita

MONDAY = dt.date(2026, 11, 30)


class SelectorTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for office, track in ((cls.dukcapil, "islam"), (cls.pupr, "hindu")):
            for offset in range(3):
                day = MONDAY + dt.timedelta(days=offset)
                attendance.gathering_close(
                    gathering=gathering_add(office=office, start=wita(day, 12), minutes=45, track=track)
                )
        ktp = Service.objects.create(office=cls.dukcapil, code="KTP-EL", name="KTP-el")
        for n in range(3):
            arrival = wita(MONDAY, 8, n)
            service.service_records_push(
                user=cls.admin,
                items=[
                    service.PushItem(
                        office="DUKCAPIL",
                        date=MONDAY,
                        ticket=f"A{n}",
                        service=ktp.code,
                        arrival=arrival,
                        called=arrival + dt.timedelta(minutes=10 * n),
                        finished=arrival + dt.timedelta(minutes=10 * n + 5),
                    )
                ],
            )

    def test_leadership_sees_every_office_of_its_government_in_the_matrix(self) -> None:
        matrix = selectors.regency_week_matrix(user=self.pimpinan, start=MONDAY, end=MONDAY)
        self.assertEqual([o.code for o in matrix.offices], ["DUKCAPIL", "PUPR"])
        self.assertEqual(matrix.weeks, [MONDAY])
        self.assertEqual(matrix.cell(self.dukcapil, MONDAY).gatherings, 3)
        self.assertEqual(matrix.cell(self.dukcapil, MONDAY).rate, 0)
        self.assertEqual(matrix.cell(self.pupr, MONDAY).expected, 6)

    def test_another_government_sees_nothing_of_this_one(self) -> None:
        matrix = selectors.regency_week_matrix(user=self.other_admin, start=MONDAY, end=MONDAY)
        self.assertEqual([o.code for o in matrix.offices], ["DUKCAPIL"])
        self.assertEqual(matrix.cells, {})
        series = selectors.office_week_series(
            user=self.other_admin, office=self.dukcapil, start=MONDAY, end=MONDAY
        )
        self.assertEqual((series[0].attendance.expected, series[0].service.volume), (0, 0))

    def test_a_coordinator_sees_their_office_and_nothing_of_another(self) -> None:
        own = selectors.office_week_series(
            user=self.koord_dukcapil, office=self.dukcapil, start=MONDAY, end=MONDAY
        )
        self.assertEqual((own[0].attendance.expected, own[0].service.volume), (6, 3))
        other = selectors.office_week_series(
            user=self.koord_pupr, office=self.dukcapil, start=MONDAY, end=MONDAY
        )
        self.assertEqual((other[0].attendance.expected, other[0].service.volume), (0, 0))
        matrix = selectors.regency_week_matrix(user=self.koord_pupr, start=MONDAY, end=MONDAY)
        self.assertEqual([o.code for o in matrix.offices], ["PUPR"])

    def test_staff_and_facilitators_read_service_figures_but_not_attendance_aggregates(self) -> None:
        for user in (self.staf_dukcapil, self.fasilitator):
            series = selectors.office_week_series(user=user, office=self.dukcapil, start=MONDAY, end=MONDAY)
            self.assertEqual((series[0].attendance.expected, series[0].service.volume), (0, 3), user)
            raw = selectors.office_week_series_raw(user=user, office=self.dukcapil, start=MONDAY, end=MONDAY)
            self.assertEqual(raw[0].attendance, series[0].attendance)

    def test_the_weekly_series_covers_whole_weeks_including_empty_ones(self) -> None:
        series = selectors.office_week_series(
            user=self.admin,
            office=self.dukcapil,
            start=MONDAY - dt.timedelta(days=3),
            end=MONDAY + dt.timedelta(days=9),
        )
        self.assertEqual(
            [p.week for p in series], [MONDAY - dt.timedelta(weeks=1), MONDAY, MONDAY + dt.timedelta(weeks=1)]
        )
        self.assertEqual([p.attendance.gatherings for p in series], [0, 3, 0])

    def test_the_dashboard_reads_take_a_fixed_number_of_queries(self) -> None:
        access_for(self.admin)  # the user's roles, read once per request
        with self.assertNumQueries(5):
            selectors.office_week_series(
                user=self.admin, office=self.dukcapil, start=MONDAY - dt.timedelta(weeks=51), end=MONDAY
            )
        with self.assertNumQueries(2):
            selectors.regency_week_matrix(user=self.admin, start=MONDAY - dt.timedelta(weeks=51), end=MONDAY)
        period = make_period("year", 2026)
        with self.assertNumQueries(1):
            selectors.service_times(user=self.admin, office=self.dukcapil, period=period)
        with self.assertNumQueries(3):  # SKM sums, service volume, the office's IKM weight
            selectors.ikm_for(user=self.admin, office=self.dukcapil, period=period)

    def test_service_times_estimate_the_median_within_its_interval(self) -> None:
        figures = selectors.service_times(
            user=self.admin, office=self.dukcapil, period=make_period("month", 2026, 11)
        )
        raw = selectors.service_times_raw(
            user=self.admin, office=self.dukcapil, period=make_period("month", 2026, 11)
        )
        self.assertTrue(figures.same_counts(raw))
        median = figures.wait.median
        assert median is not None
        self.assertEqual(raw.wait.exact_median, 600)
        self.assertEqual((median.low, median.high), (600, 720))
        self.assertEqual(figures.same_day_share, 1.0)
