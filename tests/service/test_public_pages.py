"""The pages citizens open without an account: the SKM form and kiosk, the results, the complaint form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from perjumpaan.org.models import Office
from perjumpaan.service.models import Complaint, SurveyResponse
from perjumpaan.service.skm import ELEMENTS
from tests.service.helpers import ServiceTestCase, stored_answer, wita

NOW = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)  # Friday 18.00 WITA
SURVEY = "/skm/DUKCAPIL/?pemda=lombok-barat"
KIOSK = "/skm/DUKCAPIL/kiosk/?pemda=lombok-barat"
COMPLAINT = "/pengaduan/DUKCAPIL/?pemda=lombok-barat"


def answers(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"u{i}": "3" for i in range(1, 10)}
    data.update(extra)
    return data


class PublicCase(ServiceTestCase):
    def setUp(self) -> None:
        cache.clear()
        self.client = Client(REMOTE_ADDR="10.1.2.3")
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def post_survey(self, data: dict[str, Any], url: str = SURVEY, client: Client | None = None) -> Any:
        client = client or self.client
        client.get(url)  # the form gives the device its cookie
        return client.post(url, {"service": self.services["KTP-EL"].pk, **data})


class SurveyFormTests(PublicCase):
    def test_the_form_asks_the_nine_questions_with_the_regulation_s_four_answers(self) -> None:
        page = self.client.get(SURVEY).content.decode()
        for element in ELEMENTS:
            self.assertIn(element.question, page)
            for label in element.labels:
                self.assertIn(label, page)
        self.assertIn('type="radio"', page)
        self.assertIn("tanpa NIK", page)
        self.assertNotIn("NIK</label>", page)

    def test_it_needs_no_account_and_stores_an_anonymous_answer(self) -> None:
        response = self.post_survey(
            answers(u3="1", u9="", sex="P", age="34", education="SMA", occupation="WIRAUSAHA")
        )
        self.assertRedirects(
            response, reverse("service:survey_thanks", args=["DUKCAPIL"]) + "?pemda=lombok-barat"
        )
        stored = SurveyResponse.objects.get()
        self.assertEqual(
            (stored.office, stored.service, stored.channel), (self.dukcapil, self.services["KTP-EL"], "qr")
        )
        self.assertEqual((stored.u1, stored.u3, stored.u9, stored.sex, stored.age), (3, 1, None, "P", 34))
        self.assertEqual(stored.submitted_at, NOW)

    def test_nothing_answered_keeps_what_was_typed_and_says_so(self) -> None:
        response = self.post_survey({"suggestion": "Ruang tunggu panas"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "sekurang-kurangnya satu pertanyaan")
        self.assertContains(response, "Ruang tunggu panas")
        self.assertFalse(SurveyResponse.objects.exists())

    def test_a_ticket_links_the_answer_to_today_s_record_and_works_once(self) -> None:
        record = self.record(dt.date(2026, 11, 27), "A012")
        self.post_survey(answers(ticket=" a012 "))
        self.assertEqual(SurveyResponse.objects.get().record, record)
        response = self.post_survey(answers(ticket="A012"), client=Client(REMOTE_ADDR="10.9.9.9"))
        self.assertContains(response, "sudah dipakai untuk mengisi survei")
        self.assertEqual(SurveyResponse.objects.count(), 1)

    def test_a_nik_in_the_suggestions_is_refused(self) -> None:
        response = self.post_survey(answers(suggestion="NIK saya 5201 0101 0101 0001 belum jadi"))
        self.assertContains(response, "Jangan menuliskan NIK")
        self.assertFalse(SurveyResponse.objects.exists())

    def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(self) -> None:
        response = self.post_survey(answers(situs_web="http://spam.example"))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(SurveyResponse.objects.exists())

    def test_another_office_s_service_is_not_accepted(self) -> None:
        self.client.get(SURVEY)
        response = self.client.post(SURVEY, {"service": self.pbg.pk, **answers()})
        self.assertContains(response, "Pilih layanan dari daftar")
        self.assertFalse(SurveyResponse.objects.exists())

    def test_an_ambiguous_office_code_asks_which_government(self) -> None:
        response = Client().get("/skm/DUKCAPIL/")
        self.assertContains(response, "Pilih pemerintah daerah")
        self.assertContains(response, "?pemda=lombok-barat")
        self.assertContains(response, "?pemda=lombok-timur")

    def test_an_unknown_or_inactive_office_is_404(self) -> None:
        Office.objects.filter(code="PUPR").update(is_active=False)
        self.assertEqual(Client().get("/skm/PUPR/").status_code, 404)
        self.assertEqual(Client().get("/skm/TIDAKADA/").status_code, 404)


@override_settings(
    PERJUMPAAN_PUBLIC_FORM_LIMITS={"device_per_hour": 2, "device_per_day": 3, "address_per_hour": 4}
)
class AbuseLimitTests(PublicCase):
    def test_one_device_may_answer_a_few_times_an_hour_then_is_refused_with_its_answers_kept(self) -> None:
        for _ in range(2):
            self.assertEqual(self.post_survey(answers()).status_code, 302)
        response = self.post_survey(answers(suggestion="ketiga kali"))
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Terlalu banyak kiriman", status_code=429)
        self.assertContains(response, "ketiga kali", status_code=429)
        self.assertEqual(SurveyResponse.objects.count(), 2)

    def test_the_device_limit_holds_for_the_day_across_hours(self) -> None:
        for hour in range(3):
            with time_machine.travel(NOW + dt.timedelta(hours=hour), tick=False):
                self.assertEqual(self.post_survey(answers()).status_code, 302)
        with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
            self.assertEqual(self.post_survey(answers()).status_code, 429)

    def test_one_network_address_is_limited_whatever_cookies_its_devices_send(self) -> None:
        for _ in range(4):
            self.assertEqual(
                self.post_survey(answers(), client=Client(REMOTE_ADDR="10.7.7.7")).status_code, 302
            )
        self.assertEqual(self.post_survey(answers(), client=Client(REMOTE_ADDR="10.7.7.7")).status_code, 429)
        self.assertEqual(self.post_survey(answers(), client=Client(REMOTE_ADDR="10.8.8.8")).status_code, 302)

    def test_a_forged_device_cookie_counts_as_none(self) -> None:
        self.client.cookies["perjumpaan_perangkat"] = "forged"
        self.assertEqual(
            self.client.post(SURVEY, {"service": self.services["KK"].pk, **answers()}).status_code, 302
        )

    def test_an_activated_kiosk_has_its_own_higher_limit(self) -> None:
        tablet = Client(REMOTE_ADDR="10.1.2.3")
        tablet.force_login(self.koord_dukcapil)
        tablet.post(reverse("service:kiosk_activate", args=["DUKCAPIL"]))
        # Logging out ends the session but keeps the kiosk cookie (the test client's logout drops all).
        del tablet.cookies[django_settings.SESSION_COOKIE_NAME]
        for _ in range(6):
            response = self.post_survey(answers(), url=KIOSK, client=tablet)
            self.assertEqual(response.status_code, 302)
        self.assertEqual(SurveyResponse.objects.filter(channel="kiosk").count(), 6)

    def test_complaints_are_limited_too(self) -> None:
        for _ in range(2):
            self.client.get(COMPLAINT)
            self.client.post(COMPLAINT, {"category": "waktu", "description": "Antrian terlalu lama sekali."})
        self.client.get(COMPLAINT)
        response = self.client.post(
            COMPLAINT, {"category": "waktu", "description": "Antrian terlalu lama sekali."}
        )
        self.assertEqual(response.status_code, 429)
        self.assertEqual(Complaint.objects.count(), 2)


class KioskTests(PublicCase):
    def test_after_each_answer_the_kiosk_thanks_and_returns_to_a_fresh_form(self) -> None:
        response = self.post_survey(answers(), url=KIOSK)
        self.assertEqual(response.status_code, 302)
        self.assertIn("terima-kasih=1", response["Location"])
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, "Terima kasih")
        self.assertContains(thanks, 'http-equiv="refresh"')
        self.assertContains(thanks, "/skm/DUKCAPIL/kiosk/?pemda=lombok-barat")

    def test_only_a_coordinator_of_the_office_can_activate_a_kiosk(self) -> None:
        url = reverse("service:kiosk_activate", args=["DUKCAPIL"])
        staff = Client()
        staff.force_login(self.staf_dukcapil)
        self.assertEqual(staff.post(url).status_code, 404)
        self.assertNotIn("perjumpaan_kios", staff.cookies)
        coordinator = Client()
        coordinator.force_login(self.koord_dukcapil)
        response = coordinator.post(url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("perjumpaan_kios", response.cookies)


class ResultsTests(PublicCase):
    def setUp(self) -> None:
        super().setUp()
        day = dt.date(2026, 11, 20)
        for index in range(3):
            self.record(day, f"A{index}")
        for value in (4, 3):
            stored_answer(
                office=self.dukcapil, submitted_at=wita(day, 9, 0), **{f"u{i}": value for i in range(1, 10)}
            )

    def test_the_page_shows_ikm_mutu_n_the_period_the_weight_and_the_sample_check(self) -> None:
        response = self.client.get("/skm/DUKCAPIL/hasil/?pemda=lombok-barat&periode=2026-11")
        self.assertContains(response, "87,50")
        self.assertContains(response, "Baik")
        self.assertContains(response, "November 2026")
        self.assertContains(response, "1/9")
        self.assertContains(response, "sampel belum cukup")
        self.assertContains(response, "<svg")
        self.assertContains(response, "U9 Penanganan Pengaduan, Saran dan Masukan")

    def test_an_office_that_chose_the_rounded_weight_publishes_with_it_and_says_so(self) -> None:
        from perjumpaan.service.services import survey_settings_set

        survey_settings_set(office=self.dukcapil, ikm_weight="0.11")
        response = self.client.get("/skm/DUKCAPIL/hasil/?pemda=lombok-barat&periode=2026-11")
        self.assertContains(response, "86,63")  # 3,5 × 9 × 0,11 × 25
        self.assertContains(response, "0,11")

    def test_a_bad_period_shows_the_latest_instead(self) -> None:
        response = self.client.get("/skm/DUKCAPIL/hasil/?pemda=lombok-barat&periode=2026-13")
        self.assertContains(response, "November 2026")

    def test_the_infographic_is_a_png_and_a_pdf(self) -> None:
        png = self.client.get("/skm/DUKCAPIL/hasil/infografis.png?pemda=lombok-barat&periode=2026-11")
        self.assertEqual(png["Content-Type"], "image/png")
        self.assertTrue(png.content.startswith(b"\x89PNG"))
        pdf = self.client.get("/skm/DUKCAPIL/hasil/infografis.pdf?pemda=lombok-barat&periode=2026-11")
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_no_answers_yet_is_said_plainly(self) -> None:
        response = Client().get("/skm/PUPR/hasil/?periode=2026-01")
        self.assertContains(response, "Belum ada jawaban survei")


class ComplaintFormTests(PublicCase):
    def test_a_complaint_needs_no_account_and_gets_a_reference(self) -> None:
        self.client.get(COMPLAINT)
        response = self.client.post(
            COMPLAINT,
            {
                "category": "waktu",
                "service": self.services["KK"].pk,
                "description": "Menunggu tiga jam.",
                "contact": "0812 3456 7890",
            },
        )
        self.assertEqual(response.status_code, 302)
        complaint = Complaint.objects.get()
        self.assertEqual(
            (complaint.status, complaint.channel, complaint.contact), ("diterima", "web", "0812 3456 7890")
        )
        thanks = self.client.get(response["Location"])
        self.assertContains(thanks, complaint.reference)

    def test_a_forged_reference_on_the_thanks_page_shows_none(self) -> None:
        response = self.client.get("/pengaduan/DUKCAPIL/terkirim/?pemda=lombok-barat&ref=ADU-123456")
        self.assertNotContains(response, "ADU-123456")

    def test_a_nik_is_refused_in_the_contact_and_the_text(self) -> None:
        self.client.get(COMPLAINT)
        response = self.client.post(
            COMPLAINT, {"category": "lainnya", "description": "NIK 5201010101010001 ditolak", "contact": ""}
        )
        self.assertContains(response, "Jangan menuliskan NIK")
        self.assertFalse(Complaint.objects.exists())


SURVEY_FIELDS = [
    *(f"u{i}" for i in range(1, 10)), "service", "ticket", "sex", "age", "education", "occupation",
    "suggestion", "situs_web",
]  # fmt: skip


class PublicFormsNeverCrashTests(PublicCase, HypothesisTestCase):
    field_values = st.one_of(
        st.text(max_size=50), st.integers().map(str), st.sampled_from(["1", "4", "5", "", "L"])
    )

    @settings(max_examples=60, deadline=None)
    @given(st.dictionaries(st.sampled_from(SURVEY_FIELDS), field_values))
    def test_any_survey_post_is_stored_or_refused_never_a_server_error(self, data: dict[str, str]) -> None:
        cache.clear()
        response = Client(REMOTE_ADDR="10.3.3.3").post(SURVEY, data)
        self.assertIn(response.status_code, (200, 302, 429))

    @settings(max_examples=40, deadline=None)
    @given(
        st.dictionaries(
            st.sampled_from(["category", "service", "description", "contact", "situs_web"]), field_values
        )
    )
    def test_any_complaint_post_is_stored_or_refused_never_a_server_error(self, data: dict[str, str]) -> None:
        cache.clear()
        response = Client(REMOTE_ADDR="10.3.3.4").post(COMPLAINT, data)
        self.assertIn(response.status_code, (200, 302, 429))

    @settings(max_examples=30, deadline=None)
    @given(st.text(max_size=30), st.text(max_size=30))
    def test_any_query_string_on_the_results_page_is_answered(self, period: str, pemda: str) -> None:
        response = Client().get("/skm/DUKCAPIL/hasil/", {"periode": period, "pemda": pemda})
        self.assertIn(response.status_code, (200, 404))
