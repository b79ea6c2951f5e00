"""Working days, holidays, closures and Ramadan."""

from __future__ import annotations

import datetime as dt

from perjumpaan.program.calendar import Calendar, islamic_dates_fill
from perjumpaan.program.models import Closure, IslamicDate
from tests.base import PerjumpaanTestCase


class CalendarTests(PerjumpaanTestCase):
    def test_weekends_are_not_working_days(self) -> None:
        cal = Calendar(self.government, dt.date(2026, 12, 5), dt.date(2026, 12, 7))
        self.assertEqual([d.is_working_day for d in cal.days()], [False, False, True])

    def test_national_holidays_and_cuti_bersama_are_not_working_days(self) -> None:
        cal = Calendar(self.government, dt.date(2026, 12, 21), dt.date(2026, 12, 25))
        days = {d.date: d for d in cal.days()}
        self.assertTrue(days[dt.date(2026, 12, 23)].is_working_day)
        self.assertFalse(days[dt.date(2026, 12, 24)].is_working_day)  # cuti bersama Natal
        self.assertIn("Cuti Bersama", days[dt.date(2026, 12, 24)].reason)
        self.assertFalse(days[dt.date(2026, 12, 25)].is_working_day)
        self.assertEqual(days[dt.date(2026, 12, 25)].reason, "Hari Raya Natal")

    def test_a_government_closure_and_a_cancelled_holiday_override_the_national_calendar(self) -> None:
        Closure.objects.create(
            government=self.government, date=dt.date(2026, 12, 22), reason="HUT Lombok Barat"
        )
        Closure.objects.create(
            government=self.government,
            date=dt.date(2026, 12, 24),
            reason="Cuti bersama dibatalkan",
            is_working_day=True,
        )
        cal = Calendar(self.government, dt.date(2026, 12, 22), dt.date(2026, 12, 24))
        days = {d.date: d for d in cal.days()}
        self.assertFalse(days[dt.date(2026, 12, 22)].is_working_day)
        self.assertEqual(days[dt.date(2026, 12, 22)].reason, "HUT Lombok Barat")
        self.assertTrue(days[dt.date(2026, 12, 24)].is_working_day)

    def test_an_office_closure_does_not_close_other_offices(self) -> None:
        Closure.objects.create(
            government=self.government,
            office=self.dukcapil,
            date=dt.date(2026, 12, 22),
            reason="Pindah gedung",
        )
        self.assertFalse(
            Calendar(self.government, dt.date(2026, 12, 22), dt.date(2026, 12, 22), self.dukcapil)
            .day(dt.date(2026, 12, 22))
            .is_working_day
        )
        self.assertTrue(
            Calendar(self.government, dt.date(2026, 12, 22), dt.date(2026, 12, 22), self.pupr)
            .day(dt.date(2026, 12, 22))
            .is_working_day
        )

    def test_ramadan_is_prefilled_by_calculation_and_the_admin_s_correction_wins(self) -> None:
        # Umm al-Qura puts 1 Ramadan 1447 on 18 February 2026; Indonesia's isbat set 19 February.
        cal = Calendar(self.government, dt.date(2026, 2, 17), dt.date(2026, 3, 22))
        self.assertFalse(cal.day(dt.date(2026, 2, 17)).is_ramadan)
        self.assertTrue(cal.day(dt.date(2026, 2, 18)).is_ramadan)
        # Idulfitri comes from Indonesia's holiday calendar: 21 March 2026, so Ramadan ends on the 20th.
        self.assertTrue(cal.day(dt.date(2026, 3, 20)).is_ramadan)
        self.assertFalse(cal.day(dt.date(2026, 3, 21)).is_ramadan)

        IslamicDate.objects.filter(government=self.government, kind="ramadan_start", hijri_year=1447).update(
            date=dt.date(2026, 2, 19), source="official"
        )
        cal = Calendar(self.government, dt.date(2026, 2, 17), dt.date(2026, 3, 22))
        self.assertFalse(cal.day(dt.date(2026, 2, 18)).is_ramadan)
        self.assertTrue(cal.day(dt.date(2026, 2, 19)).is_ramadan)

    def test_filling_islamic_dates_twice_adds_nothing_the_second_time(self) -> None:
        added = islamic_dates_fill(government=self.government, hijri_years=range(1447, 1449))
        self.assertEqual(added, 6)
        self.assertEqual(islamic_dates_fill(government=self.government, hijri_years=range(1447, 1449)), 0)
