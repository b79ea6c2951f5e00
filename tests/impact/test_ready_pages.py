"""Dashboard pages kept ready: `perjumpaan warm_dashboards` renders them ahead, readers get them without
reading the rollups, and what the page shows is at most fifteen minutes old (or new at once, for targets)."""

from __future__ import annotations

import datetime as dt
import io

import time_machine
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from perjumpaan.evaluation.selectors import OPERATOR
from perjumpaan.impact import dashboard
from perjumpaan.program.models import Enrollment, RolloutWave
from perjumpaan.rollup.services import rollup_rebuild
from perjumpaan.service.models import Service
from tests.base import PerjumpaanTestCase
from tests.impact.test_dashboard import ENROLLED, TODAY, WEEK, record

LAST_WEEK = WEEK + dt.timedelta(weeks=1)  # the window's last week, whose total the dashboard's card shows
PAGES = ("/dasbor/", "/dasbor/opd/DUKCAPIL/", "/dasbor/panel/", "/dasbor/dampak/")


def volume_card(html: str) -> str:
    """The number on the card "layanan pekan terakhir"."""
    head = html.split("layanan pekan terakhir")[0]
    return head.rsplit('<p class="stat">', 1)[1].split("<", 1)[0]


@time_machine.travel(TODAY, tick=False)
class ReadyPageTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        wave = RolloutWave.objects.create(government=cls.government, number=1, name="Percontohan")
        Enrollment.objects.create(office=cls.dukcapil, wave=wave, enrolled_on=ENROLLED)
        cls.service = Service.objects.create(office=cls.dukcapil, code="KTP", name="KTP-el")
        for ticket in ("A1", "A2", "A3"):
            record(cls.dukcapil, cls.service, LAST_WEEK, ticket, 10)
        rollup_rebuild(offices=[cls.dukcapil, cls.pupr])

    def setUp(self) -> None:
        caches["figures"].clear()

    def add_record(self, ticket: str) -> None:
        record(self.dukcapil, self.service, LAST_WEEK + dt.timedelta(days=1), ticket, 10)
        rollup_rebuild(offices=[self.dukcapil])

    def test_after_the_warm_up_job_readers_get_pages_without_reading_the_rollups(self) -> None:
        out = io.StringIO()
        call_command("warm_dashboards", stdout=out)
        # Per language and government: its dashboard, panel and impact page, and per office two pages
        # (Lombok Barat has two offices, the other government of the fixtures one): 2 × (7 + 5).
        self.assertIn("2 pemda, 3 kantor: 24 halaman dasbor disiapkan", out.getvalue())
        for user, urls in ((self.pimpinan, PAGES), (self.koord_dukcapil, PAGES[:2])):
            self.client.force_login(user)
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    page = self.client.get(url)
                self.assertEqual(page.status_code, 200, url)
                self.assertContains(page, "Angka per 28 Nov 2026, 18:00")  # 10:00 UTC in WITA
                read = [q["sql"] for q in queries.captured_queries if "rollup_" in q["sql"]]
                self.assertEqual(read, [], f"{user} {url}")
        self.client.force_login(self.pimpinan)
        self.assertEqual(volume_card(self.client.get("/dasbor/").content.decode()), "3")

    def test_the_job_can_be_limited_to_one_government_and_names_an_unknown_one(self) -> None:
        out = io.StringIO()
        call_command("warm_dashboards", government=["lombok-barat"], stdout=out)
        self.assertIn("1 pemda, 2 kantor: 14 halaman dasbor disiapkan", out.getvalue())
        with self.assertRaisesMessage(CommandError, "Pemda tidak dikenal: lombok-utara."):
            call_command("warm_dashboards", government=["lombok-barat", "lombok-utara"])

    def test_new_data_shows_once_the_page_is_fifteen_minutes_old_or_after_the_next_warm_up(self) -> None:
        self.client.force_login(self.pimpinan)
        self.assertEqual(volume_card(self.client.get("/dasbor/").content.decode()), "3")
        self.add_record("A4")
        # Within the freshness guarantee the page kept ready is shown, and says how old it is.
        page = self.client.get("/dasbor/").content.decode()
        self.assertEqual(volume_card(page), "3")
        with time_machine.travel(TODAY + dt.timedelta(minutes=16), tick=False):
            page = self.client.get("/dasbor/").content.decode()
            self.assertEqual(volume_card(page), "4")
            self.assertIn("Angka per 28 Nov 2026, 18:16", page)
            self.add_record("A5")
            call_command("warm_dashboards", stdout=io.StringIO())
            self.assertEqual(volume_card(self.client.get("/dasbor/").content.decode()), "5")

    def test_a_new_target_shows_at_once(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        self.assertNotContains(self.client.get("/dasbor/opd/DUKCAPIL/"), "Sasaran: 12,0")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(
                "/dasbor/opd/DUKCAPIL/sasaran/",
                {"attendance_rate": "", "ikm": "", "wait_minutes": "12", "followups_closed": ""},
            )
        self.assertContains(self.client.get("/dasbor/opd/DUKCAPIL/"), "Sasaran: 12,0")

    def test_readers_share_a_page_only_when_they_may_see_all_of_it(self) -> None:
        offices = [self.dukcapil, self.pupr]
        day = TODAY.date()
        shared = dashboard.page_key("regency", OPERATOR, offices, day)
        self.assertEqual(dashboard.page_key("regency", self.pimpinan, offices, day), shared)
        self.assertEqual(dashboard.page_key("regency", self.admin, offices, day), shared)
        # A coordinator of one of the two offices may not see the other's attendance: never the same page.
        self.assertNotEqual(dashboard.page_key("regency", self.koord_dukcapil, offices, day), shared)
        self.assertNotEqual(dashboard.page_key("office", OPERATOR, offices, day), shared)
        self.assertNotEqual(
            dashboard.page_key("regency", OPERATOR, offices, day + dt.timedelta(days=1)), shared
        )
