"""The check-in screen and its JSON, and the check-in page's hints for checkin.js."""

from __future__ import annotations

import re

import time_machine
from django.urls import reverse

from perjumpaan.attendance import services
from perjumpaan.attendance.codes import code_verify
from perjumpaan.attendance.models import AttendancePolicy
from perjumpaan.org.models import Employee
from tests.attendance.helpers import a_gathering, at, code_for
from tests.base import PerjumpaanTestCase


class ScreenTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        self.gathering = a_gathering(self.dukcapil)  # 12.00–12.45 WITA on 2 December 2026
        self.screen = reverse("attendance:screen", args=["DUKCAPIL", self.gathering.pk])
        self.code_url = reverse("attendance:screen_code", args=["DUKCAPIL", self.gathering.pk])

    def test_the_coordinator_s_screen_shows_a_qr_code_the_time_place_and_the_live_count(self) -> None:
        me = Employee.objects.get(user=self.staf_dukcapil)
        with time_machine.travel(at(2, 12, 3), tick=False):
            services.checkin(employee=me, code=code_for(self.gathering, at(2, 12, 3)), now=at(2, 12, 3))
            self.client.force_login(self.koord_dukcapil)
            page = self.client.get(self.screen)
        self.assertContains(page, "<svg")
        self.assertContains(page, "Rabu, 2 Desember 2026")
        self.assertContains(page, "12.00–12.45 WITA")
        self.assertContains(page, 'id="screen-checked-in">1<')
        self.assertContains(page, 'id="screen-expected">2<')
        self.assertContains(page, "perjumpaan/screen.js")

    def test_the_json_gives_a_code_that_checks_in_and_expires_with_its_window(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        with time_machine.travel(at(2, 12, 0, 5), tick=False):
            data = self.client.get(self.code_url).json()
        self.assertEqual(data["state"], "open")
        self.assertEqual((data["checked_in"], data["expected"]), (0, 2))
        self.assertEqual(data["expires_in"], 10)  # 15-second windows: 12.00.00–12.00.15
        self.assertEqual(data["code_seconds"], 15)
        self.assertTrue(data["svg"].startswith("<svg"))
        self.assertTrue(data["url"].startswith("http://testserver/c/"))
        self.assertIn(data["code"], data["url"])
        verified = code_verify(data["code"], moment=at(2, 12, 0, 5), seconds=15)
        self.assertEqual(verified.gathering_id, self.gathering.pk)
        with time_machine.travel(at(2, 12, 0, 16), tick=False):
            self.assertNotEqual(self.client.get(self.code_url).json()["code"], data["code"])

    def test_the_screen_shows_no_code_before_check_in_opens_or_after_the_end(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        with time_machine.travel(at(2, 11, 30), tick=False):
            early = self.client.get(self.code_url).json()
        self.assertEqual((early["state"], early["code"], early["svg"]), ("before", "", ""))
        self.assertIn("11.45", early["message"])
        with time_machine.travel(at(2, 13), tick=False):
            late = self.client.get(self.code_url).json()
        self.assertEqual((late["state"], late["code"]), ("closed", ""))
        self.assertIn("sudah ditutup", late["message"])

    def test_only_those_who_manage_the_office_see_its_screen(self) -> None:
        with time_machine.travel(at(2, 12), tick=False):
            for persona in ("koord_pupr", "pimpinan", "staf_dukcapil", "fasilitator", "other_admin"):
                self.client.force_login(getattr(self, persona))
                self.assertEqual(self.client.get(self.screen).status_code, 404, persona)
                self.assertEqual(self.client.get(self.code_url).status_code, 404, persona)
            # Another office's code in the address does not reach the gathering either.
            self.client.force_login(self.koord_pupr)
            other = reverse("attendance:screen_code", args=["PUPR", self.gathering.pk])
            self.assertEqual(self.client.get(other).status_code, 404)
            self.client.force_login(self.admin)
            self.assertEqual(self.client.get(self.code_url).status_code, 200)

    def test_the_pages_carry_no_inline_script(self) -> None:
        self.client.force_login(self.koord_dukcapil)
        with time_machine.travel(at(2, 12), tick=False):
            body = self.client.get(self.screen).content.decode()
        self.assertEqual(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body), [])
        self.assertNotIn("onclick", body)


class CheckinHintTests(PerjumpaanTestCase):
    def test_the_check_in_page_tells_checkin_js_about_location_and_how_long_the_code_lasts(self) -> None:
        AttendancePolicy.objects.create(office=self.dukcapil, location_mode="require")
        gathering = a_gathering(self.dukcapil)
        self.client.force_login(self.staf_dukcapil)
        with time_machine.travel(at(2, 12, 0, 5), tick=False):
            page = self.client.get(reverse("attendance:checkin", args=[code_for(gathering, at(2, 12, 0, 5))]))
        # Valid in its own window (until 12.00.15) and the next (until 12.00.30).
        self.assertContains(page, 'data-location="require"')
        self.assertContains(page, 'data-valid-for="25"')
        self.assertContains(page, "perjumpaan/checkin.js")

    def test_a_malformed_code_or_another_office_s_gathering_asks_for_nothing(self) -> None:
        AttendancePolicy.objects.create(office=self.pupr, location_mode="require")
        theirs = a_gathering(self.pupr, track="hindu")
        self.client.force_login(self.staf_dukcapil)
        with time_machine.travel(at(2, 12), tick=False):
            for code in ("x", "1-2", code_for(theirs, at(2, 12))):
                page = self.client.get(reverse("attendance:checkin", args=[code]))
                self.assertContains(page, 'data-location="off"')
                self.assertContains(page, 'data-valid-for="0"')
