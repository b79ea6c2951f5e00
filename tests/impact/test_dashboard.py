"""The leadership dashboard, the outcome panel CSV, office targets and the impact page: who sees what, and
the panel's numbers against a week worked out by hand."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from perjumpaan.evaluation.selectors import OPERATOR
from perjumpaan.impact import dashboard, selectors
from perjumpaan.impact.models import OfficeTarget
from perjumpaan.org.models import Office
from perjumpaan.program.models import Enrollment, RolloutWave
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.service.models import Complaint, Service, ServiceRecord, SurveyResponse
from tests.base import PerjumpaanTestCase
from tests.rollup.helpers import wita

# A Saturday: the window's last week is the one of Monday 23 November (its Friday has passed), and the
# first of its 52 weeks is the one of Monday 1 December 2025.
TODAY = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)
FIRST_WEEK = dt.date(2025, 12, 1)
WEEK = dt.date(2026, 11, 16)  # period 51
ENROLLED = dt.date(2026, 11, 9)  # Monday of period 50


def record(office: Office, service: Service, day: dt.date, ticket: str, wait: int | None) -> ServiceRecord:
    """A citizen served on `day`, arriving at 09:00 and called `wait` minutes later (None: never called)."""
    arrival = wita(day, 9)
    called = arrival + dt.timedelta(minutes=wait) if wait is not None else None
    return ServiceRecord.objects.create(
        office=office,
        service=service,
        date=day,
        ticket=ticket,
        arrival=arrival,
        called=called,
        finished=called + dt.timedelta(minutes=5) if called else None,
        result=ServiceRecord.Result.DONE if called else ServiceRecord.Result.POSTPONED,
    )


def answers(office: Office, day: dt.date, ticket: str, score: int) -> SurveyResponse:
    return SurveyResponse.objects.create(
        office=office,
        ticket=ticket,
        ticket_date=day,
        submitted_at=wita(day, 11),
        **{f"u{n}": score for n in range(1, 10)},
    )


@time_machine.travel(TODAY, tick=False)
class DashboardTests(PerjumpaanTestCase):
    """DUKCAPIL enrolled on 9 November 2026; in the week of 16 November it served four citizens (waits of
    5, 10 and 15 minutes, one never called), two answered the SKM (all 4s and all 3s) and one complaint
    came in. PUPR has not enrolled and served nobody."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        wave = RolloutWave.objects.create(government=cls.government, number=1, name="Percontohan")
        Enrollment.objects.create(office=cls.dukcapil, wave=wave, enrolled_on=ENROLLED)
        service = Service.objects.create(office=cls.dukcapil, code="KTP", name="KTP-el")
        for ticket, wait in (("A1", 5), ("A2", 10), ("A3", 15), ("A4", None)):
            record(cls.dukcapil, service, WEEK + dt.timedelta(days=1), ticket, wait)
        answers(cls.dukcapil, WEEK + dt.timedelta(days=1), "A1", 4)
        answers(cls.dukcapil, WEEK + dt.timedelta(days=2), "A2", 3)
        Complaint.objects.create(
            office=cls.dukcapil,
            reference="PGD-0001",
            category=Complaint.Category.choices[0][0],
            description="Antrian lama",
            received_at=wita(WEEK + dt.timedelta(days=1), 10),
        )
        rollup_rebuild(offices=[cls.dukcapil, cls.pupr])

    def setUp(self) -> None:
        caches["figures"].clear()

    def csv_rows(self, url: str) -> list[dict[str, str]]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        text = response.content.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    # --- Who sees it ---------------------------------------------------------------------------------

    def test_staff_facilitators_and_outsiders_get_404(self) -> None:
        urls = [
            "/dasbor/",
            "/dasbor/panel/",
            "/dasbor/panel.csv",
            "/dasbor/ekspor.csv?tabel=rollout",
            "/dasbor/dampak/",
            "/dasbor/laporan-bulanan.pdf?bulan=2026-11",
            "/dasbor/opd/DUKCAPIL/",
        ]
        for user in (self.staf_dukcapil, self.fasilitator, self.outsider):
            self.client.force_login(user)
            for url in urls:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_anonymous_visitors_are_sent_to_the_login(self) -> None:
        response = self.client.get("/dasbor/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/masuk/", response["Location"])

    def test_a_coordinator_sees_only_their_own_office(self) -> None:
        self.client.force_login(self.koord_pupr)
        page = self.client.get("/dasbor/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "/dasbor/opd/PUPR/")
        self.assertNotContains(page, "DUKCAPIL")
        self.assertEqual(self.client.get("/dasbor/opd/DUKCAPIL/").status_code, 404)
        self.assertEqual(self.client.get("/dasbor/opd/PUPR/").status_code, 200)
        rows = self.csv_rows("/dasbor/panel.csv")
        self.assertEqual({row["office"] for row in rows}, {"PUPR"})
        self.assertEqual(len(rows), 52)
        # The regency-wide comparison and the report are for leadership and admins.
        self.assertEqual(self.client.get("/dasbor/dampak/").status_code, 404)
        self.assertEqual(self.client.get("/dasbor/laporan-bulanan.pdf?bulan=2026-11").status_code, 404)

    def test_leadership_sees_every_office_of_its_government_and_no_other(self) -> None:
        self.client.force_login(self.pimpinan)
        page = self.client.get("/dasbor/")
        self.assertContains(page, "/dasbor/opd/DUKCAPIL/")
        self.assertContains(page, "/dasbor/opd/PUPR/")
        self.assertContains(page, 'href="/dasbor/"')  # in the navigation
        rows = self.csv_rows("/dasbor/panel.csv")
        self.assertEqual(len(rows), 2 * 52)
        self.client.force_login(self.other_admin)
        rows = self.csv_rows("/dasbor/panel.csv")
        self.assertEqual({row["office_name"] for row in rows}, {"Disdukcapil Lombok Timur"})
        self.assertTrue(all(row["volume"] == "0" for row in rows))

    def test_the_navigation_shows_the_dashboard_to_those_who_see_it(self) -> None:
        for user, shown in ((self.pimpinan, True), (self.koord_dukcapil, True), (self.staf_dukcapil, False)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                page = self.client.get("/")
                self.assertEqual('href="/dasbor/"' in page.content.decode(), shown)

    # --- The panel's numbers ---------------------------------------------------------------------------

    def test_the_panel_csv_holds_the_hand_computed_week(self) -> None:
        self.client.force_login(self.admin)
        rows = self.csv_rows("/dasbor/panel.csv")
        self.assertEqual(list(rows[0]), list(selectors.PANEL_COLUMNS))
        by_key = {(row["office"], row["week"]): row for row in rows}
        self.assertEqual(rows[0]["week"], FIRST_WEEK.isoformat())
        week = by_key[("DUKCAPIL", WEEK.isoformat())]
        self.assertEqual(week["period"], "51")
        self.assertEqual(week["cohort"], "50")  # 9 November is 49 weeks after 1 December 2025
        self.assertEqual(week["enrolled_on"], "2026-11-09")
        self.assertEqual(week["wave"], "Percontohan")
        self.assertEqual(week["volume"], "4")
        self.assertEqual(week["wait_minutes"], "10")  # (5 + 10 + 15) / 3; the uncalled citizen has no wait
        self.assertEqual(week["skm_respondents"], "2")
        self.assertEqual(week["ikm"], "87.5")  # every element (4 + 3) / 2 = 3.5; 3.5 × 25
        self.assertEqual(week["complaints"], "1")
        self.assertEqual(week["complaints_per_1000"], "250")  # 1 of 4 services
        quiet = by_key[("DUKCAPIL", "2026-11-23")]
        self.assertEqual((quiet["volume"], quiet["wait_minutes"], quiet["ikm"]), ("0", "", ""))
        pupr = by_key[("PUPR", WEEK.isoformat())]
        self.assertEqual((pupr["cohort"], pupr["enrolled_on"], pupr["complaints_per_1000"]), ("0", "", ""))

    def test_an_office_enrolled_before_the_window_counts_from_period_one(self) -> None:
        weeks = selectors.week_window(dt.date(2026, 11, 23))
        self.assertEqual(selectors.cohort_of(dt.date(2025, 6, 2), weeks), 1)
        self.assertEqual(selectors.cohort_of(dt.date(2026, 11, 11), weeks), 50)  # a Wednesday
        self.assertEqual(selectors.cohort_of(dt.date(2026, 12, 7), weeks), 0)
        self.assertEqual(selectors.cohort_of(None, weeks), 0)

    def test_the_dashboard_exports_each_table(self) -> None:
        self.client.force_login(self.pimpinan)
        wait = {row["Pekan (Senin)"]: row for row in self.csv_rows("/dasbor/ekspor.csv?tabel=wait")}
        self.assertEqual(wait[WEEK.isoformat()]["Peserta"], "10")
        self.assertEqual(wait["2026-11-02"]["Peserta"], "")  # before enrolment DUKCAPIL is not a participant
        ikm = {row["Kode"]: row for row in self.csv_rows("/dasbor/ekspor.csv?tabel=ikm")}
        self.assertEqual(ikm["DUKCAPIL"]["T4 2026"], "87.5")
        self.assertEqual(ikm["PUPR"]["T4 2026"], "")
        rollout = self.csv_rows("/dasbor/ekspor.csv?tabel=rollout")
        self.assertEqual(rollout[0]["Kode"], "DUKCAPIL")
        self.assertEqual(rollout[0]["Ikut sejak"], "2026-11-09")
        self.assertEqual(self.client.get("/dasbor/ekspor.csv?tabel=nope").status_code, 404)
        office = self.csv_rows("/dasbor/opd/DUKCAPIL/ekspor.csv")
        self.assertEqual(len(office), 52)
        self.assertEqual(office[50]["Jumlah layanan"], "4")

    def test_the_dashboard_reads_a_fixed_number_of_queries_whatever_the_number_of_offices(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as context:
                dashboard.regency(user=self.pimpinan, today=dt.date(2026, 11, 28))
            return len(context.captured_queries)

        queries()  # the user's roles, read once per request
        before = queries()
        for n in range(3):
            Office.objects.create(government=self.government, code=f"KEC{n}", name=f"Kecamatan {n}")
        self.assertEqual(queries(), before)
        self.assertLessEqual(before, 20)

    # --- Targets -------------------------------------------------------------------------------------

    def test_a_coordinator_sets_the_office_targets_and_the_dashboard_shows_progress(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            "/dasbor/opd/DUKCAPIL/sasaran/",
            {"attendance_rate": "90", "ikm": "85", "wait_minutes": "12", "followups_closed": ""},
        )
        self.assertRedirects(response, "/dasbor/opd/DUKCAPIL/")
        target = OfficeTarget.objects.get(office=self.dukcapil)
        self.assertEqual((target.ikm, target.wait_minutes), (Decimal("85.00"), Decimal("12.0")))
        self.assertIsNone(target.followups_closed)
        self.assertEqual(target.updated_by, self.koord_dukcapil)
        progress = dashboard.progress(
            user=self.pimpinan, offices=[self.dukcapil], quarter=selectors.Quarter(2026, 4)
        )[self.dukcapil.pk]
        ikm, wait = progress[1], progress[2]
        self.assertEqual((ikm.target, ikm.actual, ikm.met), (85.0, 87.5, True))
        self.assertEqual((wait.target, wait.actual, wait.met), (12.0, 10.0, True))
        self.client.force_login(self.pimpinan)
        page = self.client.get("/dasbor/")
        self.assertContains(page, "tercapai")

    def test_bad_targets_are_refused_with_a_message_and_kept(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        response = self.client.post(
            "/dasbor/opd/DUKCAPIL/sasaran/",
            {"attendance_rate": "120", "ikm": "banyak", "wait_minutes": "", "followups_closed": ""},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "lebih kecil dari atau sama dengan 100")
        self.assertContains(response, 'value="120"')
        self.assertFalse(OfficeTarget.objects.exists())

    def test_only_the_office_coordinator_and_the_admin_may_set_targets(self) -> None:
        for user, status in (
            (self.koord_pupr, 404),
            (self.pimpinan, 404),
            (self.staf_dukcapil, 404),
            (self.fasilitator, 404),
            (self.admin, 200),
            (self.koord_dukcapil, 200),
        ):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get("/dasbor/opd/DUKCAPIL/sasaran/").status_code, status)

    # --- Impact and report ------------------------------------------------------------------------------

    def test_the_impact_page_says_why_it_cannot_estimate_with_this_little_data(self) -> None:
        self.client.force_login(self.pimpinan)
        page = self.client.get("/dasbor/dampak/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "tidak dapat dihitung")

    def test_a_bad_month_for_the_report_gets_a_message_not_an_error(self) -> None:
        self.client.force_login(self.pimpinan)
        response = self.client.get("/dasbor/laporan-bulanan.pdf?bulan=November", follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Bulan ditulis TTTT-BB")
        response = self.client.get("/dasbor/laporan-bulanan.pdf?bulan=2027-01", follow=True)
        self.assertContains(response, "belum dimulai")


class CachedImpactTests(PerjumpaanTestCase):
    """An estimable panel: four offices with one citizen a week for 52 weeks, DUKCAPIL enrolled half-way.
    The analysis is computed once and reused until the data changes."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        extra = [
            Office.objects.create(government=cls.government, code=code, name=code)
            for code in ("DIKBUD", "DINKES")
        ]
        cls.offices = [cls.dukcapil, cls.pupr, *extra]
        Enrollment.objects.create(office=cls.dukcapil, enrolled_on=dt.date(2026, 6, 1))
        weeks = selectors.week_window(dt.date(2026, 11, 23))
        records = []
        for index, office in enumerate(cls.offices):
            service = Service.objects.create(office=office, code="S", name="Layanan")
            for period, week in enumerate(weeks):
                day = week + dt.timedelta(days=1)
                wait = 20 + index + (period * 7 + index * 3) % 5
                arrival = wita(day, 9)
                records.append(
                    ServiceRecord(
                        office=office,
                        service=service,
                        date=day,
                        ticket=f"T{period}",
                        arrival=arrival,
                        called=arrival + dt.timedelta(minutes=wait),
                        finished=arrival + dt.timedelta(minutes=wait + 5),
                        result=ServiceRecord.Result.DONE,
                    )
                )
        ServiceRecord.objects.bulk_create(records)
        rollup_rebuild(offices=cls.offices)
        cls.weeks = weeks

    def setUp(self) -> None:
        caches["figures"].clear()

    def test_the_estimate_is_cached_until_the_data_changes(self) -> None:
        outcome = selectors.OUTCOME_BY_COLUMN["wait_minutes"]
        panel = selectors.outcome_panel(user=OPERATOR, offices=self.offices, weeks=self.weeks)
        first = dashboard.outcome_impact(panel, outcome)
        self.assertIsNotNone(first.result, first.error)
        assert first.result is not None
        self.assertFalse(first.cached)
        self.assertEqual(first.result.inference, "randomization")
        self.assertEqual(first.result.n_treated, 1)
        self.assertIn("uji acak", first.words)
        again = dashboard.outcome_impact(
            selectors.outcome_panel(user=OPERATOR, offices=self.offices, weeks=self.weeks), outcome
        )
        self.assertTrue(again.cached)
        self.assertEqual(again.result.att, first.result.att)  # type: ignore[union-attr]
        # One more citizen waiting an hour in DUKCAPIL's last week: a new analysis.
        record(self.dukcapil, Service.objects.get(office=self.dukcapil), self.weeks[-1], "LATE", 60)
        rollup_rebuild(offices=[self.dukcapil])
        fresh = dashboard.outcome_impact(
            selectors.outcome_panel(user=OPERATOR, offices=self.offices, weeks=self.weeks), outcome
        )
        self.assertFalse(fresh.cached)
        self.assertNotEqual(fresh.result.att, first.result.att)  # type: ignore[union-attr]

    def test_a_cache_that_does_not_answer_makes_the_analysis_slower_not_broken(self) -> None:
        pytest.importorskip("redis", reason="the Python package redis is not installed")
        redis = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        dead = {"default": redis, "figures": redis}
        outcome = selectors.OUTCOME_BY_COLUMN["wait_minutes"]
        with override_settings(CACHES=dead), self.assertLogs("perjumpaan.core.caching", "WARNING"):
            panel = selectors.outcome_panel(user=OPERATOR, offices=self.offices, weeks=self.weeks)
            result = dashboard.outcome_impact(panel, outcome)
        self.assertIsNotNone(result.result, result.error)
        self.assertFalse(result.cached)

    def test_the_plain_words_follow_the_reader_s_language(self) -> None:
        outcome = selectors.OUTCOME_BY_COLUMN["wait_minutes"]
        panel = selectors.outcome_panel(user=OPERATOR, offices=self.offices, weeks=self.weeks)
        indonesian = dashboard.outcome_impact(panel, outcome).words
        with translation.override("en"):
            english = dashboard.outcome_impact(panel, outcome).words
        self.assertRegex(indonesian, r"^(Ada bukti|Belum dapat disimpulkan)")
        self.assertRegex(english, r"^(There is evidence|It cannot yet be concluded)")
        self.assertNotIn("Belum dapat", english)
        self.assertNotIn("Interval dihitung", english)
