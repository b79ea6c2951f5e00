"""Error pages in Bahasa Indonesia, in the site's look; the 500 page without a database."""

from __future__ import annotations

from unittest import mock

from django.template import loader
from django.test import Client, override_settings
from django.urls import path

from perjumpaan.urls import urlpatterns as project_urlpatterns
from tests.base import PerjumpaanTestCase


def _boom(request: object) -> None:
    raise RuntimeError("uji 500")


urlpatterns = [path("uji-500/", _boom), *project_urlpatterns]
handler500 = "perjumpaan.core.views.server_error"


class ErrorPageTests(PerjumpaanTestCase):
    def test_not_found(self) -> None:
        response = self.client.get("/tidak-ada/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "Halaman tidak ditemukan", status_code=404)
        self.assertContains(response, "app.css", status_code=404)

    def test_forbidden_form_without_csrf(self) -> None:
        client = Client(enforce_csrf_checks=True)
        response = client.post("/masuk/", {"username": "x", "password": "y"})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "Formulir kedaluwarsa", status_code=403)

    def test_bad_request(self) -> None:
        response = self.client.get("/", HTTP_HOST="penyerang.example")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Permintaan tidak valid", status_code=400)

    @override_settings(ROOT_URLCONF=__name__)
    def test_server_error_shows_a_reference_and_needs_no_database(self) -> None:
        client = Client(raise_request_exception=False)
        response = client.get("/uji-500/", HTTP_X_REQUEST_ID="rujukan-0123456789")
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "Terjadi kesalahan di server", status_code=500)
        self.assertContains(response, "rujukan-0123456789", status_code=500)

    def test_the_500_page_renders_without_request_context(self) -> None:
        with mock.patch(
            "django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=OSError("mati")
        ):
            html = loader.get_template("500.html").render({"request_id": "abc"})
        self.assertIn("Terjadi kesalahan di server", html)

    def test_too_many_requests_and_forbidden_pages_render(self) -> None:
        for name, words in (("429.html", "Terlalu banyak permintaan"), ("403.html", "Akses ditolak")):
            self.assertIn(words, loader.get_template(name).render({}))
