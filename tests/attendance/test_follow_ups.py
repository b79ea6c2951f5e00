"""Absence follow-up: who was absent, the personal follow-up recorded and closed; the cron command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import time_machine
from django.core.management import call_command
from django.urls import reverse

from perjumpaan.attendance import services
from perjumpaan.attendance.models import Attendance, FollowUp
from perjumpaan.core.scoping import scoped
from perjumpaan.org.models import Employee
from perjumpaan.program.models import Gathering
from tests.attendance.helpers import a_gathering, at, code_for
from tests.base import PerjumpaanTestCase


@time_machine.travel(at(7, 8), tick=False)
class FollowUpTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.me = Employee.objects.get(user=self.staf_dukcapil)
        self.other = Employee.objects.get(name="Lalu Muhammad Zaini")
        for day in (1, 2, 3):
            gathering = a_gathering(self.dukcapil, day=day)
            services.checkin(employee=self.me, code=code_for(gathering, at(day, 12)), now=at(day, 12))
            services.gathering_close(gathering=gathering)
        self.url = reverse("attendance:follow_ups", args=["DUKCAPIL"])

    def test_the_coordinator_sees_who_was_absent_and_who_needs_a_personal_word(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        page = self.client.get(self.url)
        self.assertContains(page, "bukan hukuman")
        self.assertContains(page, "Perlu disapa (1)")
        self.assertContains(page, "3 kali berturut-turut")
        self.assertContains(page, "Lalu Muhammad Zaini", count=4)  # the follow-up and three gatherings

    def test_recording_the_conversation_and_closing_it(self) -> None:
        follow_up = FollowUp.objects.get()
        self.client.force_login(self.koord_dukcapil)
        record = reverse("attendance:follow_up_record", args=["DUKCAPIL", follow_up.pk])
        prefix = f"f{follow_up.pk}"
        response = self.client.post(
            record,
            {
                f"{prefix}-talked_on": "2026-12-07",
                f"{prefix}-agreement": "Sedang merawat ibu di rumah sakit; hadir lagi mulai Rabu.",
            },
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        follow_up.refresh_from_db()
        self.assertEqual(
            (follow_up.talked_by, follow_up.talked_on, follow_up.closed),
            (self.koord_dukcapil, dt.date(2026, 12, 7), False),
        )
        self.client.post(
            record,
            {
                f"{prefix}-talked_on": "2026-12-09",
                f"{prefix}-agreement": "Sudah hadir.",
                f"{prefix}-close": "on",
            },
        )
        follow_up.refresh_from_db()
        self.assertTrue(follow_up.closed)
        page = self.client.get(self.url)
        self.assertContains(page, "Perlu disapa (0)")
        self.assertContains(page, "Sudah hadir.")

    def test_an_incomplete_record_says_what_is_missing(self) -> None:
        follow_up = FollowUp.objects.get()
        self.client.force_login(self.koord_dukcapil)
        record = reverse("attendance:follow_up_record", args=["DUKCAPIL", follow_up.pk])
        response = self.client.post(record, {f"f{follow_up.pk}-talked_on": "besok"}, follow=True)
        self.assertContains(response, "msg-error")
        follow_up.refresh_from_db()
        self.assertIsNone(follow_up.talked_on)

    def test_follow_ups_are_for_the_office_s_managers_only(self) -> None:
        follow_up = FollowUp.objects.get()
        record = reverse("attendance:follow_up_record", args=["DUKCAPIL", follow_up.pk])
        for persona in ("koord_pupr", "pimpinan", "staf_dukcapil", "fasilitator"):
            self.client.force_login(getattr(self, persona))
            self.assertEqual(self.client.get(self.url).status_code, 404, persona)
            self.assertEqual(self.client.post(record, {}).status_code, 404, persona)
        # Personal: a colleague or a facilitator reading through the scoping sees none of them.
        self.assertFalse(scoped(self.staf_dukcapil, FollowUp.objects.all()).exists())
        self.assertFalse(scoped(self.fasilitator, FollowUp.objects.all()).exists())


class CloseCommandTests(PerjumpaanTestCase):
    def test_close_gatherings_closes_what_has_ended_and_is_safe_twice(self) -> None:
        ended = a_gathering(self.dukcapil, day=2)
        running = a_gathering(self.dukcapil, day=3)
        out = StringIO()
        with time_machine.travel(at(3, 12, 10), tick=False):
            call_command("close_gatherings", stdout=out)
            call_command("close_gatherings", stdout=out)
        self.assertIn("1 perjumpaan ditutup", out.getvalue())
        self.assertIn("0 perjumpaan ditutup", out.getvalue())
        ended.refresh_from_db()
        running.refresh_from_db()
        self.assertEqual((ended.status, running.status), (Gathering.Status.HELD, Gathering.Status.SCHEDULED))
        self.assertEqual(Attendance.objects.filter(gathering=ended).count(), 2)
        self.assertFalse(Attendance.objects.filter(gathering=running).exists())
