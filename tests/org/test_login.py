"""Logging in through the real login page, lock-out, demo accounts, the health check, and the home page
each role lands on."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from perjumpaan.org.models import Employee, User
from tests.base import PerjumpaanTestCase

PASSWORD = "rahasia-uji-123"
WRONG_PASSWORD_MESSAGE = "Nama pengguna/NIP atau kata sandi salah."
LOCKED_OUT_HEADING = "Terlalu banyak percobaan"


def nav_labels(response: HttpResponse) -> list[str]:
    """The labels of the main navigation, in order."""
    match = re.search(r'<nav class="nav"[^>]*>(.*?)</nav>', response.content.decode(), re.S)
    assert match is not None, "the page has no main navigation"
    return [label.strip() for label in re.findall(r"<a [^>]*>([^<]*)</a>", match.group(1))]


class LoginTests(PerjumpaanTestCase):
    def log_in(self, username: str, password: str = PASSWORD, client: Client | None = None) -> HttpResponse:
        return (client or self.client).post(reverse("login"), {"username": username, "password": password})

    def logged_in_user(self, client: Client | None = None) -> object:
        # "Profil saya" opens for every logged-in user and redirects everybody else to the login page.
        response = (client or self.client).get(reverse("org:me"))
        return response.wsgi_request.user if response.status_code == 200 else None

    def test_the_login_page_speaks_indonesian(self) -> None:
        response = self.client.get(reverse("login"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nama pengguna atau NIP")
        self.assertContains(response, "Sandi")
        self.assertContains(response, 'lang="id"')

    def test_every_asset_of_the_login_page_is_found_by_the_static_finders(self) -> None:
        # Otherwise the page renders unstyled, and collectstatic leaves the asset out in production.
        html = self.client.get(reverse("login")).content.decode()
        assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
        self.assertIn("perjumpaan/app.css", assets)
        for asset in assets:
            with self.subTest(asset=asset):
                self.assertIsNotNone(finders.find(asset), asset)

    def test_a_visitor_is_sent_to_the_login_page(self) -> None:
        response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("login") + "?next=/", fetch_redirect_response=False)

    def test_a_user_logs_in_with_their_username(self) -> None:
        response = self.log_in("koordinator.dukcapil")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.logged_in_user(), self.koord_dukcapil)

    def test_a_staff_member_logs_in_with_their_nip(self) -> None:
        nip = Employee.objects.get(user=self.staf_dukcapil).nip
        response = self.log_in(nip)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.assertEqual(self.logged_in_user(), self.staf_dukcapil)

    def test_an_nip_typed_with_spaces_around_it_still_works(self) -> None:
        nip = Employee.objects.get(user=self.staf_pupr).nip
        self.log_in(f"  {nip} ")
        self.assertEqual(self.logged_in_user(), self.staf_pupr)

    def test_the_nip_of_an_employee_without_a_login_opens_nothing(self) -> None:
        nip = Employee.objects.get(office=self.dukcapil, user__isnull=True).nip
        response = self.log_in(nip)
        self.assertContains(response, WRONG_PASSWORD_MESSAGE)

    def test_the_nip_of_a_deactivated_employee_no_longer_logs_in(self) -> None:
        employee = Employee.objects.get(user=self.staf_dukcapil)
        Employee.objects.filter(pk=employee.pk).update(is_active=False)
        self.assertContains(self.log_in(employee.nip), WRONG_PASSWORD_MESSAGE)

    def test_a_wrong_password_is_told_in_indonesian_and_the_username_is_kept(self) -> None:
        response = self.log_in("koordinator.dukcapil", "salah-sekali")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, WRONG_PASSWORD_MESSAGE)
        self.assertContains(response, 'value="koordinator.dukcapil"')
        self.assertIsNone(self.logged_in_user())

    def test_repeated_failures_lock_the_login_out_even_for_the_right_password(self) -> None:
        limit = settings.AXES_FAILURE_LIMIT
        self.assertEqual(limit, 5)
        for attempt in range(1, limit):
            with self.subTest(attempt=attempt):
                self.assertContains(self.log_in("koordinator.dukcapil", "salah"), WRONG_PASSWORD_MESSAGE)
        response = self.log_in("koordinator.dukcapil", "salah")
        self.assertContains(response, LOCKED_OUT_HEADING, status_code=429)
        response = self.log_in("koordinator.dukcapil")
        self.assertContains(response, LOCKED_OUT_HEADING, status_code=429)
        self.assertIsNone(self.logged_in_user())

    def test_a_lock_out_does_not_lock_out_colleagues_behind_the_same_address(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.log_in("koordinator.dukcapil", "salah")
        other = Client()
        self.log_in("staf.dukcapil", client=other)
        self.assertEqual(self.logged_in_user(other), self.staf_dukcapil)

    def test_a_login_before_the_limit_clears_the_failures(self) -> None:
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            self.log_in("koordinator.dukcapil", "salah")
        self.log_in("koordinator.dukcapil")
        self.client.post(reverse("logout"))
        self.assertContains(self.log_in("koordinator.dukcapil", "salah"), WRONG_PASSWORD_MESSAGE)

    def test_an_inactive_login_is_refused(self) -> None:
        User.objects.filter(pk=self.koord_pupr.pk).update(is_active=False)
        self.log_in("koordinator.pupr")
        self.assertIsNone(self.logged_in_user())

    def test_logging_out_ends_the_session(self) -> None:
        self.log_in("koordinator.pupr")
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertIsNone(self.logged_in_user())


class DemoAccountTests(PerjumpaanTestCase):
    def setUp(self) -> None:
        User.objects.filter(pk=self.koord_pupr.pk).update(is_demo=True)

    def log_in(self) -> HttpResponse:
        return self.client.post(reverse("login"), {"username": "koordinator.pupr", "password": PASSWORD})

    def test_a_demo_account_logs_in_while_debug_is_on(self) -> None:
        with override_settings(DEBUG=True):
            self.assertRedirects(self.log_in(), reverse("home"), fetch_redirect_response=False)
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_a_demo_account_is_refused_at_login_when_debug_is_off(self) -> None:
        with override_settings(DEBUG=False):
            self.assertContains(self.log_in(), WRONG_PASSWORD_MESSAGE)
            response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("login") + "?next=/", fetch_redirect_response=False)

    def test_a_demo_account_s_existing_session_ends_when_debug_is_off(self) -> None:
        with override_settings(DEBUG=True):
            self.log_in()
            self.assertEqual(self.client.get(reverse("home")).status_code, 200)
        with override_settings(DEBUG=False):
            response = self.client.get(reverse("home"))
        self.assertRedirects(response, reverse("login") + "?next=/", fetch_redirect_response=False)

    def test_an_ordinary_account_is_not_affected(self) -> None:
        with override_settings(DEBUG=False):
            response = self.client.post(
                reverse("login"), {"username": "koordinator.dukcapil", "password": PASSWORD}
            )
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)


class HealthTests(PerjumpaanTestCase):
    def test_healthz_answers_200_json_with_status_ok(self) -> None:
        response = Client().get(reverse("healthz"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["status"], "ok")
        self.assertIn("no-cache", response.get("Cache-Control", ""))

    def test_healthz_needs_no_login_and_refuses_writes(self) -> None:
        self.assertEqual(Client().post(reverse("healthz")).status_code, 405)


class HomePageTests(PerjumpaanTestCase):
    def home(self, user: User) -> HttpResponse:
        """The page `user` lands on after logging in (staff are sent on to "Hari ini")."""
        self.client.force_login(user)
        response = self.client.get(reverse("home"), follow=True)
        self.assertEqual(response.status_code, 200)
        return response

    def assert_nav(self, user: User, *, shows: set[str], hides: set[str]) -> None:
        labels = set(nav_labels(self.home(user)))
        self.assertLessEqual(shows, labels, f"{user}: navigation {labels}")
        self.assertFalse(hides & labels, f"{user}: navigation {labels}")

    def test_a_programme_admin_sees_offices_and_administration(self) -> None:
        self.assert_nav(
            self.admin,
            shows={"Beranda", "Perangkat daerah", "Administrasi"},
            hides={"Profil saya", "Hari ini"},
        )

    def test_leadership_sees_offices_but_no_administration(self) -> None:
        self.assert_nav(
            self.pimpinan, shows={"Beranda", "Perangkat daerah"}, hides={"Administrasi", "Profil saya"}
        )

    def test_a_coordinator_sees_offices_and_no_administration(self) -> None:
        self.assert_nav(
            self.koord_dukcapil, shows={"Beranda", "Kantor DUKCAPIL"}, hides={"Administrasi", "Profil saya"}
        )

    def test_staff_see_their_own_pages_and_not_the_offices(self) -> None:
        self.assert_nav(
            self.staf_dukcapil,
            shows={"Beranda", "Profil saya"},
            hides={"Perangkat daerah", "Administrasi", "Ikhtisar program"},
        )

    def test_a_facilitator_and_a_login_without_a_role_see_only_the_home_page(self) -> None:
        for user in (self.fasilitator, self.outsider):
            with self.subTest(user=str(user)):
                self.assert_nav(
                    user, shows={"Beranda"}, hides={"Perangkat daerah", "Administrasi", "Profil saya"}
                )

    def test_staff_land_on_today_greeted_by_name_with_their_office(self) -> None:
        response = self.home(self.staf_dukcapil)
        self.assertEqual(response.redirect_chain, [(reverse("program:today"), 302)])
        self.assertContains(response, "Baiq Nurul Aini")
        self.assertContains(response, self.dukcapil.name)
        self.assertNotContains(response, self.pupr.name)

    def test_a_coordinator_who_is_also_staff_is_greeted_by_their_employee_name(self) -> None:
        Employee.objects.filter(user=self.staf_dukcapil).update(user=None)
        employee = Employee.objects.get(name="Lalu Muhammad Zaini")
        employee.user = self.koord_dukcapil
        employee.save()
        response = self.home(self.koord_dukcapil)
        self.assertContains(response, "Selamat datang, Lalu Muhammad Zaini")
        self.assertContains(response, employee.nip)

    def test_a_coordinator_s_home_lists_their_office_only(self) -> None:
        response = self.home(self.koord_pupr)
        self.assertContains(response, reverse("org:office_detail", args=["PUPR"]))
        self.assertNotContains(response, self.dukcapil.name)

    def test_an_admin_s_home_lists_every_office_of_their_government(self) -> None:
        response = self.home(self.admin)
        self.assertContains(response, self.dukcapil.name)
        self.assertContains(response, self.pupr.name)
        self.assertNotContains(response, "Disdukcapil Lombok Timur")

    def test_a_login_without_a_role_is_told_to_ask_for_access(self) -> None:
        self.assertContains(self.home(self.outsider), "Akun Anda belum memiliki peran")
