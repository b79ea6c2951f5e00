"""Collective tadarus: each gathering's portion, recorded stops, khatams, the forecast, and its pages."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from perjumpaan.org.models import AuditEntry, Employee
from perjumpaan.program.models import AgendaItem, Gathering
from perjumpaan.program.services import gathering_add, gathering_cancel
from perjumpaan.tadarus import quran, selectors, services
from perjumpaan.tadarus.models import KhatamPlan, ReadingLog
from perjumpaan.tadarus.quran import Ref
from tests.base import PerjumpaanTestCase
from tests.tadarus.helpers import NOW, TODAY, WITA, gathering_on, hold, plan, schedule

YESTERDAY = TODAY - dt.timedelta(days=1)


@time_machine.travel(NOW, tick=False)
class PortionTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule(cls.dukcapil)

    def test_without_a_plan_a_gathering_has_no_portion(self) -> None:
        self.assertIsNone(selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY)))
        self.assertIsNone(selectors.khatam_progress(self.dukcapil))

    def test_when_nothing_was_held_yet_today_reads_the_plan_s_first_portion(self) -> None:
        plan(self.dukcapil)
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual((portion.start, portion.end), (Ref(1, 1), Ref(2, 5)))
        self.assertEqual(portion.description, "Al-Fatihah 1 – Al-Baqarah 5, hal. 1–2, juz 1")
        self.assertEqual((portion.round, portion.is_khatam, portion.amount_label), (1, False, "2 halaman"))

    def test_each_portion_continues_where_the_held_gatherings_stopped(self) -> None:
        plan(self.dukcapil)
        held = hold(self.dukcapil)
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual(portion.start, quran.page_bounds(2 * held + 1)[0])
        self.assertEqual(portion.end, quran.advance(quran.page_bounds(2 * held + 3)[0], -1))

    def test_a_gathering_nobody_marked_as_held_does_not_move_the_reading(self) -> None:
        plan(self.dukcapil)
        held = hold(self.dukcapil, until=YESTERDAY - dt.timedelta(days=1))  # yesterday left unmarked
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual(portion.start, quran.page_bounds(2 * held + 1)[0])

    def test_a_recorded_stop_moves_the_next_portion(self) -> None:
        plan(self.dukcapil, unit="ayahs", amount=10, start=Ref(2, 142), valid_from=YESTERDAY)
        hold(self.dukcapil, since=YESTERDAY)
        services.reading_log_record(
            actor=self.koord_dukcapil, gathering=gathering_on(self.dukcapil, YESTERDAY), stop=Ref(2, 160)
        )
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual((portion.start, portion.end), (Ref(2, 161), Ref(2, 170)))
        logged = selectors.portion_for_gathering(gathering_on(self.dukcapil, YESTERDAY))
        assert logged is not None
        self.assertEqual((logged.end, logged.read_to, logged.logged), (Ref(2, 151), Ref(2, 160), True))

    def test_a_later_gathering_assumes_the_ones_before_it_read_as_planned(self) -> None:
        plan(self.dukcapil, unit="ayahs", amount=10, start=Ref(2, 142), valid_from=TODAY)
        tomorrow = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY + dt.timedelta(days=1)))
        assert tomorrow is not None
        self.assertEqual(tomorrow.start, Ref(2, 152))

    def test_a_cancelled_gathering_has_no_portion_and_the_next_one_takes_it_over(self) -> None:
        plan(self.dukcapil, unit="ayahs", amount=10, start=Ref(2, 142), valid_from=TODAY)
        today = gathering_on(self.dukcapil, TODAY)
        gathering_cancel(actor=self.koord_dukcapil, gathering=today, reason="Rapat pimpinan")
        self.assertIsNone(selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY)))
        tomorrow = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY + dt.timedelta(days=1)))
        assert tomorrow is not None
        self.assertEqual(tomorrow.start, Ref(2, 142))

    def test_a_gathering_without_tadarus_on_its_agenda_has_no_portion(self) -> None:
        plan(self.dukcapil)
        tausiah = gathering_add(
            office=self.dukcapil,
            start=dt.datetime(2026, 12, 5, 9, 0, tzinfo=WITA),
            minutes=60,
            agenda=[("tausiah", 60)],
        )
        self.assertIsNone(selectors.portion_for_gathering(tausiah))

    def test_the_portion_that_reaches_an_nas_is_the_khatam(self) -> None:
        plan(self.dukcapil, amount=4, start=quran.page_bounds(601)[0], valid_from=TODAY)
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual(portion.end, Ref(114, 6))
        self.assertTrue(portion.is_khatam)
        following = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY + dt.timedelta(days=1)))
        assert following is not None
        self.assertEqual((following.start, following.round), (Ref(1, 1), 2))

    def test_the_portion_names_its_sajdah_ayahs_and_links_to_kemenag(self) -> None:
        plan(self.dukcapil, unit="ayahs", amount=10, start=Ref(7, 200), valid_from=TODAY)
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual(portion.sajdahs, (Ref(7, 206),))
        self.assertEqual(
            portion.kemenag_url, "https://quran.kemenag.go.id/quran/per-ayat/surah/7?from=200&to=206"
        )


@time_machine.travel(NOW, tick=False)
class ProgressTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule(cls.dukcapil)

    def test_it_counts_the_khatam_and_starts_the_next_round_at_al_fatihah(self) -> None:
        # 20 pages a gathering from page 500: 105 pages, so the sixth gathering reaches An-Nas.
        plan(self.dukcapil, amount=20, start=quran.page_bounds(500)[0])
        hold(self.dukcapil, until=dt.date(2026, 11, 10))  # 7 gatherings (2–6 and 9–10 November)
        progress = selectors.khatam_progress(self.dukcapil)
        assert progress is not None
        self.assertEqual(progress.held, 7)
        self.assertEqual((progress.khatam_count, progress.round), (1, 2))
        self.assertEqual(progress.khatams[0].date, dt.date(2026, 11, 9))
        self.assertEqual(progress.position, quran.page_bounds(21)[0])
        self.assertEqual(progress.percent, 3)  # 20 of 604 pages

    def test_the_forecast_is_the_scheduled_gathering_the_recent_pace_reaches_an_nas_on(self) -> None:
        plan(self.dukcapil, amount=20, start=quran.page_bounds(400)[0])
        hold(self.dukcapil, until=dt.date(2026, 11, 4))  # 3 gatherings of 20 pages: at page 460
        progress = selectors.khatam_progress(self.dukcapil)
        assert progress is not None
        # 145 pages left at 20 a gathering: 8 more gatherings. The scheduled ones from today are
        # 2, 3, 4 (Fri), 7, 8, 9, 10, 11 December: the eighth is Friday 11 December.
        self.assertEqual(progress.forecast.gatherings_needed, 8)
        self.assertEqual(progress.forecast.date, dt.date(2026, 12, 11))
        self.assertTrue(progress.forecast.from_schedule)
        self.assertEqual(progress.forecast_label, "Jumat, 11 Desember 2026")

    def test_beyond_the_schedule_the_forecast_extrapolates(self) -> None:
        plan(self.dukcapil, amount=1)
        hold(self.dukcapil)
        progress = selectors.khatam_progress(self.dukcapil)
        assert progress is not None
        self.assertFalse(progress.forecast.from_schedule)
        self.assertIsNotNone(progress.forecast.date)
        assert progress.forecast.date is not None
        self.assertGreater(progress.forecast.date, dt.date(2027, 6, 1))

    def test_the_recent_log_shows_newest_first_and_what_was_recorded(self) -> None:
        plan(self.dukcapil, unit="ayahs", amount=10, start=Ref(2, 142), valid_from=dt.date(2026, 11, 30))
        hold(self.dukcapil, since=dt.date(2026, 11, 30))
        services.reading_log_record(
            actor=self.koord_dukcapil, gathering=gathering_on(self.dukcapil, YESTERDAY), stop=None
        )
        progress = selectors.khatam_progress(self.dukcapil)
        assert progress is not None
        self.assertEqual([row.date for row in progress.recent], [YESTERDAY, dt.date(2026, 11, 30)])
        self.assertTrue(progress.recent[0].nothing_read)
        self.assertEqual(progress.recent[1].description, "Al-Baqarah 142 – 151, hal. 22–23, juz 2")
        self.assertEqual(progress.position, Ref(2, 152))


@time_machine.travel(NOW, tick=False)
class ReadingLogServiceTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule(cls.dukcapil)
        plan(cls.dukcapil)

    def setUp(self) -> None:
        self.yesterday = gathering_on(self.dukcapil, YESTERDAY)

    def test_the_coordinator_and_the_facilitator_may_record_a_stop(self) -> None:
        for user in (self.koord_dukcapil, self.fasilitator):
            log = services.reading_log_record(actor=user, gathering=self.yesterday, stop=Ref(2, 10))
            self.assertEqual(log.stop, Ref(2, 10))

    def test_the_tadarus_reader_may_record_a_stop_but_another_staff_member_may_not(self) -> None:
        with self.assertRaisesMessage(ValidationError, services.LOG_NOT_ALLOWED):
            services.reading_log_record(actor=self.staf_dukcapil, gathering=self.yesterday, stop=Ref(2, 10))
        me = Employee.objects.get(user=self.staf_dukcapil)
        AgendaItem.objects.filter(gathering=self.yesterday, kind="tadarus").update(employee=me)
        log = services.reading_log_record(
            actor=self.staf_dukcapil, gathering=gathering_on(self.dukcapil, YESTERDAY), stop=Ref(2, 10)
        )
        self.assertEqual(log.recorded_by, self.staf_dukcapil)

    def test_leadership_and_other_offices_may_not_record_a_stop(self) -> None:
        for user in (self.pimpinan, self.koord_pupr, self.staf_pupr):
            with self.subTest(user=user.username), self.assertRaises(ValidationError):
                services.reading_log_record(actor=user, gathering=self.yesterday, stop=Ref(2, 10))
        self.assertFalse(ReadingLog.objects.exists())

    def test_a_gathering_still_to_come_or_cancelled_has_nothing_to_record(self) -> None:
        tomorrow = gathering_on(self.dukcapil, TODAY + dt.timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, services.LOG_NOT_STARTED):
            services.reading_log_record(actor=self.koord_dukcapil, gathering=tomorrow, stop=Ref(2, 10))
        gathering_cancel(actor=self.koord_dukcapil, gathering=self.yesterday, reason="Banjir")
        with self.assertRaisesMessage(ValidationError, services.LOG_CANCELLED):
            services.reading_log_record(actor=self.koord_dukcapil, gathering=self.yesterday, stop=Ref(2, 10))

    def test_correcting_a_recorded_stop_is_audited(self) -> None:
        services.reading_log_record(actor=self.koord_dukcapil, gathering=self.yesterday, stop=Ref(2, 10))
        self.assertFalse(AuditEntry.objects.filter(action="tadarus.log_change").exists())
        services.reading_log_record(actor=self.fasilitator, gathering=self.yesterday, stop=Ref(2, 12))
        entry = AuditEntry.objects.get(action="tadarus.log_change")
        self.assertEqual(
            (entry.old["stop"], entry.new["stop"], entry.actor), ("2:10", "2:12", self.fasilitator)
        )


@time_machine.travel(NOW, tick=False)
class PlanServiceTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule(cls.dukcapil)

    def test_only_those_who_manage_the_office_set_the_plan(self) -> None:
        for user in (self.staf_dukcapil, self.fasilitator, self.pimpinan, self.koord_pupr):
            with (
                self.subTest(user=user.username),
                self.assertRaisesMessage(ValidationError, services.PLAN_NOT_ALLOWED),
            ):
                services.khatam_plan_set(
                    actor=user, office=self.dukcapil, valid_from=TODAY, unit="pages", amount=2
                )
        made = services.khatam_plan_set(
            actor=self.koord_dukcapil, office=self.dukcapil, valid_from=TODAY, unit="juz", amount=1, per=4
        )
        self.assertEqual(made.amount_label, "1/4 juz")

    def test_a_new_version_may_not_rewrite_gatherings_already_read(self) -> None:
        plan(self.dukcapil)
        hold(self.dukcapil)
        with self.assertRaisesMessage(ValidationError, "01-12-2026"):
            services.khatam_plan_set(
                actor=self.koord_dukcapil, office=self.dukcapil, valid_from=YESTERDAY, unit="pages", amount=3
            )
        services.khatam_plan_set(
            actor=self.koord_dukcapil, office=self.dukcapil, valid_from=TODAY, unit="pages", amount=3
        )
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertEqual(portion.amount_label, "3 halaman")
        self.assertEqual(quran.page_of(portion.end) - quran.page_of(portion.start) + 1, 3)

    def test_an_impossible_amount_is_refused_by_the_database_rules(self) -> None:
        with self.assertRaises(ValidationError):
            services.khatam_plan_set(
                actor=self.koord_dukcapil,
                office=self.dukcapil,
                valid_from=TODAY,
                unit="pages",
                amount=2,
                per=4,
            )
        with self.assertRaises(ValidationError):
            services.khatam_plan_set(
                actor=self.koord_dukcapil, office=self.dukcapil, valid_from=TODAY, unit="juz", amount=4, per=1
            )
        self.assertFalse(KhatamPlan.objects.exists())

    def test_correcting_a_version_is_audited(self) -> None:
        services.khatam_plan_set(
            actor=self.koord_dukcapil, office=self.dukcapil, valid_from=TODAY, unit="pages", amount=2
        )
        services.khatam_plan_set(
            actor=self.admin, office=self.dukcapil, valid_from=TODAY, unit="pages", amount=4, start=Ref(18, 1)
        )
        entry = AuditEntry.objects.get(action="tadarus.plan_change")
        self.assertEqual((entry.old["amount"], entry.new["amount"], entry.new["start"]), (2, 4, "18:1"))


@time_machine.travel(NOW, tick=False)
class OfficePageTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        schedule(cls.dukcapil)
        plan(cls.dukcapil)
        hold(cls.dukcapil)

    def setUp(self) -> None:
        self.url = reverse("tadarus:office", kwargs={"office_code": "DUKCAPIL"})

    def test_the_coordinator_sees_progress_the_log_and_the_forms(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(self.url)
        self.assertContains(response, "Tadarus bersama")
        self.assertContains(response, "Menuju khatam ke-1")
        self.assertContains(response, '<progress class="progress"', html=False)
        self.assertContains(response, "Perkiraan khatam berikutnya")
        self.assertContains(response, "Catat tempat berhenti")
        self.assertContains(response, "Ubah rencana khatam")
        self.assertContains(response, "Selasa, 1 Des")

    def test_staff_and_leadership_read_it_without_forms(self) -> None:
        for user in (self.staf_dukcapil, self.pimpinan):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "Ubah rencana khatam")
            self.assertNotContains(response, "Catat tempat berhenti")

    def test_another_office_gets_not_found(self) -> None:
        self.client.force_login(self.koord_pupr)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        gathering = gathering_on(self.dukcapil, YESTERDAY)
        url = reverse("tadarus:log_record", kwargs={"office_code": "DUKCAPIL", "gathering_id": gathering.pk})
        self.assertEqual(self.client.post(url, {"stop": "2:10"}).status_code, 404)
        self.assertFalse(ReadingLog.objects.exists())

    def test_recording_a_stop_through_the_page(self) -> None:
        gathering = gathering_on(self.dukcapil, YESTERDAY)
        url = reverse("tadarus:log_record", kwargs={"office_code": "DUKCAPIL", "gathering_id": gathering.pk})
        self.client.force_login(self.fasilitator)
        response = self.client.post(url, {"stop": " 2 : 176 ", "note": "lebih panjang"})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(ReadingLog.objects.get().stop, Ref(2, 176))

    def test_a_mistyped_stop_keeps_what_was_typed_and_explains(self) -> None:
        gathering = gathering_on(self.dukcapil, YESTERDAY)
        url = reverse("tadarus:log_record", kwargs={"office_code": "DUKCAPIL", "gathering_id": gathering.pk})
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(url, {"stop": "2:300"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "ayat 300 tidak ada")
        self.assertContains(response, 'value="2:300"', html=False)
        self.assertFalse(ReadingLog.objects.exists())

    def test_a_bad_plan_keeps_what_was_typed(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            reverse("tadarus:plan_set", kwargs={"office_code": "DUKCAPIL"}),
            {"valid_from": "2026-12-03", "unit": "pages", "amount": "2", "per": "1", "start": "115:1"},
        )
        self.assertContains(response, "Surah 115 tidak ada")
        self.assertContains(response, 'value="115:1"', html=False)

    def test_the_plan_form_saves_a_new_version(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            reverse("tadarus:plan_set", kwargs={"office_code": "DUKCAPIL"}),
            {"valid_from": "2026-12-03", "unit": "juz", "amount": "1", "per": "2", "start": ""},
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertEqual(KhatamPlan.objects.order_by("valid_from").last().amount_label, "1/2 juz")  # type: ignore[union-attr]

    def test_staff_see_today_s_portion_on_hari_ini(self) -> None:
        self.client.force_login(self.staf_dukcapil)
        response = self.client.get(reverse("program:today"))
        self.assertContains(response, "Bacaan tadarus")
        portion = selectors.portion_for_gathering(gathering_on(self.dukcapil, TODAY))
        assert portion is not None
        self.assertContains(response, portion.description)
        self.assertContains(response, "quran.kemenag.go.id/quran/per-ayat/surah/")

    def test_the_office_page_reads_a_fixed_number_of_queries_however_many_gatherings(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        self.client.get(self.url)  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as before:
            self.client.get(self.url)
        Gathering.objects.filter(office=self.dukcapil).update(status=Gathering.Status.SCHEDULED)
        hold(self.dukcapil, until=dt.date(2026, 11, 3))
        with CaptureQueriesContext(connection) as after:
            self.client.get(self.url)
        self.assertEqual(len(before), len(after))
        self.assertLessEqual(len(before), 20)
