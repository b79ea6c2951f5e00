"""The first-run wizard at /mulai/: open on an empty database only, all or nothing, never a 500."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from PIL import Image

from perjumpaan.org.models import Government, GovernmentLogo, Office, Role, User
from perjumpaan.org.setup import standard_offices

PASSWORD = "Giri-Menang-2026!"
SETUP = "/mulai/"


def answers(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Kabupaten Lombok Barat",
        "time_zone": "Asia/Makassar",
        "latitude": "-8,6936",
        "longitude": "116,1230",
        "address": "Jl. Soekarno-Hatta No. 1, Giri Menang, Gerung",
        "admin_first_name": "Lalu Ahmad Zaini",
        "admin_username": "admin.lobar",
        "admin_email": "admin@lombokbaratkab.go.id",
        "admin_password": PASSWORD,
        "admin_password2": PASSWORD,
        "offices": ["DUKCAPIL", "PUPR", "DIKBUD", "DINKES"],
        "kecamatan": "Gerung\r\nBatu Layar\r\n",
    }
    data.update(overrides)
    return data


def png(size: tuple[int, int] = (200, 240)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (15, 118, 110)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def csrf_client() -> tuple[Client, str]:
    """A client that must send the CSRF token, as a browser does, and that token from the form."""
    client = Client(enforce_csrf_checks=True)
    response = client.get(SETUP)
    return client, response.cookies["csrftoken"].value


class SetupWizardTests(TestCase):
    def test_the_home_page_of_an_empty_database_leads_to_the_wizard(self) -> None:
        self.assertRedirects(self.client.get("/"), SETUP, fetch_redirect_response=False)
        response = self.client.get(SETUP)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Penyiapan awal Sekolah Perjumpaan")
        for office in standard_offices():
            self.assertContains(response, office.name)
        # Every standard office is ticked to begin with.
        self.assertContains(response, 'value="DUKCAPIL"')
        self.assertEqual(response.content.decode().count("checked"), len(standard_offices()))

    def test_it_sets_up_the_government_logs_the_admin_in_and_shows_the_next_step(self) -> None:
        client, token = csrf_client()
        response = client.post(SETUP, {**answers(logo=png()), "csrfmiddlewaretoken": token})
        self.assertRedirects(response, reverse("org:setup_done"), fetch_redirect_response=False)

        government = Government.objects.get()
        self.assertEqual(government.name, "Pemerintah Kabupaten Lombok Barat")
        self.assertEqual(
            (government.latitude, government.longitude), (Decimal("-8.6936"), Decimal("116.1230"))
        )
        self.assertTrue(bytes(GovernmentLogo.objects.get(government=government).png).startswith(b"\x89PNG"))
        self.assertEqual(
            sorted(Office.objects.values_list("code", flat=True)),
            ["BATULAYAR", "DIKBUD", "DINKES", "DUKCAPIL", "GERUNG", "PUPR"],
        )
        admin = User.objects.get()
        self.assertEqual((admin.username, admin.email), ("admin.lobar", "admin@lombokbaratkab.go.id"))
        self.assertEqual(Role.objects.get().kind, Role.Kind.ADMIN)

        done = client.get(reverse("org:setup_done"))
        self.assertEqual(done.status_code, 200)
        self.assertContains(done, "Pemerintah Kabupaten Lombok Barat siap dipakai")
        self.assertContains(done, "6 perangkat daerah siap.")
        self.assertContains(done, reverse("org:staff_import_upload", args=["DUKCAPIL"]))
        self.assertContains(done, reverse("org:staff_import_upload", args=["BATULAYAR"]))
        # Now the home page is the admin's own.
        self.assertEqual(client.get("/").status_code, 200)

    def test_once_a_government_exists_nobody_can_use_it_to_become_admin(self) -> None:
        client, token = csrf_client()
        client.post(SETUP, {**answers(), "csrfmiddlewaretoken": token})
        self.assertEqual(User.objects.count(), 1)

        for visitor in (Client(), client):
            self.assertEqual(visitor.get(SETUP).status_code, 404)
            second = answers(name="Kota Mataram", admin_username="penyusup", offices=["SETDA"])
            # With a valid CSRF token too (the logged-in admin's): the answer is still no.
            cookie = visitor.cookies.get("csrftoken")
            if cookie is not None:
                second["csrfmiddlewaretoken"] = cookie.value
            self.assertEqual(visitor.post(SETUP, second).status_code, 404)
        self.assertEqual(list(User.objects.values_list("username", flat=True)), ["admin.lobar"])
        self.assertEqual(Government.objects.count(), 1)
        self.assertFalse(Role.objects.filter(user__username="penyusup").exists())
        # And an anonymous home page goes to the login page, not the wizard.
        self.assertRedirects(Client().get("/"), "/masuk/?next=/", fetch_redirect_response=False)

    def test_a_post_without_the_csrf_token_is_refused_and_saves_nothing(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post(SETUP, answers())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Government.objects.count(), 0)
        self.assertEqual(User.objects.count(), 0)

    def test_mistakes_are_told_in_indonesian_and_what_was_typed_is_kept(self) -> None:
        bad = answers(
            latitude="8,6936",
            longitude="seratus",
            admin_password2="lain",
            logo=SimpleUploadedFile("logo.png", b"bukan gambar", content_type="image/png"),
        )
        response = self.client.post(SETUP, bad)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ada isian yang perlu diperbaiki; tidak ada yang disimpan.")
        self.assertContains(response, "Tulis sebagai angka desimal, misalnya 116,1230.")
        self.assertContains(response, "Kedua kata sandi tidak sama.")
        self.assertContains(response, "Logo harus berupa gambar PNG atau JPEG.")
        self.assertContains(response, 'value="Kabupaten Lombok Barat"')
        self.assertContains(response, 'value="admin.lobar"')
        self.assertEqual(Government.objects.count(), 0)

        # The service's own checks land on their fields too: a point outside Indonesia, a weak password.
        response = self.client.post(
            SETUP, answers(latitude="8,6936", admin_password="12345678", admin_password2="12345678")
        )
        self.assertContains(response, "Lintang 8,6936 berada di luar wilayah Indonesia")
        self.assertContains(response, "Kata sandi ini terlalu umum.")
        response = self.client.post(SETUP, answers(offices=[], kecamatan=""))
        self.assertContains(response, "Pilih sedikitnya satu perangkat daerah.")
        response = self.client.post(SETUP, answers(offices=["DUKCAPIL", "BUKAN"]))
        self.assertContains(response, "Kode perangkat daerah tidak dikenal: BUKAN.")
        self.assertEqual(
            (Government.objects.count(), User.objects.count(), Office.objects.count()), (0, 0, 0)
        )

    def test_the_next_step_page_is_for_admins_only(self) -> None:
        self.assertRedirects(
            self.client.get(reverse("org:setup_done")),
            "/masuk/?next=/mulai/selesai/",
            fetch_redirect_response=False,
        )
        self.client.force_login(User.objects.create_user(username="biasa", password="x"))
        self.assertEqual(self.client.get(reverse("org:setup_done")).status_code, 404)


text = st.text(max_size=60)
coordinate = st.one_of(
    text,
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["-8,6936", "116,123", "NaN", "sNaN", "-Infinity", "1e999999", "1e-999999", "٣"]),
)


class SetupWizardFuzzTests(HypothesisTestCase):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        name=text,
        time_zone=st.one_of(text, st.sampled_from(["Asia/Makassar", "Asia/Jakarta"])),
        latitude=coordinate,
        longitude=coordinate,
        username=text,
        password=text,
        offices=st.lists(st.one_of(text, st.sampled_from([o.code for o in standard_offices()])), max_size=4),
        kecamatan=st.text(max_size=200),
    )
    def test_no_answer_at_all_makes_it_fail(
        self,
        name: str,
        time_zone: str,
        latitude: str,
        longitude: str,
        username: str,
        password: str,
        offices: list[str],
        kecamatan: str,
    ) -> None:
        data = answers(
            name=name,
            time_zone=time_zone,
            latitude=latitude,
            longitude=longitude,
            admin_username=username,
            admin_password=password,
            admin_password2=password,
            offices=offices,
            kecamatan=kecamatan,
        )
        # Text with NUL characters is refused by Django's test client before it reaches us.
        data = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in data.items()}
        data["offices"] = [code.replace("\x00", "") for code in data["offices"]]
        response = self.client.post(SETUP, data)
        self.assertIn(response.status_code, (200, 302))
        if response.status_code == 200:
            self.assertEqual(Government.objects.count(), 0)
        else:
            self.assertEqual(Government.objects.count(), 1)
