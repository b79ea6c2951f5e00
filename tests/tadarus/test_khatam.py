"""The arithmetic of collective tadarus (`tadarus.khatam`), without the database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from django.test import SimpleTestCase

from perjumpaan.tadarus import khatam, quran
from perjumpaan.tadarus.khatam import PlanVersion, Sitting
from perjumpaan.tadarus.quran import Ref

DAY = dt.date(2026, 1, 5)
AN_NAS = Ref(114, 6)


def held(n: int, *, first_id: int = 1, stops: dict[int, Ref | None] | None = None) -> list[Sitting]:
    """n held gatherings on consecutive days; `stops` logs some of them (None: nothing read)."""
    stops = stops or {}
    return [
        Sitting(
            gathering_id=i,
            date=DAY + dt.timedelta(days=i),
            counted=True,
            logged=i in stops,
            stop=stops.get(i),
        )
        for i in range(first_id, first_id + n)
    ]


def plan(unit: khatam.Unit, amount: Fraction | int, start: Ref | None = None) -> list[PlanVersion]:
    return [PlanVersion(valid_from=DAY, unit=unit, amount=Fraction(amount), start=start)]


class PortionTests(SimpleTestCase):
    def test_a_two_page_plan_reads_whole_pages_from_al_fatihah(self) -> None:
        readings, state = khatam.simulate(plan("pages", 2), held(3))
        self.assertEqual((readings[0].start, readings[0].planned_end), (Ref(1, 1), Ref(2, 5)))
        # Page 3 begins at 2:6, page 5 at 2:25: each portion is two whole pages.
        self.assertEqual((readings[1].start, readings[1].planned_end), (Ref(2, 6), Ref(2, 24)))
        self.assertEqual(quran.page_of(readings[2].start), 5)
        self.assertEqual(state.position, quran.page_bounds(7)[0])

    def test_an_ayah_plan_reads_that_many_ayahs(self) -> None:
        readings, _state = khatam.simulate(plan("ayahs", 10, Ref(2, 142)), held(2))
        self.assertEqual((readings[0].start, readings[0].planned_end), (Ref(2, 142), Ref(2, 151)))
        self.assertEqual(readings[1].start, Ref(2, 152))

    def test_a_quarter_juz_plan_does_not_drift_from_the_juz_boundaries(self) -> None:
        juz2, _ = quran.juz_bounds(2)
        juz3, _ = quran.juz_bounds(3)
        juz12, _ = quran.juz_bounds(12)
        readings, state = khatam.simulate(plan("juz", Fraction(1, 4), juz2), held(40))
        # Four quarters later the reading is exactly at the start of juz 3, and forty at juz 12.
        self.assertEqual(readings[4].start, juz3)
        self.assertEqual(state.position, juz12)
        # Chaining steps instead would have overshot (the drift quran.advance_juz warns about).
        chained = juz2
        for _ in range(40):
            chained = quran.advance_juz(chained, Fraction(1, 4))
        self.assertGreater(chained, juz12)

    def test_a_recorded_stop_moves_the_next_portion_and_re_anchors_the_plan(self) -> None:
        readings, _state = khatam.simulate(plan("ayahs", 10, Ref(2, 142)), held(3, stops={1: Ref(2, 176)}))
        self.assertEqual(readings[0].end, Ref(2, 176))
        self.assertEqual(readings[0].planned_end, Ref(2, 151))
        self.assertEqual((readings[1].start, readings[1].planned_end), (Ref(2, 177), Ref(2, 186)))
        self.assertEqual(readings[2].start, Ref(2, 187))

    def test_reading_less_than_planned_is_continued_next_time(self) -> None:
        readings, _state = khatam.simulate(plan("pages", 2), held(2, stops={1: Ref(1, 7)}))
        self.assertEqual(readings[1].start, Ref(2, 1))

    def test_a_log_without_a_stop_means_nothing_was_read(self) -> None:
        readings, _state = khatam.simulate(plan("ayahs", 5, Ref(3, 1)), held(2, stops={1: None}))
        self.assertIsNone(readings[0].end)
        self.assertEqual(readings[0].pages, 0)
        self.assertEqual((readings[1].start, readings[1].planned_end), (Ref(3, 1), Ref(3, 5)))

    def test_the_portion_that_reaches_an_nas_ends_there_and_the_next_round_begins_at_al_fatihah(self) -> None:
        readings, state = khatam.simulate(plan("pages", 4, quran.page_bounds(601)[0]), held(2))
        self.assertEqual(readings[0].planned_end, AN_NAS)
        self.assertTrue(readings[0].khatam)
        self.assertEqual((readings[1].start, readings[1].round), (Ref(1, 1), 2))
        self.assertEqual(len(state.khatams), 1)

    def test_a_stop_before_the_start_read_through_the_khatam(self) -> None:
        start = Ref(113, 1)
        readings, state = khatam.simulate(plan("ayahs", 20, start), held(2, stops={1: Ref(2, 5)}))
        self.assertTrue(readings[0].khatam)
        self.assertEqual((readings[1].start, readings[1].round), (Ref(2, 6), 2))
        self.assertEqual(len(state.khatams), 1)

    def test_a_stop_at_an_nas_completes_the_khatam(self) -> None:
        readings, state = khatam.simulate(plan("ayahs", 3, Ref(114, 1)), held(2, stops={1: AN_NAS}))
        self.assertTrue(readings[0].khatam)
        self.assertEqual(readings[1].start, Ref(1, 1))
        self.assertEqual(state.round, 2)

    def test_the_whole_quran_is_read_once_per_khatam_with_no_gap_or_overlap(self) -> None:
        readings, state = khatam.simulate(plan("pages", 7), held(200))
        covered: list[int] = []
        for reading in readings:
            assert reading.end is not None
            covered.extend(range(reading.start.index, reading.end.index + 1))
        first_round = covered[: quran.TOTAL_AYAHS]
        self.assertEqual(first_round, list(range(1, quran.TOTAL_AYAHS + 1)))
        self.assertEqual(len(state.khatams), 2)
        self.assertEqual(readings[87 - 1].planned_end, AN_NAS)  # 604 pages / 7 = 86.3: khatam on the 87th

    def test_a_gathering_not_held_does_not_move_the_reading_unless_it_is_the_one_asked_about(self) -> None:
        sittings = [
            Sitting(1, DAY, counted=True),
            Sitting(2, DAY + dt.timedelta(days=1), counted=False),
            Sitting(3, DAY + dt.timedelta(days=2), counted=True),
        ]
        readings, _state = khatam.simulate(plan("ayahs", 7), sittings)
        self.assertEqual([r.gathering_id for r in readings], [1, 3])
        self.assertEqual(readings[1].start, Ref(2, 1))
        asked, _state = khatam.simulate(plan("ayahs", 7), sittings, until=2)
        self.assertEqual((asked[-1].gathering_id, asked[-1].start), (2, Ref(2, 1)))

    def test_a_new_plan_version_continues_where_the_reading_stands(self) -> None:
        versions = [
            *plan("ayahs", 10),
            PlanVersion(valid_from=DAY + dt.timedelta(days=3), unit="ayahs", amount=Fraction(20)),
        ]
        readings, _state = khatam.simulate(versions, held(4))
        self.assertEqual(readings[1].planned_end.index - readings[1].start.index + 1, 10)
        self.assertEqual(readings[2].start.index, readings[1].planned_end.index + 1)
        self.assertEqual(readings[2].planned_end.index - readings[2].start.index + 1, 20)

    def test_a_plan_version_with_a_start_begins_the_reading_there(self) -> None:
        versions = [
            *plan("ayahs", 10),
            PlanVersion(
                valid_from=DAY + dt.timedelta(days=2), unit="ayahs", amount=Fraction(10), start=Ref(18, 1)
            ),
        ]
        readings, _state = khatam.simulate(versions, held(3))
        self.assertEqual(readings[1].start, Ref(18, 1))

    def test_gatherings_before_the_plan_read_nothing(self) -> None:
        versions = [PlanVersion(valid_from=DAY + dt.timedelta(days=5), unit="pages", amount=Fraction(1))]
        readings, _state = khatam.simulate(versions, held(6))
        self.assertEqual([r.gathering_id for r in readings], [5, 6])


class ForecastTests(SimpleTestCase):
    def test_the_forecast_counts_scheduled_gatherings_at_the_recent_pace(self) -> None:
        position = quran.page_bounds(595)[0]  # 10 pages left
        readings, _state = khatam.simulate(plan("pages", 2), held(5))  # a pace of 2 pages
        upcoming = [DAY + dt.timedelta(days=d) for d in range(10)]
        result = khatam.forecast(
            position=position,
            recent=readings,
            planned_pages=Fraction(2),
            upcoming=upcoming,
            per_week=Fraction(4),
            today=DAY,
        )
        self.assertEqual(
            (result.gatherings_needed, result.date, result.from_schedule), (5, upcoming[4], True)
        )

    def test_beyond_the_schedule_the_forecast_extrapolates_by_gatherings_per_week(self) -> None:
        position = quran.page_bounds(595)[0]
        upcoming = [DAY, DAY + dt.timedelta(days=1)]
        result = khatam.forecast(
            position=position,
            recent=[],
            planned_pages=Fraction(1),  # 10 gatherings needed, 2 scheduled, 8 more at 4 a week
            upcoming=upcoming,
            per_week=Fraction(4),
            today=DAY,
        )
        self.assertEqual(result.date, upcoming[-1] + dt.timedelta(days=14))
        self.assertFalse(result.from_schedule)

    def test_no_pace_and_no_schedule_gives_no_date(self) -> None:
        result = khatam.forecast(
            position=Ref(1, 1),
            recent=[],
            planned_pages=Fraction(2),
            upcoming=[],
            per_week=Fraction(0),
            today=DAY,
        )
        self.assertIsNone(result.date)

    def test_page_positions_measure_progress_evenly(self) -> None:
        self.assertEqual(khatam.page_position(Ref(1, 1)), 0)
        self.assertEqual(khatam.page_position(Ref(2, 1)), 1)
        self.assertEqual(khatam.round_progress(quran.page_bounds(303)[0]), Fraction(302, 604))
