"""Service metrics and the IKM from the database: definitions checked on numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from perjumpaan.core.scoping import access_for
from perjumpaan.service import selectors
from perjumpaan.service.models import ServiceRecord, SurveySettings
from perjumpaan.service.periods import PeriodError, make_period, parse_period, period_containing
from perjumpaan.service.selectors import percentile
from perjumpaan.service.services import survey_response_submit
from tests.service.helpers import ServiceTestCase, wita

MON, TUE = dt.date(2026, 11, 23), dt.date(2026, 11, 24)
NOVEMBER = parse_period("2026-11")


class PeriodTests(ServiceTestCase):
    def test_keys_and_labels(self) -> None:
        for key, label, start, end in (
            ("2026-11", "November 2026", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
            ("2026-Q3", "Triwulan III 2026", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
            ("2026-s1", "Semester I 2026", dt.date(2026, 1, 1), dt.date(2026, 6, 30)),
            ("2026", "Tahun 2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
            ("2024-02", "Februari 2024", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ):
            with self.subTest(key=key):
                period = parse_period(key)
                self.assertEqual((period.label, period.start, period.end), (label, start, end))
                self.assertEqual(parse_period(period.key), period)

    def test_nonsense_is_a_period_error(self) -> None:
        for key in ("", "2026-13", "2026-Q5", "2026-S3", "26-11", "1999", "2026-11-01", "x" * 500):
            with self.subTest(key=key), self.assertRaises(PeriodError):
                parse_period(key)

    def test_previous_and_next_cross_the_year(self) -> None:
        self.assertEqual(make_period("quarter", 2026, 1).previous().key, "2025-Q4")
        self.assertEqual(period_containing(dt.date(2026, 12, 5), "month").next().key, "2027-01")


class MetricsTests(ServiceTestCase):
    def test_percentiles_interpolate_between_closest_ranks(self) -> None:
        values = [10.0, 20.0, 30.0, 40.0, 50.0]
        self.assertEqual(percentile(values, 0.5), 30.0)
        self.assertEqual(percentile(values, 0.9), 46.0)  # Excel PERCENTILE.INC
        self.assertEqual(percentile([7.0], 0.9), 7.0)
        self.assertIsNone(percentile([], 0.5))

    def test_waiting_and_service_times_volume_and_the_same_day_share(self) -> None:
        for index, wait in enumerate((10, 20, 30, 40, 50)):
            self.record(MON, f"A{index}", wait=wait, duration=5 + index)
        self.record(TUE, "A1", wait=60, duration=20, result="ditunda")
        metrics = selectors.service_metrics(user=self.admin, office=self.dukcapil, period=NOVEMBER)
        total = metrics.total
        self.assertEqual((total.volume, total.days_served, total.volume_per_day), (6, 2, 3.0))
        self.assertEqual(total.wait.median, 35 * 60)  # of 10, 20, 30, 40, 50, 60 minutes
        self.assertEqual(total.wait.p90, 55 * 60)
        self.assertEqual(total.service.median, 7.5 * 60)
        self.assertEqual(total.same_day_share, 5 / 6)
        self.assertEqual([(b.start, b.volume) for b in metrics.buckets], [(MON, 5), (TUE, 1)])
        self.assertEqual(metrics.bucket_kind, "day")
        monday = metrics.buckets[0]
        self.assertEqual((monday.wait.median, monday.wait.p90), (30 * 60, 46 * 60))

    def test_a_record_finished_after_midnight_did_not_finish_the_same_day(self) -> None:
        ServiceRecord.objects.create(
            office=self.dukcapil,
            service=self.services["KK"],
            date=MON,
            ticket="Z1",
            arrival=wita(MON, 23, 0),
            called=wita(MON, 23, 50),
            finished=wita(TUE, 0, 10),
            result="selesai",
        )
        metrics = selectors.service_metrics(user=self.admin, office=self.dukcapil, period=NOVEMBER)
        self.assertEqual(metrics.total.same_day_share, 0)

    def test_records_never_called_count_in_volume_but_not_in_times(self) -> None:
        ServiceRecord.objects.create(
            office=self.dukcapil,
            service=self.services["KK"],
            date=MON,
            ticket="N1",
            arrival=wita(MON, 9, 0),
            result="ditolak",
        )
        self.record(MON, "A1", wait=10)
        total = selectors.service_metrics(user=self.admin, office=self.dukcapil, period=NOVEMBER).total
        self.assertEqual((total.volume, total.wait.count, total.wait.median), (2, 1, 600))

    def test_longer_periods_are_shown_per_week_or_month_and_per_service(self) -> None:
        self.record(MON, "A1", service="KTP-EL")
        self.record(TUE, "B1", service="KK")
        self.record(dt.date(2026, 10, 5), "A1", service="KK")
        quarter = selectors.service_metrics(
            user=self.admin, office=self.dukcapil, period=parse_period("2026-Q4")
        )
        self.assertEqual(quarter.bucket_kind, "week")
        self.assertEqual(
            [(b.start, b.volume) for b in quarter.buckets], [(dt.date(2026, 10, 5), 1), (MON, 2)]
        )
        year = selectors.service_metrics(user=self.admin, office=self.dukcapil, period=parse_period("2026"))
        self.assertEqual([(b.label, b.volume) for b in year.buckets], [("Okt 2026", 1), ("Nov 2026", 2)])
        self.assertEqual([(s.code, b.volume) for s, b in year.per_service], [("KTP-EL", 1), ("KK", 2)])

    def test_one_service_only_when_asked(self) -> None:
        self.record(MON, "A1", service="KTP-EL")
        self.record(MON, "B1", service="KK")
        metrics = selectors.service_metrics(
            user=self.admin, office=self.dukcapil, period=NOVEMBER, service=self.services["KK"]
        )
        self.assertEqual(metrics.total.volume, 1)

    def test_nobody_outside_the_office_s_scope_gets_its_numbers(self) -> None:
        self.record(MON, "A1")
        metrics = selectors.service_metrics(user=self.koord_pupr, office=self.dukcapil, period=NOVEMBER)
        self.assertEqual(metrics.total.volume, 0)


class IkmFromDatabaseTests(ServiceTestCase):
    def answer(
        self,
        values: dict[str, int | None],
        *,
        service: str | None = "KTP-EL",
        day: dt.date = MON,
        at: tuple[int, int] = (10, 0),
    ) -> None:
        with time_machine.travel(wita(day, *at), tick=False):
            survey_response_submit(
                office=self.dukcapil, service=self.services[service] if service else None, answers=values
            )

    def all_(self, value: int | None) -> dict[str, int | None]:
        return {f"U{i}": value for i in range(1, 10)}

    def test_it_is_the_regulation_s_ikm_with_blanks_left_out_of_each_element(self) -> None:
        self.answer(self.all_(4))
        self.answer({**self.all_(3), "U9": None})
        self.answer(self.all_(None) | {"U1": 2})  # answered one element only
        summary = selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER)
        result = summary.result
        self.assertEqual(result.n, 3)
        self.assertEqual(result.elements[0].nrr, 3)  # (4 + 3 + 2) / 3
        self.assertEqual(result.elements[8].nrr, 4)  # only the first answered U9
        self.assertEqual(result.ikm, Decimal("87.50"))  # 25 × (3 + 3.5 × 7 + 4) / 9
        self.assertEqual(result.weight, "exact")

    def test_the_population_is_the_period_s_records_and_small_samples_are_flagged(self) -> None:
        for index in range(100):
            self.record(MON, f"A{index}")
        self.answer(self.all_(4))
        result = selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER).result
        self.assertEqual((result.population, result.minimum_sample, result.sample_too_small), (100, 80, True))

    def test_without_records_the_population_is_unknown_not_zero(self) -> None:
        self.answer(self.all_(4))
        result = selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER).result
        self.assertEqual((result.population, result.sample_too_small), (None, None))

    def test_the_office_s_weight_is_used_and_reported(self) -> None:
        SurveySettings.objects.create(office=self.dukcapil, ikm_weight="0.111")
        self.answer(self.all_(4))
        result = selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER).result
        self.assertEqual((result.weight, result.ikm), ("0.111", Decimal("99.90")))

    def test_per_service_in_one_grouped_query_with_each_service_s_population(self) -> None:
        self.record(MON, "A1", service="KK")
        self.answer(self.all_(4), service="KTP-EL")
        self.answer(self.all_(2), service="KK")
        access_for(self.admin)
        with self.assertNumQueries(3):  # daily sums grouped by service, services, settings
            rows = selectors.ikm_by_service(user=self.admin, office=self.dukcapil, period=NOVEMBER)
        self.assertEqual(
            [(s.code, r.ikm, r.population) for s, r in rows],
            [("KTP-EL", Decimal("100.00"), None), ("KK", Decimal("50.00"), 1)],
        )

    def test_answers_are_counted_in_the_government_s_local_month(self) -> None:
        # 30 November 23.30 WITA is 15.30 UTC: November, not December.
        self.answer(self.all_(4), service=None, day=dt.date(2026, 11, 30), at=(23, 30))
        self.answer(self.all_(1), service=None, day=dt.date(2026, 12, 1), at=(0, 30))
        self.assertEqual(
            selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER).result.n, 1
        )
        trend = selectors.ikm_trend(user=self.admin, office=self.dukcapil, year=2026)
        self.assertEqual(
            [(p.key, r.ikm) for p, r in trend],
            [("2026-11", Decimal("100.00")), ("2026-12", Decimal("25.00"))],
        )

    def test_the_three_lowest_elements_are_proposed_for_the_plan(self) -> None:
        self.answer({**self.all_(4), "U3": 2, "U8": 3, "U9": 1})
        lowest = selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER).lowest
        self.assertEqual([e.code for e in lowest], ["U9", "U3", "U8"])

    def test_the_aggregate_is_one_query_whatever_the_number_of_answers(self) -> None:
        for _ in range(30):
            self.answer(self.all_(3))
        access_for(self.admin)
        with self.assertNumQueries(3):  # settings, daily SKM sums, daily service volume
            selectors.ikm_summary(user=self.admin, office=self.dukcapil, period=NOVEMBER)
