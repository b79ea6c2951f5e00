"""The programme's Django admin: the rollout is append-only, the Islamic dates the admin corrects become
the official ones, and another government's admin sees none of it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from perjumpaan.org.models import Government
from perjumpaan.program.models import Enrollment, IslamicDate, RolloutWave
from tests.base import PerjumpaanTestCase


class ProgrammeAdminTests(PerjumpaanTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.pilot = RolloutWave.objects.create(government=cls.government, number=1, name="Rintisan")
        cls.first = Enrollment.objects.create(
            office=cls.dukcapil, wave=cls.pilot, enrolled_on=dt.date(2026, 3, 2)
        )
        other = Government.objects.exclude(pk=cls.government.pk).get()
        cls.other_wave = RolloutWave.objects.create(government=other, number=1, name="Rintisan Lotim")
        cls.ramadan = IslamicDate.objects.create(
            government=cls.government,
            kind=IslamicDate.Kind.RAMADAN_START,
            hijri_year=1448,
            date=dt.date(2027, 2, 8),
        )

    def test_an_admin_adds_an_office_to_a_wave_and_the_earlier_rows_stay(self) -> None:
        self.client.force_login(self.admin)
        form = self.client.get(reverse("admin:program_enrollment_add"))
        self.assertContains(form, "Rintisan")
        self.assertNotContains(form, "Rintisan Lotim")  # another government's wave is not offered
        response = self.client.post(
            reverse("admin:program_enrollment_add"),
            {
                "office": self.dukcapil.pk,
                "wave": self.pilot.pk,
                "enrolled_on": "2026-03-09",
                "note": "Koreksi",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        rows = list(Enrollment.objects.filter(office=self.dukcapil).order_by("recorded_at", "pk"))
        self.assertEqual([r.enrolled_on for r in rows], [dt.date(2026, 3, 2), dt.date(2026, 3, 9)])
        self.assertEqual(rows[-1].recorded_by, self.admin)

    def test_an_enrolment_cannot_be_changed_or_deleted(self) -> None:
        self.client.force_login(self.admin)
        change = reverse("admin:program_enrollment_change", args=[self.first.pk])
        response = self.client.post(change, {"office": self.dukcapil.pk, "enrolled_on": "2020-01-01"})
        self.assertEqual(response.status_code, 403)
        delete = reverse("admin:program_enrollment_delete", args=[self.first.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.first.refresh_from_db()
        self.assertEqual(self.first.enrolled_on, dt.date(2026, 3, 2))

    def test_a_corrected_islamic_date_becomes_the_official_one(self) -> None:
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("admin:program_islamicdate_change", args=[self.ramadan.pk]),
            {
                "government": self.government.pk,
                "kind": "ramadan_start",
                "hijri_year": 1448,
                "date": "2027-02-09",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        self.ramadan.refresh_from_db()
        self.assertEqual((self.ramadan.date, self.ramadan.source), (dt.date(2027, 2, 9), "official"))

    def test_another_government_s_admin_and_a_coordinator_see_none_of_it(self) -> None:
        self.client.force_login(self.other_admin)
        listing = self.client.get(reverse("admin:program_rolloutwave_changelist"))
        self.assertContains(listing, "Rintisan Lotim")
        self.assertNotContains(listing, "Rintisan</a>")
        for name, obj in (
            ("admin:program_rolloutwave_change", self.pilot),
            ("admin:program_enrollment_change", self.first),
            ("admin:program_islamicdate_change", self.ramadan),
        ):
            response = self.client.get(reverse(name, args=[obj.pk]))
            self.assertIn(response.status_code, (302, 404), name)
        self.client.force_login(self.koord_dukcapil)
        response = self.client.get(reverse("admin:program_enrollment_changelist"))
        self.assertEqual(response.status_code, 302)
